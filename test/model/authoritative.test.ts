import { describe, expect, it } from 'vitest';
import {
  agreementGroups,
  authoritativeQuestions,
  readAuthoritativeServer,
  zoneApexFrom,
  type AuthoritativeObservations,
  type AuthoritativeServerObservation,
} from '../../src/model/authoritative.js';
import type { DnsErrorClass, DnsQueryObservation, DnsQueryType, DnsRecord } from '../../src/model/observations.js';

const ZONE = 'example.com';
const SRV_NAME = `_sipfederationtls._tcp.${ZONE}`;
const TARGET = `sip.${ZONE}`;

function response(
  name: string,
  type: DnsQueryType,
  options: { rcode?: string; aa?: boolean; answers?: DnsRecord[]; authorities?: DnsRecord[]; resolver?: string } = {},
): DnsQueryObservation {
  return {
    name,
    type,
    resolver: options.resolver ?? '192.0.2.1:53',
    transport: 'udp',
    retriedOverTcp: false,
    rcode: options.rcode ?? 'NOERROR',
    flags: {
      authoritative: options.aa ?? true,
      truncated: false,
      recursionDesired: false,
      recursionAvailable: false,
      authenticData: false,
      checkingDisabled: false,
    },
    answers: options.answers ?? [],
    authorities: options.authorities ?? [],
    durationMs: 1,
  };
}

function failure(name: string, type: DnsQueryType, errorClass: DnsErrorClass): DnsQueryObservation {
  return {
    name,
    type,
    resolver: '192.0.2.1:53',
    transport: 'udp',
    retriedOverTcp: false,
    answers: [],
    authorities: [],
    durationMs: 2000,
    error: { class: errorClass, message: errorClass },
  };
}

const soa = (serial: number): DnsRecord => ({
  name: ZONE,
  type: 'SOA',
  ttl: 3600,
  data: { mname: `ns1.${ZONE}`, rname: `hostmaster.${ZONE}`, serial, refresh: 1, retry: 1, expire: 1, minimum: 300 },
});
const srvRecord = (target: string): DnsRecord => ({ name: SRV_NAME, type: 'SRV', ttl: 3600, data: { priority: 10, weight: 10, port: 5061, target } });
const aRecord = (address: string): DnsRecord => ({ name: TARGET, type: 'A', ttl: 3600, data: address });

const observations: AuthoritativeObservations = { name: SRV_NAME, zone: ZONE, nameServers: [`ns1.${ZONE}`], targetHost: TARGET, servers: [] };

function server(queries: DnsQueryObservation[], address = '192.0.2.1'): AuthoritativeServerObservation {
  return { nameServers: [`ns1.${ZONE}`], address, endpoint: `${address}:53`, queries };
}

function healthy(serial: number, target = TARGET, address = '198.51.100.10', at = '192.0.2.1'): AuthoritativeServerObservation {
  return server(
    [
      response(ZONE, 'SOA', { answers: [soa(serial)] }),
      response(SRV_NAME, 'SRV', { answers: [srvRecord(target)] }),
      response(TARGET, 'A', { answers: [aRecord(address)] }),
      response(TARGET, 'AAAA', { authorities: [soa(serial)] }),
    ],
    at,
  );
}

describe('zoneApexFrom', () => {
  it('reads the zone from the SOA in the authority section of a negative answer', () => {
    expect(zoneApexFrom(response(SRV_NAME, 'SRV', { rcode: 'NXDOMAIN', authorities: [soa(1)] }))).toBe(ZONE);
    expect(zoneApexFrom(response(SRV_NAME, 'SOA', { authorities: [soa(1)] }))).toBe(ZONE);
  });

  it('reads the apex from an SOA answer', () => {
    expect(zoneApexFrom(response(ZONE, 'SOA', { answers: [soa(1)] }))).toBe(ZONE);
  });

  it('finds no zone in a positive answer, a failure, an unrelated SOA, or behind a CNAME', () => {
    expect(zoneApexFrom(response(SRV_NAME, 'SRV', { answers: [srvRecord(TARGET)] }))).toBeUndefined();
    expect(zoneApexFrom(response(SRV_NAME, 'SRV', { rcode: 'SERVFAIL', authorities: [soa(1)] }))).toBeUndefined();
    expect(zoneApexFrom(failure(SRV_NAME, 'SRV', 'timeout'))).toBeUndefined();
    const elsewhere: DnsRecord = { ...soa(1), name: 'other.net' } as DnsRecord;
    expect(zoneApexFrom(response(SRV_NAME, 'SRV', { rcode: 'NXDOMAIN', authorities: [elsewhere] }))).toBeUndefined();
    const alias: DnsRecord = { name: SRV_NAME, type: 'CNAME', ttl: 60, data: '_sipfederationtls._tcp.other.net' };
    const otherSoa = { ...soa(1), name: 'other.net' } as DnsRecord;
    expect(zoneApexFrom(response(SRV_NAME, 'SOA', { answers: [alias], authorities: [otherSoa] }))).toBeUndefined();
  });
});

describe('authoritativeQuestions', () => {
  it('asks SOA and SRV, and the target addresses only for a target inside the zone', () => {
    expect(authoritativeQuestions(observations).map((q) => `${q.name} ${q.type}`)).toEqual([
      `${ZONE} SOA`,
      `${SRV_NAME} SRV`,
      `${TARGET} A`,
      `${TARGET} AAAA`,
    ]);
    expect(authoritativeQuestions({ name: SRV_NAME, zone: ZONE }).map((q) => q.type)).toEqual(['SOA', 'SRV']);
    expect(authoritativeQuestions({ name: SRV_NAME })).toEqual([]);
  });
});

describe('readAuthoritativeServer', () => {
  it('reads a healthy server: serial, SRV and addresses as comparable text', () => {
    const reading = readAuthoritativeServer(observations, healthy(7));
    expect(reading).toMatchObject({
      state: 'answered',
      serial: 7,
      srv: [`${SRV_NAME} SRV 10 10 5061 ${TARGET}`],
      addresses: [`${TARGET} A 198.51.100.10`, 'AAAA NODATA'],
      unanswered: [],
    });
  });

  it.each([
    ['REFUSED', true, 'refused'],
    ['SERVFAIL', true, 'servfail'],
    ['NOTAUTH', true, 'other-rcode'],
    ['NOERROR', false, 'not-authoritative'],
    ['NXDOMAIN', false, 'not-authoritative'],
  ] as const)('calls a server lame for %s (AA %s): %s', (rcode, aa, reason) => {
    const queries = healthy(7).queries.map((query, index) => (index === 1 ? response(query.name, query.type, { rcode, aa }) : query));
    const reading = readAuthoritativeServer(observations, server(queries));
    expect(reading.state).toBe('lame');
    expect(reading.lame?.reason).toBe(reason);
    expect(reading.lame?.query.type).toBe('SRV');
  });

  it('calls a server unreachable when no question got a response, and not asked when the deadline ended them all', () => {
    const timeouts = authoritativeQuestions(observations).map((q) => failure(q.name, q.type, 'timeout'));
    expect(readAuthoritativeServer(observations, server(timeouts))).toMatchObject({ state: 'unreachable', unanswered: timeouts });
    const aborted = authoritativeQuestions(observations).map((q) => failure(q.name, q.type, 'aborted'));
    expect(readAuthoritativeServer(observations, server(aborted)).state).toBe('not-asked');
  });

  it('keeps what a partly answering server said and lists the questions it left unanswered', () => {
    const queries = healthy(7).queries.map((query, index) => (index === 3 ? failure(query.name, query.type, 'timeout') : query));
    const reading = readAuthoritativeServer(observations, server(queries));
    expect(reading.state).toBe('answered');
    expect(reading.srv).toBeDefined();
    expect(reading.addresses).toBeUndefined();
    expect(reading.unanswered.map((query) => query.type)).toEqual(['AAAA']);
  });

  it('reads an NXDOMAIN answer as such, so a server without the record differs from one with it', () => {
    const queries = healthy(7).queries.map((query, index) =>
      index === 1 ? response(SRV_NAME, 'SRV', { rcode: 'NXDOMAIN', authorities: [soa(7)] }) : query,
    );
    expect(readAuthoritativeServer(observations, server(queries)).srv).toEqual(['SRV NXDOMAIN']);
  });
});

describe('agreementGroups', () => {
  it('groups servers by identical answers, largest group first, and ignores lame and silent ones', () => {
    const current = [healthy(8, TARGET, '198.51.100.10', '192.0.2.1'), healthy(8, TARGET, '198.51.100.10', '192.0.2.2')];
    const stale = healthy(7, `old.${ZONE}`, '198.51.100.99', '192.0.2.3');
    const lame = server([response(ZONE, 'SOA', { rcode: 'REFUSED', aa: false })], '192.0.2.4');
    const readings = [stale, ...current, lame].map((entry) => readAuthoritativeServer(observations, entry));
    const groups = agreementGroups(readings, 'srv');
    expect(groups.map((group) => group.map((reading) => reading.server.address))).toEqual([['192.0.2.1', '192.0.2.2'], ['192.0.2.3']]);
    expect(agreementGroups(readings, 'addresses')).toHaveLength(2);
  });

  it('puts servers that agree despite different serials in one group', () => {
    const readings = [healthy(8, TARGET, '198.51.100.10', '192.0.2.1'), healthy(7, TARGET, '198.51.100.10', '192.0.2.2')].map((entry) =>
      readAuthoritativeServer(observations, entry),
    );
    expect(agreementGroups(readings, 'srv')).toHaveLength(1);
    expect(agreementGroups(readings, 'addresses')).toHaveLength(1);
    expect(readings.map((reading) => reading.serial)).toEqual([8, 7]);
  });
});
