import { describe, expect, it } from 'vitest';
import {
  canonicalName,
  cnameChain,
  describeOutcome,
  dnsOutcome,
  effectiveQuery,
  finalRecords,
  findQuery,
  isDefinitive,
  lookupAddresses,
  selectSrvRecord,
  sipFederationSrvName,
  srvRecords,
  targetSrvSelection,
  tcpRetryRefused,
  unresolvedCnameTarget,
  wasSent,
} from '../../src/model/dns.js';
import {
  RESOLVER,
  SECOND_RESOLVER,
  addressQuery,
  addressRecord,
  cnameRecord,
  dnsQuery,
  federationTarget,
  noResponse,
  nodata,
  nxdomain,
  refused,
  servfail,
  srv,
  srvQuery,
  srvRecord,
  targetObservations,
  timeout,
} from '../helpers/builders/dns.js';

const SRV = '_sipfederationtls._tcp.ciscoexample.com';
const HOST = 'sip.ciscoexample.com';

describe('selectSrvRecord (Microsoft edge selection)', () => {
  it('has nothing to select from no records', () => {
    expect(selectSrvRecord([])).toBeUndefined();
  });

  it('takes the only record', () => {
    const selection = selectSrvRecord([srv(10, 10, 5061, HOST)]);
    expect(selection).toMatchObject({ index: 0, reason: 'the only record', selected: { target: HOST } });
  });

  it('takes the lowest priority, whatever the weights', () => {
    const selection = selectSrvRecord([srv(20, 100, 5061, 'b'), srv(10, 0, 5061, 'a'), srv(30, 100, 5061, 'c')]);
    expect(selection).toMatchObject({ index: 1, reason: 'lowest priority (10)', selected: { target: 'a' } });
  });

  it('then the highest weight', () => {
    const selection = selectSrvRecord([srv(10, 10, 5061, 'a'), srv(10, 60, 5061, 'b'), srv(10, 30, 5061, 'c'), srv(20, 90, 5061, 'd')]);
    expect(selection).toMatchObject({ index: 1, reason: 'lowest priority (10), then highest weight (60)' });
  });

  it('on a full tie, the first record returned', () => {
    const selection = selectSrvRecord([srv(20, 5, 5061, 'z'), srv(10, 5, 5061, 'b'), srv(10, 5, 5061, 'a')]);
    expect(selection).toMatchObject({
      index: 1,
      selected: { target: 'b' },
      reason: 'lowest priority (10) and highest weight (5) tie, so the first record returned wins',
    });
  });

  it('returns all records in the order given', () => {
    const records = [srv(10, 5, 5061, 'a'), srv(10, 5, 5061, 'b')];
    expect(selectSrvRecord(records)?.records).toEqual(records);
  });
});

describe('cnameChain and finalRecords', () => {
  const chained = dnsQuery(HOST, 'A', 'NOERROR', [
    addressRecord('lb.example.net', 'A', '192.0.2.10'),
    cnameRecord('expe.example.net', 'lb.example.net'),
    cnameRecord(HOST, 'expe.example.net'),
    addressRecord('unrelated.example.org', 'A', '198.51.100.1'),
  ]);

  it('follows the chain from the query name in order, whatever the answer order', () => {
    expect(cnameChain(chained).map((link) => `${link.name}>${link.data}`)).toEqual([
      `${HOST}>expe.example.net`,
      'expe.example.net>lb.example.net',
    ]);
  });

  it('returns no chain when the name is not an alias', () => {
    expect(cnameChain(addressQuery(HOST, 'A', ['192.0.2.10']))).toEqual([]);
  });

  it('stops at a CNAME loop', () => {
    const loop = dnsQuery(HOST, 'A', 'NOERROR', [cnameRecord(HOST, 'b.example.net'), cnameRecord('b.example.net', HOST)]);
    expect(cnameChain(loop)).toHaveLength(2);
    expect(finalRecords(loop, 'A')).toEqual([]);
  });

  it('keeps only records of the type owned by the name or its aliases', () => {
    expect(finalRecords(chained, 'A').map((record) => record.data)).toEqual(['192.0.2.10']);
    expect(finalRecords(chained, 'AAAA')).toEqual([]);
  });

  it('reads SRV records through an aliased SRV name', () => {
    const query = srvQuery(SRV, [srv(10, 10, 5061, HOST)], { cnames: ['_sipfederationtls._tcp.hosting.example.net'] });
    expect(finalRecords(query, 'SRV')).toEqual([srvRecord('_sipfederationtls._tcp.hosting.example.net', srv(10, 10, 5061, HOST))]);
    expect(srvRecords(query)).toEqual([srv(10, 10, 5061, HOST)]);
  });
});

describe('dnsOutcome', () => {
  it.each([
    ['answer', addressQuery(HOST, 'A', ['192.0.2.10'])],
    ['answer', addressQuery(HOST, 'A', ['192.0.2.10'], { cnames: ['expe.ciscoexample.com'] })],
    ['nodata', nodata(HOST, 'A')],
    ['nodata', addressQuery(HOST, 'A', [], { cnames: ['elsewhere.example.net'] })],
    ['nodata', dnsQuery(HOST, 'A', 'NOERROR', [addressRecord('other.example.net', 'A', '192.0.2.1')])],
    ['nxdomain', nxdomain(HOST, 'A')],
    ['servfail', servfail(HOST, 'A')],
    ['refused', refused(HOST, 'A')],
    ['other-rcode', dnsQuery(HOST, 'A', 'NOTIMP')],
  ] as const)('is %s for a response', (outcome, query) => {
    expect(dnsOutcome(query)).toBe(outcome);
  });

  it.each([
    ['timeout', 'timeout'],
    ['connection-refused', 'connection-refused'],
    ['unreachable', 'unreachable'],
    ['malformed', 'malformed'],
    ['aborted', 'aborted'],
    ['other', 'error'],
  ] as const)('maps the %s error class to %s', (errorClass, outcome) => {
    expect(dnsOutcome(noResponse(HOST, 'A', errorClass))).toBe(outcome);
  });

  it('only answer, nodata and nxdomain are definitive', () => {
    expect((['answer', 'nodata', 'nxdomain', 'servfail', 'timeout'] as const).map((outcome) => isDefinitive(outcome))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('describes each outcome with the resolver', () => {
    expect(describeOutcome(nxdomain(HOST, 'A'))).toBe(`does not exist (NXDOMAIN) at ${RESOLVER}`);
    expect(describeOutcome(nodata(HOST, 'AAAA'))).toBe(`exists but has no AAAA record (NOERROR, no data) at ${RESOLVER}`);
    expect(describeOutcome(timeout(HOST, 'A', { durationMs: 1999.6 }))).toBe(`could not be resolved: no answer within 2000 ms at ${RESOLVER}`);
    expect(describeOutcome(noResponse(HOST, 'A', 'aborted'))).toContain('--timeout');
    expect(describeOutcome(noResponse(HOST, 'A', 'other', { message: 'EPERM' }))).toBe(`could not be resolved (EPERM) at ${RESOLVER}`);
  });

  it('says how many UDP queries went unanswered', () => {
    expect(describeOutcome(timeout(HOST, 'A', { udpTries: 3 }))).toBe(`could not be resolved: no answer to 3 queries within 2000 ms at ${RESOLVER}`);
  });

  it('tells a refused TCP retry after a truncated UDP answer from a server that is not there', () => {
    const notListening = noResponse(HOST, 'A', 'connection-refused', { udpTries: 1 });
    expect(tcpRetryRefused(notListening)).toBe(false);
    expect(describeOutcome(notListening)).toContain('no DNS server listening');
    const tcpClosed = noResponse(HOST, 'A', 'connection-refused', {
      udpTries: 1,
      transport: 'tcp',
      retriedOverTcp: true,
      message: 'TCP: read ECONNRESET',
    });
    expect(tcpRetryRefused(tcpClosed)).toBe(true);
    expect(describeOutcome(tcpClosed)).not.toContain('no DNS server listening');
    expect(describeOutcome(tcpClosed)).toContain(`${RESOLVER} answered over UDP with the truncated flag (TC) set`);
    expect(describeOutcome(tcpClosed)).toContain('TCP: read ECONNRESET');
  });

  it('tells a question the run deadline cut short from one it never sent', () => {
    const cut = noResponse(HOST, 'A', 'aborted', { udpTries: 2, durationMs: 812.4 });
    expect(wasSent(cut)).toBe(true);
    expect(describeOutcome(cut)).toBe(
      `was cut short: the run's --timeout ran out 812 ms after the question was sent to ${RESOLVER}, before any answer came`,
    );
    // Reports from before retransmission had no udpTries: their aborted questions were never sent.
    const unsent = noResponse(HOST, 'A', 'aborted');
    expect(wasSent(unsent)).toBe(false);
    expect(describeOutcome(unsent)).toBe("was not queried: the run's --timeout expired first");
    expect(wasSent(noResponse(HOST, 'A', 'aborted', { udpTries: 0 }))).toBe(false);
  });
});

describe('effectiveQuery', () => {
  it('takes the first definitive answer across the resolvers', () => {
    const target = targetObservations({
      resolvers: [RESOLVER, SECOND_RESOLVER],
      dns: [servfail(SRV, 'SRV'), nxdomain(SRV, 'SRV', { resolver: SECOND_RESOLVER })],
    });
    expect(effectiveQuery(target, SRV, 'SRV')?.resolver).toBe(SECOND_RESOLVER);
  });

  it('falls back to the last one tried when none is definitive', () => {
    const target = targetObservations({
      resolvers: [RESOLVER, SECOND_RESOLVER],
      dns: [servfail(SRV, 'SRV'), timeout(SRV, 'SRV', { resolver: SECOND_RESOLVER })],
    });
    expect(dnsOutcome(effectiveQuery(target, SRV, 'SRV')!)).toBe('timeout');
  });

  it('matches names case-insensitively and without the trailing dot, and type exactly', () => {
    const target = federationTarget();
    expect(effectiveQuery(target, `${SRV.toUpperCase()}.`, 'SRV')?.name).toBe(SRV);
    expect(effectiveQuery(target, SRV, 'TXT')).toBeUndefined();
  });

  it('ignores resolvers outside the view, unless asked for them', () => {
    const internal = '10.1.1.53:53';
    const target = targetObservations({ dns: [nodata(SRV, 'SRV', { resolver: internal })] });
    expect(effectiveQuery(target, SRV, 'SRV')).toBeUndefined();
    expect(effectiveQuery(target, SRV, 'SRV', [internal])?.resolver).toBe(internal);
    expect(findQuery(target, SRV, 'SRV')?.resolver).toBe(internal);
    expect(findQuery(target, SRV, 'SRV', RESOLVER)).toBeUndefined();
  });
});

describe('lookupAddresses', () => {
  it('reads a direct answer', () => {
    const lookup = lookupAddresses(federationTarget({ ipv4: ['192.0.2.10', '192.0.2.11'] }), HOST, 'A');
    expect(lookup.addresses).toEqual(['192.0.2.10', '192.0.2.11']);
    expect(lookup.aliases).toEqual([]);
    expect(lookup.queries).toHaveLength(1);
    expect(lookup.first).toBe(lookup.last);
  });

  it('follows a chain answered in one response', () => {
    const lookup = lookupAddresses(federationTarget({ targetCnames: ['a.example.net', 'b.example.net'] }), HOST, 'A');
    expect(lookup.addresses).toEqual(['192.0.2.10']);
    expect(lookup.aliases.map((link) => link.data)).toEqual(['a.example.net', 'b.example.net']);
  });

  it('follows a CNAME across separate queries', () => {
    const target = targetObservations({
      dns: [addressQuery(HOST, 'AAAA', [], { cnames: ['edge.example.net'] }), addressQuery('edge.example.net', 'AAAA', ['2001:db8::10'])],
    });
    const lookup = lookupAddresses(target, HOST, 'AAAA');
    expect(lookup.addresses).toEqual(['2001:db8::10']);
    expect(lookup.queries.map((query) => query.name)).toEqual([HOST, 'edge.example.net']);
    expect(lookup.first?.name).toBe(HOST);
    expect(lookup.last?.name).toBe('edge.example.net');
    expect(unresolvedCnameTarget(lookup.first!)).toBe('edge.example.net');
    expect(unresolvedCnameTarget(lookup.last!)).toBeUndefined();
  });

  it('stops at a loop across queries and at a failed hop', () => {
    const loop = targetObservations({
      dns: [addressQuery(HOST, 'A', [], { cnames: ['b.example.net'] }), addressQuery('b.example.net', 'A', [], { cnames: [HOST] })],
    });
    const looped = lookupAddresses(loop, HOST, 'A');
    expect(looped.addresses).toEqual([]);
    expect(looped.queries).toHaveLength(2);

    const failed = targetObservations({
      dns: [addressQuery(HOST, 'A', [], { cnames: ['edge.example.net'] }), servfail('edge.example.net', 'A')],
    });
    expect(dnsOutcome(lookupAddresses(failed, HOST, 'A').last!)).toBe('servfail');
  });

  it('is empty when the host was never queried', () => {
    const lookup = lookupAddresses(targetObservations(), HOST, 'A');
    expect(lookup).toEqual({ queries: [], aliases: [], addresses: [] });
  });
});

describe('names and Microsoft 365', () => {
  it('normalises names', () => {
    expect(canonicalName('SIP.Example.COM.')).toBe('sip.example.com');
    expect(canonicalName('.')).toBe('.');
    expect(canonicalName('')).toBe('.');
    expect(sipFederationSrvName('ciscoexample.com')).toBe(SRV);
  });

  it('selects the target SRV record through the effective query', () => {
    const target = federationTarget({ srv: [srv(20, 0, 5061, 'b.ciscoexample.com'), srv(10, 0, 5061, 'a.ciscoexample.com')] });
    expect(targetSrvSelection(target)?.selected.target).toBe('a.ciscoexample.com');
    expect(targetSrvSelection(targetObservations())).toBeUndefined();
  });
});
