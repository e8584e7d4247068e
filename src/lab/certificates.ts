// Named certificate profiles for lab endpoints: each is a realistic way an Expressway-E or edge
// certificate is right or wrong. Dates are relative to the PKI's clock. Unless a profile says
// otherwise, a leaf names the lab's current CRL (the PKI's default) and no OCSP responder.
import { DAY_MS } from '../model/time.js';
import { DEFAULT_CRL_URL, type LeafSpec, type Pki } from './pki.js';
import type { LabRevocation } from './revocation-server.js';

export const CERTIFICATE_PROFILES = [
  'good-rsa',
  'good-ecdsa',
  'expired',
  'not-yet-valid',
  'expiring-warn',
  'expiring-crit',
  'self-signed',
  'missing-intermediate',
  'wildcard-only',
  'cn-only',
  'no-client-auth',
  'no-eku',
  'sha1',
  'rsa-1024',
  'no-crl',
  'extra-unrelated',
  'extra-expired-cross',
  'revoked',
  'stale-crl',
  'crl-unreachable',
] as const;
export type CertificateProfile = (typeof CERTIFICATE_PROFILES)[number];

export interface LabCertificate {
  /** Leaf first, then what the server sends of the chain. */
  chainPem: string;
  keyPem: string;
  certPem: string;
}

function leafSpec(profile: CertificateProfile, names: string[], now: Date, revocation: LabRevocation | undefined): LeafSpec {
  const days = (n: number) => new Date(now.getTime() + n * DAY_MS);
  const base: LeafSpec = {
    commonName: names[0] ?? 'lab.invalid',
    sans: names,
    notBefore: days(-30),
    notAfter: days(365),
    keyType: 'rsa',
    extendedKeyUsage: ['serverAuth', 'clientAuth'],
  };
  switch (profile) {
    case 'good-rsa':
    case 'self-signed':
    case 'missing-intermediate':
      return base;
    case 'good-ecdsa':
      return { ...base, keyType: 'ec' };
    case 'expired':
      return { ...base, notBefore: days(-400), notAfter: days(-2) };
    case 'not-yet-valid':
      return { ...base, notBefore: days(5), notAfter: days(400) };
    case 'expiring-warn':
      return { ...base, notAfter: days(20) };
    case 'expiring-crit':
      return { ...base, notAfter: days(7) };
    case 'wildcard-only': {
      const parent = (names[0] ?? 'lab.invalid').split('.').slice(1).join('.');
      return { ...base, commonName: `*.${parent}`, sans: [`*.${parent}`] };
    }
    case 'cn-only': {
      const { sans: _omitted, ...withoutSan } = base;
      return withoutSan;
    }
    case 'no-client-auth':
      return { ...base, extendedKeyUsage: ['serverAuth'] };
    case 'no-eku':
      return { ...base, extendedKeyUsage: 'none' };
    case 'sha1':
      return { ...base, signatureHash: 'sha1' };
    case 'rsa-1024':
      return { ...base, rsaBits: 1024 };
    case 'no-crl':
      return { ...base, crlDistributionPoint: null, ocspUrl: null };
    case 'extra-unrelated':
    case 'extra-expired-cross':
      return base;
    case 'revoked':
      return { ...base, ...(revocation ? { ocspUrl: revocation.urls.ocspUrl } : {}) };
    case 'stale-crl':
      return { ...base, ...(revocation ? { crlDistributionPoint: revocation.urls.staleCrlUrl } : {}) };
    case 'crl-unreachable':
      return { ...base, crlDistributionPoint: DEFAULT_CRL_URL };
  }
}

/** `revocation`: the lab's CRLs and OCSP responder, which the revocation profiles need. */
export function certificateForProfile(pki: Pki, profile: CertificateProfile, names: string[], revocation?: LabRevocation): LabCertificate {
  const spec = leafSpec(profile, names, pki.now, revocation);
  const issuer = profile === 'self-signed' ? 'self' : 'intermediate';
  const leaf = pki.issueLeaf(spec, issuer);
  if (profile === 'revoked') revocation?.revoke(leaf, 'keyCompromise');
  const chainPem =
    profile === 'self-signed' || profile === 'missing-intermediate' ? leaf.certPem : pki.chainPem(leaf) + extraCertificatePem(pki, profile);
  return { chainPem, keyPem: leaf.keyPem, certPem: leaf.certPem };
}

/**
 * What a server sends beside a valid chain: a forgotten self-signed certificate (expired, 1024-bit)
 * or the root's expired cross-certificate. Neither is on the validation path.
 */
function extraCertificatePem(pki: Pki, profile: CertificateProfile): string {
  const days = (n: number) => new Date(pki.now.getTime() + n * DAY_MS);
  switch (profile) {
    case 'extra-unrelated':
      return pki.issueLeaf(
        { commonName: 'old-test-device.lab.invalid', notBefore: days(-800), notAfter: days(-400), rsaBits: 1024, extendedKeyUsage: 'none', crlDistributionPoint: null },
        'self',
      ).certPem;
    case 'extra-expired-cross':
      return pki.expiredCrossCertificate().certPem;
    default:
      return '';
  }
}
