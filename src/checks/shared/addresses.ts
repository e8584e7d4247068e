// What a host resolves to, on the external view or another one (A and AAAA, following
// aliases), read through src/model/dns.ts so that every check agrees, and how to say it.
import type { TargetObservations } from '../../model/observations.js';
import { canonicalName, describeOutcome, dnsOutcome, finalRecords, isDefinitive, lookupAddresses, type AddressLookup } from '../../model/dns.js';
import { askPartner, aliasChainText, isPartner, quotedList } from './wording.js';
import { DEFAULT_ZONE_TTL, absoluteName, zoneLine, type AddressRecord, type CnameRecord } from './zone-file.js';

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


/** Both lookups of a host were asked and ended in answers about the zone (not resolver failures). */
export function addressesDefinitive(resolved: HostAddresses): boolean {
  return lookupIsDefinitive(resolved.ipv4) && lookupIsDefinitive(resolved.ipv6);
}

/** "A: … ; AAAA: …", for messages. */
export function describeAddressLookups(resolved: HostAddresses): string {
  return `${describeLookup(resolved.ipv4, 'A')}; ${describeLookup(resolved.ipv6, 'AAAA')}`;
}

/** " (through the alias a → b)" when the host is an alias, else "". */
export function throughAliases(resolved: HostAddresses): string {
  return resolved.aliases.length > 0 ? ` (through the alias ${aliasChainText(resolved.host, resolved.aliases)})` : '';
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
