import { describe, expect, it } from 'vitest';
import type { RunResult, Status } from '../../src/model/findings.js';
import { nagiosState, renderNagios } from '../../src/report/nagios.js';
import {
  cleanPass,
  cleanPassTarget,
  dnsErrors,
  finding,
  hostileStrings,
  mixedCertificates,
  noTlsProbes,
  runResult,
  target,
  threeDomains,
  peerProbe,
  twoSrvOutOfNamespace,
  twoSrvOutOfNamespaceTarget,
} from './results.js';

interface PerfDatum {
  label: string;
  value: number;
  unit: string;
  warn: string;
  crit: string;
  min: string;
  max: string;
}

/**
 * Splits plugin output by the monitoring-plugins rules: the text before the first "|" of the
 * first line, its performance data after it, then the long text lines.
 */
function parsePluginOutput(output: string): { status: string; details: string[]; perf: PerfDatum[] } {
  expect(output.endsWith('\n')).toBe(true);
  const [first, ...rest] = output.slice(0, -1).split('\n');
  const separator = first!.indexOf(' | ');
  const status = separator < 0 ? first! : first!.slice(0, separator);
  const perfTexts = separator < 0 ? [] : [first!.slice(separator + 3)];
  // Long text lines, until one carries " | ": the rest of that line and every line after it are
  // more performance data.
  const details: string[] = [];
  let inPerf = false;
  for (const line of rest) {
    if (inPerf) {
      perfTexts.push(line);
      continue;
    }
    const bar = line.indexOf(' | ');
    if (bar < 0) {
      details.push(line);
      continue;
    }
    details.push(line.slice(0, bar));
    perfTexts.push(line.slice(bar + 3));
    inPerf = true;
  }
  return { status, details, perf: perfTexts.filter((text) => text !== '').flatMap(parsePerfdata) };
}

/** Tokenises `'label'=value[UOM];warn;crit;min;max ...` strictly, quote by quote. */
function parsePerfdata(text: string): PerfDatum[] {
  const data: PerfDatum[] = [];
  let index = 0;
  while (index < text.length) {
    expect(text[index], `a quoted label at ${index} of ${text}`).toBe("'");
    const close = text.indexOf("'", index + 1);
    expect(close).toBeGreaterThan(index);
    const label = text.slice(index + 1, close);
    expect(label).not.toMatch(/[='|]/);
    expect(text[close + 1]).toBe('=');
    const end = text.indexOf(' ', close);
    const fields = text.slice(close + 2, end < 0 ? undefined : end).split(';');
    expect(fields).toHaveLength(5);
    const match = /^(-?\d+(?:\.\d+)?)([a-zA-Z%]*)$/.exec(fields[0]!);
    expect(match, `value ${fields[0]}`).not.toBeNull();
    for (const threshold of fields.slice(1, 3)) expect(threshold).toMatch(/^(@?(-?\d+(\.\d+)?|~)?(:(-?\d+(\.\d+)?)?)?)?$/);
    data.push({
      label,
      value: Number(match![1]),
      unit: match![2]!,
      warn: fields[1]!,
      crit: fields[2]!,
      min: fields[3]!,
      max: fields[4]!,
    });
    index = end < 0 ? text.length : end + 1;
  }
  return data;
}

function perf(result: RunResult, label: string): PerfDatum | undefined {
  return parsePluginOutput(renderNagios(result)).perf.find((datum) => datum.label === label);
}

describe('nagios state', () => {
  it.each<[Status, string]>([
    ['pass', 'OK'],
    ['info', 'OK'],
    ['skip', 'OK'],
    ['warn', 'WARNING'],
    ['fail', 'CRITICAL'],
    ['error', 'CRITICAL'],
  ])('maps %s to %s', (status, state) => {
    expect(nagiosState(status)).toBe(state);
  });

  it('calls a warning CRITICAL under --strict, as the exit code is 2', () => {
    expect(nagiosState('warn', true)).toBe('CRITICAL');
    expect(nagiosState('info', true)).toBe('OK');
  });

  it('follows the strict option recorded in the result', () => {
    const result = twoSrvOutOfNamespace();
    const warnOnly = {
      ...result,
      status: 'warn' as const,
      targets: result.targets.map((target) => ({ ...target, status: 'warn' as const })),
      options: { ...result.options, strict: true },
    };
    expect(parsePluginOutput(renderNagios(warnOnly)).status).toMatch(/^FEDCHECK CRITICAL - .*--strict: warnings fail.*srv-single/);
    expect(parsePluginOutput(renderNagios({ ...warnOnly, options: { ...result.options, strict: false } })).status).toMatch(
      /^FEDCHECK WARNING - /,
    );
  });

  it('is UNKNOWN for a status it does not know (a damaged replayed document)', () => {
    expect(nagiosState('bogus' as Status)).toBe('UNKNOWN');
  });
});

describe('nagios renderer', () => {
  it('moves the performance data of a batch after the long text, keeping the first line short', () => {
    const many = runResult(Array.from({ length: 30 }, (_, index) => ({ ...cleanPassTarget(), domain: `tenant${index}.example` })));
    const output = renderNagios(many);
    const [first] = output.split('\n');
    expect(first).toBe('FEDCHECK OK - 30 domains checked: 240 pass');
    const { perf, details } = parsePluginOutput(output);
    expect(details).toEqual(['Performance data per peer and domain follows.']);
    expect(perf.length).toBeGreaterThan(30);
    expect(new Set(perf.map((datum) => datum.label)).size).toBe(perf.length);
  });

  it('says OK on one line with no detail lines when everything passes', () => {
    const { status, details } = parsePluginOutput(renderNagios(cleanPass()));
    expect(status).toBe('FEDCHECK OK - 1 domain checked: 8 pass');
    expect(details).toEqual([]);
  });

  it('names the failing domains and their failing checks on the first line', () => {
    const { status } = parsePluginOutput(renderNagios(threeDomains()));
    expect(status).toBe(
      'FEDCHECK CRITICAL - 2 of 3 domains fail: ciscoexample.com srv-target-namespace, cisco-two.example tls-connect',
    );
  });

  it('counts errors as critical and marks the checks that errored', () => {
    const { status } = parsePluginOutput(renderNagios(dnsErrors()));
    expect(status).toBe(
      'FEDCHECK CRITICAL - 3 of 3 domains fail: ciscoexample.com srv-present (error), msexample.com srv-present, unreachable.example srv-present (error)',
    );
  });

  it('reports warnings as WARNING, and mentions them after the failures when both occur', () => {
    const warnOnly = runResult([
      target('ciscoexample.com', 'local', {
        dns: [],
        tls: [],
        findings: [finding('srv-single', 'warn', 'x', 'two records'), finding('srv-port', 'pass', 'x', 'ok')],
      }),
    ]);
    expect(parsePluginOutput(renderNagios(warnOnly)).status).toBe('FEDCHECK WARNING - 1 of 1 domain warns: ciscoexample.com srv-single');
    const mixed = runResult([twoSrvOutOfNamespaceTarget(), warnOnly.targets[0]!]);
    expect(parsePluginOutput(renderNagios(mixed)).status).toMatch(/^FEDCHECK CRITICAL - 1 of 2 domains fails: .*; 1 more warn$/);
  });

  it('writes one detail line per finding that is not a pass, most urgent first', () => {
    const { details } = parsePluginOutput(renderNagios(threeDomains()));
    expect(details).toEqual([
      '[FAIL] ciscoexample.com srv-target-namespace edge.example.net: The selected target edge.example.net is outside ciscoexample.com: Microsoft logs ms-diagnostics 1009.',
      '[FAIL] cisco-two.example tls-connect 203.0.113.7:5061: Connection refused.',
      '[WARN] ciscoexample.com srv-single _sipfederationtls._tcp.ciscoexample.com: _sipfederationtls._tcp.ciscoexample.com has 2 SRV records; Microsoft edges use only edge.example.net (lowest priority (10)) and never fail over.',
      '[WARN] ciscoexample.com srv-target-alias edge.example.net: edge.example.net is an alias (CNAME) of edge-lb.example.net.',
      '[INFO] msexample.com srv-target-namespace sipfed.online.lync.com: msexample.com is hosted by Microsoft 365 (worldwide).',
    ]);
  });

  it('keeps every finding on one line and no "|" outside the perfdata separator, whatever the messages hold', () => {
    const output = renderNagios(hostileStrings());
    // One "|" in all: the one that starts the performance data.
    expect(output.split('|')).toHaveLength(2);
    expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    const { details } = parsePluginOutput(output);
    expect(details).toHaveLength(4);
    expect(details[0]).toBe(
      `[FAIL] ciscoexample.com tls-handshake 192.0.2.10:5061 'quoted'=x: Server said "<b>hello</b>" & 'bye' second line / not perfdata = nope\\x1b[31mRED\\x07\\x00 and \\ud800 lone`,
    );
  });

  it('gives days left per peer certificate, with thresholds from the options as "alert below" ranges', () => {
    const result = mixedCertificates();
    expect(perf(result, 'ciscoexample.com 192.0.2.10:5061 days')).toEqual({
      label: 'ciscoexample.com 192.0.2.10:5061 days',
      value: 87,
      unit: '',
      warn: '30:',
      crit: '14:',
      min: '',
      max: '',
    });
    expect(perf(result, 'ciscoexample.com 192.0.2.11:5061 days')?.value).toBe(10);
    expect(perf(result, 'ciscoexample.com 192.0.2.12:5061 days')?.value).toBe(-3);
    expect(perf(result, 'ciscoexample.com 192.0.2.13:5061 days')).toBeUndefined();
  });

  it('leaves the thresholds empty when the options do not give them', () => {
    const result: RunResult = { ...cleanPass(), options: {} };
    const days = perf(result, 'ciscoexample.com 192.0.2.10:5061 days')!;
    expect([days.warn, days.crit]).toEqual(['', '']);
  });

  it('gives handshake milliseconds for completed handshakes only, and the slowest DNS query per target', () => {
    const result = mixedCertificates();
    expect(perf(result, 'ciscoexample.com 192.0.2.11:5061 handshake')).toMatchObject({ value: 12.6, unit: 'ms', min: '0' });
    expect(perf(result, 'ciscoexample.com [2001:db8::10]:5061 handshake')).toBeUndefined();
    expect(perf(result, 'ciscoexample.com 192.0.2.13:5061 handshake')).toBeUndefined();
    expect(perf(result, 'ciscoexample.com dns')).toMatchObject({ value: 31, unit: 'ms', min: '0' });
  });

  it('has no perfdata section when nothing was measured', () => {
    const result = runResult([target('empty.example', 'local', { dns: [], tls: [], findings: [] })]);
    expect(renderNagios(result)).toBe('FEDCHECK OK - 1 domain checked: no findings\n');
  });

  it('keeps labels free of quotes and equals signs, and unique when a domain is checked twice', () => {
    const odd = target("odd'name=x.example", 'local', {
      dns: [],
      tls: [peerProbe('sip.example', '192.0.2.10')],
      findings: [finding('tls-connect', 'pass', '192.0.2.10:5061', 'ok')],
    });
    expect(perf(runResult([odd]), 'odd_name_x.example 192.0.2.10:5061 days')?.value).toBe(87);
    const twice = runResult([cleanPassTarget(), { ...cleanPassTarget(), role: 'partner' }]);
    const labels = parsePluginOutput(renderNagios(twice)).perf.map((datum) => datum.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain('ciscoexample.com 192.0.2.10:5061 days #2');
  });

  describe('a batch: the first line stays at most 200 characters, the rest goes in the long text', () => {
    /** Every third tenant fails two checks, every fifth other one warns, the rest pass. */
    function batch(count: number): RunResult {
      const probe = peerProbe('sip.tenant.example', '192.0.2.10');
      return runResult(
        Array.from({ length: count }, (_, index) => {
          const domain = `tenant${index + 1}.example`;
          const findings =
            index % 3 === 0
              ? [finding('srv-present', 'error', domain, 'SERVFAIL'), finding('cert-validity', 'fail', '192.0.2.10:5061', 'expired')]
              : index % 5 === 0
                ? [finding('srv-single', 'warn', domain, 'two records')]
                : [finding('srv-present', 'pass', domain, 'ok')];
          return target(domain, 'local', { dns: [], tls: [probe], findings });
        }),
      );
    }

    it('gives the counts and the worst few domains for 5,000 domains, and every finding below', () => {
      const output = renderNagios(batch(5000));
      const [first] = output.split('\n');
      expect(first!.length).toBeLessThanOrEqual(200);
      expect(first).toMatch(
        /^FEDCHECK CRITICAL - 1667 of 5000 domains fail: tenant1\.example srv-present \(error\) cert-validity, tenant4\.example srv-present \(error\) cert-validity(, .*)? and \d+ more; 666 more warn$/,
      );
      // Counted rather than parsed datum by datum: 5,000 domains make tens of thousands of items.
      const lines = output.split('\n');
      expect(lines.filter((line) => line.startsWith('[ERROR] '))).toHaveLength(1667);
      expect(lines.filter((line) => line.startsWith('[FAIL] '))).toHaveLength(1667);
      expect(lines.filter((line) => line.startsWith('[WARN] '))).toHaveLength(666);
      expect(output.match(/ days'=/g)).toHaveLength(5000);
      expect(output.match(/ \| /g)).toHaveLength(1);
    });

    it('counts warnings the same way when nothing fails', () => {
      const warnings = runResult(
        Array.from({ length: 3000 }, (_, index) =>
          target(`tenant${index + 1}.example`, 'local', { dns: [], tls: [], findings: [finding('srv-single', 'warn', 'x', 'two records')] }),
        ),
      );
      const [first] = renderNagios(warnings).split('\n');
      expect(first!.length).toBeLessThanOrEqual(200);
      expect(first).toMatch(/^FEDCHECK WARNING - 3000 of 3000 domains warn: tenant1\.example srv-single, .* and \d+ more$/);
    });

    it('cuts short a single domain whose failing checks alone would not fit', () => {
      const longName = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.example`;
      const checks = ['srv-present', 'srv-port', 'srv-target-address', 'tls-connect', 'tls-handshake', 'cert-trust', 'cert-name', 'cert-validity'];
      const one = runResult([
        target(longName, 'local', { dns: [], tls: [], findings: checks.map((check) => finding(check, 'fail', longName, 'broken')) }),
        target('tenant2.example', 'local', { dns: [], tls: [], findings: [finding('tls-connect', 'fail', 'x', 'refused')] }),
      ]);
      const output = renderNagios(one);
      const [first] = output.split('\n');
      expect(first!.length).toBeLessThanOrEqual(200);
      expect(first).toMatch(/^FEDCHECK CRITICAL - 2 of 2 domains fail: a{63}\.b+.*… and 1 more$/);
      expect(parsePluginOutput(output).details).toHaveLength(checks.length + 1);
    });

    it('keeps the performance data on the first line only while the line stays within 200 characters', () => {
      const output = renderNagios(cleanPass());
      const [first] = output.split('\n');
      expect(first!.length).toBeLessThanOrEqual(200);
      expect(parsePluginOutput(output).perf.map((datum) => datum.label)).toEqual([
        'ciscoexample.com 192.0.2.10:5061 days',
        'ciscoexample.com 192.0.2.10:5061 handshake',
        'ciscoexample.com dns',
      ]);
    });
  });

  it('says UNKNOWN, never OK, for a result that checked nothing', () => {
    expect(renderNagios(runResult([]))).toBe('FEDCHECK UNKNOWN - no domains checked\n');
  });

  it('renders every scenario in the plugin syntax', () => {
    for (const result of [cleanPass(), twoSrvOutOfNamespace(), dnsErrors(), mixedCertificates(), noTlsProbes(), threeDomains()]) {
      const { status } = parsePluginOutput(renderNagios(result));
      expect(status).toMatch(/^FEDCHECK (OK|WARNING|CRITICAL|UNKNOWN) - \S/);
    }
  });
});
