import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/imp-fqdn-address.js';
import {
  RESOLVER,
  addressQuery,
  federationTarget,
  nodata,
  nxdomain,
  runCheck,
  noResponse,
  servfail,
  singleFinding,
  timeout,
} from '../helpers/builders/index.js';
import { IMP_ADDRESS, IMP_FQDN, IMP_IPV6, INTERNAL_RESOLVER, impTarget } from '../helpers/builders/index.js';

const AT = { resolver: INTERNAL_RESOLVER };
const A_RECORD_FIX = '"imp1-public.ciscoexample.com. 3600 IN A <IM and Presence publisher IP>"';

describe('imp-fqdn-address', () => {
  it('passes when the routing FQDN has an A record on the internal DNS', () => {
    const finding = singleFinding(check, impTarget());
    expect(finding).toMatchObject({ check: 'imp-fqdn-address', code: 'imp-fqdn-address.pass', status: 'pass', subject: IMP_FQDN });
    expect(finding.data).toMatchObject({ ipv4: [IMP_ADDRESS], ipv6: [], resolvers: [INTERNAL_RESOLVER] });
    expect(finding.reference).toContain('More About Configuring Search Rules on Expressway');
  });

  it('passes with IPv6 addresses alongside, and through an alias', () => {
    const target = impTarget({
      impQueries: [
        addressQuery(IMP_FQDN, 'A', [IMP_ADDRESS], { ...AT, cnames: ['cup01.ciscoexample.com'] }),
        addressQuery(IMP_FQDN, 'AAAA', [IMP_IPV6], { ...AT, cnames: ['cup01.ciscoexample.com'] }),
      ],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('imp-fqdn-address.pass');
  });

  it('reads the name case-insensitively, with or without the trailing dot', () => {
    const target = impTarget();
    target.imp!.fqdn = 'IMP1-Public.ciscoexample.com.';
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('imp-fqdn-address.pass');
    expect(finding.subject).toBe(IMP_FQDN);
  });

  it.each([
    ['NXDOMAIN', nxdomain(IMP_FQDN, 'A', AT), 'does not exist (NXDOMAIN) at 10.1.1.53:53'],
    ['no data', nodata(IMP_FQDN, 'A', AT), 'exists but has no A record (NOERROR, no data) at 10.1.1.53:53'],
  ])('fails when the internal DNS has no A record (%s), naming the record to create', (_, a, phrase) => {
    const finding = singleFinding(check, impTarget({ impQueries: [a, nodata(IMP_FQDN, 'AAAA', AT)] }));
    expect(finding.code).toBe('imp-fqdn-address.missing');
    expect(finding.subject).toBe(IMP_FQDN);
    expect(finding.remediation).toBe(
      `On the internal DNS the Expressway-C uses (10.1.1.53:53), create ${A_RECORD_FIX}, with no PTR record for that ` +
        'address pointing back to imp1-public.ciscoexample.com (see imp-fqdn-no-ptr).',
    );
  });

  it('puts the record on the canonical name when the FQDN is an alias that leads nowhere', () => {
    const target = impTarget({
      impQueries: [
        nxdomain(IMP_FQDN, 'A', { ...AT, cnames: ['cup01.ciscoexample.com'] }),
        nxdomain(IMP_FQDN, 'AAAA', { ...AT, cnames: ['cup01.ciscoexample.com'] }),
      ],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('imp-fqdn-address.missing');
    expect(finding.remediation).toContain('"cup01.ciscoexample.com. 3600 IN A <IM and Presence publisher IP>"');
    expect(finding.remediation).toContain('the record belongs on cup01.ciscoexample.com, its canonical name');
  });

  it('judges the internal view only: an A record on the external resolver does not count', () => {
    const target = impTarget({
      impQueries: [
        addressQuery(IMP_FQDN, 'A', ['198.51.100.20'], { resolver: RESOLVER }),
        nxdomain(IMP_FQDN, 'A', AT),
        nxdomain(IMP_FQDN, 'AAAA', AT),
      ],
    });
    expect(singleFinding(check, target).code).toBe('imp-fqdn-address.missing');
  });

  it('warns when the FQDN resolves to IPv6 only', () => {
    const finding = singleFinding(check, impTarget({ impQueries: [nodata(IMP_FQDN, 'A', AT), addressQuery(IMP_FQDN, 'AAAA', [IMP_IPV6], AT)] }));
    expect(finding.code).toBe('imp-fqdn-address.ipv6-only');
    expect(finding.remediation).toContain(A_RECORD_FIX);
  });

  it.each([
    ['SERVFAIL', servfail(IMP_FQDN, 'A', AT), 'the server answered SERVFAIL at 10.1.1.53:53'],
    ['a timeout', timeout(IMP_FQDN, 'A', AT), 'no answer within 2000 ms at 10.1.1.53:53'],
  ])('is an error, not a fail, on %s', (_, a, phrase) => {
    const finding = singleFinding(check, impTarget({ impQueries: [a, nodata(IMP_FQDN, 'AAAA', AT)] }));
    expect(finding.code).toBe('imp-fqdn-address.lookup-failed');
    expect(finding.remediation).toBeUndefined();
  });

  it('advises a longer --timeout when the run deadline stopped the lookup', () => {
    const finding = singleFinding(check, impTarget({ impQueries: [noResponse(IMP_FQDN, 'A', 'aborted', AT), nodata(IMP_FQDN, 'AAAA', AT)] }));
    expect(finding.code).toBe('imp-fqdn-address.lookup-failed');
  });

  it('puts the A record in place of the CNAME when the FQDN is an alias that loops', () => {
    const loop = { ...AT, cnames: ['imp-alias.ciscoexample.com', IMP_FQDN] };
    const finding = singleFinding(check, impTarget({ impQueries: [nodata(IMP_FQDN, 'A', loop), nodata(IMP_FQDN, 'AAAA', loop)] }));
    expect(finding.code).toBe('imp-fqdn-address.missing');
    expect(finding.remediation).toContain(`"${IMP_FQDN}. 3600 IN A <IM and Presence publisher IP>" in place of its CNAME record, which breaks the alias loop`);
  });

  it('is an error when the FQDN was never looked up, saying when the deadline was why', () => {
    const finding = singleFinding(check, impTarget({ impQueries: [], deadlineExceeded: true }));
    expect(finding.code).toBe('imp-fqdn-address.not-queried');
  });

  it('without --internal-resolver, names the resolver used and how to give the internal one', () => {
    const target = impTarget({ impResolvers: [RESOLVER], internalResolvers: null, resolver: RESOLVER });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('imp-fqdn-address.pass');
  });

  it('produces nothing without --imp-fqdn', () => {
    expect(runCheck(check, federationTarget())).toEqual([]);
  });
});
