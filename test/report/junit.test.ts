import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/findings.js';
import { renderJunit } from '../../src/report/junit.js';
import { escapeXmlAttribute, escapeXmlText, stripIllegalXmlCharacters } from '../../src/report/xml.js';
import {
  HOSTILE_MESSAGE,
  cleanPass,
  dnsErrors,
  hostileStrings,
  mixedCertificates,
  noTlsProbes,
  runResult,
  threeDomains,
  twoSrvOutOfNamespace,
} from './results.js';
import { childElements, descendants, parseXml, textContent, type XmlElement } from './xml-reader.js';

function render(result: RunResult): XmlElement {
  return parseXml(renderJunit(result));
}

function testcases(suite: XmlElement): XmlElement[] {
  return childElements(suite, 'testcase');
}

describe('junit renderer', () => {
  it.each([cleanPass, twoSrvOutOfNamespace, dnsErrors, mixedCertificates, noTlsProbes, threeDomains, hostileStrings])(
    'writes a well-formed document whose counts add up (%#)',
    (scenario) => {
      const result = scenario();
      const root = render(result);
      expect(root.name).toBe('testsuites');
      expect(root.attributes.name).toBe('fedcheck');
      const all = result.targets.flatMap((target) => target.findings);
      expect(Number(root.attributes.tests)).toBe(all.length);
      expect(Number(root.attributes.failures)).toBe(all.filter((f) => f.status === 'fail').length);
      expect(Number(root.attributes.errors)).toBe(all.filter((f) => f.status === 'error').length);
      expect(Number(root.attributes.skipped)).toBe(all.filter((f) => f.status === 'skip').length);
      expect(root.attributes.time).toBe('1.234');
      const suites = childElements(root, 'testsuite');
      expect(suites.map((suite) => suite.attributes.name)).toEqual(result.targets.map((t) => `${t.role}:${t.domain}`));
      suites.forEach((suite, index) => {
        const findings = result.targets[index]!.findings;
        expect(testcases(suite)).toHaveLength(findings.length);
        expect(Number(suite.attributes.tests)).toBe(findings.length);
        expect(descendants(suite, 'failure')).toHaveLength(Number(suite.attributes.failures));
        expect(descendants(suite, 'error')).toHaveLength(Number(suite.attributes.errors));
        expect(descendants(suite, 'skipped')).toHaveLength(Number(suite.attributes.skipped));
      });
    },
  );

  it('starts with the XML declaration', () => {
    expect(renderJunit(cleanPass()).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
  });

  it('names suites role:domain and test cases "<check> <subject>" in class fedcheck.<domain>', () => {
    const [local, second, partner] = childElements(render(threeDomains()), 'testsuite');
    expect(local!.attributes.name).toBe('local:ciscoexample.com');
    expect(second!.attributes.name).toBe('local:cisco-two.example');
    expect(partner!.attributes.name).toBe('partner:msexample.com');
    expect(partner!.attributes.timestamp).toBe('2025-03-01T08:00:00.000Z');
    const first = testcases(local!)[0]!;
    expect(first.attributes.classname).toBe('fedcheck.ciscoexample.com');
    expect(first.attributes.name).toBe('srv-present _sipfederationtls._tcp.ciscoexample.com');
    const properties = childElements(childElements(partner!, 'properties')[0]!, 'property');
    expect(properties.map((p) => [p.attributes.name, p.attributes.value])).toContainEqual(['role', 'partner']);
  });

  it('turns a fail into <failure> with the message, the check as type and the fix in the body', () => {
    const suite = childElements(render(twoSrvOutOfNamespace()), 'testsuite')[0]!;
    const failing = testcases(suite).find((testcase) => testcase.attributes.name === 'srv-target-namespace edge.example.net')!;
    const [failure] = childElements(failing, 'failure');
    expect(failure!.attributes.type).toBe('srv-target-namespace');
    expect(failure!.attributes.message).toBe(
      'The selected target edge.example.net is outside ciscoexample.com: Microsoft logs ms-diagnostics 1009.',
    );
    expect(textContent(failure!)).toContain(
      '\nFix: Point the SRV record at a host in ciscoexample.com, e.g. sip.ciscoexample.com.',
    );
  });

  it('passes a warning, carrying it in <system-out> and a status property', () => {
    const suite = childElements(render(twoSrvOutOfNamespace()), 'testsuite')[0]!;
    const warning = testcases(suite).find((testcase) => testcase.attributes.name?.startsWith('srv-single '))!;
    expect(childElements(warning, 'failure')).toHaveLength(0);
    expect(childElements(warning, 'error')).toHaveLength(0);
    expect(textContent(childElements(warning, 'system-out')[0]!)).toMatch(/^WARN: _sipfederationtls\._tcp\.ciscoexample\.com has 2 SRV records/);
    const property = childElements(childElements(warning, 'properties')[0]!, 'property')[0]!;
    expect(property.attributes).toEqual({ name: 'status', value: 'warn' });
  });

  it('fails a warning under --strict, counting it among the failures', () => {
    const result = twoSrvOutOfNamespace();
    const strict = { ...result, options: { ...result.options, strict: true } };
    const root = render(strict);
    const suite = childElements(root, 'testsuite')[0]!;
    const warning = testcases(suite).find((testcase) => testcase.attributes.name?.startsWith('srv-single '))!;
    expect(childElements(warning, 'failure')).toHaveLength(1);
    const all = strict.targets.flatMap((target) => target.findings);
    expect(Number(root.attributes.failures)).toBe(all.filter((f) => f.status === 'fail' || f.status === 'warn').length);
    expect(descendants(suite, 'failure')).toHaveLength(Number(suite.attributes.failures));
  });

  it('maps error to <error>, skip to <skipped>, and info and pass to plain test cases', () => {
    const [local, partner] = childElements(render(dnsErrors()), 'testsuite');
    const [errored, skipped] = testcases(local!);
    expect(childElements(errored!, 'error')[0]!.attributes.type).toBe('srv-present');
    expect(childElements(skipped!, 'skipped')[0]!.attributes.message).toBe('No SRV records to judge.');
    expect(childElements(testcases(partner!)[0]!, 'failure')).toHaveLength(1);
    const clean = childElements(render(cleanPass()), 'testsuite')[0]!;
    expect(testcases(clean).every((testcase) => testcase.children.length === 0)).toBe(true);
  });

  it('escapes markup and quotes, keeps newlines, and drops characters XML 1.0 cannot carry', () => {
    const suite = childElements(render(hostileStrings()), 'testsuite')[0]!;
    const failing = testcases(suite)[0]!;
    expect(failing.attributes.name).toBe("tls-handshake 192.0.2.10:5061 'quoted'=x");
    const failure = childElements(failing, 'failure')[0]!;
    const expected = HOSTILE_MESSAGE.replace(/[\u0000\u0007\u001b\ud800]/g, '');
    expect(failure.attributes.message).toBe(expected);
    expect(textContent(failure).startsWith(`${expected}\nFix: Replace <plaintext> listener & "restart" it\nthen retry`)).toBe(
      true,
    );
    const warned = testcases(suite).find((testcase) => testcase.attributes.name?.startsWith('cert-name'))!;
    expect(warned.attributes.name).toBe('cert-name sub"ject\\with\nnewline');
  });

  it('writes an empty run as an empty testsuites element', () => {
    const root = render(runResult([]));
    expect(root.attributes.tests).toBe('0');
    expect(root.children.filter((child) => 'name' in child)).toHaveLength(0);
  });
});

describe('XML escaping', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXmlText(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
  });

  it('encodes whitespace in attributes so it survives attribute-value normalisation', () => {
    expect(escapeXmlAttribute('one\ntwo\tthree\rfour')).toBe('one&#10;two&#9;three&#13;four');
  });

  it('drops control characters, lone surrogates and non-characters, keeping tab, newline, CR and astral characters', () => {
    expect(stripIllegalXmlCharacters('a\u0000b\u001bc\u0008d\ud800e\ufffef\tg\nh\ri\u{1f600}')).toBe('abcdef\tg\nh\ri\u{1f600}');
  });
});
