// A lab is a deployment on loopback: an authoritative DNS server loaded with zone files, and
// TLS endpoints (good, broken or hostile) on 127.x.y.z addresses. Zone files name endpoints by
// placeholders ({{PEER1}}, {{PEER1_PORT}}), filled in with the addresses the lab got.
import { randomInt } from 'node:crypto';
import { reverseName } from '../model/dns.js';
import { packageFile } from '../package-files.js';
import type { ResolverAddress } from '../model/observations.js';
import { createPki, type CaKeys, type Pki } from './pki.js';
import { certificateForProfile, type CertificateProfile, type LabCertificate } from './certificates.js';
import { sipResponder, type SipResponderOptions } from './sip-responder.js';
import { startDnsServer, type DnsMisbehaviour, type RunningDnsServer } from './dns-server.js';
import { startEndpoint, type EndpointBehaviour, type RunningEndpoint } from './tls-endpoints.js';
import { startLabRevocation, type LabRevocation } from './revocation-server.js';
import { loadZoneFile, parseZone, type Zone } from './zone.js';
import { LAB_NAME_SERVER_PORT, startNameServers, type LabNameServerSpec, type RunningNameServers } from './name-servers.js';

/** The port Microsoft edges and Expressway use for federation: unprivileged, so no root is needed. */
export const FEDERATION_PORT = 5061;

export type EndpointKind = 'tls' | 'silent' | 'plaintext' | 'reset' | 'reset-on-accept' | 'trickle' | 'garbage' | 'close' | 'closed-port';

export interface LabEndpointSpec {
  /** Placeholder name in the zone files: {{NAME}} is the address, {{NAME_PORT}} the port. */
  name: string;
  kind?: EndpointKind;
  /** Default 5061. */
  port?: number;
  /**
   * For kind 'tls': the certificate the server presents. Endpoints with the same profile, names
   * and variant share one certificate, as the peers of a cluster do; a different variant is a
   * different certificate (a peer left with the old one after a renewal). With
   * namesPerCertificate, the names are split into certificates of that many subjectAltNames
   * each, and the server presents the one naming the SNI, as a hosting provider's shared edge does.
   */
  certificate?: { profile: CertificateProfile; names: string[]; variant?: string; namesPerCertificate?: number };
  tls?: {
    minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    requestClientCert?: 'none' | 'optional' | 'required';
    /** OpenSSL cipher list for TLS 1.2 and older (e.g. "ECDHE-RSA-AES128-SHA": a CBC-only peer). */
    ciphers?: string;
  };
  /** For kind 'tls': answer SIP requests on the TLS connection (the lab's SIP responder). */
  sip?: SipResponderOptions;
  /** For kind 'plaintext': what the port says. */
  banner?: string;
  /** Several endpoints may share one address (different ports): name the endpoint whose address to reuse. */
  sameAddressAs?: string;
  /**
   * Listen on the IPv6 loopback (::1). There is only one such address, so the port is the
   * kernel's choice: zone files name it with {{NAME_PORT}}.
   */
  ipv6?: boolean;
}

export interface LabSpec {
  /** Zone files, relative to fixtures/zones/, or inline zone texts (containing a newline). */
  zones: string[];
  /**
   * The internal view of split DNS (what the Expressway-C asks): served by a second DNS server,
   * {{INTERNAL_RESOLVER}} in scenario arguments.
   */
  internalZones?: string[];
  endpoints?: LabEndpointSpec[];
  misbehave?: { name: string; type?: string; behaviour: DnsMisbehaviour }[];
  /**
   * Authoritative name servers besides {{LAB_NS}} (which every lab has: it serves `zones` as
   * they are), each on port 53 of its own address, {{NAME}} in the zone files: a stale copy of
   * the zones, a lame server, one that is down.
   */
  nameServers?: LabNameServerSpec[];
}

export interface RunningLab {
  resolver: ResolverAddress;
  /** "host:port", for --resolver. */
  resolverArgument: string;
  pki: Pki;
  /** The lab root CA, PEM: trust it with --ca. */
  rootPem: string;
  variables: Record<string, string>;
  dns: RunningDnsServer;
  /** The internal view's server, when the spec has internal zones. */
  internalDns?: RunningDnsServer;
  /** The zones' name servers on port 53, absent where port 53 cannot be had (not root). */
  nameServers?: RunningNameServers;
  /**
   * Has a TLS endpoint present another certificate from its next handshake on, as a renewal
   * installed on one peer does (give a new `variant` for a certificate of the same profile).
   */
  renew(name: string, certificate: NonNullable<LabEndpointSpec['certificate']>): void;
  close(): Promise<void>;
}

/**
 * Where the zones say their name server is when the lab cannot listen on port 53 (not root):
 * an address outside the ranges the lab and the BIND harness pick from, so nothing answers there.
 */
const NO_NAME_SERVER = '127.53.255.254';

/** A file under fixtures/ (zones, scenarios), wherever the code runs from. */
export function fixturesPath(...parts: string[]): string {
  return packageFile('fixtures', ...parts);
}

function randomLoopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

type CertificateCache = Map<string, LabCertificate>;

/** What the lab issues endpoint certificates with: its PKI, certificates already made, its CRLs and OCSP. */
interface LabIssuing {
  pki: Pki;
  cache: CertificateCache;
  revocation: LabRevocation;
}

function chunked<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

function behaviourFor(spec: LabEndpointSpec, { pki, cache, revocation }: LabIssuing): EndpointBehaviour {
  switch (spec.kind ?? 'tls') {
    case 'tls': {
      const wanted = spec.certificate;
      if (!wanted) throw new Error(`lab endpoint ${spec.name} needs a certificate`);
      const issue = (names: string[]): LabCertificate => {
        const key = JSON.stringify([wanted.profile, names, wanted.variant ?? '']);
        const certificate = cache.get(key) ?? certificateForProfile(pki, wanted.profile, names, revocation);
        cache.set(key, certificate);
        return certificate;
      };
      const groupSize = wanted.namesPerCertificate;
      const groups = groupSize ? chunked(wanted.names, groupSize) : [wanted.names];
      const issued = issue(groups[0] ?? []);
      const byName = groupSize
        ? Object.fromEntries(
            groups.flatMap((names) => {
              const certificate = issue(names);
              return names.map((name) => [name, { certPem: certificate.chainPem, keyPem: certificate.keyPem }]);
            }),
          )
        : undefined;
      return {
        kind: 'tls',
        certPem: issued.chainPem,
        keyPem: issued.keyPem,
        ...(byName ? { certificatesByServerName: byName } : {}),
        ...(spec.sip ? { respond: sipResponder(spec.sip) } : {}),
        ...(spec.tls?.minVersion ? { minVersion: spec.tls.minVersion } : {}),
        ...(spec.tls?.maxVersion ? { maxVersion: spec.tls.maxVersion } : {}),
        ...(spec.tls?.ciphers ? { ciphers: spec.tls.ciphers } : {}),
        ...(spec.tls?.requestClientCert
          ? { requestClientCert: spec.tls.requestClientCert, clientCa: [pki.root.certPem] }
          : {}),
      };
    }
    case 'plaintext':
      return { kind: 'plaintext', banner: spec.banner ?? 'SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n' };
    case 'trickle':
      return { kind: 'trickle', intervalMs: 200 };
    case 'silent':
      return { kind: 'silent' };
    case 'reset':
      return { kind: 'reset' };
    case 'reset-on-accept':
      return { kind: 'reset-on-accept' };
    case 'garbage':
      return { kind: 'garbage' };
    case 'close':
      return { kind: 'close' };
    case 'closed-port':
      throw new Error('closed ports have no behaviour');
  }
}

async function listen(spec: LabEndpointSpec, issuing: LabIssuing, address?: string): Promise<RunningEndpoint | { address: string; port: number; close(): Promise<void> }> {
  if (spec.ipv6) return startEndpoint(behaviourFor(spec, issuing), { address: '::1', port: 0 });
  const port = spec.port ?? FEDERATION_PORT;
  for (let attempt = 0; ; attempt++) {
    const candidate = address ?? randomLoopbackAddress();
    try {
      if (spec.kind === 'closed-port') {
        // Nothing listens there: a fresh random loopback address has no listener on any port.
        return { address: candidate, port, close: async () => {} };
      }
      return await startEndpoint(behaviourFor(spec, issuing), { address: candidate, port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' || address !== undefined || attempt >= 20) throw error;
    }
  }
}

/** `caKeys`: see createPki; a lab makes new CA keys unless given them. */
export async function startLab(spec: LabSpec, options: { now?: Date; caKeys?: CaKeys } = {}): Promise<RunningLab> {
  // The revocation server first: the certificates name its URLs. Leaves name the CRL; only the
  // profiles about OCSP name the responder (a run that meets no OCSP URL never loads PKI.js).
  const revocation = await startLabRevocation();
  let pki: Pki;
  try {
    const { leafCrlUrl, intermediateCrlUrl } = revocation.urls;
    pki = await createPki({
      ...(options.now ? { now: options.now } : {}),
      ...(options.caKeys ? { caKeys: options.caKeys } : {}),
      revocation: { leafCrlUrl, intermediateCrlUrl },
    });
  } catch (error) {
    await revocation.close();
    throw error;
  }
  revocation.serve(pki);
  const issuing: LabIssuing = { pki, cache: new Map(), revocation };
  const endpoints: { close(): Promise<void> }[] = [];
  const tlsEndpoints = new Map<string, RunningEndpoint>();
  const variables: Record<string, string> = {};
  let dns: RunningDnsServer | undefined;
  let internalDns: RunningDnsServer | undefined;
  let nameServers: RunningNameServers | undefined;
  try {
    for (const endpointSpec of spec.endpoints ?? []) {
      const shared = endpointSpec.sameAddressAs ? variables[endpointSpec.sameAddressAs] : undefined;
      if (endpointSpec.sameAddressAs && !shared) throw new Error(`lab endpoint ${endpointSpec.name}: ${endpointSpec.sameAddressAs} is not defined before it`);
      const endpoint = await listen(endpointSpec, issuing, shared);
      endpoints.push(endpoint);
      if ('replaceCertificate' in endpoint) tlsEndpoints.set(endpointSpec.name, endpoint);
      variables[endpointSpec.name] = endpoint.address;
      variables[`${endpointSpec.name}_PORT`] = String(endpoint.port);
      variables[`${endpointSpec.name}_PTR`] = reverseName(endpoint.address);
    }
    const load = (names: string[]): Promise<Zone[]> =>
      Promise.all(
        names.map((zone) =>
          zone.includes('\n') ? parseZone(zone, { variables }) : loadZoneFile(fixturesPath('zones', zone), { variables }),
        ),
      );
    nameServers = await startLabNameServers(spec, load, variables);
    dns = await startDnsServer({ zones: await load(spec.zones), ...(spec.misbehave ? { misbehave: spec.misbehave } : {}) });
    if (spec.internalZones) {
      internalDns = await startDnsServer({ zones: await load(spec.internalZones) });
      variables.INTERNAL_RESOLVER = internalDns.address;
    }
    variables.RESOLVER = dns.address;
  } catch (error) {
    await Promise.all([...endpoints.map((endpoint) => endpoint.close()), dns?.close(), internalDns?.close(), nameServers?.close(), revocation.close()]);
    throw error;
  }
  const server = dns;
  const internal = internalDns;
  const authoritative = nameServers;
  return {
    resolver: { host: server.host, port: server.port },
    resolverArgument: `${server.host}:${server.port}`,
    pki,
    rootPem: pki.root.certPem,
    variables,
    dns: server,
    ...(internal ? { internalDns: internal } : {}),
    ...(authoritative ? { nameServers: authoritative } : {}),
    renew(name, certificate) {
      const endpoint = tlsEndpoints.get(name);
      if (!endpoint?.replaceCertificate) throw new Error(`lab endpoint ${name} is not a TLS endpoint`);
      const behaviour = behaviourFor({ name, certificate }, issuing);
      if (behaviour.kind !== 'tls') throw new Error(`lab endpoint ${name} is not a TLS endpoint`);
      endpoint.replaceCertificate({ certPem: behaviour.certPem, keyPem: behaviour.keyPem });
    },
    async close() {
      await Promise.all([server.close(), internal?.close(), authoritative?.close(), revocation.close(), ...endpoints.map((endpoint) => endpoint.close())]);
    },
  };
}

/**
 * {{LAB_NS}} and the spec's own name servers, their addresses put in `variables` before any zone
 * is loaded (the zones carry them as glue). Without root only a lab that needs no name server
 * of its own runs, and its zones' name server is an address where nothing answers.
 */
async function startLabNameServers(
  spec: LabSpec,
  load: (names: string[]) => Promise<Zone[]>,
  variables: Record<string, string>,
): Promise<RunningNameServers | undefined> {
  const specs: LabNameServerSpec[] = [{ name: 'LAB_NS' }, ...(spec.nameServers ?? [])];
  try {
    return await startNameServers(specs, async (addresses) => {
      Object.assign(variables, addresses);
      return Promise.all(specs.map((nameServer) => load(nameServer.zones ?? spec.zones)));
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
    if (spec.nameServers?.length) {
      throw new Error(`this lab's name servers listen on port ${LAB_NAME_SERVER_PORT}, which needs root`, { cause: error });
    }
    variables.LAB_NS = NO_NAME_SERVER;
    return undefined;
  }
}
