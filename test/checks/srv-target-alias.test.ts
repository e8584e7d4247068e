import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-target-alias.js';
import {
  addressQuery,
  federationTarget,
  noResponse,
  nodata,
  nxdomain,
  servfail,
  singleFinding,
  srv,
  srvName,
  srvQuery,
  targetObservations,
  timeout,
} from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');
const HOST = 'sip.ciscoexample.com';

describe('srv-target-alias', () => {
  it('passes when the target has its own address records', () => {
    const finding = singleFinding(check, federationTarget());
    expect(finding.code).toBe('srv-target-alias.pass');
    expect(finding.subject).toBe(HOST);
  });

  it('fails an alias chain that loops, naming the loop and how to break it', () => {
    const loop = { cnames: ['edge.ciscoexample.com', HOST] };
    const target = targetObservations({
      dns: [srvQuery(SRV, [srv(10, 10, 5061, HOST)]), nodata(HOST, 'A', loop), nodata(HOST, 'AAAA', loop)],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.alias-loop');
    expect(finding.remediation).toContain(`replace "${HOST}. 3600 IN CNAME edge.ciscoexample.com." with address records of ${HOST}`);
    expect(finding.remediation).toContain(`delete "edge.ciscoexample.com. 3600 IN CNAME ${HOST}."`);
  });

  it('names a loop that returns to a name further down the chain', () => {
    const loop = { cnames: ['a.ciscoexample.com', 'b.ciscoexample.com', 'a.ciscoexample.com'] };
    const target = targetObservations({ dns: [srvQuery(SRV, [srv(10, 10, 5061, HOST)]), nodata(HOST, 'A', loop), nodata(HOST, 'AAAA', loop)] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.alias-loop');
  });

  it('asks a partner to break their loop', () => {
    const partnerHost = 'sip.msexample.com';
    const loop = { cnames: ['edge.msexample.com', partnerHost] };
    const target = targetObservations({
      domain: 'msexample.com',
      role: 'partner',
      dns: [srvQuery(srvName('msexample.com'), [srv(10, 10, 5061, partnerHost)]), nodata(partnerHost, 'A', loop), nodata(partnerHost, 'AAAA', loop)],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.alias-loop');
    expect(finding.remediation).toContain('Ask the administrators of msexample.com');
    expect(finding.remediation).toContain('break the alias loop');
    expect(finding.remediation).toContain('<edge server public IPv4>');
  });

  it('advises a longer --timeout when the run deadline stopped the lookups', () => {
    const target = targetObservations({
      dns: [srvQuery(SRV, [srv(10, 10, 5061, HOST)]), noResponse(HOST, 'A', 'aborted'), noResponse(HOST, 'AAAA', 'aborted')],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.lookup-failed');
  });

  it('warns on an alias inside the domain and says to point the SRV at the canonical name', () => {
    const finding = singleFinding(check, federationTarget({ targetCnames: ['expe.ciscoexample.com'] }));
    expect(finding.code).toBe('srv-target-alias.alias');
    expect(finding.subject).toBe(HOST);
    expect(finding.remediation).toBe(
      `Change "${SRV}. 3600 IN SRV 10 10 5061 sip.ciscoexample.com." to "${SRV}. 3600 IN SRV 10 10 5061 expe.ciscoexample.com." ` +
        '(the canonical name); the Expressway-E certificate must then carry expe.ciscoexample.com.',
    );
    expect(finding.data).toMatchObject({
      aliases: [{ name: HOST, target: 'expe.ciscoexample.com' }],
      canonicalHost: 'expe.ciscoexample.com',
    });
  });

  it('names a multi-hop chain and, when it leaves the domain, replaces the alias with address records', () => {
    const target = federationTarget({
      targetCnames: ['expe.hosting.example.net', 'lb.hosting.example.net'],
      ipv4: ['192.0.2.10'],
      ipv6: ['2001:db8::10'],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.alias');
    expect(finding.remediation).toBe(
      'Replace "sip.ciscoexample.com. 3600 IN CNAME expe.hosting.example.net." with ' +
        '"sip.ciscoexample.com. 3600 IN A 192.0.2.10" and "sip.ciscoexample.com. 3600 IN AAAA 2001:db8::10", ' +
        'so that sip.ciscoexample.com stays in ciscoexample.com (lb.hosting.example.net is outside it, and Microsoft ' +
        'rejects SRV targets outside the SIP domain).',
    );
  });

  it('points the SRV at the canonical name when the target is outside the domain already', () => {
    const target = federationTarget({ srv: [srv(10, 10, 5061, 'edge.example.net')], targetCnames: ['lb.example.net'] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.alias');
    expect(finding.subject).toBe('edge.example.net');
    expect(finding.remediation).toBe(
      `Change "${SRV}. 3600 IN SRV 10 10 5061 edge.example.net." to "${SRV}. 3600 IN SRV 10 10 5061 lb.example.net." ` +
        '(the canonical name); the Expressway-E certificate must then carry lb.example.net. lb.example.net is not ' +
        'directly in ciscoexample.com either: srv-target-namespace says how to move the target into it.',
    );
  });

  it('follows an alias resolved by a separate query (CNAME into another zone)', () => {
    const target = targetObservations({
      dns: [
        srvQuery(SRV, [srv(10, 10, 5061, HOST)]),
        addressQuery(HOST, 'A', [], { cnames: ['expe.hosting.example.net'] }),
        addressQuery('expe.hosting.example.net', 'A', ['192.0.2.10']),
        nodata(HOST, 'AAAA', { cnames: ['expe.hosting.example.net'] }),
      ],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.alias');
    expect(finding.remediation).toContain('with "sip.ciscoexample.com. 3600 IN A 192.0.2.10"');
  });

  it('sees the alias of an IPv6-only target', () => {
    const finding = singleFinding(
      check,
      federationTarget({ targetCnames: ['expe.ciscoexample.com'], ipv4: [], ipv6: ['2001:db8::10'] }),
    );
    expect(finding.code).toBe('srv-target-alias.alias');
  });

  it('describes the address records to create when the alias resolves to nothing', () => {
    const target = targetObservations({
      dns: [
        srvQuery(SRV, [srv(10, 10, 5061, HOST)]),
        nxdomain(HOST, 'A', { cnames: ['gone.example.net'] }),
        nxdomain(HOST, 'AAAA', { cnames: ['gone.example.net'] }),
      ],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.alias');
    expect(finding.remediation).toContain(
      'Replace "sip.ciscoexample.com. 3600 IN CNAME gone.example.net." with one A/AAAA record of sip.ciscoexample.com per Expressway-E peer',
    );
  });

  it('is information for a Microsoft 365 target, which Microsoft aliases itself', () => {
    const target = federationTarget({
      role: 'partner',
      srv: [srv(100, 1, 5061, 'sipfed.online.lync.com')],
      targetCnames: ['sipfed.online.lync.com.akadns.example'],
      ipv4: ['52.112.0.10'],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.microsoft365');
    expect(finding.subject).toBe('sipfed.online.lync.com');
  });

  it("asks a partner to fix their alias", () => {
    const finding = singleFinding(
      check,
      federationTarget({ role: 'partner', targetCnames: ['edge-pool.msexample.com'] }),
    );
    expect(finding.code).toBe('srv-target-alias.alias');
    expect(finding.subject).toBe('sip.msexample.com');
    expect(finding.remediation).toContain('Ask the administrators of msexample.com');
    expect(finding.remediation).toContain("the edge's certificate must then carry edge-pool.msexample.com");
  });

  it('skips a target that has no records at all (srv-target-address reports it)', () => {
    const target = targetObservations({
      dns: [srvQuery(SRV, [srv(10, 10, 5061, HOST)]), nxdomain(HOST, 'A'), nxdomain(HOST, 'AAAA')],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.no-address');
    expect(finding.subject).toBe(HOST);
  });

  it('is an error when neither lookup completed', () => {
    const target = targetObservations({
      dns: [srvQuery(SRV, [srv(10, 10, 5061, HOST)]), servfail(HOST, 'A'), timeout(HOST, 'AAAA')],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.lookup-failed');
  });

  it('is an error when the target was never looked up', () => {
    const target = targetObservations({ deadlineExceeded: true, dns: [srvQuery(SRV, [srv(10, 10, 5061, HOST)])] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-alias.not-queried');
  });

  it('skips on a "." target and when srv-present did not pass', () => {
    expect(singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.')] })).code).toBe('srv-target-alias.srv-unavailable');
    expect(singleFinding(check, targetObservations({ dns: [servfail(SRV, 'SRV')] })).code).toBe('srv-target-alias.no-srv');
  });
});
