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
} from './observations.js';

const SRV = srvName('ciscoexample.com');

describe('srv-present', () => {
  it('passes with the records listed in zone-file syntax', () => {
    const finding = singleFinding(check, federationTarget());
    expect(finding.status).toBe('pass');
    expect(finding.subject).toBe(SRV);
    expect(finding.message).toContain('1 SRV record');
    expect(finding.message).toContain('"_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."');
    expect(finding.data).toMatchObject({ resolver: RESOLVER, selectedIndex: 0, ownerAliases: [] });
    expect(finding.remediation).toBeUndefined();
  });

  it('reports which record Microsoft selects among several', () => {
    const target = federationTarget({
      srv: [srv(20, 10, 5061, 'b.ciscoexample.com'), srv(10, 10, 5061, 'a.ciscoexample.com')],
    });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('2 SRV records');
    expect(finding.data).toMatchObject({ selectedIndex: 1 });
  });

  it('passes but notes it when the SRV name is itself an alias', () => {
    const target = targetObservations({
      dns: [srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')], { cnames: ['_sipfederationtls._tcp.hosting.example.net'] })],
    });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('is itself an alias');
    expect(finding.message).toContain(`${SRV} → _sipfederationtls._tcp.hosting.example.net`);
    expect(finding.message).toContain('"_sipfederationtls._tcp.hosting.example.net. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."');
    expect(finding.data).toMatchObject({
      ownerAliases: [{ name: SRV, target: '_sipfederationtls._tcp.hosting.example.net' }],
      records: [{ owner: '_sipfederationtls._tcp.hosting.example.net', ttl: 3600, port: 5061 }],
    });
  });

  it('fails on NXDOMAIN with the Microsoft diagnostic and the record to create', () => {
    const finding = singleFinding(check, targetObservations({ dns: [nxdomain(SRV, 'SRV')] }));
    expect(finding.status).toBe('fail');
    expect(finding.subject).toBe(SRV);
    expect(finding.message).toContain('does not exist (NXDOMAIN) at 192.0.2.53:53');
    expect(finding.message).toContain('ms-diagnostics: 1008;reason="Unable to resolve DNS SRV record"');
    expect(finding.remediation).toContain(
      'Create "_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.ciscoexample.com." pointing at your Expressway-E cluster FQDN',
    );
  });

  it('fails on NOERROR without SRV records (no data)', () => {
    const finding = singleFinding(check, targetObservations({ dns: [nodata(SRV, 'SRV')] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('exists but has no SRV record');
    expect(finding.message).toContain('1008');
    expect(finding.data).toMatchObject({ outcome: 'nodata' });
  });

  it('fails when the SRV name is an alias of a name without SRV records, and says to replace the alias', () => {
    const target = targetObservations({
      dns: [nodata(SRV, 'SRV', { cnames: ['_sipfederationtls._tcp.old-provider.example.net'] })],
    });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('is itself an alias');
    expect(finding.remediation).toContain(
      `Replace "${SRV}. 3600 IN CNAME _sipfederationtls._tcp.old-provider.example.net." with "${SRV}. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."`,
    );
  });

  it.each([
    ['SERVFAIL', servfail(SRV, 'SRV'), 'SERVFAIL at 192.0.2.53:53'],
    ['REFUSED', refused(SRV, 'SRV'), 'REFUSED the query at 192.0.2.53:53'],
    ['a timeout', timeout(SRV, 'SRV'), 'no answer within 2000 ms at 192.0.2.53:53'],
    ['connection refused', noResponse(SRV, 'SRV', 'connection-refused'), 'connection refused at 192.0.2.53:53'],
    ['an unreachable resolver', noResponse(SRV, 'SRV', 'unreachable'), '192.0.2.53:53 is unreachable'],
    ['a malformed response', noResponse(SRV, 'SRV', 'malformed'), 'not a valid DNS message'],
  ])('is an error, not a fail, on %s', (_, query, phrase) => {
    const finding = singleFinding(check, targetObservations({ dns: [query] }));
    expect(finding.status).toBe('error');
    expect(finding.subject).toBe(SRV);
    expect(finding.message).toContain('Could not determine whether');
    expect(finding.message).toContain(phrase);
    expect(finding.message).not.toContain('1008');
  });

  it('names every resolver tried when all of them failed', () => {
    const target = targetObservations({
      resolvers: [RESOLVER, SECOND_RESOLVER],
      dns: [servfail(SRV, 'SRV'), timeout(SRV, 'SRV', { resolver: SECOND_RESOLVER })],
    });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('SERVFAIL at 192.0.2.53:53');
    expect(finding.message).toContain('at 198.51.100.53:53');
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
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('NXDOMAIN) at 198.51.100.53:53');
  });

  it('ignores answers from resolvers outside the external view', () => {
    const target = targetObservations({ dns: [srvQuery(SRV, [srv(10, 10, 5061, 'sip.ciscoexample.com')], { resolver: '10.1.1.53:53' })] });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('never queried');
  });

  it('is an error when the run deadline cut the lookup', () => {
    const finding = singleFinding(check, targetObservations({ deadlineExceeded: true }));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain("--timeout expired");
  });

  it('does not blame the resolver when the run deadline stopped the lookup before it was sent', () => {
    const finding = singleFinding(check, targetObservations({ dns: [noResponse(SRV, 'SRV', 'aborted')] }));
    expect(finding.status).toBe('error');
    expect(finding.message).toBe(
      `Could not determine whether ${SRV} has SRV records: 192.0.2.53:53 was not asked, because the run's --timeout ` +
        'expired first. Run again with a longer --timeout (or a lower --concurrency when checking many domains in one run).',
    );
    expect(finding.message).not.toContain('Check that the resolver');
    expect(finding.message).not.toContain('may fail the same way');
    expect(finding.data).toMatchObject({ outcome: 'aborted' });
  });

  it('keeps what earlier resolvers said when the run deadline stopped a later one', () => {
    const target = targetObservations({
      resolvers: [RESOLVER, SECOND_RESOLVER],
      dns: [timeout(SRV, 'SRV'), noResponse(SRV, 'SRV', 'aborted', { resolver: SECOND_RESOLVER })],
    });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('error');
    expect(finding.message).toContain(`${SECOND_RESOLVER} was not asked, because the run's --timeout expired first.`);
    expect(finding.message).toContain('Before that, it could not be resolved: no answer within 2000 ms at 192.0.2.53:53.');
    expect(finding.message).toContain('Run again with a longer --timeout');
    expect(finding.message).not.toContain('may fail the same way');
  });

  it('words a partner failure as their deployment, with both on-premises and Microsoft 365 records', () => {
    const partnerSrv = srvName(PARTNER_DOMAIN);
    const target = targetObservations({ domain: PARTNER_DOMAIN, role: 'partner', dns: [nxdomain(partnerSrv, 'SRV')] });
    const finding = singleFinding(check, target);
    expect(finding.status).toBe('fail');
    expect(finding.subject).toBe(partnerSrv);
    expect(finding.message).toContain('your Expressway-E cannot discover their federation edge');
    expect(finding.remediation).toContain('Ask the administrators of msexample.com');
    expect(finding.remediation).toContain('"_sipfederationtls._tcp.msexample.com. 3600 IN SRV 10 10 5061 sip.msexample.com."');
    expect(finding.remediation).toContain('"_sipfederationtls._tcp.msexample.com. 3600 IN SRV 100 1 5061 sipfed.online.lync.com."');
  });
});
