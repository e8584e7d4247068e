import { describe, expect, it } from 'vitest';
import { DNS_CHECKS } from '../../src/checks/dns-checks.js';
import type { TargetObservations } from '../../src/model/observations.js';
import {
  federationTarget,
  nodata,
  nxdomain,
  servfail,
  runCheck,
  srv,
  srvName,
  srvQuery,
  targetObservations,
  timeout,
} from './observations.js';

const SRV = srvName('ciscoexample.com');

/** A spread of healthy and broken targets, in both roles. */
const SCENARIOS: Record<string, TargetObservations> = {
  healthy: federationTarget(),
  'healthy partner': federationTarget({ role: 'partner' }),
  'no SRV': targetObservations({ dns: [nxdomain(SRV, 'SRV')] }),
  'SRV no data': targetObservations({ dns: [nodata(SRV, 'SRV')] }),
  'SRV SERVFAIL': targetObservations({ dns: [servfail(SRV, 'SRV')] }),
  'never queried': targetObservations({ deadlineExceeded: true }),
  'dot target': federationTarget({ srv: [srv(0, 0, 0, '.')] }),
  'several records': federationTarget({ srv: [srv(10, 10, 5061, 'a.ciscoexample.com'), srv(10, 10, 5062, 'b.ciscoexample.com')] }),
  'out of namespace alias, 7 peers': federationTarget({
    srv: [srv(10, 10, 443, 'edge.example.net')],
    targetCnames: ['lb.example.net'],
    ipv4: ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5', '192.0.2.6', '192.0.2.7'],
  }),
  'partner out of everything': federationTarget({
    role: 'partner',
    srv: [srv(10, 10, 443, 'edge.example.net'), srv(20, 10, 5061, 'b.example.net')],
    targetCnames: ['lb.example.net'],
  }),
  'target lookups failed': targetObservations({
    dns: [srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')]), timeout('sip.ciscoexample.com', 'A'), servfail('sip.ciscoexample.com', 'AAAA')],
  }),
  'target missing': targetObservations({
    dns: [srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')]), nxdomain('sip.ciscoexample.com', 'A'), nxdomain('sip.ciscoexample.com', 'AAAA')],
  }),
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('DNS_CHECKS', () => {
  it('lists the own-domain checks in report order', () => {
    expect(DNS_CHECKS.map((check) => check.meta.id)).toEqual([
      'srv-present',
      'srv-available',
      'srv-single',
      'srv-port',
      'srv-target-namespace',
      'srv-target-alias',
      'srv-target-address',
      'srv-target-peers',
    ]);
  });

  it.each(DNS_CHECKS.map((check) => [check.meta.id, check] as const))('%s has complete metadata', (_, check) => {
    const { meta } = check;
    for (const field of [meta.title, meta.rule, meta.impact, meta.source, meta.remediation]) {
      expect(field.trim().length).toBeGreaterThan(10);
    }
    expect(['warn', 'fail']).toContain(meta.severity);
    expect([...meta.roles].sort()).toEqual(['local', 'partner']);
  });

  it('gives the Microsoft diagnostic codes where Microsoft logs one', () => {
    const codes = Object.fromEntries(DNS_CHECKS.map((check) => [check.meta.id, check.meta.msDiagnostics]));
    expect(codes['srv-present']).toContain('1008');
    expect(codes['srv-target-namespace']).toContain('1009');
  });

  describe.each(Object.entries(SCENARIOS))('on "%s"', (_, target) => {
    deepFreeze(target);
    it.each(DNS_CHECKS.map((check) => [check.meta.id, check] as const))('%s keeps the finding contract', (id, check) => {
      const findings = runCheck(check, target);
      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) {
        expect(finding.check).toBe(id);
        expect(finding.subject).toMatch(/^[a-z0-9_.-]+$/);
        expect(finding.message.length).toBeGreaterThan(20);
        expect(finding.reference).toBeTruthy();
        if (finding.status === 'warn' || finding.status === 'fail') expect(finding.remediation).toBeTruthy();
        expect(JSON.parse(JSON.stringify(finding))).toEqual(finding);
      }
      expect(runCheck(check, target)).toEqual(findings);
    });
  });

  it('skips every check after srv-present when the SRV record is missing', () => {
    const target = SCENARIOS['no SRV']!;
    const statuses = DNS_CHECKS.map((check) => runCheck(check, target)[0]?.status);
    expect(statuses).toEqual(['fail', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip']);
  });

  it('judges a healthy domain as passing throughout', () => {
    const statuses = DNS_CHECKS.map((check) => runCheck(check, SCENARIOS.healthy!)[0]?.status);
    expect(statuses).toEqual(Array(8).fill('pass'));
  });
});
