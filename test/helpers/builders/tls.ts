// Builders of hand-made TLS observations: certificates, probes, and a target whose DNS leads to
// them. Everything defaults to a healthy Expressway-E at 192.0.2.10:5061 for sip.ciscoexample.com,
// with a publicly trusted RSA 2048 / SHA-256 chain valid around the fixed NOW
// (2025-06-01T12:00:00Z), so a test states only what it breaks:
//
//   const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate({ sanDnsNames: ['other.example.com'] })] }));
import { createHash } from 'node:crypto';
import { DAY_MS } from '../../../src/model/time.js';
import type {
  CertificateInfo,
  TargetObservations,
  TcpConnectOutcome,
  TlsHandshakeOutcome,
  TlsProbeObservation,
} from '../../../src/model/observations.js';
import type { RevocationObservations } from '../../../src/model/revocation.js';
import { DOMAIN, NOW, PARTNER_DOMAIN, federationTarget, srv } from './dns.js';

export { NOW, DOMAIN, PARTNER_DOMAIN };

export const HOST = `sip.${DOMAIN}`;
export const PARTNER_HOST = `sip.${PARTNER_DOMAIN}`;
export const ADDRESS = '192.0.2.10';
export const PORT = 5061;
/** The subject of a per-peer finding for the default probe. */
export const SUBJECT = `${ADDRESS}:${PORT}`;

/** An ISO date `days` whole days after NOW (negative: before). */
export function daysFromNow(days: number, from: Date = NOW): string {
  return new Date(from.getTime() + days * DAY_MS).toISOString();
}

function fakePem(serial: string): string {
  return `-----BEGIN CERTIFICATE-----\nMIIFAKE${serial}\n-----END CERTIFICATE-----\n`;
}

/** An upper-case, colon-separated SHA-256 of the text: what a real fingerprint looks like. */
export function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/**
 * A hand-made certificate: a builder's defaults under the test's overrides, with a stand-in PEM
 * named after its serial and a fingerprint of its own content, so that two certificates that
 * differ in any field differ in fingerprint too, as real ones do; an explicit one is kept.
 */
function certificateOf(defaults: Omit<CertificateInfo, 'fingerprintSha256' | 'pem'>, overrides: Partial<CertificateInfo>): CertificateInfo {
  const { fingerprintSha256: explicit, ...fields } = overrides;
  const certificate = { pem: fakePem(fields.serialNumber ?? defaults.serialNumber), ...defaults, ...fields };
  return { ...certificate, fingerprintSha256: explicit ?? fingerprint(JSON.stringify(certificate)) };
}

export const INTERMEDIATE_NAME = 'CN=Example Issuing CA G2, O=Example Trust';
export const ROOT_NAME = 'CN=Example Root CA, O=Example Trust';

/** The Expressway-E's server certificate: exact SAN for HOST, serverAuth + clientAuth, HTTP CDP. */
export function leafCertificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return certificateOf(
    {
      subject: `CN=${HOST}, O=Cisco Example`,
      subjectCN: HOST,
      issuer: INTERMEDIATE_NAME,
      issuerCN: 'Example Issuing CA G2',
      serialNumber: '0A1B2C3D',
      notBefore: '2025-01-01T00:00:00.000Z',
      notAfter: '2026-01-01T00:00:00.000Z',
      sanDnsNames: [HOST, DOMAIN],
      sanIpAddresses: [],
      hasSanExtension: true,
      keyType: 'rsa',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      signatureAlgorithmOid: '1.2.840.113549.1.1.11',
      extendedKeyUsage: ['serverAuth', 'clientAuth'],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      crlDistributionPoints: ['http://crl.example-trust.test/issuing-g2.crl'],
      isCA: false,
      selfIssued: false,
    },
    overrides,
  );
}

export function intermediateCertificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return certificateOf(
    {
      subject: INTERMEDIATE_NAME,
      subjectCN: 'Example Issuing CA G2',
      issuer: ROOT_NAME,
      issuerCN: 'Example Root CA',
      serialNumber: '0200',
      notBefore: '2020-01-01T00:00:00.000Z',
      notAfter: '2030-01-01T00:00:00.000Z',
      sanDnsNames: [],
      sanIpAddresses: [],
      hasSanExtension: false,
      keyType: 'rsa',
      keyBits: 4096,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      signatureAlgorithmOid: '1.2.840.113549.1.1.11',
      keyUsage: ['keyCertSign', 'cRLSign'],
      crlDistributionPoints: ['http://crl.example-trust.test/root.crl'],
      isCA: true,
      selfIssued: false,
    },
    overrides,
  );
}

export function rootCertificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return certificateOf(
    {
      subject: ROOT_NAME,
      subjectCN: 'Example Root CA',
      issuer: ROOT_NAME,
      issuerCN: 'Example Root CA',
      serialNumber: '01',
      notBefore: '2015-01-01T00:00:00.000Z',
      notAfter: '2035-01-01T00:00:00.000Z',
      sanDnsNames: [],
      sanIpAddresses: [],
      hasSanExtension: false,
      keyType: 'rsa',
      keyBits: 4096,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      signatureAlgorithmOid: '1.2.840.113549.1.1.11',
      keyUsage: ['keyCertSign', 'cRLSign'],
      crlDistributionPoints: [],
      isCA: true,
      selfIssued: true,
    },
    overrides,
  );
}

/** A self-signed leaf, as a lab or a fresh Expressway install presents. */
export function selfSignedLeaf(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return leafCertificate({
    issuer: `CN=${HOST}, O=Cisco Example`,
    issuerCN: HOST,
    selfIssued: true,
    crlDistributionPoints: [],
    ...overrides,
  });
}

/**
 * A certificate a server sends beside its chain, on no validation path: an old device's
 * self-signed certificate, expired, 1024-bit, signed with SHA-1.
 */
export function strayCertificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return leafCertificate({
    subject: 'CN=old-device',
    subjectCN: 'old-device',
    issuer: 'CN=old-device',
    selfIssued: true,
    keyBits: 1024,
    signatureAlgorithm: 'sha1WithRSAEncryption',
    signatureAlgorithmOid: '1.2.840.113549.1.1.5',
    notBefore: '2020-01-01T00:00:00.000Z',
    notAfter: '2024-01-01T00:00:00.000Z',
    ...overrides,
  });
}

/** A successful federation probe: TLS 1.3, leaf + intermediate, trusted, mutual TLS required. */
export function tlsProbe(overrides: Partial<TlsProbeObservation> = {}): TlsProbeObservation {
  return {
    host: HOST,
    address: ADDRESS,
    port: PORT,
    family: 4,
    purpose: 'federation',
    connect: { outcome: 'connected', durationMs: 21 },
    handshake: { outcome: 'ok', durationMs: 48, protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
    chain: [leafCertificate(), intermediateCertificate()],
    trust: { verdict: 'trusted', detail: 'chain validates to a trusted root' },
    legacyProtocols: [
      { protocol: 'TLSv1', result: 'refused' },
      { protocol: 'TLSv1.1', result: 'refused' },
    ],
    clientAuth: { requested: 'required' },
    ...overrides,
  };
}

/** A probe whose TCP connection failed: no handshake, no certificate. */
export function unconnectedProbe(
  outcome: Exclude<TcpConnectOutcome, 'connected'>,
  overrides: Partial<TlsProbeObservation> = {},
): TlsProbeObservation {
  const durationMs = outcome === 'timeout' ? 4000 : 2;
  const error =
    outcome === 'refused' ? 'connect ECONNREFUSED' : outcome === 'unreachable' ? 'connect EHOSTUNREACH' : outcome === 'error' ? 'connect EADDRNOTAVAIL' : undefined;
  const probe = tlsProbe({
    connect: { outcome, durationMs, ...(error ? { error } : {}) },
    chain: [],
    legacyProtocols: [],
    clientAuth: { requested: 'unknown' },
    ...overrides,
  });
  delete probe.handshake;
  delete probe.trust;
  return { ...probe, ...overrides };
}

/** A probe that connected but whose handshake ended with `outcome` before any certificate. */
export function failedHandshakeProbe(
  outcome: Exclude<TlsHandshakeOutcome, 'ok' | 'client-certificate-required'>,
  handshake: Partial<NonNullable<TlsProbeObservation['handshake']>> = {},
  overrides: Partial<TlsProbeObservation> = {},
): TlsProbeObservation {
  const probe = tlsProbe({
    handshake: { outcome, durationMs: outcome === 'timeout' ? 4000 : 5, ...handshake },
    chain: [],
    legacyProtocols: [
      { protocol: 'TLSv1', result: 'not-tested' },
      { protocol: 'TLSv1.1', result: 'not-tested' },
    ],
    clientAuth: { requested: 'unknown' },
    ...overrides,
  });
  if (!('trust' in overrides)) delete probe.trust;
  return probe;
}

export interface TlsTargetOptions {
  role?: 'local' | 'partner';
  deadlineExceeded?: boolean;
  revocation?: RevocationObservations;
}

/**
 * A target whose DNS leads to the probes: one SRV record for the first probe's host and port,
 * and A/AAAA answers with every probed address.
 */
export function tlsTarget(probes: TlsProbeObservation[], options: TlsTargetOptions = {}): TargetObservations {
  const role = options.role ?? 'local';
  const first = probes[0];
  const host = first?.host ?? (role === 'partner' ? PARTNER_HOST : HOST);
  const port = first?.port ?? PORT;
  const ipv4 = [...new Set(probes.filter((probe) => probe.family === 4).map((probe) => probe.address))];
  const ipv6 = [...new Set(probes.filter((probe) => probe.family === 6).map((probe) => probe.address))];
  const target = federationTarget({
    role,
    srv: [srv(10, 10, port, host)],
    ipv4: probes.length === 0 ? ['192.0.2.10'] : ipv4,
    ipv6,
  });
  return {
    ...target,
    tls: probes,
    ...(options.deadlineExceeded ? { deadlineExceeded: true } : {}),
    ...(options.revocation ? { revocation: options.revocation } : {}),
  };
}

/** The probe moved to the partner domain's edge. */
export function partnerProbe(overrides: Partial<TlsProbeObservation> = {}): TlsProbeObservation {
  return tlsProbe({ host: PARTNER_HOST, ...overrides });
}
