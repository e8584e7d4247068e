// Shared building blocks for checks. Everything here is pure (no I/O, no clock):
//
// - findingBuilder(meta): makes findings that always carry the check id and its source, and
//   cannot be a warn or fail without remediation text.
// - federationSrv / federationSrvTarget: the prerequisites most checks share (the SRV record
//   Microsoft's edge selects, and its target host), with a ready skip reason when unmet.
// - hostAddresses / namespacePosition: what a host resolves to and where it sits relative to a
//   SIP domain, read through src/model/dns.ts so every check agrees.
// - zone-file rendering (zoneLine, srvZoneLine, addressZoneLine) so remediation names the exact
//   record to create, change or delete, and small wording helpers for messages.
import type { Finding, Status } from '../model/findings.js';
import type {
  DnsQueryObservation,
  DnsRecord,
  SrvData,
  TargetObservations,
} from '../model/observations.js';
import {
  canonicalName,
  cnameChain,
  describeOutcome,
  dnsOutcome,
  effectiveQuery,
  finalRecords,
  isDefinitive,
  lookupAddresses,
  selectSrvRecord,
  sipFederationSrvName,
  type AddressLookup,
  type SrvSelection,
} from '../model/dns.js';
import type { CheckMeta } from './types.js';

// ---------------------------------------------------------------------------------------------
// Findings

export interface FindingDetails {
  /** Machine-readable details (records, selected index, addresses…). */
  data?: Record<string, unknown>;
  /** Replaces the check's `meta.source` as the finding's reference, for a more precise source. */
  reference?: string;
  /** Advice on a pass/info/error/skip finding; warn and fail take remediation as an argument. */
  remediation?: string;
}

/**
 * Makes one check's findings. Warn and fail demand remediation (the project's rule: every
 * broken rule says exactly how to fix it); `reference` defaults to the check's source.
 */
export interface FindingBuilder {
  pass(subject: string, message: string, details?: FindingDetails): Finding;
  info(subject: string, message: string, details?: FindingDetails): Finding;
  warn(subject: string, message: string, remediation: string, details?: FindingDetails): Finding;
  fail(subject: string, message: string, remediation: string, details?: FindingDetails): Finding;
  /** Could not be determined (lookup SERVFAIL, timeout, …): not the subject's fault, not a pass. */
  error(subject: string, message: string, details?: FindingDetails): Finding;
  /** Not applicable, or a prerequisite failed; the message says which. */
  skip(subject: string, message: string, details?: FindingDetails): Finding;
}

export function findingBuilder(meta: Pick<CheckMeta, 'id' | 'source'>): FindingBuilder {
  const make = (
    status: Status,
    subject: string,
    message: string,
    details: FindingDetails = {},
    remediation: string | undefined = details.remediation,
  ): Finding => {
    const finding: Finding = { check: meta.id, status, subject, message };
    if (remediation !== undefined) finding.remediation = remediation;
    finding.reference = details.reference ?? meta.source;
    if (details.data !== undefined) finding.data = details.data;
    return finding;
  };
  return {
    pass: (subject, message, details) => make('pass', subject, message, details),
    info: (subject, message, details) => make('info', subject, message, details),
    warn: (subject, message, remediation, details) => make('warn', subject, message, details, remediation),
    fail: (subject, message, remediation, details) => make('fail', subject, message, details, remediation),
    error: (subject, message, details) => make('error', subject, message, details),
    skip: (subject, message, details) => make('skip', subject, message, details),
  };
}

// ---------------------------------------------------------------------------------------------
// Prerequisites

/** Either what a check needs, or why it cannot run: skip with `subject` and `reason` as message. */
export type Prerequisite<T> = { met: true; value: T } | { met: false; subject: string; reason: string };

export type SrvRecord = Extract<DnsRecord, { type: 'SRV' }>;
export type CnameRecord = Extract<DnsRecord, { type: 'CNAME' }>;
export type AddressRecord = Extract<DnsRecord, { type: 'A' | 'AAAA' }>;

export interface FederationSrv {
  domain: string;
  /** `_sipfederationtls._tcp.<domain>` */
  srvName: string;
  /** The SRV query the run settled on (see effectiveQuery). */
  query: DnsQueryObservation;
  /** All SRV records as returned, with owner name and TTL (the owner differs when the SRV name is an alias). */
  records: SrvRecord[];
  /** Microsoft's choice among `records` (same index order). */
  selection: SrvSelection;
  selectedRecord: SrvRecord;
  /** Canonical name of the selected target; "." when the record declares the service unavailable. */
  host: string;
  port: number;
  /** CNAME records leading away from the SRV name, when the SRV name itself is an alias. */
  ownerAliases: CnameRecord[];
}

/**
 * The federation SRV record set of a target, when srv-present passes (at least one SRV record
 * was found on the external resolvers). Otherwise a skip reason naming what went wrong.
 */
export function federationSrv(target: TargetObservations): Prerequisite<FederationSrv> {
  const srvName = sipFederationSrvName(target.domain);
  const query = effectiveQuery(target, srvName, 'SRV');
  if (!query) {
    const why = target.deadlineExceeded ? " (the run's --timeout expired first)" : '';
    return { met: false, subject: srvName, reason: `Not checked: ${srvName} was never queried${why}.` };
  }
  const records = finalRecords(query, 'SRV');
  const selection = selectSrvRecord(records.map((record) => record.data));
  const selectedRecord = selection ? records[selection.index] : undefined;
  if (!selection || !selectedRecord) {
    return {
      met: false,
      subject: srvName,
      reason: `Not checked: ${srvName} ${describeOutcome(query)}, so there is no SRV record to judge (see srv-present).`,
    };
  }
  return {
    met: true,
    value: {
      domain: target.domain,
      srvName,
      query,
      records,
      selection,
      selectedRecord,
      host: canonicalName(selection.selected.target),
      port: selection.selected.port,
      ownerAliases: cnameChain(query),
    },
  };
}

/** Like federationSrv, and additionally the selected record names a host (its target is not "."). */
export function federationSrvTarget(target: TargetObservations): Prerequisite<FederationSrv> {
  const srv = federationSrv(target);
  if (!srv.met || srv.value.host !== '.') return srv;
  return {
    met: false,
    subject: srv.value.srvName,
    reason:
      `Not checked: the SRV record Microsoft selects, "${zoneLine(srv.value.selectedRecord)}", has target "." ` +
      `(service not available at ${target.domain}, see srv-available), so there is no host to check.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Addresses

export interface HostAddresses {
  host: string;
  ipv4: AddressLookup;
  ipv6: AddressLookup;
  /** Distinct IPv4 addresses, in the order returned. */
  ipv4Addresses: string[];
  /** Distinct IPv6 addresses, in the order returned. */
  ipv6Addresses: string[];
  /** Distinct addresses, IPv4 first. */
  addresses: string[];
  /** The A and AAAA records holding the addresses (owner and TTL, for zone-file lines). */
  records: AddressRecord[];
  /** The CNAME chain from `host`, from whichever lookup followed it furthest. */
  aliases: CnameRecord[];
  /**
   * When the alias chain returns to a name already on it (sip → x → sip): the chain up to that
   * link. No resolver can resolve such a host, whatever the record type.
   */
  aliasLoop?: CnameRecord[];
  /**
   * The name at the end of the alias chain: `host` itself when it is not an alias, and when the
   * chain loops (there is no end; address records on `host` in place of its CNAME break the loop).
   */
  canonicalHost: string;
}

/** What a host resolves to on the external resolvers, or the view given (A and AAAA, following aliases). */
export function hostAddresses(target: TargetObservations, host: string, resolvers: string[] = target.resolvers): HostAddresses {
  const ipv4 = lookupAddresses(target, host, 'A', resolvers);
  const ipv6 = lookupAddresses(target, host, 'AAAA', resolvers);
  const ipv4Addresses = distinct(ipv4.addresses.map((address) => address.toLowerCase()));
  const ipv6Addresses = distinct(ipv6.addresses.map((address) => address.toLowerCase()));
  const aliases = ipv6.aliases.length > ipv4.aliases.length ? ipv6.aliases : ipv4.aliases;
  const name = canonicalName(host);
  const loop = aliasLoop(name, ipv4.aliases) ?? aliasLoop(name, ipv6.aliases);
  return {
    host: name,
    ipv4,
    ipv6,
    ipv4Addresses,
    ipv6Addresses,
    addresses: [...ipv4Addresses, ...ipv6Addresses],
    records: [...lookupRecords(ipv4, 'A'), ...lookupRecords(ipv6, 'AAAA')],
    aliases,
    ...(loop ? { aliasLoop: loop } : {}),
    canonicalHost: loop ? name : (aliases[aliases.length - 1]?.data ?? name),
  };
}

/**
 * The alias chain from `start` up to and including the first link that leads back to a name
 * already on it (start → x → start, or start → x → y → x), or undefined when it does not loop.
 * src/model/dns.ts stops following a chain at a repeated name without saying why; this tells a
 * loop from a chain that merely ends in a name without records.
 */
export function aliasLoop(start: string, chain: readonly CnameRecord[]): CnameRecord[] | undefined {
  const seen = new Set([canonicalName(start)]);
  for (let index = 0; index < chain.length; index++) {
    const next = canonicalName(chain[index]!.data);
    if (seen.has(next)) return chain.slice(0, index + 1);
    seen.add(next);
  }
  return undefined;
}

/**
 * How to break an alias loop on `host`: address records in place of its CNAME (the loop's first
 * link), and the loop's other CNAME records gone unless something else uses them.
 */
export function breakAliasLoop(target: TargetObservations, host: string, loop: readonly CnameRecord[]): string {
  const [first, ...rest] = loop;
  const chain = aliasChainText(host, loop);
  const partner = isPartner(target);
  const peer = partner ? 'edge server' : 'Expressway-E peer';
  const addresses =
    `"${absoluteName(host)} ${first?.ttl ?? DEFAULT_ZONE_TTL} IN A <${peer} public IPv4>" (and/or AAAA for IPv6), ` +
    `one per ${peer}`;
  const others = rest.length > 0 ? `, then delete ${quotedList(rest.map(zoneLine))} unless other names rely on them` : '';
  const action = first
    ? `break the alias loop (${chain}): replace "${zoneLine(first)}" with address records of ${host}, ${addresses}${others}.`
    : `give ${host} address records, ${addresses}.`;
  return partner ? askPartner(target.domain, action) : action.charAt(0).toUpperCase() + action.slice(1);
}

function lookupRecords(lookup: AddressLookup, type: 'A' | 'AAAA'): AddressRecord[] {
  return lookup.last ? finalRecords(lookup.last, type) : [];
}

/** True when the lookup ended in an answer that says something about the zone (not a resolver failure). */
export function lookupIsDefinitive(lookup: AddressLookup): boolean {
  return lookup.last !== undefined && isDefinitive(dnsOutcome(lookup.last));
}

/** "A: sip.example.com does not exist (NXDOMAIN) at 192.0.2.53:53", for messages. */
export function describeLookup(lookup: AddressLookup, type: 'A' | 'AAAA'): string {
  if (!lookup.last) return `${type}: not queried`;
  const start = lookup.first?.name ?? lookup.last.name;
  const loop = aliasLoop(start, lookup.aliases);
  if (loop && lookup.addresses.length === 0) {
    return `${type}: ${start} cannot be resolved: its alias chain loops (${aliasChainText(start, loop)})`;
  }
  return `${type}: ${lookup.last.name} ${describeOutcome(lookup.last)}`;
}

/** What to do when the run's --timeout, not DNS, left a question unasked. */
export const RAISE_TIMEOUT_ADVICE =
  'Run again with a longer --timeout (or a lower --concurrency when checking many domains in one run).';

/** True when the lookup (or query) was not asked because the run's --timeout expired first. */
export function cutByDeadline(lookup: AddressLookup | DnsQueryObservation | undefined): boolean {
  const query = lookup && 'queries' in lookup ? lookup.last : lookup;
  return query !== undefined && dnsOutcome(query) === 'aborted';
}

/** " Run again with a longer --timeout …" when any of these was cut by the run's --timeout, else "". */
export function deadlineAdvice(...lookups: ReadonlyArray<AddressLookup | DnsQueryObservation | undefined>): string {
  return lookups.some(cutByDeadline) ? ` ${RAISE_TIMEOUT_ADVICE}` : '';
}

// ---------------------------------------------------------------------------------------------
// Namespace

/**
 * Where a host sits relative to a SIP domain: the domain itself ('apex'), one label below it
 * ('child', e.g. sip.example.com), further below ('deeper', e.g. a.b.example.com), or elsewhere.
 */
export type NamespacePosition = 'apex' | 'child' | 'deeper' | 'outside';

export function namespacePosition(host: string, domain: string): NamespacePosition {
  const name = canonicalName(host);
  const zone = canonicalName(domain);
  if (name === zone) return 'apex';
  if (!name.endsWith(`.${zone}`)) return 'outside';
  const labelsBelow = name.slice(0, -(zone.length + 1)).split('.').length;
  return labelsBelow === 1 ? 'child' : 'deeper';
}

/** The host's first label moved directly under the domain: sip.edge.other.com → sip.example.com. */
export function hostInDomain(host: string, domain: string): string {
  const firstLabel = canonicalName(host).split('.')[0] || 'sip';
  return `${firstLabel}.${canonicalName(domain)}`;
}

// ---------------------------------------------------------------------------------------------
// Zone-file rendering

/** TTL used for records a remediation asks to create. */
export const DEFAULT_ZONE_TTL = 3600;

/** Fully qualified with the trailing dot, as written in a zone file: "sip.example.com." */
export function absoluteName(name: string): string {
  const canonical = canonicalName(name);
  return canonical === '.' ? '.' : `${canonical}.`;
}

/** One record in zone-file syntax: `sip.example.com. 3600 IN A 192.0.2.10`. */
export function zoneLine(record: DnsRecord): string {
  const head = `${absoluteName(record.name)} ${record.ttl} IN`;
  switch (record.type) {
    case 'SRV':
      return `${head} SRV ${srvRdata(record.data)}`;
    case 'A':
    case 'AAAA':
      return `${head} ${record.type} ${record.data}`;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return `${head} ${record.type} ${absoluteName(record.data)}`;
    case 'TXT':
      return `${head} TXT ${record.data.map((text) => JSON.stringify(text)).join(' ')}`;
    case 'SOA': {
      const soa = record.data;
      return `${head} SOA ${absoluteName(soa.mname)} ${absoluteName(soa.rname)} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`;
    }
    case 'OTHER':
      return `${head} ${record.rrtype} ${record.data}`;
  }
}

export function srvZoneLine(owner: string, srv: SrvData, ttl: number = DEFAULT_ZONE_TTL): string {
  return `${absoluteName(owner)} ${ttl} IN SRV ${srvRdata(srv)}`;
}

/** An A or AAAA line, by the address's family. */
export function addressZoneLine(owner: string, address: string, ttl: number = DEFAULT_ZONE_TTL): string {
  return `${absoluteName(owner)} ${ttl} IN ${isIpv6(address) ? 'AAAA' : 'A'} ${address}`;
}

function srvRdata(srv: SrvData): string {
  return `${srv.priority} ${srv.weight} ${srv.port} ${absoluteName(srv.target)}`;
}

export function isIpv6(address: string): boolean {
  return address.includes(':');
}

// ---------------------------------------------------------------------------------------------
// Wording

/** "1 record", "2 records"; pass the plural when it is not singular + "s". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Each item in double quotes, listed: `"a" and "b"` (zone lines in remediation). */
export function quotedList(items: readonly string[]): string {
  return listOf(items.map((item) => `"${item}"`));
}

/** "sip.example.com → edge.example.net → lb.example.net" */
export function aliasChainText(start: string, chain: readonly CnameRecord[]): string {
  return [canonicalName(start), ...chain.map((link) => link.data)].join(' → ');
}

/** Remediation for a partner domain: the fix is theirs, so it is phrased as a request. */
export function askPartner(domain: string, action: string): string {
  return `Ask the administrators of ${domain} (it is their DNS and edge) to ${action}`;
}

export function isPartner(target: TargetObservations): boolean {
  return target.role === 'partner';
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Where an address record for `host` must go, as a phrase to append to "create … A record":
 * in place of the CNAME that closes an alias loop, or on the alias's canonical name.
 */
export function addressRecordPlacement(host: string, resolved: HostAddresses): string {
  if (resolved.aliasLoop) return ` in place of its CNAME record, which breaks the alias loop (${aliasChainText(host, resolved.aliasLoop)})`;
  if (resolved.aliases.length > 0) return ` (${host} is an alias, so the record belongs on ${resolved.canonicalHost}, its canonical name)`;
  return '';
}
