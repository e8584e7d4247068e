// --baseline: what changed between two results, compared on observations and findings built by
// hand, one aspect at a time, and never where either run could not tell.
import { describe, expect, it } from 'vitest';
import type { Change, Finding, RunResult, TargetResult } from '../../src/model/findings.js';
import type { DnsQueryObservation, TlsProbeObservation } from '../../src/model/observations.js';
import { compareRuns, withChanges } from '../../src/pipeline/drift.js';
import { federationDns, servfail, srv, srvName, timeout } from '../helpers/builders/dns.js';
import { certificate, failedQuery, finding, issuingCa, peerProbe, refusedProbe, runResult, target } from '../report/results.js';

const DOMAIN = 'ciscoexample.com';
const SRV = srvName(DOMAIN);
const HOST = `sip.${DOMAIN}`;

interface Run {
  dns?: DnsQueryObservation[];
  tls?: TlsProbeObservation[];
  findings?: Finding[];
  role?: 'local' | 'partner';
  domain?: string;
}

function targetOf(run: Run = {}): TargetResult {
  const domain = run.domain ?? DOMAIN;
  return target(domain, run.role ?? 'local', {
    dns: run.dns ?? federationDns({ domain, ipv4: ['192.0.2.10', '192.0.2.11'] }),
    tls: run.tls ?? [peerProbe(`sip.${domain}`, '192.0.2.10'), peerProbe(`sip.${domain}`, '192.0.2.11')],
    findings: run.findings ?? [],
  });
}

function changes(before: Run, after: Run): Change[] {
  return compareRuns(runResult([targetOf(before)]), runResult([targetOf(after)]));
}

describe('compareRuns', () => {
  it('finds nothing between two identical runs', () => {
    const run = runResult([targetOf({ findings: [finding('srv-single', 'warn', SRV, 'Two records.')] })]);
    expect(compareRuns(run, run)).toEqual([]);
  });

  it('reports a changed SRV record set, and the selected target when it moved', () => {
    const moved = federationDns({ srv: [srv(5, 10, 5061, `edge.${DOMAIN}`), srv(10, 10, 5061, HOST)], ipv4: ['192.0.2.10', '192.0.2.11'] });
    expect(changes({}, { dns: moved })).toEqual([
      { domain: DOMAIN, kind: 'srv-records', subject: SRV, before: [`10 10 5061 ${HOST}`], after: [`5 10 5061 edge.${DOMAIN}`, `10 10 5061 ${HOST}`] },
      { domain: DOMAIN, kind: 'srv-target', subject: SRV, before: `${HOST}:5061`, after: `edge.${DOMAIN}:5061` },
    ]);
    const added = federationDns({ srv: [srv(10, 10, 5061, HOST), srv(20, 10, 5061, `backup.${DOMAIN}`)], ipv4: ['192.0.2.10', '192.0.2.11'] });
    expect(changes({}, { dns: added }).map((change) => change.kind)).toEqual(['srv-records']);
  });

  it('reports the SRV record set going away, and coming back', () => {
    const gone = [failedQuery(SRV, 'SRV', 'nxdomain')];
    expect(changes({}, { dns: gone, tls: [] })).toEqual([
      { domain: DOMAIN, kind: 'srv-records', subject: SRV, before: [`10 10 5061 ${HOST}`], after: [] },
      { domain: DOMAIN, kind: 'srv-target', subject: SRV, before: `${HOST}:5061`, after: null },
    ]);
    expect(changes({ dns: gone, tls: [] }, {}).map((change) => [change.kind, change.before])).toEqual([
      ['srv-records', []],
      ['srv-target', null],
    ]);
  });

  it('reports changed peer addresses of the selected target', () => {
    expect(changes({}, { dns: federationDns({ ipv4: ['192.0.2.10'], ipv6: ['2001:db8::10'] }) })).toEqual([
      { domain: DOMAIN, kind: 'peer-addresses', subject: HOST, before: ['192.0.2.10', '192.0.2.11'], after: ['192.0.2.10', '2001:db8::10'] },
    ]);
  });

  it('compares nothing a run could not determine: a SERVFAIL or timed-out lookup is not a change', () => {
    expect(changes({}, { dns: [servfail(SRV, 'SRV')], tls: [] })).toEqual([]);
    expect(changes({ dns: [timeout(SRV, 'SRV')], tls: [] }, {})).toEqual([]);
    const addressesTimedOut = [...federationDns({ ipv4: [] }).slice(0, 1), timeout(HOST, 'A'), timeout(HOST, 'AAAA')];
    expect(changes({}, { dns: addressesTimedOut })).toEqual([]);
  });

  it("reports a peer's replaced certificate with fingerprint and notAfter, and a changed TLS version", () => {
    const renewed = certificate(HOST, { daysLeft: 400 }, { fingerprintSha256: 'AA:BB' });
    const before = targetOf();
    const after = targetOf({ tls: [peerProbe(HOST, '192.0.2.10'), peerProbe(HOST, '192.0.2.11', { chain: [renewed, issuingCa(2000)], protocol: 'TLSv1.2' })] });
    const old = before.observations.tls[1]!.chain[0]!;
    expect(compareRuns(runResult([before]), runResult([after]))).toEqual([
      {
        domain: DOMAIN,
        kind: 'certificate',
        subject: '192.0.2.11:5061',
        before: { fingerprintSha256: old.fingerprintSha256, notAfter: old.notAfter, subject: old.subject },
        after: { fingerprintSha256: 'AA:BB', notAfter: renewed.notAfter, subject: renewed.subject },
      },
      { domain: DOMAIN, kind: 'tls-version', subject: '192.0.2.11:5061', before: 'TLSv1.3', after: 'TLSv1.2' },
    ]);
  });

  it('does not compare the certificate of a peer that sent none in one of the runs', () => {
    expect(changes({}, { tls: [peerProbe(HOST, '192.0.2.10'), refusedProbe(HOST, '192.0.2.11')] })).toEqual([]);
  });

  it('reports findings that appeared or went away, by code and subject, leaving passes and skips out', () => {
    const expiring = finding('cert-validity', 'warn', '192.0.2.10:5061', 'Expires in 20 days.', { code: 'cert-validity.expiring' });
    const legacy = finding('tls-version', 'warn', '192.0.2.11:5061', 'Accepts TLSv1.', { code: 'tls-version.legacy-accepted' });
    const pass = finding('cert-validity', 'pass', '192.0.2.11:5061', 'Valid.');
    const skip = finding('cert-name', 'skip', HOST, 'Not checked.');
    expect(changes({ findings: [legacy, skip] }, { findings: [expiring, pass] })).toEqual([
      { domain: DOMAIN, kind: 'finding', subject: '192.0.2.10:5061', before: null, after: { code: 'cert-validity.expiring', status: 'warn' } },
      { domain: DOMAIN, kind: 'finding', subject: '192.0.2.11:5061', before: { code: 'tls-version.legacy-accepted', status: 'warn' }, after: null },
    ]);
    const elsewhere = { ...expiring, subject: '192.0.2.11:5061' };
    expect(changes({ findings: [expiring] }, { findings: [elsewhere] }).map((change) => [change.subject, change.before === null ? 'new' : 'gone'])).toEqual([
      ['192.0.2.11:5061', 'new'],
      ['192.0.2.10:5061', 'gone'],
    ]);
  });

  it('identifies findings by check id when a report predates finding codes', () => {
    const uncoded = { ...finding('cert-validity', 'warn', '192.0.2.10:5061', 'Expires soon.'), code: undefined } as unknown as Finding;
    const coded = finding('cert-validity', 'warn', '192.0.2.10:5061', 'Expires soon.', { code: 'cert-validity.expiring' });
    expect(changes({ findings: [uncoded] }, { findings: [coded] })).toEqual([]);
    expect(changes({ findings: [uncoded] }, { findings: [] })).toEqual([
      { domain: DOMAIN, kind: 'finding', subject: '192.0.2.10:5061', before: { code: 'cert-validity', status: 'warn' }, after: null },
    ]);
  });

  it('matches targets by domain and role, in the order of the current run, and skips targets only one run has', () => {
    const partner = (findings: Finding[]) => targetOf({ domain: 'msexample.com', role: 'partner', findings });
    const problem = finding('cert-eku', 'info', '192.0.2.10:5061', 'No clientAuth.');
    const baseline = runResult([targetOf(), partner([]), targetOf({ domain: 'gone.example' })]);
    const current = runResult([partner([problem]), targetOf({ domain: 'new.example' }), targetOf({ findings: [problem] })]);
    expect(compareRuns(baseline, current).map((change) => change.domain)).toEqual(['msexample.com', DOMAIN]);
    const asLocal = runResult([targetOf({ domain: 'msexample.com', findings: [problem] })]);
    expect(compareRuns(baseline, asLocal)).toEqual([]);
  });

  it('records the baseline it compared against', () => {
    const baseline: RunResult = { ...runResult([targetOf()]), startedAt: '2025-01-01T00:00:00.000Z' };
    const current = runResult([targetOf({ findings: [finding('srv-port', 'warn', SRV, 'Port 5062.')] })]);
    const result = withChanges(current, baseline);
    expect(result.baseline).toEqual({ startedAt: '2025-01-01T00:00:00.000Z' });
    expect(result.changes).toHaveLength(1);
    expect(result.targets).toBe(current.targets);
  });
});
