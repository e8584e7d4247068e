// Hand-made observations of a zone's authoritative servers (dns-authoritative) and of a domain's
// Teams / Skype for Business records (m365-records). Defaults: ciscoexample.com served by healthy
// servers that agree, so a test states only the server it breaks:
//
//   authoritativeTarget({ servers: [{}, {}, { lame: { rcode: 'REFUSED' } }] })
//   microsoft365Target({ federation: 'sipfed.online.lync.com', lyncdiscover: { a: ['192.0.2.121'] } })
import type { AuthoritativeObservations, AuthoritativeServerObservation } from '../../../src/model/authoritative.js';
import { selectSrvRecord } from '../../../src/model/dns.js';
import type { DnsErrorClass, DnsQueryObservation, DnsQueryType, DnsRecord, TargetObservations } from '../../../src/model/observations.js';
import {
  DOMAIN,
  PARTNER_DOMAIN,
  addressQuery,
  cnameRecord,
  dnsQuery,
  federationTarget,
  noResponse,
  nodata,
  nxdomain,
  servfail,
  srv,
  srvName,
  srvQuery,
  srvRecord,
  addressRecord,
  type FederationDnsOptions,
  type SrvSpec,
} from './dns.js';

export const SERIAL = 2026010102;
export const OLD_SERIAL = 2025061501;

export function soaRecord(zone: string, serial: number, ttl = 3600): Extract<DnsRecord, { type: 'SOA' }> {
  return {
    name: zone,
    type: 'SOA',
    ttl,
    data: { mname: `ns1.${zone}`, rname: `hostmaster.${zone}`, serial, refresh: 3600, retry: 600, expire: 1209600, minimum: 300 },
  };
}

export interface AuthoritativeServerSpec {
  /** Default ns<N>.<zone>, N counting from 1. */
  nameServer?: string;
  /** Default 192.0.2.<50 + N>. */
  address?: string;
  /** Default SERIAL. */
  serial?: number;
  /** The SRV records it answers; 'nxdomain' for none. Default: the target's own. */
  srv?: SrvSpec[] | 'nxdomain';
  /** The target's addresses it answers. Default: the target's own. */
  ipv4?: string[];
  ipv6?: string[];
  /** Every question (or only `question`) answered with this rcode, AA as given (default false). */
  lame?: { rcode: string; aa?: boolean; question?: DnsQueryType; referral?: boolean };
  /** No question got a response: the exchange ended this way. */
  noResponse?: DnsErrorClass;
  /** Only these questions got no response (timeout). */
  unanswered?: DnsQueryType[];
  /** Only these questions were sent and then ended by the run's deadline before an answer came. */
  cutShort?: DnsQueryType[];
}

export interface AuthoritativeTargetOptions extends FederationDnsOptions {
  role?: 'local' | 'partner';
  servers?: AuthoritativeServerSpec[];
  /** Default: the domain. */
  zone?: string;
  /** NS names without any address: their A and AAAA lookups as given (default NXDOMAIN). */
  unresolvedNameServers?: { name: string; lookups?: 'nxdomain' | 'servfail' }[];
}

const AUTHORITATIVE_FLAGS = { authoritative: true, recursionDesired: false, recursionAvailable: false };

/** One server address and everything asked of it, as gather records it. */
export function authoritativeServer(
  observations: Pick<AuthoritativeObservations, 'name' | 'zone' | 'targetHost'>,
  spec: AuthoritativeServerSpec,
  index: number,
  defaults: { srv: SrvSpec[]; ipv4: string[]; ipv6: string[] },
): AuthoritativeServerObservation {
  const zone = observations.zone!;
  const address = spec.address ?? `192.0.2.${51 + index}`;
  const endpoint = address.includes(':') ? `[${address}]:53` : `${address}:53`;
  const nameServer = spec.nameServer ?? `ns${index + 1}.${zone}`;
  const at = { resolver: endpoint, flags: AUTHORITATIVE_FLAGS };
  const serial = spec.serial ?? SERIAL;
  const negative = { ...at, authorities: [soaRecord(zone, serial)] };
  const questions: { name: string; type: DnsQueryType; answer: () => DnsQueryObservation }[] = [
    { name: zone, type: 'SOA', answer: () => dnsQuery(zone, 'SOA', 'NOERROR', [soaRecord(zone, serial)], at) },
    {
      name: observations.name,
      type: 'SRV',
      answer: () => {
        const records = spec.srv ?? defaults.srv;
        return records === 'nxdomain' ? nxdomain(observations.name, 'SRV', negative) : srvQuery(observations.name, records, at);
      },
    },
  ];
  const host = observations.targetHost;
  if (host !== undefined) {
    for (const [type, addresses] of [['A', spec.ipv4 ?? defaults.ipv4], ['AAAA', spec.ipv6 ?? defaults.ipv6]] as const) {
      questions.push({
        name: host,
        type,
        answer: () => (addresses.length > 0 ? addressQuery(host, type, addresses, at) : nodata(host, type, negative)),
      });
    }
  }
  const queries = questions.map(({ name, type, answer }) => {
    if (spec.noResponse) return noResponse(name, type, spec.noResponse, { resolver: endpoint });
    if (spec.unanswered?.includes(type)) return noResponse(name, type, 'timeout', { resolver: endpoint });
    if (spec.cutShort?.includes(type)) return noResponse(name, type, 'aborted', { resolver: endpoint, udpTries: 2, durationMs: 1500 });
    if (spec.lame && (spec.lame.question === undefined || spec.lame.question === type)) {
      const authorities: DnsRecord[] = spec.lame.referral ? [{ name: zone, type: 'NS', ttl: 3600, data: `ns1.${zone}` }] : [];
      return dnsQuery(name, type, spec.lame.rcode, [], { resolver: endpoint, flags: { ...AUTHORITATIVE_FLAGS, authoritative: spec.lame.aa ?? false }, authorities });
    }
    return answer();
  });
  return { nameServers: [nameServer], address, endpoint, queries };
}

/**
 * A target whose SRV record and target came through the resolver (federationTarget), whose zone,
 * NS set and name server addresses the resolver gave too, and whose servers answered as `servers` say.
 */
export function authoritativeTarget(options: AuthoritativeTargetOptions = {}): TargetObservations {
  const target = federationTarget(options);
  const domain = target.domain;
  const zone = options.zone ?? domain;
  const records = options.srv ?? [srv(10, 10, 5061, `sip.${domain}`)];
  const selected = selectSrvRecord(records)?.selected.target;
  const targetHost = selected && selected !== '.' && (selected === zone || selected.endsWith(`.${zone}`)) ? selected : undefined;
  const base = { name: srvName(domain), zone, ...(targetHost ? { targetHost } : {}) };
  const defaults = { srv: records, ipv4: options.ipv4 ?? ['192.0.2.10'], ipv6: options.ipv6 ?? [] };
  const servers = (options.servers ?? [{}, {}]).map((spec, index) => authoritativeServer(base, spec, index, defaults));
  const unresolved = options.unresolvedNameServers ?? [];
  const nameServers = [...servers.flatMap((server) => server.nameServers), ...unresolved.map((entry) => entry.name)].sort();
  target.dns.push(
    dnsQuery(zone, 'NS', 'NOERROR', nameServers.map((name) => ({ name: zone, type: 'NS', ttl: 3600, data: name }) as DnsRecord)),
    ...servers.flatMap((server) =>
      server.nameServers.flatMap((name) =>
        server.address.includes(':')
          ? [nodata(name, 'A'), addressQuery(name, 'AAAA', [server.address])]
          : [addressQuery(name, 'A', [server.address]), nodata(name, 'AAAA')],
      ),
    ),
    ...unresolved.flatMap(({ name, lookups }) =>
      (['A', 'AAAA'] as const).map((type) => (lookups === 'servfail' ? servfail(name, type) : nxdomain(name, type))),
    ),
  );
  target.authoritative = { ...base, nameServers, servers };
  return target;
}

// ---------------------------------------------------------------------------------------------
// Teams / Skype for Business records

/** Where a host record points: a CNAME, A records, or a failed or negative lookup. */
export type HostRecordSpec = { cname: string; a?: string[] } | { a: string[] } | 'nxdomain' | 'servfail';
/** Where an SRV record points, or a failed or negative lookup. */
export type ServiceRecordSpec = { target: string; port: number } | 'nxdomain' | 'servfail';

export interface Microsoft365TargetOptions {
  role?: 'local' | 'partner';
  /** The federation SRV target (port 5061). */
  federation: string;
  sipTls?: ServiceRecordSpec;
  sip?: HostRecordSpec;
  lyncdiscover?: HostRecordSpec;
}

function hostQuery(name: string, spec: HostRecordSpec | undefined): DnsQueryObservation[] {
  if (spec === undefined) return [];
  if (spec === 'nxdomain') return [nxdomain(name, 'A')];
  if (spec === 'servfail') return [servfail(name, 'A')];
  if ('cname' in spec) {
    const answers: DnsRecord[] = [cnameRecord(name, spec.cname), ...(spec.a ?? []).map((address) => addressRecord(spec.cname, 'A', address))];
    return [dnsQuery(name, 'A', 'NOERROR', answers)];
  }
  return [addressQuery(name, 'A', spec.a)];
}

function serviceQuery(name: string, spec: ServiceRecordSpec | undefined): DnsQueryObservation[] {
  if (spec === undefined) return [];
  if (spec === 'nxdomain') return [nxdomain(name, 'SRV')];
  if (spec === 'servfail') return [servfail(name, 'SRV')];
  return [dnsQuery(name, 'SRV', 'NOERROR', [srvRecord(name, srv(100, 1, spec.port, spec.target))])];
}

/** A domain with its federation SRV record and, as given, its other Teams / Skype for Business records. */
export function microsoft365Target(options: Microsoft365TargetOptions): TargetObservations {
  const role = options.role ?? 'partner';
  const domain = role === 'partner' ? PARTNER_DOMAIN : DOMAIN;
  const target = federationTarget({ role, domain, srv: [srv(100, 1, 5061, options.federation)] });
  target.dns.push(
    ...serviceQuery(`_sip._tls.${domain}`, options.sipTls),
    ...hostQuery(`sip.${domain}`, options.sip),
    ...hostQuery(`lyncdiscover.${domain}`, options.lyncdiscover),
  );
  return target;
}
