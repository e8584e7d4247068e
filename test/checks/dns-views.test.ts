import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/dns-views.js';
import {
  RESOLVER,
  addressQuery,
  federationTarget,
  noResponse,
  nodata,
  nxdomain,
  runCheck,
  servfail,
  srv,
  srvName,
  targetObservations,
  timeout,
} from '../helpers/builders/index.js';
import { INTERNAL_RESOLVER, splitTarget } from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');
const HOST = 'sip.ciscoexample.com';
const SRV_LINE = '"_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."';
const INTERNAL_AT = { resolver: INTERNAL_RESOLVER };

function codes(findings: ReturnType<typeof runCheck>) {
  return findings.map((finding) => [finding.subject, finding.code]);
}

describe('dns-views', () => {
  it('is info when the views agree, naming both answers', () => {
    const findings = runCheck(check, splitTarget({}, {}));
    expect(codes(findings)).toEqual([
      [SRV, 'dns-views.srv-same'],
      [HOST, 'dns-views.target-same'],
    ]);
    expect(findings.every((finding) => finding.check === 'dns-views' && finding.remediation === undefined)).toBe(true);
  });

  it('is info when the target resolves to an internal address inside (the usual split DNS)', () => {
    const finding = runCheck(check, splitTarget({ ipv4: ['203.0.113.10'] }, { ipv4: ['10.0.0.10'] }))[1]!;
    expect(finding.code).toBe('dns-views.target-different');
    expect(finding.data).toMatchObject({ external: ['203.0.113.10'], internal: ['10.0.0.10'] });
  });

  it('warns when the external view lacks the SRV record the internal view has', () => {
    const findings = runCheck(check, splitTarget({ srv: [] }, {}));
    expect(codes(findings)).toEqual([[SRV, 'dns-views.srv-internal-only']]);
    const finding = findings[0]!;
    expect(finding.remediation).toContain(`Publish the SRV record in the public ciscoexample.com zone too, pointing at the Expressway-E's public name: ${SRV_LINE}`);
  });

  it('moves an internal-only target into the domain when suggesting the public record', () => {
    const target = splitTarget({}, { srv: [srv(10, 10, 5061, 'expc.corp.local')], ipv4: ['10.0.0.5'] });
    target.dns[0] = nxdomain(SRV, 'SRV', { resolver: RESOLVER });
    const finding = runCheck(check, target)[0]!;
    expect(finding.code).toBe('dns-views.srv-internal-only');
    expect(finding.remediation).toContain('"_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 expc.ciscoexample.com."');
  });

  it('is info when the views select different targets, naming both', () => {
    const target = splitTarget({}, { srv: [srv(10, 10, 5061, 'expe-int.ciscoexample.com')], ipv4: ['10.0.0.5'] }, [
      addressQuery(HOST, 'A', ['10.0.0.10'], INTERNAL_AT),
      nodata(HOST, 'AAAA', INTERNAL_AT),
    ]);
    const findings = runCheck(check, target);
    expect(codes(findings)).toEqual([
      [SRV, 'dns-views.srv-different-selection'],
      [HOST, 'dns-views.target-different'],
    ]);
  });

  it('points at srv-target-namespace when the external target is outside the domain', () => {
    const target = splitTarget({ srv: [srv(10, 10, 5061, 'edge.example.net')] }, {}, [
      addressQuery('edge.example.net', 'A', ['192.0.2.10'], INTERNAL_AT),
      nodata('edge.example.net', 'AAAA', INTERNAL_AT),
    ]);
    const finding = runCheck(check, target)[0]!;
    expect(finding.code).toBe('dns-views.srv-different-selection');
  });

  it('is info when the same record is selected from differing record sets', () => {
    const finding = runCheck(check, splitTarget({}, { srv: [srv(10, 10, 5061, HOST), srv(20, 10, 5061, 'backup.ciscoexample.com')] }))[0]!;
    expect(finding.code).toBe('dns-views.srv-same-selection');
  });

  it.each([
    ['10.0.0.10', '10.0.0.0/8, private (RFC 1918)'],
    ['172.20.1.1', '172.16.0.0/12, private (RFC 1918)'],
    ['192.168.1.10', '192.168.0.0/16, private (RFC 1918)'],
    ['100.64.0.10', '100.64.0.0/10, carrier-grade NAT shared space (RFC 6598)'],
  ])('warns when the external target resolves to a private address (%s)', (address, range) => {
    const finding = runCheck(check, splitTarget({ ipv4: [address] }, { ipv4: [address] }))[1]!;
    expect(finding.code).toBe('dns-views.private-address');
    expect(finding.subject).toBe(HOST);
    expect(finding.remediation).toContain(
      `In the public ciscoexample.com zone, replace "sip.ciscoexample.com. 3600 IN A ${address}" with the Expressway-E's public address: ` +
        '"sip.ciscoexample.com. 3600 IN A <Expressway-E public address>"',
    );
    expect(finding.remediation).toContain('--resolver set to a public resolver');
    expect(finding.data).toMatchObject({ privateExternal: [address] });
  });

  it('warns on private IPv6 addresses too, listing only the private ones', () => {
    const finding = runCheck(check, splitTarget({ ipv4: ['203.0.113.10'], ipv6: ['fd12:3456::10', 'fe80::1'] }, {}))[1]!;
    expect(finding.code).toBe('dns-views.private-address');
    expect(finding.remediation).toContain('"sip.ciscoexample.com. 3600 IN AAAA fd12:3456::10" and "sip.ciscoexample.com. 3600 IN AAAA fe80::1"');
  });

  it('does not count loopback as private, so the lab can show a healthy split DNS', () => {
    const finding = runCheck(check, splitTarget({ ipv4: ['127.0.0.2'] }, { ipv4: ['127.0.0.2'] }))[1]!;
    expect(finding.code).toBe('dns-views.target-same');
  });

  it('warns when the external view has no address for the target the internal view resolves', () => {
    const finding = runCheck(check, splitTarget({ ipv4: [] }, { ipv4: ['192.0.2.10'] }))[1]!;
    expect(finding.code).toBe('dns-views.target-internal-only');
    expect(finding.remediation).toContain('"sip.ciscoexample.com. 3600 IN A <Expressway-E public address>"');
  });

  it('is info when only the external view has the records', () => {
    const target = targetObservations({
      resolvers: [RESOLVER],
      internalResolvers: [INTERNAL_RESOLVER],
      dns: [
        ...federationTarget().dns,
        nxdomain(SRV, 'SRV', INTERNAL_AT),
        nxdomain(HOST, 'A', INTERNAL_AT),
        nxdomain(HOST, 'AAAA', INTERNAL_AT),
      ],
    });
    const findings = runCheck(check, target);
    expect(codes(findings)).toEqual([
      [SRV, 'dns-views.srv-external-only'],
      [HOST, 'dns-views.target-external-only'],
    ]);
  });

  it('is info when neither view has an address for the target', () => {
    const findings = runCheck(check, splitTarget({ ipv4: [] }, { ipv4: [] }));
    expect(codes(findings)).toEqual([
      [SRV, 'dns-views.srv-same'],
      [HOST, 'dns-views.target-in-neither'],
    ]);
  });

  it('is info when neither view has the SRV record', () => {
    const findings = runCheck(check, splitTarget({ srv: [] }, { srv: [] }));
    expect(codes(findings)).toEqual([[SRV, 'dns-views.srv-in-neither']]);
  });

  it('is an error when the external SRV lookup fails', () => {
    const target = splitTarget({}, {});
    target.dns[0] = servfail(SRV, 'SRV', { resolver: RESOLVER });
    const findings = runCheck(check, target);
    expect(codes(findings)).toEqual([[SRV, 'dns-views.srv-lookup-failed']]);
  });

  it('is an error when the internal SRV lookup fails', () => {
    const target = splitTarget({}, {});
    target.dns[3] = timeout(SRV, 'SRV', INTERNAL_AT);
    const finding = runCheck(check, target)[0]!;
    expect(finding.code).toBe('dns-views.srv-lookup-failed');
  });

  it("is an error when the external lookups of the target's addresses fail", () => {
    const target = splitTarget({}, {});
    target.dns[1] = servfail(HOST, 'A', { resolver: RESOLVER });
    const finding = runCheck(check, target)[1]!;
    expect(finding.code).toBe('dns-views.target-lookup-failed');
  });

  it('advises a longer --timeout when the run deadline stopped a lookup', () => {
    const target = splitTarget({}, {});
    target.dns[3] = noResponse(SRV, 'SRV', 'aborted', INTERNAL_AT);
    const finding = runCheck(check, target)[0]!;
    expect(finding.code).toBe('dns-views.srv-lookup-failed');
    const addresses = splitTarget({}, {});
    addresses.dns[1] = noResponse(HOST, 'A', 'aborted', { resolver: RESOLVER });
    expect(runCheck(check, addresses)[1]!.code).toBe('dns-views.target-lookup-failed');
  });

  it('is an error when the internal view was never asked', () => {
    const target = { ...federationTarget(), internalResolvers: [INTERNAL_RESOLVER], deadlineExceeded: true };
    const finding = runCheck(check, target)[0]!;
    expect(finding.code).toBe('dns-views.srv-not-queried');
  });

  it("is an error when the target's addresses were never asked of the internal view", () => {
    const target = splitTarget({}, {});
    target.dns.splice(4, 2);
    expect(codes(runCheck(check, target))).toEqual([
      [SRV, 'dns-views.srv-same'],
      [HOST, 'dns-views.target-not-queried'],
    ]);
  });

  it('produces nothing without internal resolvers, or for a partner', () => {
    expect(runCheck(check, federationTarget())).toEqual([]);
    expect(runCheck(check, { ...federationTarget(), internalResolvers: [] })).toEqual([]);
    expect(runCheck(check, { ...splitTarget({}, {}), role: 'partner' })).toEqual([]);
  });
});

