import { describe, expect, it } from 'vitest';
import { IMP_CHECKS } from '../../src/checks/imp-checks.js';
import { addressQuery, federationTarget, nodata, runCheck } from './observations.js';
import { INTERNAL_RESOLVER, PUBLISHER, impTarget } from './imp-observations.js';

describe('IMP_CHECKS', () => {
  it('lists the IM and Presence checks in report order, dns-views last', () => {
    expect(IMP_CHECKS.map((check) => check.meta.id)).toEqual([
      'imp-fqdn-address',
      'imp-fqdn-no-ptr',
      'imp-tls',
      'imp-publisher-public',
      'dns-views',
    ]);
  });

  it.each(IMP_CHECKS.map((check) => [check.meta.id, check] as const))('%s has complete metadata for local targets', (_, check) => {
    const { meta } = check;
    expect(meta.roles).toEqual(['local']);
    for (const text of [meta.title, meta.rule, meta.impact, meta.source, meta.remediation]) {
      expect(text.length).toBeGreaterThan(20);
    }
    expect(['warn', 'fail']).toContain(meta.severity);
  });

  it('produce nothing for a run without --imp-fqdn or --internal-resolver', () => {
    for (const check of IMP_CHECKS) expect(runCheck(check, federationTarget())).toEqual([]);
  });

  it('all pass or inform on a healthy IM and Presence deployment', () => {
    const target = impTarget({
      publisher: PUBLISHER,
      publisherQueries: [addressQuery(PUBLISHER, 'A', ['198.51.100.20']), nodata(PUBLISHER, 'AAAA')],
    });
    target.dns.push(...federationTarget({ resolver: INTERNAL_RESOLVER }).dns);
    const findings = IMP_CHECKS.flatMap((check) => runCheck(check, target).map((finding) => [finding.check, finding.status]));
    expect(findings).toEqual([
      ['imp-fqdn-address', 'pass'],
      ['imp-fqdn-no-ptr', 'pass'],
      ['imp-tls', 'pass'],
      ['imp-publisher-public', 'pass'],
      ['dns-views', 'info'],
      ['dns-views', 'info'],
    ]);
  });
});
