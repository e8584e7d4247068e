import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/imp-publisher-public.js';
import type { DnsQueryObservation } from '../../src/model/observations.js';
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
import { INTERNAL_RESOLVER, PUBLISHER, impTarget } from '../helpers/builders/index.js';

const PUBLIC_ADDRESS = '198.51.100.20';

function withPublisher(...publisherQueries: DnsQueryObservation[]) {
  return impTarget({ publisher: PUBLISHER, publisherQueries });
}

describe('imp-publisher-public', () => {
  it('passes when the publisher resolves on the external view', () => {
    const finding = singleFinding(check, withPublisher(addressQuery(PUBLISHER, 'A', [PUBLIC_ADDRESS]), nodata(PUBLISHER, 'AAAA')));
    expect(finding).toMatchObject({ check: 'imp-publisher-public', code: 'imp-publisher-public.pass', status: 'pass', subject: PUBLISHER });
    expect(finding.reference).toContain('Process Summary for Microsoft Federation" 1a');
  });

  it('passes on an AAAA record alone, and through an alias', () => {
    const finding = singleFinding(
      check,
      withPublisher(
        nodata(PUBLISHER, 'A', { cnames: ['cup.ciscoexample.com'] }),
        addressQuery(PUBLISHER, 'AAAA', ['2001:db8::20'], { cnames: ['cup.ciscoexample.com'] }),
      ),
    );
    expect(finding.code).toBe('imp-publisher-public.pass');
  });

  it('fails when the publisher does not resolve publicly, naming the record to publish', () => {
    const finding = singleFinding(check, withPublisher(nxdomain(PUBLISHER, 'A'), nxdomain(PUBLISHER, 'AAAA')));
    expect(finding.code).toBe('imp-publisher-public.missing');
    expect(finding.remediation).toBe(
      'Publish the publisher\'s FQDN in your public DNS zone: "imp1.ciscoexample.com. 3600 IN A <public address>".',
    );
  });

  it('judges the external view only: an internal answer does not make it public', () => {
    const finding = singleFinding(
      check,
      withPublisher(
        addressQuery(PUBLISHER, 'A', ['10.1.1.20'], { resolver: INTERNAL_RESOLVER }),
        nxdomain(PUBLISHER, 'A', { resolver: RESOLVER }),
        nxdomain(PUBLISHER, 'AAAA', { resolver: RESOLVER }),
      ),
    );
    expect(finding.code).toBe('imp-publisher-public.missing');
  });

  it.each([
    ['SERVFAIL', servfail(PUBLISHER, 'A'), nodata(PUBLISHER, 'AAAA'), 'the server answered SERVFAIL'],
    ['a timeout', nxdomain(PUBLISHER, 'A'), timeout(PUBLISHER, 'AAAA'), 'no answer within 2000 ms'],
  ])('is an error on %s', (_, a, aaaa, phrase) => {
    const finding = singleFinding(check, withPublisher(a, aaaa));
    expect(finding.code).toBe('imp-publisher-public.lookup-failed');
  });

  it('advises a longer --timeout when the run deadline stopped the lookups', () => {
    const finding = singleFinding(check, withPublisher(noResponse(PUBLISHER, 'A', 'aborted'), noResponse(PUBLISHER, 'AAAA', 'aborted')));
    expect(finding.code).toBe('imp-publisher-public.lookup-failed');
  });

  it('is an error when the publisher was never looked up', () => {
    const finding = singleFinding(check, withPublisher());
    expect(finding.code).toBe('imp-publisher-public.not-queried');
  });

  it('produces nothing without --imp-publisher or without --imp-fqdn', () => {
    expect(runCheck(check, impTarget())).toEqual([]);
    expect(runCheck(check, federationTarget())).toEqual([]);
  });
});
