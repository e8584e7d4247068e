import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-target-address.js';
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
import type { DnsQueryObservation } from '../../src/model/observations.js';

const SRV = srvName('ciscoexample.com');
const HOST = 'sip.ciscoexample.com';

function withLookups(...lookups: DnsQueryObservation[]) {
  return targetObservations({ dns: [srvQuery(SRV, [srv(10, 10, 5061, HOST)]), ...lookups] });
}

describe('srv-target-address', () => {
  it('passes and lists the IPv4 addresses', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: ['192.0.2.10', '192.0.2.11'] }));
    expect(finding.code).toBe('srv-target-address.pass');
    expect(finding.subject).toBe(HOST);
    expect(finding.data).toMatchObject({ ipv4: ['192.0.2.10', '192.0.2.11'], ipv6: [] });
  });

  it('passes for an IPv6-only target', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: [], ipv6: ['2001:db8::10'] }));
    expect(finding.code).toBe('srv-target-address.pass');
    expect(finding.data).toMatchObject({ ipv4: [], ipv6: ['2001:db8::10'] });
  });

  it('passes through an alias, and says so', () => {
    const finding = singleFinding(check, federationTarget({ targetCnames: ['expe.ciscoexample.com'], ipv6: ['2001:db8::10'] }));
    expect(finding.code).toBe('srv-target-address.pass');
    expect(finding.data).toMatchObject({ canonicalHost: 'expe.ciscoexample.com' });
  });

  it('passes with a note when one family could not be looked up', () => {
    const finding = singleFinding(check, withLookups(addressQuery(HOST, 'A', ['192.0.2.10']), servfail(HOST, 'AAAA')));
    expect(finding.code).toBe('srv-target-address.pass');
  });

  it.each([
    ['NXDOMAIN', nxdomain(HOST, 'A'), nxdomain(HOST, 'AAAA'), 'does not exist (NXDOMAIN)'],
    ['no data', nodata(HOST, 'A'), nodata(HOST, 'AAAA'), 'exists but has no A record'],
  ])('fails when the target has no address (%s)', (_, a, aaaa, phrase) => {
    const finding = singleFinding(check, withLookups(a, aaaa));
    expect(finding.code).toBe('srv-target-address.missing');
    expect(finding.subject).toBe(HOST);
    expect(finding.remediation).toContain(
      'Create one record on sip.ciscoexample.com for each Expressway-E peer\'s public address: "sip.ciscoexample.com. 3600 IN A <peer public IPv4>"',
    );
  });

  it('fails on an alias that leads nowhere, putting the records on the canonical name', () => {
    const finding = singleFinding(
      check,
      withLookups(nxdomain(HOST, 'A', { cnames: ['expe.ciscoexample.com'] }), nxdomain(HOST, 'AAAA', { cnames: ['expe.ciscoexample.com'] })),
    );
    expect(finding.code).toBe('srv-target-address.missing');
    expect(finding.remediation).toContain('Create one record on expe.ciscoexample.com');
    expect(finding.remediation).toContain('the records belong on expe.ciscoexample.com, its canonical name');
  });

  it.each([
    ['A has no data and AAAA failed', nodata(HOST, 'A'), servfail(HOST, 'AAAA')],
    ['both timed out', timeout(HOST, 'A'), timeout(HOST, 'AAAA')],
    ['the resolver refused connections', noResponse(HOST, 'A', 'connection-refused'), noResponse(HOST, 'AAAA', 'connection-refused')],
  ])('is an error, not a fail, when %s', (_, a, aaaa) => {
    const finding = singleFinding(check, withLookups(a, aaaa));
    expect(finding.code).toBe('srv-target-address.lookup-failed');
    expect(finding.subject).toBe(HOST);
    expect(finding.remediation).toBeUndefined();
  });

  it('says the target cannot be resolved when its alias chain loops, not that it has no data', () => {
    const loop = { cnames: ['edge.ciscoexample.com', HOST] };
    const finding = singleFinding(check, withLookups(nodata(HOST, 'A', loop), nodata(HOST, 'AAAA', loop)));
    expect(finding.code).toBe('srv-target-address.alias-loop');
    expect(finding.remediation).toBe(
      `Break the alias loop (${HOST} → edge.ciscoexample.com → ${HOST}): replace "${HOST}. 3600 IN CNAME edge.ciscoexample.com." ` +
        `with address records of ${HOST}, "${HOST}. 3600 IN A <Expressway-E peer public IPv4>" (and/or AAAA for IPv6), one per ` +
        `Expressway-E peer, then delete "edge.ciscoexample.com. 3600 IN CNAME ${HOST}." unless other names rely on them.`,
    );
    expect(finding.data).toMatchObject({
      aliasLoop: [
        { name: HOST, target: 'edge.ciscoexample.com' },
        { name: 'edge.ciscoexample.com', target: HOST },
      ],
    });
  });

  it('finds a loop that gather followed across two queries, even when the other family failed', () => {
    const finding = singleFinding(
      check,
      withLookups(nodata(HOST, 'A', { cnames: ['edge.example.net'] }), nodata('edge.example.net', 'A', { cnames: [HOST] }), timeout(HOST, 'AAAA')),
    );
    expect(finding.code).toBe('srv-target-address.alias-loop');
  });

  it('advises a longer --timeout, not a resolver fix, when the run deadline stopped the lookups', () => {
    const finding = singleFinding(check, withLookups(noResponse(HOST, 'A', 'aborted'), noResponse(HOST, 'AAAA', 'aborted')));
    expect(finding.code).toBe('srv-target-address.lookup-failed');
  });

  it('is an error when the target was never looked up', () => {
    const finding = singleFinding(check, withLookups());
    expect(finding.code).toBe('srv-target-address.not-queried');
  });

  it('asks a partner to publish their edge addresses', () => {
    const partnerHost = 'sip.msexample.com';
    const target = targetObservations({
      domain: 'msexample.com',
      role: 'partner',
      dns: [srvQuery(srvName('msexample.com'), [srv(10, 10, 5061, partnerHost)]), nxdomain(partnerHost, 'A'), nxdomain(partnerHost, 'AAAA')],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-address.missing');
    expect(finding.subject).toBe(partnerHost);
    expect(finding.remediation).toContain('Ask the administrators of msexample.com');
    expect(finding.remediation).toContain('A/AAAA records of sip.msexample.com');
  });

  it('skips on a "." target and when srv-present did not pass', () => {
    expect(singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.')] })).code).toBe('srv-target-address.srv-unavailable');
    expect(singleFinding(check, targetObservations({ dns: [nodata(SRV, 'SRV')] })).code).toBe('srv-target-address.no-srv');
  });
});
