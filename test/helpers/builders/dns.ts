// Builders of hand-made DNS observations and targets, for the check, report and model tests.
// Everything defaults to a healthy ciscoexample.com seen through one resolver, so a test states
// only what it breaks:
//
//   const target = federationTarget({ srv: [srv(10, 10, 5062, 'sip.ciscoexample.com')] });
//   const target = targetObservations({ dns: [servfail(srvName('ciscoexample.com'), 'SRV')] });
import { selectSrvRecord, sipFederationSrvName } from '../../../src/model/dns.js';
import type {
  DnsErrorClass,
  DnsFlags,
  DnsQueryObservation,
  DnsQueryType,
  DnsRecord,
  SrvData,
  TargetObservations,
} from '../../../src/model/observations.js';

export const DOMAIN = 'ciscoexample.com';
export const PARTNER_DOMAIN = 'msexample.com';
export const RESOLVER = '192.0.2.53:53';
export const SECOND_RESOLVER = '198.51.100.53:53';
export const TTL = 3600;
/** A fixed clock for checks that read `now`. */
export const NOW = new Date('2025-06-01T12:00:00Z');

export const srvName = sipFederationSrvName;

// ---------------------------------------------------------------------------------------------
// Records

export interface SrvSpec extends SrvData {
  ttl?: number;
}

/** One SRV record's data, as in a zone file: `srv(10, 10, 5061, 'sip.ciscoexample.com')`. */
export function srv(priority: number, weight: number, port: number, target: string, ttl?: number): SrvSpec {
  return ttl === undefined ? { priority, weight, port, target } : { priority, weight, port, target, ttl };
}

export function srvRecord(name: string, spec: SrvSpec): Extract<DnsRecord, { type: 'SRV' }> {
  const { ttl = TTL, ...data } = spec;
  return { name, type: 'SRV', ttl, data };
}

export function addressRecord(
  name: string,
  type: 'A' | 'AAAA',
  address: string,
  ttl = TTL,
): Extract<DnsRecord, { type: 'A' | 'AAAA' }> {
  return { name, type, ttl, data: address };
}

export function cnameRecord(name: string, target: string, ttl = TTL): Extract<DnsRecord, { type: 'CNAME' }> {
  return { name, type: 'CNAME', ttl, data: target };
}

/** CNAME records from `name` through each of `aliases` in turn; returns them and the final owner. */
export function aliasRecords(name: string, aliases: readonly string[] = [], ttl = TTL): { records: DnsRecord[]; owner: string } {
  const records: DnsRecord[] = [];
  let owner = name;
  for (const alias of aliases) {
    records.push(cnameRecord(owner, alias, ttl));
    owner = alias;
  }
  return { records, owner };
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface QueryOptions {
  resolver?: string;
  durationMs?: number;
  transport?: 'udp' | 'tcp';
  retriedOverTcp?: boolean;
  /** UDP copies of the question sent (absent: a report from before fedcheck retransmitted). */
  udpTries?: number;
  flags?: Partial<DnsFlags>;
  authorities?: DnsRecord[];
  /** The query name is an alias: CNAME from the name through these, the records sit at the last one. */
  cnames?: string[];
  /** TTL of those CNAME records (default TTL). */
  cnameTtl?: number;
}

const DEFAULT_FLAGS: DnsFlags = {
  authoritative: false,
  truncated: false,
  recursionDesired: true,
  recursionAvailable: true,
  authenticData: false,
  checkingDisabled: false,
};

/** What every query observation has, whatever came back: the question and whom it was asked, how. */
function exchange(name: string, type: DnsQueryType, options: QueryOptions) {
  return {
    name,
    type,
    resolver: options.resolver ?? RESOLVER,
    transport: options.transport ?? 'udp',
    retriedOverTcp: options.retriedOverTcp ?? false,
    ...(options.udpTries !== undefined ? { udpTries: options.udpTries } : {}),
  };
}

/** The general builder: a query that received a response with this rcode and these answers. */
export function dnsQuery(
  name: string,
  type: DnsQueryType,
  rcode: string,
  answers: DnsRecord[] = [],
  options: QueryOptions = {},
): DnsQueryObservation {
  return {
    ...exchange(name, type, options),
    rcode,
    flags: { ...DEFAULT_FLAGS, ...options.flags },
    answers,
    authorities: options.authorities ?? [],
    durationMs: options.durationMs ?? 12,
  };
}

/** An SRV answer; with `cnames`, the SRV name is an alias and the records sit at its end. */
export function srvQuery(name: string, records: SrvSpec[], options: QueryOptions = {}): DnsQueryObservation {
  const { records: aliases, owner } = aliasRecords(name, options.cnames, options.cnameTtl);
  return dnsQuery(name, 'SRV', 'NOERROR', [...aliases, ...records.map((spec) => srvRecord(owner, spec))], options);
}

/** An A or AAAA answer. No addresses with `cnames` = an answer that ends in an unresolved alias. */
export function addressQuery(
  name: string,
  type: 'A' | 'AAAA',
  addresses: string[],
  options: QueryOptions & { ttl?: number } = {},
): DnsQueryObservation {
  const { records: aliases, owner } = aliasRecords(name, options.cnames, options.cnameTtl);
  const answers = [...aliases, ...addresses.map((address) => addressRecord(owner, type, address, options.ttl))];
  return dnsQuery(name, type, 'NOERROR', answers, options);
}

/** NXDOMAIN; with `cnames`, the alias exists but its end does not. */
export function nxdomain(name: string, type: DnsQueryType, options: QueryOptions = {}): DnsQueryObservation {
  return dnsQuery(name, type, 'NXDOMAIN', aliasRecords(name, options.cnames, options.cnameTtl).records, options);
}

/** NOERROR with no record of the type (the name exists). */
export function nodata(name: string, type: DnsQueryType, options: QueryOptions = {}): DnsQueryObservation {
  return dnsQuery(name, type, 'NOERROR', aliasRecords(name, options.cnames, options.cnameTtl).records, options);
}

export function servfail(name: string, type: DnsQueryType, options: QueryOptions = {}): DnsQueryObservation {
  return dnsQuery(name, type, 'SERVFAIL', [], options);
}

export function refused(name: string, type: DnsQueryType, options: QueryOptions = {}): DnsQueryObservation {
  return dnsQuery(name, type, 'REFUSED', [], options);
}

/** No response at all; `errorClass` says how the exchange ended. */
export function noResponse(
  name: string,
  type: DnsQueryType,
  errorClass: DnsErrorClass,
  options: QueryOptions & { message?: string } = {},
): DnsQueryObservation {
  return {
    ...exchange(name, type, options),
    answers: [],
    authorities: [],
    durationMs: options.durationMs ?? (errorClass === 'timeout' ? 2000 : 3),
    error: { class: errorClass, message: options.message ?? `query ${errorClass}` },
  };
}

export function timeout(name: string, type: DnsQueryType, options: QueryOptions = {}): DnsQueryObservation {
  return noResponse(name, type, 'timeout', options);
}

// ---------------------------------------------------------------------------------------------
// Targets

export function targetObservations(overrides: Partial<TargetObservations> = {}): TargetObservations {
  return {
    domain: DOMAIN,
    role: 'local',
    resolvers: [RESOLVER],
    dns: [],
    tls: [],
    ...overrides,
  };
}

export interface FederationDnsOptions {
  domain?: string;
  /** The SRV records, in the order the resolver returns them. Default: one, 10 10 5061 sip.<domain>. */
  srv?: SrvSpec[];
  /** Addresses of the target Microsoft selects. Default: one IPv4 address. */
  ipv4?: string[];
  ipv6?: string[];
  /** The selected target is an alias: CNAME through these names, the addresses sit at the last. */
  targetCnames?: string[];
  resolver?: string;
}

/**
 * The DNS a healthy run gathers: the SRV answer and the A and AAAA lookups of the target
 * Microsoft selects (AAAA answers NOERROR/no data when there are no IPv6 addresses).
 */
export function federationDns(options: FederationDnsOptions = {}): DnsQueryObservation[] {
  const domain = options.domain ?? DOMAIN;
  const records = options.srv ?? [srv(10, 10, 5061, `sip.${domain}`)];
  const ipv4 = options.ipv4 ?? ['192.0.2.10'];
  const ipv6 = options.ipv6 ?? [];
  const at = { resolver: options.resolver ?? RESOLVER, cnames: options.targetCnames };
  const queries = [srvQuery(srvName(domain), records, { resolver: at.resolver })];
  const host = selectSrvRecord(records)?.selected.target;
  if (host === undefined || host === '.') return queries;
  queries.push(
    ipv4.length > 0 ? addressQuery(host, 'A', ipv4, at) : nodata(host, 'A', at),
    ipv6.length > 0 ? addressQuery(host, 'AAAA', ipv6, at) : nodata(host, 'AAAA', at),
  );
  return queries;
}

/** A whole target built from federationDns, plus `dns` queries appended and target overrides. */
export function federationTarget(
  options: FederationDnsOptions & { role?: 'local' | 'partner'; dns?: DnsQueryObservation[] } = {},
): TargetObservations {
  const domain = options.domain ?? (options.role === 'partner' ? PARTNER_DOMAIN : DOMAIN);
  return targetObservations({
    domain,
    role: options.role ?? 'local',
    resolvers: [options.resolver ?? RESOLVER],
    dns: [...federationDns({ ...options, domain }), ...(options.dns ?? [])],
  });
}
