import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-present.js';
import {
  PARTNER_DOMAIN,
  RESOLVER,
  SECOND_RESOLVER,
  federationTarget,
  noResponse,
  nodata,
  nxdomain,
  refused,
  servfail,
  singleFinding,
  srv,
  srvName,
  srvQuery,
  targetObservations,
  timeout,
} from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');

describe('srv-present', () => {
  it('passes with the records listed', () => {
    const finding = singleFinding(check, federationTarget());
    expect(finding).toMatchObject({ code: 'srv-present.pass', status: 'pass', subject: SRV });
    expect(finding.data).toMatchObject({ resolver: RESOLVER, selectedIndex: 0, ownerAliases: [] });
    expect(finding.remediation).toBeUndefined();
  });

  it('reports which record Microsoft selects among several', () => {
    const target = federationTarget({
      srv: [srv(20, 10, 5061, 'b.ciscoexample.com'), srv(10, 10, 5061, 'a.ciscoexample.com')],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-present.pass');
    expect(finding.data).toMatchObject({ selectedIndex: 1 });
  });

  it('passes, with the alias in the data, when the SRV name is itself an alias', () => {
    const target = targetObservations({
      dns: [srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')], { cnames: ['_sipfederationtls._tcp.hosting.example.net'] })],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-present.pass');
    expect(finding.data).toMatchObject({
      ownerAliases: [{ name: SRV, target: '_sipfederationtls._tcp.hosting.example.net' }],
      records: [{ owner: '_sipfederationtls._tcp.hosting.example.net', ttl: 3600, port: 5061 }],
    });
  });

  it('fails on NXDOMAIN with the record to create', () => {
    const finding = singleFinding(check, targetObservations({ dns: [nxdomain(SRV, 'SRV')] }));
    expect(finding).toMatchObject({ code: 'srv-present.missing', status: 'fail', subject: SRV });
    expect(finding.data).toMatchObject({ outcome: 'nxdomain' });
    expect(finding.remediation).toContain(
      'Create "_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.ciscoexample.com." pointing at your Expressway-E cluster FQDN',
    );
  });

  it('fails on NOERROR without SRV records (no data)', () => {
    const finding = singleFinding(check, targetObservations({ dns: [nodata(SRV, 'SRV')] }));
    expect(finding.code).toBe('srv-present.missing');
    expect(finding.data).toMatchObject({ outcome: 'nodata' });
  });

  it('fails when the SRV name is an alias of a name without SRV records, and says to replace the alias', () => {
    const target = targetObservations({
      dns: [nodata(SRV, 'SRV', { cnames: ['_sipfederationtls._tcp.old-provider.example.net'] })],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-present.missing');
    expect(finding.remediation).toContain(
      `Replace "${SRV}. 3600 IN CNAME _sipfederationtls._tcp.old-provider.example.net." with "${SRV}. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."`,
    );
  });

  it.each([
    ['SERVFAIL', servfail(SRV, 'SRV'), 'servfail'],
    ['REFUSED', refused(SRV, 'SRV'), 'refused'],
    ['a timeout', timeout(SRV, 'SRV'), 'timeout'],
    ['connection refused', noResponse(SRV, 'SRV', 'connection-refused'), 'connection-refused'],
    ['an unreachable resolver', noResponse(SRV, 'SRV', 'unreachable'), 'unreachable'],
    ['a malformed response', noResponse(SRV, 'SRV', 'malformed'), 'malformed'],
  ])('is an error, not a fail, on %s', (_, query, outcome) => {
    const finding = singleFinding(check, targetObservations({ dns: [query] }));
    expect(finding).toMatchObject({ code: 'srv-present.lookup-failed', status: 'error', subject: SRV });
    expect(finding.data).toMatchObject({ outcome });
  });

  it('names every resolver tried when all of them failed', () => {
    const target = targetObservations({
      resolvers: [RESOLVER, SECOND_RESOLVER],
      dns: [servfail(SRV, 'SRV'), timeout(SRV, 'SRV', { resolver: SECOND_RESOLVER })],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-present.lookup-failed');
    expect(finding.data).toMatchObject({
      attempts: [
        { resolver: RESOLVER, outcome: 'servfail' },
        { resolver: SECOND_RESOLVER, outcome: 'timeout' },
      ],
    });
  });

  it('fails when a later resolver answers NXDOMAIN after the first one failed', () => {
    const target = targetObservations({
      resolvers: [RESOLVER, SECOND_RESOLVER],
      dns: [servfail(SRV, 'SRV'), nxdomain(SRV, 'SRV', { resolver: SECOND_RESOLVER })],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-present.missing');
    expect(finding.data).toMatchObject({ resolver: SECOND_RESOLVER });
  });

  it('ignores answers from resolvers outside the external view', () => {
    const target = targetObservations({ dns: [srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')], { resolver: '10.1.1.53:53' })] });
    expect(singleFinding(check, target).code).toBe('srv-present.not-queried');
  });

  it('is an error when the run deadline came before the lookup', () => {
    expect(singleFinding(check, targetObservations({ deadlineExceeded: true })).code).toBe('srv-present.not-queried');
  });

  it('does not blame the resolver when the run deadline stopped the lookup before it was sent', () => {
    const finding = singleFinding(check, targetObservations({ dns: [noResponse(SRV, 'SRV', 'aborted')] }));
    expect(finding).toMatchObject({ code: 'srv-present.aborted', status: 'error' });
    expect(finding.data).toMatchObject({ outcome: 'aborted' });
  });

  it('keeps what earlier resolvers said when the run deadline stopped a later one', () => {
    const target = targetObservations({
      resolvers: [RESOLVER, SECOND_RESOLVER],
      dns: [timeout(SRV, 'SRV'), noResponse(SRV, 'SRV', 'aborted', { resolver: SECOND_RESOLVER })],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-present.aborted');
    expect(finding.data).toMatchObject({ attempts: [{ resolver: RESOLVER, outcome: 'timeout' }, { resolver: SECOND_RESOLVER, outcome: 'aborted' }] });
  });

  it('says the run deadline cut the question short, and how long it had, instead of blaming the resolver', () => {
    const target = targetObservations({
      resolvers: [RESOLVER, SECOND_RESOLVER],
      dns: [timeout(SRV, 'SRV', { udpTries: 3 }), noResponse(SRV, 'SRV', 'aborted', { resolver: SECOND_RESOLVER, udpTries: 2, durationMs: 640 })],
    });
    const finding = singleFinding(check, target);
    expect(finding).toMatchObject({ code: 'srv-present.cut-short', status: 'error', subject: SRV });
    expect(finding.message).toContain('640 ms');
    expect(finding.message).toContain(SECOND_RESOLVER);
    expect(finding.message).toContain('--timeout');
    expect(finding.message).not.toContain('may fail the same way');
    expect(finding.data).toMatchObject({ attempts: [{ resolver: RESOLVER, outcome: 'timeout' }, { resolver: SECOND_RESOLVER, outcome: 'aborted' }] });
  });

  it('says the server refused the TCP retry after a truncated UDP answer, not that no server listens', () => {
    const query = noResponse(SRV, 'SRV', 'connection-refused', {
      transport: 'tcp',
      retriedOverTcp: true,
      udpTries: 1,
      message: 'TCP: connect ECONNREFUSED 192.0.2.53:53',
    });
    const finding = singleFinding(check, targetObservations({ dns: [query] }));
    expect(finding).toMatchObject({ code: 'srv-present.tcp-refused', status: 'error', subject: SRV });
    expect(finding.message).toContain('connect ECONNREFUSED 192.0.2.53:53');
    expect(finding.message).not.toContain('no DNS server listening');
    expect(finding.remediation).toContain(RESOLVER);
    expect(finding.data).toMatchObject({ outcome: 'connection-refused' });
  });

  it('asks a partner for both the on-premises and the Microsoft 365 record', () => {
    const partnerSrv = srvName(PARTNER_DOMAIN);
    const target = targetObservations({ domain: PARTNER_DOMAIN, role: 'partner', dns: [nxdomain(partnerSrv, 'SRV')] });
    const finding = singleFinding(check, target);
    expect(finding).toMatchObject({ code: 'srv-present.missing', subject: partnerSrv });
    expect(finding.remediation).toMatch(/^Ask the administrators of msexample\.com/);
    expect(finding.remediation).toContain('"_sipfederationtls._tcp.msexample.com. 3600 IN SRV 10 10 5061 sip.msexample.com."');
    expect(finding.remediation).toContain('"_sipfederationtls._tcp.msexample.com. 3600 IN SRV 100 1 5061 sipfed.online.lync.com."');
  });
});
