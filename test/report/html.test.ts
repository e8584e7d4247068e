// The HTML report as text: escaping, self-containment, the Content-Security-Policy, and the
// same findings as the result. test/report/browser.test.ts loads it in Chromium.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Status } from '../../src/model/findings.js';
import { STATUSES } from '../../src/model/findings.js';
import { contentSecurityPolicy, renderHtml } from '../../src/report/html.js';
import { escapeHtml, html, Markup } from '../../src/report/html/markup.js';
import {
  RENDERER_SCENARIOS,
  certificate,
  cleanPass,
  dnsErrors,
  finding,
  hostileStrings,
  runResult,
  target,
  peerProbe,
  twoSrvOutOfNamespace,
  srvQuery,
  srv,
  addressQuery,
} from './results.js';

describe('escapeHtml', () => {
  it('makes markup text, in text nodes and quoted attributes alike', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`a"b'c&d`)).toBe('a&quot;b&#39;c&amp;d');
    expect(escapeHtml('</script><script>alert(1)</script>')).toBe('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('shows control characters and bidirectional overrides instead of letting them hide or reorder text', () => {
    expect(escapeHtml('a\u001b[31mb\u0000')).toBe('a\\x1b[31mb\\x00');
    expect(escapeHtml('evil\u202egnp.exe')).toBe('evil\\u202egnp.exe');
  });

  it('leaves ordinary text, newlines and non-ASCII alone', () => {
    expect(escapeHtml('sip.bücher.example\nline two')).toBe('sip.bücher.example\nline two');
  });
});

describe('html templates', () => {
  it('escapes every value unless it is markup the module made', () => {
    const hostile = '"><script>x()</script>';
    expect(html`<p title="${hostile}">${hostile}</p>`.html).toBe(
      '<p title="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;">&quot;&gt;&lt;script&gt;x()&lt;/script&gt;</p>',
    );
    expect(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.html).toBe('<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
  });

  it('adds nothing for false, null and undefined, and writes numbers', () => {
    expect(html`${false}${null}${undefined}${0}${12.5}`.html).toBe('012.5');
  });

  it('does not take a look-alike object for markup', () => {
    const impostor = { html: '<script>x()</script>' } as unknown as Markup;
    expect(html`${impostor as unknown as string}`.html).toBe('[object Object]');
  });
});


function between(text: string, open: string, close: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(open, from);
    if (start < 0) return parts;
    const end = text.indexOf(close, start + open.length);
    parts.push(text.slice(start + open.length, end));
    from = end + close.length;
  }
}

/** Every start tag: escaped text holds no "<", so these are the elements the report made. */
const tags = (output: string): string[] => output.match(/<[a-z][^>]*>/gi) ?? [];

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('HTML report: one self-contained file', () => {
  it.each(Object.entries(RENDERER_SCENARIOS))('%s: no external resource, one style, one script, both allowed by hash and nothing else', (_name, scenario) => {
    const output = renderHtml(scenario());
    expect(output.startsWith('<!doctype html>')).toBe(true);
    expect(output).not.toMatch(/\ssrc=|@import|url\(|<link|<img|<iframe|<object/i);
    for (const href of between(output, 'href="', '"')) expect(href).toMatch(/^#target-\d+$/);
    const styles = between(output, '<style>', '</style>');
    const scripts = between(output, '<script>', '</script>');
    expect(styles).toHaveLength(1);
    expect(scripts).toHaveLength(1);
    const policy = between(output, '<meta http-equiv="Content-Security-Policy" content="', '"');
    expect(policy).toEqual([escapeHtml(contentSecurityPolicy())]);
    expect(contentSecurityPolicy()).toBe(`default-src 'none'; style-src ${sha256(styles[0]!)}; script-src ${sha256(scripts[0]!)}; base-uri 'none'; form-action 'none'`);
    expect(tags(output).filter((tag) => /\s(style|on[a-z]+)=/i.test(tag))).toEqual([]);
  });
});

/** What the report shows for each status: elements that carry a finding's status. */
function countsByStatus(output: string): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  for (const match of output.matchAll(/\sdata-status="([a-z]+)"/g)) counts[match[1] as Status] += 1;
  return counts;
}

describe('HTML report: the result, every finding once', () => {
  it.each(Object.entries(RENDERER_SCENARIOS))('%s: a section per target, each finding once by status, every fix shown', (_name, scenario) => {
    const result = scenario();
    const output = renderHtml(result);
    expect(between(output, 'data-domain="', '"')).toEqual(result.targets.map((t) => escapeHtml(t.domain)));
    expect(countsByStatus(output)).toEqual(result.summary);
    expect(output).toContain(`data-verdict="${result.status}"`);
    for (const f of result.targets.flatMap((t) => t.findings)) {
      if (f.status === 'warn' || f.status === 'fail' || f.status === 'error') {
        expect(output).toContain(escapeHtml(f.message));
        if (f.remediation) expect(output).toContain(escapeHtml(f.remediation));
      }
    }
  });

  it('puts problems worst first, before the collapsed passes and skips', () => {
    const output = renderHtml(dnsErrors());
    const section = output.slice(output.indexOf('data-domain="ciscoexample.com"'), output.indexOf('data-domain="msexample.com"'));
    const statuses = [...section.matchAll(/\sdata-status="([a-z]+)"/g)].map((m) => m[1]);
    expect(statuses).toEqual(['error', 'skip', 'skip']);
    expect(section.indexOf('<details class="skips">')).toBeGreaterThan(section.indexOf('class="finding s-error"'));
  });

  it('shows a finding code where the check gave one', () => {
    const base = cleanPass();
    const coded = { ...finding('srv-single', 'warn', 's', 'm'), code: 'srv-single.several-records' };
    const output = renderHtml(runResult([{ ...base.targets[0]!, findings: [coded] }]));
    expect(output).toContain('<code class="code">srv-single.several-records</code>');
  });

  it('marks the SRV record Microsoft selects and greys the others', () => {
    const output = renderHtml(twoSrvOutOfNamespace());
    expect(output).toMatch(/<li class="record unused"><span class="mono">20 100 5061 sip\.ciscoexample\.com<\/span>/);
    expect(output).toMatch(/<li class="record selected"><span class="mono">10 100 5061 edge\.example\.net<\/span><em>selected: lowest priority \(10\)<\/em>/);
  });
});

describe('HTML report: strings from the network', () => {
  const CN = '<img src=x onerror=alert(1)>';
  const SANS = [`a"b'c.example`, '</script><script>alert(2)</script>', '" onmouseover="alert(3)'];
  const host = 'sip.ciscoexample.com';
  const result = runResult([
    target('ciscoexample.com', 'local', {
      dns: [srvQuery('ciscoexample.com', [srv(10, 100, 5061, host)]), addressQuery(host, 'A', ['192.0.2.10'])],
      tls: [peerProbe(host, '192.0.2.10', { chain: [certificate(CN, { daysLeft: 40, sans: SANS }, { subject: `CN=${CN}, O="><b>x</b>` })] })],
      findings: [finding('cert-name', 'fail', '192.0.2.10:5061', `The certificate names ${[CN, ...SANS].join(', ')}, not ${host}.`)],
    }),
  ]);
  const output = renderHtml(result);

  it('never lets them form a tag or an attribute', () => {
    expect(output).not.toContain('<img');
    expect(output).not.toContain('<b>');
    expect(output.match(/<script>/g)).toHaveLength(1);
    expect(output.match(/<\/script>/g)).toHaveLength(1);
    expect(tags(output).filter((tag) => /\son[a-z]+=/i.test(tag))).toEqual([]);
  });

  it('shows them as text', () => {
    expect(output).toContain(escapeHtml(CN));
    for (const san of SANS) expect(output).toContain(escapeHtml(san));
  });

  it('escapes the hostile strings of the shared scenario too', () => {
    const hostile = renderHtml(hostileStrings());
    expect(hostile).not.toMatch(/<b>|<x>|<plaintext>/);
    expect(hostile).toContain('Replace &lt;plaintext&gt; listener &amp; &quot;restart&quot; it');
    expect(hostile).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
