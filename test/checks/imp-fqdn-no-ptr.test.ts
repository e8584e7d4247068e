import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/imp-fqdn-no-ptr.js';
import {
  RESOLVER,
  addressQuery,
  cnameRecord,
  dnsQuery,
  federationTarget,
  nodata,
  nxdomain,
  runCheck,
  noResponse,
  servfail,
  singleFinding,
  timeout,
} from '../helpers/builders/index.js';
import {
  IMP_ADDRESS,
  IMP_FQDN,
  IMP_IPV6,
  IMP_NODE,
  INTERNAL_RESOLVER,
  impDns,
  impTarget,
  noPtr,
  ptrQuery,
  ptrRecord,
} from '../helpers/builders/index.js';

const REVERSE = '20.1.1.10.in-addr.arpa';
const REVERSE_V6 = '0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
const AT = { resolver: INTERNAL_RESOLVER };

describe('imp-fqdn-no-ptr', () => {
  it.each([
    ['NXDOMAIN', 'nxdomain' as const, 'does not exist (NXDOMAIN) at 10.1.1.53:53'],
    ['no data', 'nodata' as const, 'exists but has no PTR record (NOERROR, no data) at 10.1.1.53:53'],
  ])('passes when the address has no PTR record (%s)', (_, kind, phrase) => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: noPtr(IMP_ADDRESS, kind) } }));
    expect(finding).toMatchObject({ check: 'imp-fqdn-no-ptr', code: 'imp-fqdn-no-ptr.pass', status: 'pass', subject: REVERSE });
    expect(finding.data).toMatchObject({ address: IMP_ADDRESS, reverseName: REVERSE, resolver: INTERNAL_RESOLVER, ptr: [] });
  });

  it("is info when the PTR names another host (the node's own hostname)", () => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: [IMP_NODE] } }));
    expect(finding.code).toBe('imp-fqdn-no-ptr.other-name');
    expect(finding.remediation).toBeUndefined();
  });

  it('fails when the PTR points back to the routing FQDN, explaining the consequence and the exact record to delete', () => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: [IMP_FQDN] } }));
    expect(finding.code).toBe('imp-fqdn-no-ptr.points-back');
    expect(finding.subject).toBe(REVERSE);
    expect(finding.remediation).toBe(
      `Delete "${REVERSE}. 3600 IN PTR imp1-public.ciscoexample.com." from the reverse zone on the internal DNS ` +
        "(10.1.1.53:53). If 10.1.1.20 needs a reverse record, point it at the IM and Presence node's own hostname instead.",
    );
  });

  it('fails on a PTR back among several, keeping the one that names the node', () => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: [IMP_NODE, IMP_FQDN] } }));
    expect(finding.code).toBe('imp-fqdn-no-ptr.points-back');
    expect(finding.remediation).toContain(`Delete "${REVERSE}. 3600 IN PTR imp1-public.ciscoexample.com."`);
    expect(finding.remediation).toContain(`Keep "${REVERSE}. 3600 IN PTR imp1.ciscoexample.com." (the node's own name).`);
  });

  it('names the record at its real owner when the reverse zone is delegated through a CNAME (RFC 2317)', () => {
    const delegated = '20.0-25.1.1.10.in-addr.arpa';
    const query = dnsQuery(REVERSE, 'PTR', 'NOERROR', [cnameRecord(REVERSE, delegated), { ...ptrRecord(IMP_ADDRESS, IMP_FQDN), name: delegated }], AT);
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: query } }));
    expect(finding.code).toBe('imp-fqdn-no-ptr.points-back');
    expect(finding.remediation).toContain(`Delete "${delegated}. 3600 IN PTR imp1-public.ciscoexample.com."`);
  });

  it('judges IPv6 addresses through their ip6.arpa name, one finding per address', () => {
    const target = impTarget({ ipv6: [IMP_IPV6], ptr: { [IMP_ADDRESS]: [IMP_NODE], [IMP_IPV6]: [IMP_FQDN] } });
    const findings = runCheck(check, target);
    expect(findings.map((finding) => [finding.subject, finding.code])).toEqual([
      [REVERSE, 'imp-fqdn-no-ptr.other-name'],
      [REVERSE_V6, 'imp-fqdn-no-ptr.points-back'],
    ]);
    expect(findings[1]!.remediation).toContain(`Delete "${REVERSE_V6}. 3600 IN PTR imp1-public.ciscoexample.com."`);
  });

  it('reads the PTR answer of the internal DNS only, never another resolver', () => {
    // The other resolver's answer comes first, so reading any resolver but the internal one would pick it.
    const queries = [
      ptrQuery(IMP_ADDRESS, [IMP_FQDN], { resolver: RESOLVER }),
      ...impDns({ ptr: { [IMP_ADDRESS]: noPtr(IMP_ADDRESS) } }),
    ];
    expect(singleFinding(check, impTarget({ impQueries: queries })).code).toBe('imp-fqdn-no-ptr.pass');
  });

  it.each([
    ['SERVFAIL', servfail(REVERSE, 'PTR', AT), 'the server answered SERVFAIL at 10.1.1.53:53'],
    ['a timeout', timeout(REVERSE, 'PTR', AT), 'no answer within 2000 ms'],
  ])('is an error on %s', (_, ptr, phrase) => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: ptr } }));
    expect(finding.code).toBe('imp-fqdn-no-ptr.lookup-failed');
  });

  it('advises a longer --timeout when the run deadline stopped the PTR lookup', () => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: noResponse(REVERSE, 'PTR', 'aborted', AT) } }));
    expect(finding.code).toBe('imp-fqdn-no-ptr.lookup-failed');
  });

  it('is an error when the PTR was never asked', () => {
    const target = impTarget({ impQueries: [addressQuery(IMP_FQDN, 'A', [IMP_ADDRESS], AT), nodata(IMP_FQDN, 'AAAA', AT)] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('imp-fqdn-no-ptr.not-queried');
  });

  it('skips when the routing FQDN has no address', () => {
    const finding = singleFinding(check, impTarget({ impQueries: [nxdomain(IMP_FQDN, 'A', AT), nxdomain(IMP_FQDN, 'AAAA', AT)] }));
    expect(finding.code).toBe('imp-fqdn-no-ptr.no-address');
    expect(finding.subject).toBe(IMP_FQDN);
  });

  it('produces nothing without --imp-fqdn', () => {
    expect(runCheck(check, federationTarget())).toEqual([]);
  });
});
