// A lab is a deployment on loopback: an authoritative DNS server loaded with zone files, and
// TLS endpoints (good, broken or hostile) on 127.x.y.z addresses. Zone files name endpoints by
// placeholders ({{PEER1}}, {{PEER1_PORT}}), filled in with the addresses the lab got.
import { randomInt } from 'node:crypto';
import { reverseName } from '../model/dns.js';
import { packageFile } from '../package-files.js';
import type { ResolverAddress } from '../model/observations.js';
import { createPki, type Pki } from './pki.js';
import { certificateForProfile, type CertificateProfile, type LabCertificate } from './certificates.js';
import { sipResponder, type SipResponderOptions } from './sip-responder.js';
import { startDnsServer, type DnsMisbehaviour, type RunningDnsServer } from './dns-server.js';
import { startEndpoint, type EndpointBehaviour, type RunningEndpoint } from './tls-endpoints.js';
import { startLabRevocation, type LabRevocation } from './revocation-server.js';
import { loadZoneFile, parseZone, type Zone } from './zone.js';

/** The port Microsoft edges and Expressway use for federation: unprivileged, so no root is needed. */
export const FEDERATION_PORT = 5061;

export type EndpointKind = 'tls' | 'silent' | 'plaintext' | 'reset' | 'trickle' | 'garbage' | 'close' | 'closed-port';

export interface LabEndpointSpec {
  /** Placeholder name in the zone files: {{NAME}} is the address, {{NAME_PORT}} the port. */
  name: string;
  kind?: EndpointKind;
  /** Default 5061. */
  port?: number;
  /**
   * For kind 'tls': the certificate the server presents (with perServerName, one certificate
   * per name, chosen by SNI, as a hosting provider's shared edge does). Endpoints with the same profile, names
   * and variant share one certificate, as the peers of a cluster do; a different variant is a
   * different certificate (a peer left with the old one after a renewal).
   */
  certificate?: { profile: CertificateProfile; names: string[]; variant?: string; perServerName?: boolean };
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
  close(): Promise<void>;
}

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

function behaviourFor(spec: LabEndpointSpec, { pki, cache, revocation }: LabIssuing): EndpointBehaviour {
  switch (spec.kind ?? 'tls') {
    case 'tls': {
      const wanted = spec.certificate;
      if (!wanted) throw new Error(`lab endpoint ${spec.name} needs a certificate`);
      const key = JSON.stringify([wanted.profile, wanted.names, wanted.variant ?? '']);
      const issued = cache.get(key) ?? certificateForProfile(pki, wanted.profile, wanted.names.slice(0, wanted.perServerName ? 1 : undefined), revocation);
      cache.set(key, issued);
      const byName = wanted.perServerName
        ? Object.fromEntries(
            wanted.names.map((name) => {
              const nameKey = JSON.stringify([wanted.profile, name, wanted.variant ?? '']);
              const certificate = cache.get(nameKey) ?? certificateForProfile(pki, wanted.profile, [name], revocation);
              cache.set(nameKey, certificate);
              return [name, { certPem: certificate.chainPem, keyPem: certificate.keyPem }];
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

export async function startLab(spec: LabSpec, options: { now?: Date } = {}): Promise<RunningLab> {
  // The revocation server first: the certificates name its URLs. Leaves name the CRL; only the
  // profiles about OCSP name the responder (a run that meets no OCSP URL never loads PKI.js).
  const revocation = await startLabRevocation();
  let pki: Pki;
  try {
    const { leafCrlUrl, intermediateCrlUrl } = revocation.urls;
    pki = await createPki({ ...(options.now ? { now: options.now } : {}), revocation: { leafCrlUrl, intermediateCrlUrl } });
  } catch (error) {
    await revocation.close();
    throw error;
  }
  revocation.serve(pki);
  const issuing: LabIssuing = { pki, cache: new Map(), revocation };
  const endpoints: { close(): Promise<void> }[] = [];
  const variables: Record<string, string> = {};
  let dns: RunningDnsServer | undefined;
  let internalDns: RunningDnsServer | undefined;
  try {
    for (const endpointSpec of spec.endpoints ?? []) {
      const shared = endpointSpec.sameAddressAs ? variables[endpointSpec.sameAddressAs] : undefined;
      if (endpointSpec.sameAddressAs && !shared) throw new Error(`lab endpoint ${endpointSpec.name}: ${endpointSpec.sameAddressAs} is not defined before it`);
      const endpoint = await listen(endpointSpec, issuing, shared);
      endpoints.push(endpoint);
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
    dns = await startDnsServer({ zones: await load(spec.zones), ...(spec.misbehave ? { misbehave: spec.misbehave } : {}) });
    if (spec.internalZones) {
      internalDns = await startDnsServer({ zones: await load(spec.internalZones) });
      variables.INTERNAL_RESOLVER = internalDns.address;
    }
    variables.RESOLVER = dns.address;
  } catch (error) {
    await Promise.all([...endpoints.map((endpoint) => endpoint.close()), dns?.close(), internalDns?.close(), revocation.close()]);
    throw error;
  }
  const server = dns;
  const internal = internalDns;
  return {
    resolver: { host: server.host, port: server.port },
    resolverArgument: `${server.host}:${server.port}`,
    pki,
    rootPem: pki.root.certPem,
    variables,
    dns: server,
    ...(internal ? { internalDns: internal } : {}),
    async close() {
      await Promise.all([server.close(), internal?.close(), revocation.close(), ...endpoints.map((endpoint) => endpoint.close())]);
    },
  };
}
