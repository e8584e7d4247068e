import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/findings.js';
import type { TlsHandshakeOutcome, TlsProbeObservation } from '../../src/model/observations.js';
import { escapeLabelValue, formatSampleValue, MAX_LABEL_VALUE_LENGTH, renderExposition } from '../../src/report/exposition.js';
import { RESULT_METRIC_DEFINITIONS, TLS_FAILURE_REASONS, renderPrometheus, tlsFailureReason } from '../../src/report/prometheus.js';
import { lintMetrics, MISSING_PROMTOOL, PROMTOOL } from '../helpers/prometheus.js';
import { ExpositionError, parseExposition, samplesOf } from './exposition.js';
import {
  RENDERER_SCENARIOS,
  certificate,
  cleanPassTarget,
  daysAfterStart,
  dnsErrors,
  finding,
  hostileStrings,
  issuingCa,
  mixedCertificates,
  noTlsProbes,
  refusedProbe,
  runResult,
  target,
  threeDomains,
  peerProbe,
} from './results.js';

const render = (result: RunResult) => parseExposition(renderPrometheus(result));
const seconds = (iso: string) => Date.parse(iso) / 1000;


describe('prometheus renderer', () => {
  it.each(Object.entries(RENDERER_SCENARIOS))('writes valid exposition with exactly the documented families and labels (%s)', (_name, scenario) => {
    const exposition = render(scenario());
    const definitions = new Map(RESULT_METRIC_DEFINITIONS.map((definition) => [definition.name, definition]));
    for (const sample of exposition.samples) {
      const definition = definitions.get(sample.name);
      expect(definition, sample.name).toBeDefined();
      expect(Object.keys(sample.labels)).toEqual(definition!.labels);
      expect(exposition.types.get(sample.name)).toBe(definition!.type);
      expect(exposition.help.get(sample.name)).toBe(definition!.help);
    }
  });

  it.skipIf(!PROMTOOL).each(Object.entries(RENDERER_SCENARIOS))('passes promtool check metrics without a word (%s)', async (_name, scenario) => {
    const lint = await lintMetrics(renderPrometheus(scenario()));
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.code).toBe(0);
  });
  if (!PROMTOOL) console.warn(MISSING_PROMTOOL);

  it('names metrics in base units: no days, no milliseconds, timestamps as *_timestamp_seconds', () => {
    for (const { name } of RESULT_METRIC_DEFINITIONS) {
      expect(name).toMatch(/^fedcheck_[a-z0-9_]+$/);
      expect(name).not.toMatch(/_(days|ms|milliseconds)(_|$)/);
    }
    expect(RESULT_METRIC_DEFINITIONS.filter(({ name }) => name.includes('timestamp')).every(({ name }) => name.endsWith('_timestamp_seconds'))).toBe(true);
  });

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

  it('gives each target its status and success, and the run its status, duration and start time', () => {
    const exposition = render(threeDomains());
    expect(samplesOf(exposition, 'fedcheck_target_status')).toEqual([
      { name: 'fedcheck_target_status', labels: { domain: 'ciscoexample.com', role: 'local' }, value: 4 },
      { name: 'fedcheck_target_status', labels: { domain: 'cisco-two.example', role: 'local' }, value: 4 },
      { name: 'fedcheck_target_status', labels: { domain: 'msexample.com', role: 'partner' }, value: 1 },
    ]);
    expect(samplesOf(exposition, 'fedcheck_probe_success').map((sample) => [sample.labels.domain, sample.value])).toEqual([
      ['ciscoexample.com', 0],
      ['cisco-two.example', 0],
      ['msexample.com', 1],
    ]);
    expect(samplesOf(exposition, 'fedcheck_run_status')[0]!.value).toBe(4);
    expect(samplesOf(exposition, 'fedcheck_run_duration_seconds')[0]!.value).toBe(1.234);
    expect(samplesOf(exposition, 'fedcheck_run_timestamp_seconds')[0]!.value).toBe(Date.parse('2025-03-01T08:00:00Z') / 1000);
  });

  it('counts an error as a failed probe, and a warning as one only with --strict', () => {
    const warned = (strict: boolean) =>
      runResult([{ ...cleanPassTarget(), findings: [finding('srv-single', 'warn', 'x', 'two records')], status: 'warn' }], { strict });
    expect(samplesOf(render(warned(false)), 'fedcheck_probe_success')[0]!.value).toBe(1);
    expect(samplesOf(render(warned(true)), 'fedcheck_probe_success')[0]!.value).toBe(0);
    expect(samplesOf(render(dnsErrors()), 'fedcheck_probe_success').map((sample) => sample.value)).toEqual([0, 0, 0]);
  });

  it('keeps certificate times and identity for expired, self-signed and untrusted certificates', () => {
    const exposition = render(mixedCertificates());
    const byPeer = (name: string) => samplesOf(exposition, name).map((sample) => [sample.labels.peer, sample.value]);
    expect(byPeer('fedcheck_certificate_not_after_timestamp_seconds')).toEqual([
      ['192.0.2.10:5061', seconds(daysAfterStart(87))],
      ['192.0.2.11:5061', seconds(daysAfterStart(10))],
      ['192.0.2.12:5061', seconds(daysAfterStart(-3))],
    ]);
    expect(byPeer('fedcheck_certificate_not_before_timestamp_seconds')).toEqual([
      ['192.0.2.10:5061', seconds(daysAfterStart(87 - 365))],
      ['192.0.2.11:5061', seconds(daysAfterStart(10 - 30))],
      ['192.0.2.12:5061', seconds(daysAfterStart(-3 - 365))],
    ]);
    const identity = samplesOf(exposition, 'fedcheck_certificate_info');
    expect(identity.map((sample) => sample.labels.issuer_cn)).toEqual(['Example Issuing CA G2', 'sip.ciscoexample.com', 'Corp Internal CA']);
    const leaf = mixedCertificates().targets[0]!.observations.tls[0]!.chain[0]!;
    expect(identity[0]).toEqual({
      name: 'fedcheck_certificate_info',
      labels: {
        domain: 'ciscoexample.com',
        role: 'local',
        peer: '192.0.2.10:5061',
        subject_cn: 'sip.ciscoexample.com',
        issuer_cn: 'Example Issuing CA G2',
        serial_number: leaf.serialNumber,
        fingerprint_sha256: leaf.fingerprintSha256,
      },
      value: 1,
    });
  });

  it('gives the earliest notAfter of the chain as sent, an intermediate when it expires first', () => {
    const host = 'sip.ciscoexample.com';
    const result = runResult([
      {
        ...cleanPassTarget(),
        observations: {
          ...cleanPassTarget().observations,
          tls: [
            peerProbe(host, '192.0.2.10', { chain: [certificate(host, { daysLeft: 300 }), issuingCa(20)] }),
            peerProbe(host, '192.0.2.11', { chain: [certificate(host, { daysLeft: 40 }), issuingCa(2000)] }),
          ],
        },
      },
    ]);
    const earliest = samplesOf(render(result), 'fedcheck_chain_earliest_not_after_timestamp_seconds');
    expect(earliest.map((sample) => [sample.labels.peer, sample.value])).toEqual([
      ['192.0.2.10:5061', seconds(daysAfterStart(20))],
      ['192.0.2.11:5061', seconds(daysAfterStart(40))],
    ]);
  });

  it('reports each TLS probe as a success or a failure with its reason class, never its error text', () => {
    const exposition = render(mixedCertificates());
    expect(samplesOf(exposition, 'fedcheck_tls_probe_success').map((sample) => [sample.labels.peer, sample.value])).toEqual([
      ['192.0.2.10:5061', 1],
      ['192.0.2.11:5061', 1],
      ['192.0.2.12:5061', 1],
      ['192.0.2.13:5061', 0],
      ['[2001:db8::10]:5061', 0],
    ]);
    expect(samplesOf(exposition, 'fedcheck_tls_probe_failure_reason').map((sample) => [sample.labels.peer, sample.labels.reason, sample.value])).toEqual([
      ['192.0.2.13:5061', 'connect-refused', 1],
      ['[2001:db8::10]:5061', 'handshake-plaintext', 1],
    ]);
  });

  it.each<[string, Partial<TlsProbeObservation>, string | undefined]>([
    ['a demanded client certificate', { handshake: { outcome: 'client-certificate-required', durationMs: 5 } }, undefined],
    ['a stalled handshake', { handshake: { outcome: 'timeout', durationMs: 4000, error: 'no ServerHello within 4000 ms' } }, 'handshake-timeout'],
    ['the run deadline during connect', { connect: { outcome: 'aborted', durationMs: 1 }, handshake: undefined }, 'deadline'],
    ['the run deadline during the handshake', { handshake: { outcome: 'aborted', durationMs: 9 } }, 'deadline'],
    ['an unreachable address', { connect: { outcome: 'unreachable', durationMs: 1 }, handshake: undefined }, 'connect-unreachable'],
    ['an outcome from a newer fedcheck', { handshake: { outcome: 'quantum-entangled' as TlsHandshakeOutcome, durationMs: 9 } }, 'other'],
    ['a connected probe without a handshake record', { handshake: undefined }, 'other'],
  ])('classifies %s', (_case, change, reason) => {
    const probe = { ...peerProbe('sip.ciscoexample.com', '192.0.2.10'), ...change };
    expect(tlsFailureReason(probe)).toBe(reason);
    if (reason !== undefined) expect(TLS_FAILURE_REASONS).toContain(reason);
  });

  it('keeps the reason vocabulary small and closed', () => {
    expect(TLS_FAILURE_REASONS).toEqual([
      'connect-refused',
      'connect-timeout',
      'connect-unreachable',
      'connect-error',
      'deadline',
      'handshake-plaintext',
      'handshake-reset',
      'handshake-closed',
      'handshake-timeout',
      'handshake-alert',
      'handshake-protocol-mismatch',
      'handshake-error',
      'other',
    ]);
  });

  it('gives TLS version and cipher as info metrics, and connect and handshake durations in seconds', () => {
    const exposition = render(mixedCertificates());
    expect(samplesOf(exposition, 'fedcheck_tls_version_info').map((sample) => [sample.labels.peer, sample.labels.version, sample.value])).toEqual([
      ['192.0.2.10:5061', 'TLSv1.3', 1],
      ['192.0.2.11:5061', 'TLSv1.3', 1],
      ['192.0.2.12:5061', 'TLSv1.2', 1],
    ]);
    expect(samplesOf(exposition, 'fedcheck_tls_cipher_info')[0]!.labels.cipher).toBe('TLS_AES_256_GCM_SHA384');
    expect(samplesOf(exposition, 'fedcheck_tls_handshake_duration_seconds').map((sample) => [sample.labels.peer, sample.value])).toEqual([
      ['192.0.2.10:5061', 0.023],
      ['192.0.2.11:5061', 0.0126],
      ['192.0.2.12:5061', 0.057],
    ]);
    // The refused peer never connected; the plaintext one did.
    expect(samplesOf(exposition, 'fedcheck_tcp_connect_duration_seconds').map((sample) => sample.labels.peer)).toEqual([
      '192.0.2.10:5061',
      '192.0.2.11:5061',
      '192.0.2.12:5061',
      '[2001:db8::10]:5061',
    ]);
  });

  it('omits families with no samples', () => {
    const output = renderPrometheus(noTlsProbes());
    expect(output).not.toContain('fedcheck_certificate_not_after_timestamp_seconds');
    expect(output).not.toContain('fedcheck_tls_probe_success');
    expect(output).toContain('fedcheck_probe_success{domain="ciscoexample.com",role="local"} 0');
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
    expect(samplesOf(exposition, 'fedcheck_certificate_not_after_timestamp_seconds').map((sample) => sample.labels.role)).toEqual(['local', 'partner']);
  });

  it('writes a target repeated under the same domain and role once, as a hand-edited report may have it', () => {
    const exposition = render(runResult([cleanPassTarget(), { ...cleanPassTarget(), status: 'fail' }]));
    expect(samplesOf(exposition, 'fedcheck_target_status').map((sample) => sample.value)).toEqual([0]);
    expect(samplesOf(exposition, 'fedcheck_tls_probe_success')).toHaveLength(1);
  });

  it('writes a peer probed twice under one label set once', () => {
    const host = 'sip.cisco-two.example';
    const result = runResult([target('cisco-two.example', 'local', { dns: [], tls: [refusedProbe(host, '203.0.113.7'), refusedProbe(host, '203.0.113.7')], findings: [] })]);
    expect(samplesOf(render(result), 'fedcheck_tls_probe_success')).toHaveLength(1);
  });

  it('escapes label values so they read back unchanged, control characters made visible', () => {
    const exposition = render(hostileStrings());
    const subjects = samplesOf(exposition, 'fedcheck_check_status').map((sample) => sample.labels.subject);
    expect(subjects).toContain('sub"ject\\with\nnewline');
    expect(subjects).toContain("192.0.2.10:5061 'quoted'=x");
    expect(samplesOf(exposition, 'fedcheck_certificate_info')[0]!.labels.subject_cn).toBe('evil"\\cn\n<x>');
    expect(renderPrometheus(hostileStrings())).not.toContain('\u001b');
  });

  it('bounds a label value a hostile certificate makes huge', () => {
    const host = 'sip.ciscoexample.com';
    const huge = 'A'.repeat(100_000);
    const result = runResult([
      {
        ...cleanPassTarget(),
        observations: { ...cleanPassTarget().observations, tls: [peerProbe(host, '192.0.2.10', { chain: [certificate(huge, { daysLeft: 50 })] })] },
      },
    ]);
    const label = samplesOf(render(result), 'fedcheck_certificate_info')[0]!.labels.subject_cn!;
    expect(label).toHaveLength(MAX_LABEL_VALUE_LENGTH);
    expect(label.endsWith('…')).toBe(true);
  });
});

describe('exposition writer', () => {
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

  it('writes histograms as _bucket with le, _sum and _count, and counters under their _total name', () => {
    const text = renderExposition([
      {
        definition: { name: 'x_seconds', type: 'histogram', labels: ['module'], help: 'h' },
        samples: [
          { labels: { module: 'm' }, value: 1, series: { kind: 'bucket', le: 0.5 } },
          { labels: { module: 'm' }, value: 2, series: { kind: 'bucket', le: Infinity } },
          { labels: { module: 'm' }, value: 1.25, series: { kind: 'sum' } },
          { labels: { module: 'm' }, value: 2, series: { kind: 'count' } },
        ],
      },
      { definition: { name: 'x_total', type: 'counter', labels: [], help: 'c' }, samples: [{ labels: {}, value: 3 }] },
      { definition: { name: 'empty', type: 'gauge', labels: [], help: 'e' }, samples: [] },
    ]);
    expect(text).toBe(
      [
        '# HELP x_seconds h',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{module="m",le="0.5"} 1',
        'x_seconds_bucket{module="m",le="+Inf"} 2',
        'x_seconds_sum{module="m"} 1.25',
        'x_seconds_count{module="m"} 2',
        '# HELP x_total c',
        '# TYPE x_total counter',
        'x_total 3',
        '',
      ].join('\n'),
    );
    expect(parseExposition(text).samples).toHaveLength(5);
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
