// --baseline in every format that shows it: the human report's and the HTML report's
// "Changed since" section, the Nagios long text's count, the Prometheus gauge, the JSON schema.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/findings.js';
import { renderHtml } from '../../src/report/html.js';
import { renderHuman } from '../../src/report/human.js';
import { renderJson } from '../../src/report/json.js';
import { renderNagios } from '../../src/report/nagios.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { lintMetrics, PROMTOOL } from '../helpers/prometheus.js';
import { parseExposition, samplesOf } from './exposition.js';
import { BASELINE_STARTED_AT, cleanPass, threeDomains, withChanges, withoutChanges } from './results.js';
import { resultValidator, describeErrors } from './schema.js';

const human = (result: RunResult) => renderHuman(result, { color: false, width: 200 });

describe('human report', () => {
  it('lists the changes under the verdict, per domain, before the targets', () => {
    const lines = human(withChanges()).split('\n');
    const start = lines.indexOf(`7 changes since ${BASELINE_STARTED_AT}`);
    expect(start).toBe(3);
    expect(lines[start + 1]).toBe('  ciscoexample.com');
    const end = lines.indexOf('', start);
    // Rows start at the table's indent; a long value continues on lines indented further.
    const section = lines
      .slice(start + 2, end)
      .filter((line) => /^ {4}\S/.test(line))
      .map((line) => line.trim().split(/\s{2,}/));
    expect(section.map(([label, subject]) => [label, subject])).toEqual([
      ['SRV records', '_sipfederationtls._tcp.ciscoexample.com'],
      ['selected SRV target', '_sipfederationtls._tcp.ciscoexample.com'],
      ['addresses', 'sip.ciscoexample.com'],
      ['certificate', '192.0.2.10:5061'],
      ['TLS version', '192.0.2.10:5061'],
      ['resolved finding', '192.0.2.10:5061'],
      ['new finding', '_sipfederationtls._tcp.ciscoexample.com'],
    ]);
    expect(section[2]![2]).toBe('192.0.2.10, 192.0.2.11 → 192.0.2.10');
    const certificateRow = lines.slice(start + 2, end).join(' ').replace(/\s+/g, ' ');
    expect(certificateRow).toMatch(/192\.0\.2\.10:5061 CN=sip\.ciscoexample\.com, O=Example Corp, expires 2025-03-11, SHA-256 [0-9A-F:]{23}… → CN=sip\.ciscoexample\.com, O=Example Corp, expires 2025-05-27, SHA-256 /);
    expect(section[5]![2]).toBe('cert-validity.expiring-critical (fail)');
    expect(section[6]![2]).toBe('srv-port.other-port (warn)');
    expect(lines[end + 1]).toMatch(/^Local SIP domain ciscoexample\.com/);
  });

  it('says in one line that nothing changed, and nothing at all without a baseline', () => {
    expect(human(withoutChanges()).split('\n')).toContain(`No changes since ${BASELINE_STARTED_AT}.`);
    expect(human(cleanPass())).not.toMatch(/changes? since/i);
  });
});

describe('HTML report', () => {
  it('has a "Changed since" table in the header, one row per change', () => {
    const page = renderHtml(withChanges());
    const section = /<section class="changes" data-changes="7">([\s\S]*?)<\/section>/.exec(page)?.[1];
    expect(section).toContain(`<h3>7 changes since ${BASELINE_STARTED_AT}</h3>`);
    expect([...section!.matchAll(/data-change-kind="([a-z-]+)"/g)].map((match) => match[1])).toEqual([
      'srv-records',
      'srv-target',
      'peer-addresses',
      'certificate',
      'tls-version',
      'finding',
      'finding',
    ]);
    expect(page.indexOf('class="changes"')).toBeLessThan(page.indexOf('<main>'));
    expect(renderHtml(withoutChanges())).toContain(`<section class="changes" data-changes="0"><h3>No changes since ${BASELINE_STARTED_AT}</h3></section>`);
    expect(renderHtml(cleanPass())).not.toContain('class="changes"');
  });
});

describe('Nagios', () => {
  it('counts the changes by kind in the first line of the long text, leaving the state alone', () => {
    const [first, second] = renderNagios(withChanges()).split('\n');
    expect(first).toMatch(/^FEDCHECK OK - /);
    expect(second).toBe(`7 changes since ${BASELINE_STARTED_AT} (srv-records 1, srv-target 1, peer-addresses 1, certificate 1, tls-version 1, finding 2)`);
    expect(renderNagios(withoutChanges()).split('\n')[1]).toBe(`No changes since ${BASELINE_STARTED_AT}`);
    expect(renderNagios(cleanPass())).not.toMatch(/since/);
  });
});

describe('Prometheus', () => {
  it('gives every domain a count per kind, 0 included, and no family without a baseline', () => {
    const changed = samplesOf(parseExposition(renderPrometheus(withChanges())), 'fedcheck_changes');
    expect(changed.map((sample) => [sample.labels.kind, sample.value])).toEqual([
      ['srv-records', 1],
      ['srv-target', 1],
      ['peer-addresses', 1],
      ['certificate', 1],
      ['tls-version', 1],
      ['finding', 2],
    ]);
    const domains = { ...threeDomains(), baseline: { startedAt: BASELINE_STARTED_AT }, changes: [] };
    const zero = samplesOf(parseExposition(renderPrometheus(domains)), 'fedcheck_changes');
    expect(zero).toHaveLength(3 * 6);
    expect(zero.every((sample) => sample.value === 0)).toBe(true);
    expect(samplesOf(parseExposition(renderPrometheus(cleanPass())), 'fedcheck_changes')).toEqual([]);
  });

  it.skipIf(!PROMTOOL)('passes promtool check metrics', async () => {
    const lint = await lintMetrics(renderPrometheus(withChanges()));
    expect(lint.stdout + lint.stderr).toBe('');
  });
});

describe('JSON', () => {
  it('writes baseline and changes after the summary, valid against the schema', () => {
    const text = renderJson(withChanges());
    const parsed = JSON.parse(text) as RunResult;
    expect(Object.keys(parsed).slice(-3)).toEqual(['summary', 'baseline', 'changes']);
    const validate = resultValidator();
    expect(validate(parsed), describeErrors(validate.errors)).toBe(true);
    const broken = JSON.parse(text);
    broken.changes[0].kind = 'weather';
    expect(validate(broken)).toBe(false);
  });
});
