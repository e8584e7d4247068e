// Pure readings of DNS observations shared by gather (what to ask next), the checks and the
// reports, so that all three agree on what an answer means and which record Microsoft uses.
import type {
  DnsOutcome,
  DnsQueryObservation,
  DnsQueryType,
  DnsRecord,
  SrvData,
  TargetObservations,
} from './observations.js';

export const SIP_FEDERATION_SERVICE = '_sipfederationtls._tcp';

export function sipFederationSrvName(domain: string): string {
  return `${SIP_FEDERATION_SERVICE}.${domain}`;
}

/** Lower-case, no trailing dot; the root stays ".". */
export function canonicalName(name: string): string {
  if (name === '.' || name === '') return '.';
  return name.replace(/\.$/, '').toLowerCase();
}

export function findQuery(
  target: TargetObservations,
  name: string,
  type: DnsQueryType,
  resolver?: string,
): DnsQueryObservation | undefined {
  const wanted = canonicalName(name);
  return target.dns.find(
    (q) => q.name === wanted && q.type === type && (resolver === undefined || q.resolver === resolver),
  );
}

/** The records of the asked type at the end of any CNAME chain starting at the query name. */
export function finalRecords<T extends DnsRecord['type']>(
  query: DnsQueryObservation,
  type: T,
): Extract<DnsRecord, { type: T }>[] {
  const chain = cnameChain(query);
  // Most answers have no alias: the records sit at the query name (checks ask this constantly).
  if (chain.length === 0) return query.answers.filter((record): record is Extract<DnsRecord, { type: T }> => record.type === type && record.name === query.name);
  const owners = new Set(chain.map((link) => link.name));
  owners.add(query.name);
  for (const link of chain) owners.add(link.data);
  return query.answers.filter(
    (record): record is Extract<DnsRecord, { type: T }> => record.type === type && owners.has(record.name),
  );
}

/** The CNAME records that lead away from the query name, in order. */
export function cnameChain(query: DnsQueryObservation): Extract<DnsRecord, { type: 'CNAME' }>[] {
  const chain: Extract<DnsRecord, { type: 'CNAME' }>[] = [];
  if (!query.answers.some((record) => record.type === 'CNAME')) return chain;
  let current = query.name;
  const seen = new Set<string>();
  while (!seen.has(current)) {
    seen.add(current);
    const link = query.answers.find(
      (record): record is Extract<DnsRecord, { type: 'CNAME' }> =>
        record.type === 'CNAME' && record.name === current,
    );
    if (!link) break;
    chain.push(link);
    current = link.data;
  }
  return chain;
}

export function dnsOutcome(query: DnsQueryObservation): DnsOutcome {
  if (query.error) {
    switch (query.error.class) {
      case 'timeout':
        return 'timeout';
      case 'connection-refused':
        return 'connection-refused';
      case 'unreachable':
        return 'unreachable';
      case 'malformed':
        return 'malformed';
      case 'aborted':
        return 'aborted';
      default:
        return 'error';
    }
  }
  switch (query.rcode) {
    case 'NOERROR':
      return finalRecords(query, query.type as DnsRecord['type']).length > 0 ? 'answer' : 'nodata';
    case 'NXDOMAIN':
      return 'nxdomain';
    case 'SERVFAIL':
      return 'servfail';
    case 'REFUSED':
      return 'refused';
    default:
      return 'other-rcode';
  }
}

/** True when the outcome says something about the zone (as opposed to the resolver failing). */
export function isDefinitive(outcome: DnsOutcome): boolean {
  return outcome === 'answer' || outcome === 'nodata' || outcome === 'nxdomain';
}

/**
 * The question went out before the run deadline ended it: an 'aborted' query then says how long
 * it waited, not that it was never asked. Reports written before udpTries existed aborted only
 * unsent questions.
 */
export function wasSent(query: DnsQueryObservation): boolean {
  return (query.udpTries ?? 0) > 0 || query.retriedOverTcp;
}

/**
 * The server answered over UDP with TC set and then refused (or reset) the TCP connection the
 * answer must be fetched over: it is there, but its TCP port is closed or filtered.
 */
export function tcpRetryRefused(query: DnsQueryObservation): boolean {
  return dnsOutcome(query) === 'connection-refused' && query.retriedOverTcp;
}

/** "3 queries", "1 query": the UDP copies of a question, when the report records them. */
function udpTriesText(query: DnsQueryObservation): string {
  const tries = query.udpTries;
  if (tries === undefined || tries < 2) return '';
  return ` to ${tries} queries`;
}

/** One phrase for a failed lookup, for messages: "timed out after 2000 ms at 10.0.0.53:53". */
export function describeOutcome(query: DnsQueryObservation): string {
  const outcome = dnsOutcome(query);
  const at = `at ${query.resolver}`;
  const ms = Math.round(query.durationMs);
  switch (outcome) {
    case 'answer':
      return `answered ${at}`;
    case 'nodata':
      return `exists but has no ${query.type} record (NOERROR, no data) ${at}`;
    case 'nxdomain':
      return `does not exist (NXDOMAIN) ${at}`;
    case 'servfail':
      return `could not be resolved: the server answered SERVFAIL ${at}`;
    case 'refused':
      return `could not be resolved: the server REFUSED the query ${at}`;
    case 'other-rcode':
      return `could not be resolved: the server answered ${query.rcode} ${at}`;
    case 'timeout':
      return `could not be resolved: no answer${udpTriesText(query)} within ${ms} ms ${at}`;
    case 'connection-refused':
      if (query.retriedOverTcp) {
        return (
          `could not be resolved: ${query.resolver} answered over UDP with the truncated flag (TC) set, then refused the TCP ` +
          `retry for the full answer (${query.error?.message ?? 'connection refused'}): its TCP port is closed or filtered`
        );
      }
      return `could not be resolved: connection refused ${at} (no DNS server listening)`;
    case 'unreachable':
      return `could not be resolved: ${query.resolver} is unreachable`;
    case 'malformed':
      return `could not be resolved: the response ${at} was not a valid DNS message`;
    case 'aborted':
      if (wasSent(query)) {
        return `was cut short: the run's --timeout ran out ${ms} ms after the question was sent to ${query.resolver}, before any answer came`;
      }
      return `was not queried: the run's --timeout expired first`;
    default:
      return `could not be resolved (${query.error?.message ?? 'unknown error'}) ${at}`;
  }
}

export interface SrvSelection {
  /** The record Microsoft's edge uses. */
  selected: SrvData;
  /** Index of the selected record in the order the resolver returned them. */
  index: number;
  /** All SRV records, in the order returned. */
  records: SrvData[];
  /** Why this one: "the only record", "lowest priority (10)", … */
  reason: string;
}

/**
 * Microsoft edges ignore SRV load balancing (seed: "Limitations Related to DNS"): lowest
 * priority, then highest weight, and on a full tie the first record returned; the others are
 * never used, not even for failover.
 */
export function selectSrvRecord(records: SrvData[]): SrvSelection | undefined {
  if (records.length === 0) return undefined;
  let index = 0;
  records.forEach((record, i) => {
    const best = records[index]!;
    if (record.priority < best.priority || (record.priority === best.priority && record.weight > best.weight)) {
      index = i;
    }
  });
  const selected = records[index]!;
  let reason: string;
  if (records.length === 1) {
    reason = 'the only record';
  } else {
    const samePriority = records.filter((r) => r.priority === selected.priority);
    if (samePriority.length === 1) {
      reason = `lowest priority (${selected.priority})`;
    } else {
      const sameWeight = samePriority.filter((r) => r.weight === selected.weight);
      reason =
        sameWeight.length === 1
          ? `lowest priority (${selected.priority}), then highest weight (${selected.weight})`
          : `lowest priority (${selected.priority}) and highest weight (${selected.weight}) tie, so the first record returned wins`;
    }
  }
  return { selected, index, records, reason };
}

export function srvRecords(query: DnsQueryObservation): SrvData[] {
  return finalRecords(query, 'SRV').map((record) => record.data);
}

/** The SRV selection for a target's own SRV query on its first external resolver. */
export function targetSrvSelection(target: TargetObservations): SrvSelection | undefined {
  const query = effectiveQuery(target, sipFederationSrvName(target.domain), 'SRV');
  return query ? selectSrvRecord(srvRecords(query)) : undefined;
}

/**
 * The query the run settled on for a name and type in the external view: resolvers are tried
 * in order until one gives a definitive answer, so that is the first definitive one, else the
 * last one tried.
 */
export function effectiveQuery(
  target: TargetObservations,
  name: string,
  type: DnsQueryType,
  resolvers: string[] = target.resolvers,
): DnsQueryObservation | undefined {
  const wanted = canonicalName(name);
  const tried = target.dns.filter((q) => q.name === wanted && q.type === type && resolvers.includes(q.resolver));
  return tried.find((q) => isDefinitive(dnsOutcome(q))) ?? tried[tried.length - 1];
}

/** How many CNAME hops gather follows (and the readings below accept). */
export const MAX_CNAME_HOPS = 8;

export interface AddressLookup {
  /** The A or AAAA queries asked for this host, following any CNAME chain across queries. */
  queries: DnsQueryObservation[];
  /** CNAME records met on the way from the host name to the addresses. */
  aliases: Extract<DnsRecord, { type: 'CNAME' }>[];
  addresses: string[];
  /** The first query on the way (the host itself), for outcome messages. */
  first?: DnsQueryObservation;
  /** The last query on the way; its outcome is the lookup's outcome. */
  last?: DnsQueryObservation;
}

/**
 * The A (or AAAA) addresses of a host as the run observed them. When an answer ends in a CNAME
 * whose target the resolver did not resolve (an authoritative server outside its zone), gather
 * asked the CNAME target separately; this follows those hops too.
 */
export function lookupAddresses(
  target: TargetObservations,
  host: string,
  type: 'A' | 'AAAA',
  resolvers: string[] = target.resolvers,
): AddressLookup {
  const lookup: AddressLookup = { queries: [], aliases: [], addresses: [] };
  let name = canonicalName(host);
  const visited = new Set<string>();
  for (let hop = 0; hop <= MAX_CNAME_HOPS && !visited.has(name); hop++) {
    visited.add(name);
    const query = effectiveQuery(target, name, type, resolvers);
    if (!query) break;
    lookup.queries.push(query);
    lookup.first ??= query;
    lookup.last = query;
    const chain = cnameChain(query);
    lookup.aliases.push(...chain);
    const records = finalRecords(query, type);
    if (records.length > 0) {
      lookup.addresses.push(...records.map((record) => record.data as string));
      break;
    }
    const end = chain[chain.length - 1];
    if (!end) break;
    name = end.data;
  }
  return lookup;
}

/** The name a CNAME-terminated answer still needs resolving, or undefined when it is complete. */
export function unresolvedCnameTarget(query: DnsQueryObservation): string | undefined {
  if (query.error || query.rcode !== 'NOERROR') return undefined;
  if (finalRecords(query, query.type as DnsRecord['type']).length > 0) return undefined;
  const chain = cnameChain(query);
  return chain[chain.length - 1]?.data;
}

/** The in-addr.arpa / ip6.arpa name of an address, for PTR questions. */
export function reverseName(address: string): string {
  if (address.includes(':')) {
    const [head = '', tail = ''] = address.split('::');
    const groups = (part: string) => (part === '' ? [] : part.split(':'));
    const headGroups = groups(head);
    const tailGroups = address.includes('::') ? groups(tail) : [];
    const zeros = Array(8 - headGroups.length - tailGroups.length).fill('0');
    const full = [...headGroups, ...zeros, ...tailGroups].map((group) => group.padStart(4, '0')).join('');
    return `${[...full].reverse().join('.')}.ip6.arpa`;
  }
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}
