// What the authoritative name servers of a federation zone said when asked directly: the
// observations behind dns-authoritative. A recursive resolver shows one server's view, cached;
// Microsoft's edges each resolve through their own resolvers, so a stale or lame server behind the
// same NS set answers some of them and not others. Asking every server shows all the views.
import { canonicalName, cnameChain } from './dns.js';
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
