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
} from './observations.js';
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
} from './imp-observations.js';

const REVERSE = '20.1.1.10.in-addr.arpa';
const REVERSE_V6 = '0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
const AT = { resolver: INTERNAL_RESOLVER };

describe('imp-fqdn-no-ptr', () => {
  it.each([
    ['NXDOMAIN', 'nxdomain' as const, 'does not exist (NXDOMAIN) at 10.1.1.53:53'],
    ['no data', 'nodata' as const, 'exists but has no PTR record (NOERROR, no data) at 10.1.1.53:53'],
  ])('passes when the address has no PTR record (%s)', (_, kind, phrase) => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: noPtr(IMP_ADDRESS, kind) } }));
    expect(finding).toMatchObject({ check: 'imp-fqdn-no-ptr', status: 'pass', subject: REVERSE });
    expect(finding.message).toContain(`10.1.1.20, the address of ${IMP_FQDN}, has no PTR record: ${REVERSE} ${phrase}`);
    expect(finding.data).toMatchObject({ address: IMP_ADDRESS, reverseName: REVERSE, resolver: INTERNAL_RESOLVER, ptr: [] });
  });

  it("is info when the PTR names another host (the node's own hostname)", () => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: [IMP_NODE] } }));
    expect(finding.status).toBe('info');
    expect(finding.message).toContain(`has a PTR record naming ${IMP_NODE} (at 10.1.1.53:53), not the routing FQDN: that is normal`);
    expect(finding.remediation).toBeUndefined();
  });

  it('fails when the PTR points back to the routing FQDN, explaining the consequence and the exact record to delete', () => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: [IMP_FQDN] } }));
    expect(finding.status).toBe('fail');
    expect(finding.subject).toBe(REVERSE);
    expect(finding.message).toContain(`"${REVERSE}. 3600 IN PTR imp1-public.ciscoexample.com." (at 10.1.1.53:53)`);
    expect(finding.message).toContain('must not have a pointer record (PTR) associated with it');
    expect(finding.message).toContain("Reverse lookups of the publisher's address return the routing FQDN");
    expect(finding.message).toContain('identify the node by the wrong name and federation routing breaks');
    expect(finding.remediation).toBe(
      `Delete "${REVERSE}. 3600 IN PTR imp1-public.ciscoexample.com." from the reverse zone on the internal DNS ` +
        "(10.1.1.53:53). If 10.1.1.20 needs a reverse record, point it at the IM and Presence node's own hostname instead.",
    );
  });

  it('fails on a PTR back among several, keeping the one that names the node', () => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: [IMP_NODE, IMP_FQDN] } }));
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain(`Delete "${REVERSE}. 3600 IN PTR imp1-public.ciscoexample.com."`);
    expect(finding.remediation).toContain(`Keep "${REVERSE}. 3600 IN PTR imp1.ciscoexample.com." (the node's own name).`);
  });

  it('names the record at its real owner when the reverse zone is delegated through a CNAME (RFC 2317)', () => {
    const delegated = '20.0-25.1.1.10.in-addr.arpa';
    const query = dnsQuery(REVERSE, 'PTR', 'NOERROR', [cnameRecord(REVERSE, delegated), { ...ptrRecord(IMP_ADDRESS, IMP_FQDN), name: delegated }], AT);
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: query } }));
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain(`Delete "${delegated}. 3600 IN PTR imp1-public.ciscoexample.com."`);
  });

  it('judges IPv6 addresses through their ip6.arpa name, one finding per address', () => {
    const target = impTarget({ ipv6: [IMP_IPV6], ptr: { [IMP_ADDRESS]: [IMP_NODE], [IMP_IPV6]: [IMP_FQDN] } });
    const findings = runCheck(check, target);
    expect(findings.map((finding) => [finding.subject, finding.status])).toEqual([
      [REVERSE, 'info'],
      [REVERSE_V6, 'fail'],
    ]);
    expect(findings[1]!.message).toContain('2001:db8:10::20, the address of imp1-public.ciscoexample.com');
    expect(findings[1]!.remediation).toContain(`Delete "${REVERSE_V6}. 3600 IN PTR imp1-public.ciscoexample.com."`);
  });

  it('reads the PTR answer of the internal DNS only, never another resolver', () => {
    // The other resolver's answer comes first, so reading any resolver but the internal one would pick it.
    const queries = [
      ptrQuery(IMP_ADDRESS, [IMP_FQDN], { resolver: RESOLVER }),
      ...impDns({ ptr: { [IMP_ADDRESS]: noPtr(IMP_ADDRESS) } }),
    ];
    expect(singleFinding(check, impTarget({ impQueries: queries })).status).toBe('pass');
  });

  it.each([
    ['SERVFAIL', servfail(REVERSE, 'PTR', AT), 'the server answered SERVFAIL at 10.1.1.53:53'],
    ['a timeout', timeout(REVERSE, 'PTR', AT), 'no answer within 2000 ms'],
  ])('is an error on %s', (_, ptr, phrase) => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: ptr } }));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('Could not determine whether 10.1.1.20 (an address of imp1-public.ciscoexample.com) has a PTR record');
    expect(finding.message).toContain(phrase);
  });

  it('advises a longer --timeout when the run deadline stopped the PTR lookup', () => {
    const finding = singleFinding(check, impTarget({ ptr: { [IMP_ADDRESS]: noResponse(REVERSE, 'PTR', 'aborted', AT) } }));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain(`${REVERSE} was not queried: the run's --timeout expired first. Run again with a longer --timeout (or a lower --concurrency when checking many domains in one run).`);
  });

  it('is an error when the PTR was never asked', () => {
    const target = impTarget({ impQueries: [addressQuery(IMP_FQDN, 'A', [IMP_ADDRESS], AT), nodata(IMP_FQDN, 'AAAA', AT)] });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('error');
    expect(finding.message).toContain(`${REVERSE} was never looked up`);
  });

  it('skips when the routing FQDN has no address', () => {
    const finding = singleFinding(check, impTarget({ impQueries: [nxdomain(IMP_FQDN, 'A', AT), nxdomain(IMP_FQDN, 'AAAA', AT)] }));
    expect(finding.status).toBe('skip');
    expect(finding.subject).toBe(IMP_FQDN);
    expect(finding.message).toContain('no pointer record to look for (see imp-fqdn-address)');
  });

  it('produces nothing without --imp-fqdn', () => {
    expect(runCheck(check, federationTarget())).toEqual([]);
  });
});
