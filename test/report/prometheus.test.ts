import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/findings.js';
import { escapeLabelValue, formatSampleValue, renderPrometheus } from '../../src/report/prometheus.js';
import { ExpositionError, parseExposition, samplesOf } from './exposition.js';
import {
  cleanPass,
  cleanPassTarget,
  dnsErrors,
  finding,
  hostileStrings,
  mixedCertificates,
  noTlsProbes,
  runResult,
  threeDomains,
  twoSrvOutOfNamespace,
  withImPresence,
} from './results.js';

const FAMILIES = [
  'fedcheck_run_status',
  'fedcheck_run_duration_seconds',
  'fedcheck_run_timestamp_seconds',
  'fedcheck_target_status',
  'fedcheck_check_status',
  'fedcheck_certificate_expiry_days',
  'fedcheck_tls_handshake_seconds',
];

const render = (result: RunResult) => parseExposition(renderPrometheus(result));

describe('prometheus renderer', () => {
  it.each([cleanPass, twoSrvOutOfNamespace, dnsErrors, mixedCertificates, noTlsProbes, threeDomains, hostileStrings, withImPresence])(
    'writes valid exposition format, HELP and TYPE once per family (%#)',
    (scenario) => {
      const exposition = render(scenario());
      for (const name of new Set(exposition.samples.map((sample) => sample.name))) {
        expect(FAMILIES).toContain(name);
        expect(exposition.types.get(name)).toBe('gauge');
        expect(exposition.help.get(name)).toBeTruthy();
      }
    },
  );

  it('encodes finding statuses 0 pass … 4 fail, skip as -1, and says so in HELP', () => {
    const exposition = render(dnsErrors());
    const statuses = samplesOf(exposition, 'fedcheck_check_status').map((sample) => [
      sample.labels.domain,
      sample.labels.role,
      sample.labels.check,
      sample.value,
    ]);
    expect(statuses).toEqual([
      ['ciscoexample.com', 'local', 'srv-present', 3],
      ['ciscoexample.com', 'local', 'srv-single', -1],
      ['ciscoexample.com', 'local', 'tls-connect', -1],
      ['msexample.com', 'partner', 'srv-present', 4],
      ['msexample.com', 'partner', 'tls-connect', -1],
      ['unreachable.example', 'local', 'srv-present', 3],
    ]);
    expect(exposition.help.get('fedcheck_check_status')).toContain('-1 skip, 0 pass, 1 info, 2 warn, 3 error, 4 fail');
  });

  it('gives each target its status and the run its status, duration and start time', () => {
    const exposition = render(threeDomains());
    expect(samplesOf(exposition, 'fedcheck_target_status')).toEqual([
      { name: 'fedcheck_target_status', labels: { domain: 'ciscoexample.com', role: 'local' }, value: 4 },
      { name: 'fedcheck_target_status', labels: { domain: 'cisco-two.example', role: 'local' }, value: 4 },
      { name: 'fedcheck_target_status', labels: { domain: 'msexample.com', role: 'partner' }, value: 1 },
    ]);
    expect(samplesOf(exposition, 'fedcheck_run_status')[0]!.value).toBe(4);
    expect(samplesOf(exposition, 'fedcheck_run_duration_seconds')[0]!.value).toBe(1.234);
    expect(samplesOf(exposition, 'fedcheck_run_timestamp_seconds')[0]!.value).toBe(Date.parse('2025-03-01T08:00:00Z') / 1000);
  });

  it('gives days left of each peer leaf certificate, negative once expired, and completed handshake times', () => {
    const exposition = render(mixedCertificates());
    const expiry = samplesOf(exposition, 'fedcheck_certificate_expiry_days');
    expect(expiry.map((sample) => [sample.labels.peer, sample.value])).toEqual([
      ['192.0.2.10:5061', 87],
      ['192.0.2.11:5061', 10],
      ['192.0.2.12:5061', -3],
    ]);
    expect(expiry[0]!.labels).toEqual({
      domain: 'ciscoexample.com',
      peer: '192.0.2.10:5061',
      subject: 'CN=sip.ciscoexample.com, O=Example Corp',
    });
    const handshakes = samplesOf(exposition, 'fedcheck_tls_handshake_seconds');
    expect(handshakes.map((sample) => [sample.labels.peer, sample.value])).toEqual([
      ['192.0.2.10:5061', 0.023],
      ['192.0.2.11:5061', 0.0126],
      ['192.0.2.12:5061', 0.057],
    ]);
  });

  it('omits families with no samples', () => {
    const output = renderPrometheus(noTlsProbes());
    expect(output).not.toContain('fedcheck_certificate_expiry_days');
    expect(output).not.toContain('fedcheck_tls_handshake_seconds');
  });

  it('writes one series per label set, the most urgent status when findings share one', () => {
    const base = cleanPassTarget();
    const result = runResult([
      {
        ...base,
        findings: [
          finding('cert-signature', 'pass', '192.0.2.10:5061', 'leaf is sha256'),
          finding('cert-signature', 'fail', '192.0.2.10:5061', 'intermediate is sha1'),
          finding('cert-signature', 'warn', '192.0.2.10:5061', 'root uses PSS'),
        ],
      },
      { ...base, role: 'partner' },
    ]);
    const exposition = render(result);
    const signature = samplesOf(exposition, 'fedcheck_check_status').filter((sample) => sample.labels.check === 'cert-signature');
    expect(signature).toEqual([
      {
        name: 'fedcheck_check_status',
        labels: { domain: 'ciscoexample.com', role: 'local', check: 'cert-signature', subject: '192.0.2.10:5061' },
        value: 4,
      },
    ]);
    expect(samplesOf(exposition, 'fedcheck_certificate_expiry_days')).toHaveLength(1);
  });

  it('escapes label values so they read back unchanged, control characters made visible', () => {
    const exposition = render(hostileStrings());
    const subjects = samplesOf(exposition, 'fedcheck_check_status').map((sample) => sample.labels.subject);
    expect(subjects).toContain('sub"ject\\with\nnewline');
    expect(subjects).toContain("192.0.2.10:5061 'quoted'=x");
    const certificate = samplesOf(exposition, 'fedcheck_certificate_expiry_days')[0]!;
    expect(certificate.labels.subject).toBe('CN=evil"\\cn\n<x>, O=\\x1b[1mBold');
    expect(renderPrometheus(hostileStrings())).not.toContain('\u001b');
  });
});

describe('prometheus value and label formatting', () => {
  it('writes special floats the way the format spells them', () => {
    expect([Number.NaN, Infinity, -Infinity, 0.5, -3, 1e21].map(formatSampleValue)).toEqual(['NaN', '+Inf', '-Inf', '0.5', '-3', '1e+21']);
    const exposition = parseExposition(
      ['# TYPE a gauge', ...['NaN', '+Inf', '-Inf', '0.5', '-3', '1e+21'].map((value, i) => `a{i="${i}"} ${value}`)].join('\n') + '\n',
    );
    expect(exposition.samples.map((sample) => sample.value)).toEqual([Number.NaN, Infinity, -Infinity, 0.5, -3, 1e21]);
  });

  it('escapes backslash, double quote and newline', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});

describe('exposition validator', () => {
  it.each([
    ['a bad metric name', '1metric 1\n'],
    ['a bad label name', 'm{1a="x"} 1\n'],
    ['a reserved label name', 'm{__name__="x"} 1\n'],
    ['an unquoted label value', 'm{a=x} 1\n'],
    ['an unterminated label value', 'm{a="x} 1\n'],
    ['an invalid escape', 'm{a="\\t"} 1\n'],
    ['a repeated label', 'm{a="1",a="2"} 1\n'],
    ['a value that is not a number', 'm 1,5\n'],
    ['a timestamp', 'm 1 1700000000000\n'],
    ['a missing final newline', 'm 1'],
    ['a duplicate series', 'm{a="1",b="2"} 1\nm{b="2",a="1"} 2\n'],
    ['TYPE after the samples', 'm 1\n# TYPE m gauge\n'],
    ['a second HELP', '# HELP m one\n# HELP m two\nm 1\n'],
    ['an unknown type', '# TYPE m thing\nm 1\n'],
    ['a family split in two', 'a 1\nb 1\na{x="1"} 1\n'],
  ])('rejects %s', (_case, text) => {
    expect(() => parseExposition(text)).toThrow(ExpositionError);
  });

  it('accepts comments, blank lines, escaped HELP text and histogram suffixes', () => {
    const exposition = parseExposition(
      '# a comment\n\n# HELP h latency \\\\ with\\nnewline\n# TYPE h histogram\nh_bucket{le="+Inf"} 3\nh_sum 1.5\nh_count 3\n',
    );
    expect(exposition.help.get('h')).toBe('latency \\ with\nnewline');
    expect(exposition.samples).toHaveLength(3);
  });
});
