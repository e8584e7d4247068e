// Builders of revocation and cipher-suite observations, healthy by default around the fixed NOW:
// a current CRL from the issuer that does not list the certificate, and a peer that picks
// Microsoft's first suite. A test states only what it breaks:
//
//   const revocation = revocationFor([tlsProbe()], { crls: [crlSource({ reading: crlReading({ status: 'revoked' }) })] });
import type { CipherSuiteProbes } from '../../../src/model/ciphers.js';
import type { CertificateInfo, TlsProbeObservation } from '../../../src/model/observations.js';
import type {
  CertificateRevocation,
  RevocationObservations,
  RevocationReading,
  RevocationSource,
} from '../../../src/model/revocation.js';
import { INTERMEDIATE_NAME, ROOT_NAME, daysFromNow, intermediateCertificate, rootCertificate } from './tls.js';

export const CRL_URL = 'http://crl.example-trust.test/issuing-g2.crl';
export const OCSP_URL = 'http://ocsp.example-trust.test/';

/** A peer that picks Microsoft's first suite, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384. */
export function cipherProbes(overrides: Partial<CipherSuiteProbes> = {}): CipherSuiteProbes {
  return {
    microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    accepted: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
    refused: [],
    handshakes: 1,
    ...overrides,
  };
}

/** What a current CRL of the issuer says about a certificate it does not list. */
export function crlReading(overrides: Partial<RevocationReading> = {}): RevocationReading {
  return {
    source: 'crl',
    status: 'good',
    thisUpdate: daysFromNow(-1),
    nextUpdate: daysFromNow(6),
    entries: 12,
    signer: { kind: 'issuer', subject: INTERMEDIATE_NAME },
    ...overrides,
  };
}

export function ocspReading(overrides: Partial<RevocationReading> = {}): RevocationReading {
  return {
    source: 'ocsp',
    status: 'good',
    producedAt: daysFromNow(0),
    thisUpdate: daysFromNow(0),
    nextUpdate: daysFromNow(4),
    signer: { kind: 'issuer', subject: INTERMEDIATE_NAME },
    ...overrides,
  };
}

/** A CRL fetched with HTTP 200; `reading` as read. */
export function crlSource(overrides: Partial<RevocationSource> = {}): RevocationSource {
  return { url: CRL_URL, method: 'GET', outcome: 'ok', httpStatus: 200, bytes: 900, durationMs: 35, reading: crlReading(), ...overrides };
}

export function ocspSource(overrides: Partial<RevocationSource> = {}): RevocationSource {
  return { url: OCSP_URL, method: 'POST', outcome: 'ok', httpStatus: 200, bytes: 1400, durationMs: 40, reading: ocspReading(), ...overrides };
}

/** A source whose fetch failed the way `outcome` says. */
export function failedSource(
  outcome: Exclude<RevocationSource['outcome'], 'ok'>,
  overrides: Partial<RevocationSource> = {},
): RevocationSource {
  return { url: CRL_URL, method: 'GET', outcome, durationMs: outcome === 'timeout' ? 4000 : 3, ...overrides };
}

/** The revocation of one certificate: by default its CRL distribution point answered good. */
export function certificateRevocation(certificate: CertificateInfo, overrides: Partial<CertificateRevocation> = {}): CertificateRevocation {
  const crls = overrides.crls ?? [crlSource()];
  const ocsp = overrides.ocsp ?? [];
  return {
    fingerprintSha256: certificate.fingerprintSha256,
    subject: certificate.subject,
    serialNumber: certificate.serialNumber,
    issuer: { source: 'chain', certificate: intermediateCertificate() },
    crlDistributionPoints: crls.map((source) => source.url),
    ocspResponders: ocsp.map((source) => source.url),
    crls,
    ocsp,
    stapled: [],
    ...overrides,
  };
}

/**
 * The revocation observations of these probes' chains (roots excluded): every certificate good
 * from its CRL, unless `byCertificate` (by chain position: 0 the leaf, 1 the intermediate) says otherwise.
 */
export function revocationFor(
  probes: readonly TlsProbeObservation[],
  byCertificate: Record<number, Partial<CertificateRevocation>> = {},
): RevocationObservations {
  const certificates = new Map<string, CertificateRevocation>();
  for (const probe of probes) {
    probe.chain.forEach((certificate, index) => {
      if (certificate.selfIssued || certificates.has(certificate.fingerprintSha256)) return;
      const underRoot =
        index > 0
          ? {
              issuer: { source: 'ca' as const, certificate: rootCertificate() },
              crls: [crlSource({ url: 'http://crl.example-trust.test/root.crl', reading: crlReading({ signer: { kind: 'issuer', subject: ROOT_NAME } }) })],
            }
          : {};
      certificates.set(certificate.fingerprintSha256, certificateRevocation(certificate, { ...underRoot, ...byCertificate[index] }));
    });
  }
  return { certificates: [...certificates.values()] };
}
