// Named certificate profiles for lab endpoints: each is a realistic way an Expressway-E or edge
// certificate is right or wrong. Dates are relative to the PKI's clock.
import { DAY_MS } from '../model/time.js';
import type { LeafSpec, Pki } from './pki.js';

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
] as const;
export type CertificateProfile = (typeof CERTIFICATE_PROFILES)[number];

export interface LabCertificate {
  /** Leaf first, then what the server sends of the chain. */
  chainPem: string;
  keyPem: string;
  certPem: string;
}

function leafSpec(profile: CertificateProfile, names: string[], now: Date): LeafSpec {
  const days = (n: number) => new Date(now.getTime() + n * DAY_MS);
  const base: LeafSpec = {
    commonName: names[0] ?? 'lab.invalid',
    sans: names,
    notBefore: days(-30),
    notAfter: days(365),
    keyType: 'rsa',
    extendedKeyUsage: ['serverAuth', 'clientAuth'],
    crlDistributionPoint: 'http://crl.lab.invalid/intermediate.crl',
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
      return { ...base, crlDistributionPoint: null };
  }
}

export function certificateForProfile(pki: Pki, profile: CertificateProfile, names: string[]): LabCertificate {
  const spec = leafSpec(profile, names, pki.now);
  const issuer = profile === 'self-signed' ? 'self' : 'intermediate';
  const leaf = pki.issueLeaf(spec, issuer);
  const chainPem =
    profile === 'self-signed' || profile === 'missing-intermediate' ? leaf.certPem : pki.chainPem(leaf);
  return { chainPem, keyPem: leaf.keyPem, certPem: leaf.certPem };
}
