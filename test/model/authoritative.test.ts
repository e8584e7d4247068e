import { describe, expect, it } from 'vitest';
import {
  agreementGroups,
  authoritativeQuestions,
  readAuthoritativeServer,
  zoneApexFrom,
  type AuthoritativeObservations,
} from '../../src/model/authoritative.js';
import {
  DOMAIN,
  OLD_SERIAL,
  SERIAL,
  authoritativeTarget,
  cnameRecord,
  dnsQuery,
  nxdomain,
  servfail,
  soaRecord,
  srv,
  srvName,
  srvQuery,
  timeout,
  type AuthoritativeTargetOptions,
} from '../helpers/builders/index.js';

const SRV_NAME = srvName(DOMAIN);
const TARGET = `sip.${DOMAIN}`;

function observed(options: AuthoritativeTargetOptions): AuthoritativeObservations {
  const observations = authoritativeTarget(options).authoritative;
  if (!observations) throw new Error('no authoritative observations');
  return observations;
}

function readings(options: AuthoritativeTargetOptions) {
  const observations = observed(options);
  return observations.servers.map((server) => readAuthoritativeServer(observations, server));
}

describe('zoneApexFrom', () => {
  it('reads the zone from the SOA in the authority section of a negative answer', () => {
    expect(zoneApexFrom(nxdomain(SRV_NAME, 'SRV', { authorities: [soaRecord(DOMAIN, 1)] }))).toBe(DOMAIN);
    expect(zoneApexFrom(dnsQuery(SRV_NAME, 'SOA', 'NOERROR', [], { authorities: [soaRecord(DOMAIN, 1)] }))).toBe(DOMAIN);
  });

  it('reads the apex from an SOA answer', () => {
    expect(zoneApexFrom(dnsQuery(DOMAIN, 'SOA', 'NOERROR', [soaRecord(DOMAIN, 1)]))).toBe(DOMAIN);
  });

  it('finds no zone in a positive answer, a failure, an unrelated SOA, or behind a CNAME', () => {
    expect(zoneApexFrom(srvQuery(SRV_NAME, [srv(10, 10, 5061, TARGET)]))).toBeUndefined();
    expect(zoneApexFrom(servfail(SRV_NAME, 'SRV', { authorities: [soaRecord(DOMAIN, 1)] }))).toBeUndefined();
    expect(zoneApexFrom(timeout(SRV_NAME, 'SRV'))).toBeUndefined();
    expect(zoneApexFrom(nxdomain(SRV_NAME, 'SRV', { authorities: [soaRecord('other.net', 1)] }))).toBeUndefined();
    const alias = cnameRecord(SRV_NAME, '_sipfederationtls._tcp.other.net');
    expect(zoneApexFrom(dnsQuery(SRV_NAME, 'SOA', 'NOERROR', [alias], { authorities: [soaRecord('other.net', 1)] }))).toBeUndefined();
  });
});

describe('authoritativeQuestions', () => {
  it('asks SOA and SRV, and the target addresses only for a target inside the zone', () => {
    expect(authoritativeQuestions({ name: SRV_NAME, zone: DOMAIN, targetHost: TARGET }).map((q) => `${q.name} ${q.type}`)).toEqual([
      `${DOMAIN} SOA`,
      `${SRV_NAME} SRV`,
      `${TARGET} A`,
      `${TARGET} AAAA`,
    ]);
    expect(authoritativeQuestions({ name: SRV_NAME, zone: DOMAIN }).map((q) => q.type)).toEqual(['SOA', 'SRV']);
    expect(authoritativeQuestions({ name: SRV_NAME })).toEqual([]);
  });
});

describe('readAuthoritativeServer', () => {
  it('reads a healthy server: serial, SRV and addresses as comparable text', () => {
    expect(readings({ servers: [{}] })[0]).toMatchObject({
      state: 'answered',
      serial: SERIAL,
      srv: [`${SRV_NAME} SRV 10 10 5061 ${TARGET}`],
      addresses: [`${TARGET} A 192.0.2.10`, 'AAAA NODATA'],
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
    const [reading] = readings({ servers: [{ lame: { rcode, aa, question: 'SRV' } }] });
    expect(reading?.state).toBe('lame');
    expect(reading?.lame?.reason).toBe(reason);
    expect(reading?.lame?.query.type).toBe('SRV');
  });

  it('calls a server unreachable when no question got a response, and not asked when the deadline ended them all', () => {
    const [unreachable] = readings({ servers: [{ noResponse: 'timeout' }] });
    expect(unreachable).toMatchObject({ state: 'unreachable' });
    expect(unreachable?.unanswered).toHaveLength(4);
    expect(readings({ servers: [{ noResponse: 'aborted' }] })[0]?.state).toBe('not-asked');
    expect(readings({ servers: [{ cutShort: ['SOA', 'SRV', 'A', 'AAAA'] }] })[0]?.state).toBe('cut-short');
    expect(readings({ servers: [{ cutShort: ['SOA', 'SRV', 'A'], unanswered: ['AAAA'] }] })[0]?.state).toBe('unreachable');
  });

  it('keeps what a partly answering server said and lists the questions it left unanswered', () => {
    const [reading] = readings({ servers: [{ unanswered: ['AAAA'] }] });
    expect(reading?.state).toBe('answered');
    expect(reading?.srv).toBeDefined();
    expect(reading?.addresses).toBeUndefined();
    expect(reading?.unanswered.map((query) => query.type)).toEqual(['AAAA']);
  });

  it('reads an NXDOMAIN answer as such, so a server without the record differs from one with it', () => {
    expect(readings({ servers: [{ srv: 'nxdomain' }] })[0]?.srv).toEqual(['SRV NXDOMAIN']);
  });
});

describe('agreementGroups', () => {
  it('groups servers by identical answers, largest group first, and leaves out lame and silent ones', () => {
    const all = readings({
      servers: [{ serial: OLD_SERIAL, srv: [srv(10, 10, 5061, `old.${DOMAIN}`)], ipv4: ['192.0.2.99'] }, {}, {}, { lame: { rcode: 'REFUSED' } }, { noResponse: 'timeout' }],
    });
    expect(agreementGroups(all, 'srv').map((group) => group.map((reading) => reading.server.address))).toEqual([
      ['192.0.2.52', '192.0.2.53'],
      ['192.0.2.51'],
    ]);
    expect(agreementGroups(all, 'addresses')).toHaveLength(2);
  });

  it('puts servers that agree despite different serials in one group', () => {
    const all = readings({ servers: [{}, { serial: OLD_SERIAL }] });
    expect(agreementGroups(all, 'srv')).toHaveLength(1);
    expect(agreementGroups(all, 'addresses')).toHaveLength(1);
    expect(all.map((reading) => reading.serial)).toEqual([SERIAL, OLD_SERIAL]);
  });
});
