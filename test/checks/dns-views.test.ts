import { describe, expect, it } from 'vitest';
import { check, privateAddressRange } from '../../src/checks/dns-views.js';
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
} from './observations.js';
import { INTERNAL_RESOLVER, splitTarget } from './imp-observations.js';

const SRV = srvName('ciscoexample.com');
const HOST = 'sip.ciscoexample.com';
const SRV_LINE = '"_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."';
const INTERNAL_AT = { resolver: INTERNAL_RESOLVER };

function statuses(findings: ReturnType<typeof runCheck>) {
  return findings.map((finding) => [finding.subject, finding.status]);
}

describe('dns-views', () => {
  it('is info when the views agree, naming both answers', () => {
    const findings = runCheck(check, splitTarget({}, {}));
    expect(statuses(findings)).toEqual([
      [SRV, 'info'],
      [HOST, 'info'],
    ]);
    expect(findings[0]!.message).toBe(
      `Both views answer ${SRV} alike: the external view (192.0.2.53:53) with ${SRV_LINE}, the internal view ` +
        `(10.1.1.53:53) with ${SRV_LINE}.`,
    );
    expect(findings[1]!.message).toBe(
      'Both views resolve sip.ciscoexample.com alike: the external view (192.0.2.53:53) 192.0.2.10, the internal view (10.1.1.53:53) 192.0.2.10.',
    );
    expect(findings.every((finding) => finding.check === 'dns-views' && finding.remediation === undefined)).toBe(true);
  });

  it('is info when the target resolves to an internal address inside (the usual split DNS)', () => {
    const finding = runCheck(check, splitTarget({ ipv4: ['203.0.113.10'] }, { ipv4: ['10.0.0.10'] }))[1]!;
    expect(finding.status).toBe('info');
    expect(finding.message).toContain(
      "The views resolve sip.ciscoexample.com differently: the external view (192.0.2.53:53) 203.0.113.10 (what Microsoft's edges connect to), the internal view (10.1.1.53:53) 10.0.0.10.",
    );
    expect(finding.data).toMatchObject({ external: ['203.0.113.10'], internal: ['10.0.0.10'] });
  });

  it('warns when the external view lacks the SRV record the internal view has', () => {
    const findings = runCheck(check, splitTarget({ srv: [] }, {}));
    expect(statuses(findings)).toEqual([[SRV, 'warn']]);
    const finding = findings[0]!;
    expect(finding.message).toContain(`The internal view (10.1.1.53:53) has ${SRV} (${SRV_LINE})`);
    expect(finding.message).toContain('on the external view (192.0.2.53:53) it exists but has no SRV record');
    expect(finding.message).toContain('ms-diagnostics 1008');
    expect(finding.remediation).toContain(`Publish the SRV record in the public ciscoexample.com zone too, pointing at the Expressway-E's public name: ${SRV_LINE}`);
  });

  it('moves an internal-only target into the domain when suggesting the public record', () => {
    const target = splitTarget({}, { srv: [srv(10, 10, 5061, 'expc.corp.local')], ipv4: ['10.0.0.5'] });
    target.dns[0] = nxdomain(SRV, 'SRV', { resolver: RESOLVER });
    const finding = runCheck(check, target)[0]!;
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('does not exist (NXDOMAIN) at 192.0.2.53:53');
    expect(finding.remediation).toContain('"_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 expc.ciscoexample.com."');
  });

  it('is info when the views select different targets, naming both', () => {
    const target = splitTarget({}, { srv: [srv(10, 10, 5061, 'expe-int.ciscoexample.com')], ipv4: ['10.0.0.5'] }, [
      addressQuery(HOST, 'A', ['10.0.0.10'], INTERNAL_AT),
      nodata(HOST, 'AAAA', INTERNAL_AT),
    ]);
    const findings = runCheck(check, target);
    expect(statuses(findings)).toEqual([
      [SRV, 'info'],
      [HOST, 'info'],
    ]);
    expect(findings[0]!.message).toContain(`on the external view (192.0.2.53:53) ${SRV_LINE.slice(0, -1)}" (the one Microsoft's edges use)`);
    expect(findings[0]!.message).toContain('"_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 expe-int.ciscoexample.com."');
    expect(findings[0]!.message).not.toContain('srv-target-namespace');
  });

  it('points at srv-target-namespace when the external target is outside the domain', () => {
    const target = splitTarget({ srv: [srv(10, 10, 5061, 'edge.example.net')] }, {}, [
      addressQuery('edge.example.net', 'A', ['192.0.2.10'], INTERNAL_AT),
      nodata('edge.example.net', 'AAAA', INTERNAL_AT),
    ]);
    const finding = runCheck(check, target)[0]!;
    expect(finding.status).toBe('info');
    expect(finding.message).toContain('srv-target-namespace judges its target');
  });

  it('is info when the same record is selected from differing record sets', () => {
    const finding = runCheck(check, splitTarget({}, { srv: [srv(10, 10, 5061, HOST), srv(20, 10, 5061, 'backup.ciscoexample.com')] }))[0]!;
    expect(finding.status).toBe('info');
    expect(finding.message).toContain('though their record sets differ');
  });

  it.each([
    ['10.0.0.10', '10.0.0.0/8, private (RFC 1918)'],
    ['172.20.1.1', '172.16.0.0/12, private (RFC 1918)'],
    ['192.168.1.10', '192.168.0.0/16, private (RFC 1918)'],
    ['100.64.0.10', '100.64.0.0/10, carrier-grade NAT shared space (RFC 6598)'],
  ])('warns when the external target resolves to a private address (%s)', (address, range) => {
    const finding = runCheck(check, splitTarget({ ipv4: [address] }, { ipv4: [address] }))[1]!;
    expect(finding.status).toBe('warn');
    expect(finding.subject).toBe(HOST);
    expect(finding.message).toContain(`resolves to ${address} (${range}): a private address, which Microsoft's edges cannot reach from the Internet`);
    expect(finding.remediation).toContain(
      `In the public ciscoexample.com zone, replace "sip.ciscoexample.com. 3600 IN A ${address}" with the Expressway-E's public address: ` +
        '"sip.ciscoexample.com. 3600 IN A <Expressway-E public address>"',
    );
    expect(finding.remediation).toContain('--resolver set to a public resolver');
    expect(finding.data).toMatchObject({ privateExternal: [address] });
  });

  it('warns on private IPv6 addresses too, listing only the private ones', () => {
    const finding = runCheck(check, splitTarget({ ipv4: ['203.0.113.10'], ipv6: ['fd12:3456::10', 'fe80::1'] }, {}))[1]!;
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain(
      'fd12:3456::10 (fc00::/7, unique local (RFC 4193)) and fe80::1 (fe80::/10, link-local (RFC 4291)): private addresses',
    );
    expect(finding.message).not.toContain('203.0.113.10 (');
    expect(finding.remediation).toContain('"sip.ciscoexample.com. 3600 IN AAAA fd12:3456::10" and "sip.ciscoexample.com. 3600 IN AAAA fe80::1"');
  });

  it('does not count loopback as private, so the lab can show a healthy split DNS', () => {
    const finding = runCheck(check, splitTarget({ ipv4: ['127.0.0.2'] }, { ipv4: ['127.0.0.2'] }))[1]!;
    expect(finding.status).toBe('info');
  });

  it('warns when the external view has no address for the target the internal view resolves', () => {
    const finding = runCheck(check, splitTarget({ ipv4: [] }, { ipv4: ['192.0.2.10'] }))[1]!;
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('The internal view (10.1.1.53:53) resolves sip.ciscoexample.com, the SRV target Microsoft selects, to 192.0.2.10');
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
    expect(statuses(findings)).toEqual([
      [SRV, 'info'],
      [HOST, 'info'],
    ]);
    expect(findings[0]!.message).toContain("That does not affect federation: Microsoft's edges resolve the external view.");
    expect(findings[1]!.message).toContain('the internal view (10.1.1.53:53) has no address for it');
  });

  it('is info when neither view has the SRV record', () => {
    const findings = runCheck(check, splitTarget({ srv: [] }, { srv: [] }));
    expect(statuses(findings)).toEqual([[SRV, 'info']]);
    expect(findings[0]!.message).toContain('srv-present reports the missing record');
  });

  it('is an error when the external SRV lookup fails', () => {
    const target = splitTarget({}, {});
    target.dns[0] = servfail(SRV, 'SRV', { resolver: RESOLVER });
    const findings = runCheck(check, target);
    expect(statuses(findings)).toEqual([[SRV, 'error']]);
    expect(findings[0]!.message).toBe(
      `Could not compare the DNS views: on the external view (192.0.2.53:53), ${SRV} could not be resolved: the server answered SERVFAIL at 192.0.2.53:53.`,
    );
  });

  it('is an error when the internal SRV lookup fails', () => {
    const target = splitTarget({}, {});
    target.dns[3] = timeout(SRV, 'SRV', INTERNAL_AT);
    const finding = runCheck(check, target)[0]!;
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('on the internal view (10.1.1.53:53)');
  });

  it("is an error when the external lookups of the target's addresses fail", () => {
    const target = splitTarget({}, {});
    target.dns[1] = servfail(HOST, 'A', { resolver: RESOLVER });
    const finding = runCheck(check, target)[1]!;
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('Could not compare the DNS views: on the external view (192.0.2.53:53), A: sip.ciscoexample.com could not be resolved');
  });

  it('advises a longer --timeout when the run deadline stopped a lookup', () => {
    const target = splitTarget({}, {});
    target.dns[3] = noResponse(SRV, 'SRV', 'aborted', INTERNAL_AT);
    const finding = runCheck(check, target)[0]!;
    expect(finding.status).toBe('error');
    expect(finding.message).toBe(
      `Could not compare the DNS views: on the internal view (10.1.1.53:53), ${SRV} was not queried: the run's --timeout expired first. ` +
        'Run again with a longer --timeout (or a lower --concurrency when checking many domains in one run).',
    );
    const addresses = splitTarget({}, {});
    addresses.dns[1] = noResponse(HOST, 'A', 'aborted', { resolver: RESOLVER });
    expect(runCheck(check, addresses)[1]!.message).toContain('Run again with a longer --timeout (or a lower --concurrency when checking many domains in one run).');
  });

  it('is an error when the internal view was never asked', () => {
    const target = { ...federationTarget(), internalResolvers: [INTERNAL_RESOLVER], deadlineExceeded: true };
    const finding = runCheck(check, target)[0]!;
    expect(finding.status).toBe('error');
    expect(finding.message).toContain("was never asked of the internal view (10.1.1.53:53): the run's --timeout expired first");
  });

  it('produces nothing without internal resolvers, or for a partner', () => {
    expect(runCheck(check, federationTarget())).toEqual([]);
    expect(runCheck(check, { ...federationTarget(), internalResolvers: [] })).toEqual([]);
    expect(runCheck(check, { ...splitTarget({}, {}), role: 'partner' })).toEqual([]);
  });
});

describe('privateAddressRange', () => {
  it.each([
    ['10.255.255.255', '10.0.0.0/8'],
    ['172.31.0.1', '172.16.0.0/12'],
    ['192.168.0.1', '192.168.0.0/16'],
    ['100.127.255.254', '100.64.0.0/10'],
    ['169.254.10.1', '169.254.0.0/16'],
    ['fc00::1', 'fc00::/7'],
    ['FDFF:ffff::1', 'fc00::/7'],
    ['fe80::1%eth0', 'fe80::/10'],
    ['febf::1', 'fe80::/10'],
    ['::ffff:10.1.2.3', '10.0.0.0/8'],
  ])('%s is in %s', (address, cidr) => {
    expect(privateAddressRange(address)).toContain(cidr);
  });

  it.each([
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '192.0.2.10',
    '8.8.8.8',
    '127.0.0.1',
    '::1',
    '2001:db8::10',
    'fec0::1',
    'fbff::1',
    '::ffff:192.0.2.1',
    'not-an-address',
    '10.0.0',
    '10.0.0.256',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '',
  ])('%s is not private', (address) => {
    expect(privateAddressRange(address)).toBeUndefined();
  });
});
