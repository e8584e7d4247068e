// Builders of hand-made observations for IM and Presence and split DNS, on top of dns.ts and
// tls.ts. Everything defaults to a healthy deployment: the
// Federation Routing IM/P FQDN imp1-public.ciscoexample.com resolving on the internal DNS
// (10.1.1.53) to the publisher 10.1.1.20 with no PTR record, and its peer-authentication
// listener on 5062 demanding a client certificate and presenting a cup certificate from the
// internal CA (trusted through --ca). A test states only what it breaks:
//
//   const target = impTarget({ ptr: { [IMP_ADDRESS]: [IMP_FQDN] } });
//   const target = impTarget({ tls: [impProbe({ connect: { outcome: 'refused', durationMs: 1 } })] });
import { reverseName } from '../../../src/model/dns.js';
import type {
  CertificateInfo,
  DnsQueryObservation,
  DnsRecord,
  ImpObservations,
  TargetObservations,
  TlsProbeObservation,
} from '../../../src/model/observations.js';
import {
  DOMAIN,
  RESOLVER,
  TTL,
  addressQuery,
  dnsQuery,
  federationDns,
  nodata,
  nxdomain,
  targetObservations,
  type FederationDnsOptions,
  type QueryOptions,
} from './dns.js';
import { fingerprint, leafCertificate, rootCertificate, tlsProbe } from './tls.js';

export const INTERNAL_RESOLVER = '10.1.1.53:53';
export const IMP_FQDN = `imp1-public.${DOMAIN}`;
/** The IM and Presence publisher's own hostname (what a normal PTR record names). */
export const IMP_NODE = `imp1.${DOMAIN}`;
export const IMP_ADDRESS = '10.1.1.20';
export const IMP_IPV6 = '2001:db8:10::20';
export const IMP_PORT = 5062;
export const IMP_SUBJECT = `${IMP_ADDRESS}:${IMP_PORT}`;
export const INTERNAL_CA_NAME = 'CN=Cisco Example Internal CA, O=Cisco Example';
export const PUBLISHER = IMP_NODE;

// ---------------------------------------------------------------------------------------------
// DNS

export function ptrRecord(address: string, name: string, ttl = TTL): Extract<DnsRecord, { type: 'PTR' }> {
  return { name: reverseName(address), type: 'PTR', ttl, data: name };
}

/** A PTR answer for the address naming `names`, asked of the internal DNS unless told otherwise. */
export function ptrQuery(address: string, names: string[], options: QueryOptions = {}): DnsQueryObservation {
  return dnsQuery(reverseName(address), 'PTR', 'NOERROR', names.map((name) => ptrRecord(address, name)), {
    resolver: INTERNAL_RESOLVER,
    ...options,
  });
}

/** No PTR record: the reverse name does not exist, or exists without PTR data. */
export function noPtr(address: string, kind: 'nxdomain' | 'nodata' = 'nxdomain', options: QueryOptions = {}): DnsQueryObservation {
  const at = { resolver: INTERNAL_RESOLVER, ...options };
  return kind === 'nxdomain' ? nxdomain(reverseName(address), 'PTR', at) : nodata(reverseName(address), 'PTR', at);
}

export interface ImpDnsOptions {
  fqdn?: string;
  /** Default: the publisher's address. */
  ipv4?: string[];
  ipv6?: string[];
  /** Per address: the names its PTR record carries, or the whole PTR query. Default: NXDOMAIN. */
  ptr?: Record<string, string[] | DnsQueryObservation>;
  resolver?: string;
}

/** What gather asks about the routing FQDN on the internal view: A, AAAA, and the PTR of each address. */
export function impDns(options: ImpDnsOptions = {}): DnsQueryObservation[] {
  const fqdn = options.fqdn ?? IMP_FQDN;
  const ipv4 = options.ipv4 ?? [IMP_ADDRESS];
  const ipv6 = options.ipv6 ?? [];
  const at = { resolver: options.resolver ?? INTERNAL_RESOLVER };
  const queries = [
    ipv4.length > 0 ? addressQuery(fqdn, 'A', ipv4, at) : nxdomain(fqdn, 'A', at),
    ipv6.length > 0 ? addressQuery(fqdn, 'AAAA', ipv6, at) : ipv4.length > 0 ? nodata(fqdn, 'AAAA', at) : nxdomain(fqdn, 'AAAA', at),
  ];
  for (const address of [...ipv4, ...ipv6]) {
    const ptr = options.ptr?.[address];
    queries.push(
      ptr === undefined ? noPtr(address, 'nxdomain', at) : Array.isArray(ptr) ? ptrQuery(address, ptr, at) : ptr,
    );
  }
  return queries;
}

// ---------------------------------------------------------------------------------------------
// TLS

/** The IM and Presence cup certificate: issued by the internal CA, naming the node and the routing FQDN. */
export function impLeafCertificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return leafCertificate({
    subject: `CN=${IMP_NODE}, O=Cisco Example`,
    subjectCN: IMP_NODE,
    issuer: INTERNAL_CA_NAME,
    issuerCN: 'Cisco Example Internal CA',
    serialNumber: '1A2B',
    fingerprintSha256: fingerprint('imp-leaf'),
    sanDnsNames: [IMP_NODE, IMP_FQDN],
    crlDistributionPoints: [],
    ...overrides,
  });
}

export function internalRootCertificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return rootCertificate({
    subject: INTERNAL_CA_NAME,
    subjectCN: 'Cisco Example Internal CA',
    issuer: INTERNAL_CA_NAME,
    issuerCN: 'Cisco Example Internal CA',
    serialNumber: '77',
    fingerprintSha256: fingerprint('imp-root'),
    ...overrides,
  });
}

/**
 * The peer-authentication listener as it behaves: TLS 1.2 with the internal CA chain (trusted
 * through --ca), ending the handshake because fedcheck presented no client certificate.
 */
export function impProbe(overrides: Partial<TlsProbeObservation> = {}): TlsProbeObservation {
  return tlsProbe({
    host: IMP_FQDN,
    address: IMP_ADDRESS,
    port: IMP_PORT,
    family: 4,
    purpose: 'imp',
    handshake: {
      outcome: 'client-certificate-required',
      durationMs: 35,
      protocol: 'TLSv1.2',
      cipher: 'ECDHE-RSA-AES256-GCM-SHA384',
      alert: 'handshake_failure',
      error: 'the server sent the alert handshake_failure',
    },
    chain: [impLeafCertificate(), internalRootCertificate()],
    trust: { verdict: 'trusted', detail: `the chain verifies to "${INTERNAL_CA_NAME}" from an extra trust anchor (--ca)` },
    clientAuth: { requested: 'required' },
    ...overrides,
  });
}

// ---------------------------------------------------------------------------------------------
// Targets

export interface ImpTargetOptions extends ImpDnsOptions {
  /** Replaces the routing FQDN's queries (impDns) entirely. */
  impQueries?: DnsQueryObservation[];
  /** imp.resolvers. Default: the internal DNS. */
  impResolvers?: string[];
  /** target.internalResolvers. Default: the internal DNS; null: none given. */
  internalResolvers?: string[] | null;
  port?: number;
  publisher?: string;
  /** The publisher's lookups on the external view. */
  publisherQueries?: DnsQueryObservation[];
  /** Default: one healthy probe per address of the FQDN. */
  tls?: TlsProbeObservation[];
  deadlineExceeded?: boolean;
}

/** A local target with the healthy federation DNS on the external view and the IM/P observations. */
export function impTarget(options: ImpTargetOptions = {}): TargetObservations {
  const resolver = options.impResolvers?.[0] ?? INTERNAL_RESOLVER;
  const fqdn = options.fqdn ?? IMP_FQDN;
  const port = options.port ?? IMP_PORT;
  const imp: ImpObservations = {
    fqdn,
    port,
    resolvers: options.impResolvers ?? [INTERNAL_RESOLVER],
    ...(options.publisher ? { publisher: options.publisher } : {}),
  };
  const queries = options.impQueries ?? impDns({ resolver, ...options });
  const addresses = [...(options.ipv4 ?? [IMP_ADDRESS]), ...(options.ipv6 ?? [])];
  const probes =
    options.tls ??
    addresses.map((address) => impProbe({ host: fqdn, address, port, family: address.includes(':') ? 6 : 4 }));
  const internalResolvers = options.internalResolvers === undefined ? [INTERNAL_RESOLVER] : options.internalResolvers;
  return targetObservations({
    resolvers: [RESOLVER],
    dns: [...federationDns(), ...queries, ...(options.publisherQueries ?? [])],
    tls: probes,
    imp,
    ...(internalResolvers ? { internalResolvers } : {}),
    ...(options.deadlineExceeded ? { deadlineExceeded: true } : {}),
  });
}

/**
 * A local target seen through both views: the federation DNS of each (SRV, and A/AAAA of the
 * target each selects) asked of its own resolver, plus `extra` queries (e.g. the external
 * target asked of the internal view when the views select different targets).
 */
export function splitTarget(
  external: FederationDnsOptions,
  internal: FederationDnsOptions,
  extra: DnsQueryObservation[] = [],
): TargetObservations {
  return targetObservations({
    resolvers: [RESOLVER],
    internalResolvers: [INTERNAL_RESOLVER],
    dns: [
      ...federationDns({ ...external, resolver: RESOLVER }),
      ...federationDns({ ...internal, resolver: INTERNAL_RESOLVER }),
      ...extra,
    ],
  });
}
