// What the authoritative name servers of a federation zone said when asked directly: the
// observations behind dns-authoritative. A recursive resolver shows one server's view, cached;
// Microsoft's edges each resolve through their own resolvers, so a stale or lame server behind the
// same NS set answers some of them and not others. Asking every server shows all the views.
import { canonicalName, cnameChain, wasSent } from './dns.js';
import type { DnsQueryObservation, DnsQueryType } from './observations.js';

/** Authoritative servers answer on the DNS port, whatever port `--resolver` names. */
export const AUTHORITATIVE_DNS_PORT = 53;

/**
 * A zone served by more name server addresses than this is asked at the first ones only, so a
 * hostile NS set cannot turn one domain into hundreds of queries.
 */
export const MAX_AUTHORITATIVE_SERVERS = 16;

export interface AuthoritativeObservations {
  /** The name whose zone was looked for: `_sipfederationtls._tcp.<domain>`. */
  name: string;
  /** The zone holding `name` (the owner of its SOA record), when the resolvers showed one. */
  zone?: string;
  /** The zone's NS records as the resolvers returned them, sorted. */
  nameServers: string[];
  /** The SRV target Microsoft selects, when it is inside the zone: its A/AAAA were asked too. */
  targetHost?: string;
  /** One entry per name server address, in NS order: everything asked of it directly. */
  servers: AuthoritativeServerObservation[];
  /** Addresses beyond MAX_AUTHORITATIVE_SERVERS, not asked. */
  unaskedAddresses?: string[];
}

export interface AuthoritativeServerObservation {
  /** The NS names that resolve to this address (usually one). */
  nameServers: string[];
  address: string;
  /** "address:53": the `resolver` of every query below. */
  endpoint: string;
  /** Asked with recursion not desired (RD=0): the zone's SOA, the SRV record, the target's A and AAAA. */
  queries: DnsQueryObservation[];
}

/** The questions every authoritative server is asked, in order. */
export function authoritativeQuestions(
  observations: Pick<AuthoritativeObservations, 'name' | 'zone' | 'targetHost'>,
): { name: string; type: DnsQueryType }[] {
  if (observations.zone === undefined) return [];
  return [
    { name: observations.zone, type: 'SOA' },
    { name: observations.name, type: 'SRV' },
    ...(observations.targetHost !== undefined
      ? [
          { name: observations.targetHost, type: 'A' as const },
          { name: observations.targetHost, type: 'AAAA' as const },
        ]
      : []),
  ];
}

/** What one server answered to one of the questions, when it was asked. */
export function serverQuery(
  server: AuthoritativeServerObservation,
  name: string,
  type: DnsQueryType,
): DnsQueryObservation | undefined {
  const wanted = canonicalName(name);
  return server.queries.find((query) => query.name === wanted && query.type === type);
}

/**
 * The zone a response places the asked name in: the owner of an SOA record in the answer (the
 * name is the apex) or in the authority section (a negative answer carries its zone's SOA,
 * RFC 2308 §3). Undefined when the response has neither, or when a CNAME took the answer into
 * another name's zone.
 */
export function zoneApexFrom(query: DnsQueryObservation): string | undefined {
  if (query.error || (query.rcode !== 'NOERROR' && query.rcode !== 'NXDOMAIN')) return undefined;
  if (cnameChain(query).length > 0) return undefined;
  const soa = [...query.answers, ...query.authorities].find(
    (record) => record.type === 'SOA' && isAtOrBelow(query.name, record.name),
  );
  return soa?.name;
}

/** Whether `name` is `ancestor` or a name below it. */
export function isAtOrBelow(name: string, ancestor: string): boolean {
  const child = canonicalName(name);
  const parent = canonicalName(ancestor);
  return parent === '.' || child === parent || child.endsWith(`.${parent}`);
}

/** The name one label up; the root's parent is the root. */
export function parentDomain(name: string): string {
  const canonical = canonicalName(name);
  const dot = canonical.indexOf('.');
  return dot === -1 ? '.' : canonical.slice(dot + 1);
}

/** Why a server that answered is not a working authoritative server for the zone. */
export type LameReason = 'refused' | 'servfail' | 'not-authoritative' | 'other-rcode';

/** One server's part in the zone, read from its answers; shared by dns-authoritative and the report. */
export interface AuthoritativeServerReading {
  server: AuthoritativeServerObservation;
  /**
   * answered: authoritative answers to every question that got a response; lame: at least one
   * response was REFUSED, SERVFAIL, another error rcode, or came without the AA bit;
   * unreachable: no question got a response (timeout, refused connection, no route);
   * not-asked: the run's deadline expired before any question was sent; cut-short: the run's
   * deadline ended the wait for answers that had not come (nothing is known about the server).
   */
  state: 'answered' | 'lame' | 'unreachable' | 'not-asked' | 'cut-short';
  /** For lame: the first response that makes it so, and why. */
  lame?: { query: DnsQueryObservation; reason: LameReason };
  /** Questions that got no response (all of them for an unreachable server). */
  unanswered: DnsQueryObservation[];
  /** The zone's SOA serial, when the SOA question was answered. */
  serial?: number;
  /** The SRV answer, as comparable text: "10 10 5061 sip.example.com" lines, sorted, or NXDOMAIN/NODATA. */
  srv?: string[];
  /** The target's addresses, A then AAAA, each sorted, or NXDOMAIN/NODATA per type. */
  addresses?: string[];
}

export function readAuthoritativeServer(
  observations: AuthoritativeObservations,
  server: AuthoritativeServerObservation,
): AuthoritativeServerReading {
  const reading: AuthoritativeServerReading = { server, state: 'answered', unanswered: [] };
  const responded = server.queries.filter((query) => query.rcode !== undefined);
  reading.unanswered = server.queries.filter((query) => query.rcode === undefined);
  if (responded.length === 0) {
    if (server.queries.every((query) => query.error?.class === 'aborted')) {
      reading.state = server.queries.some(wasSent) ? 'cut-short' : 'not-asked';
    } else {
      reading.state = 'unreachable';
    }
    return reading;
  }
  for (const query of responded) {
    const reason = lameReason(query);
    if (reason) {
      reading.state = 'lame';
      reading.lame = { query, reason };
      return reading;
    }
  }
  const soa = serverQuery(server, observations.zone ?? '', 'SOA');
  const serial = soa ? soaSerial(soa) : undefined;
  if (serial !== undefined) reading.serial = serial;
  const srv = serverQuery(server, observations.name, 'SRV');
  if (srv?.rcode !== undefined) reading.srv = comparableAnswer(srv);
  if (observations.targetHost !== undefined) {
    const a = serverQuery(server, observations.targetHost, 'A');
    const aaaa = serverQuery(server, observations.targetHost, 'AAAA');
    if (a?.rcode !== undefined && aaaa?.rcode !== undefined) reading.addresses = [...comparableAnswer(a), ...comparableAnswer(aaaa)];
  }
  return reading;
}

function lameReason(query: DnsQueryObservation): LameReason | undefined {
  switch (query.rcode) {
    case 'NOERROR':
    case 'NXDOMAIN':
      // A referral (NS records in the authority section, no AA) is the classic lame delegation too.
      return query.flags?.authoritative ? undefined : 'not-authoritative';
    case 'REFUSED':
      return 'refused';
    case 'SERVFAIL':
      return 'servfail';
    default:
      return 'other-rcode';
  }
}

function soaSerial(query: DnsQueryObservation): number | undefined {
  const record = query.answers.find((answer) => answer.type === 'SOA' && answer.name === query.name);
  return record?.type === 'SOA' ? record.data.serial : undefined;
}

/**
 * An answer as text that compares equal when two servers say the same: the records of the asked
 * type (and any CNAME on the way) in a stable order, or the negative outcome.
 */
function comparableAnswer(query: DnsQueryObservation): string[] {
  if (query.rcode === 'NXDOMAIN') return [`${query.type} NXDOMAIN`];
  const lines = query.answers
    .filter((record) => record.type === query.type || record.type === 'CNAME')
    .map((record) => {
      switch (record.type) {
        case 'SRV':
          return `${record.name} SRV ${record.data.priority} ${record.data.weight} ${record.data.port} ${record.data.target}`;
        case 'SOA':
          return `${record.name} SOA ${record.data.serial}`;
        case 'TXT':
          return `${record.name} TXT ${record.data.join(' ')}`;
        default:
          return `${record.name} ${record.type} ${record.data}`;
      }
    })
    .sort();
  return lines.length > 0 ? lines : [`${query.type} NODATA`];
}

/**
 * The servers that answered the SRV question (or the target address questions), grouped by
 * identical answers, largest group first. A server that did not answer that question is in no group.
 */
export function agreementGroups(
  readings: readonly AuthoritativeServerReading[],
  answer: 'srv' | 'addresses',
): AuthoritativeServerReading[][] {
  const groups = new Map<string, AuthoritativeServerReading[]>();
  for (const reading of readings) {
    const lines = reading[answer];
    if (reading.state !== 'answered' || lines === undefined) continue;
    const key = lines.join('\n');
    const group = groups.get(key);
    if (group) group.push(reading);
    else groups.set(key, [reading]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}
