import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { pemToDer } from '../../src/gather/index.js';
import { DEFAULT_CRL_URL, createPki, type IssuedCertificate, type Pki } from '../../src/lab/pki.js';
import { DAY_MS } from '../../src/model/time.js';

const NOW = new Date('2026-03-01T12:00:00Z');
let pki: Pki;

beforeAll(async () => {
  pki = await createPki({ now: NOW });
});

function x509(issued: IssuedCertificate): X509Certificate {
  return new X509Certificate(issued.certPem);
}

function keyMatches(issued: IssuedCertificate): boolean {
  const fromKey = createPublicKey(createPrivateKey(issued.keyPem)).export({ type: 'spki', format: 'der' });
  const fromCertificate = x509(issued).publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCertificate);
}

describe('createPki', () => {
  it('makes a self-signed root CA and an intermediate it signed', () => {
    const root = x509(pki.root);
    const intermediate = x509(pki.intermediate);
    expect(root.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(intermediate.ca).toBe(true);
    expect(intermediate.checkIssued(root)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(keyMatches(pki.root)).toBe(true);
    expect(keyMatches(pki.intermediate)).toBe(true);
    expect(pki.now).toBe(NOW);
  });

  it('gives every PKI its own names and keys', async () => {
    const other = await createPki();
    expect(other.root.cert.subject).not.toBe(pki.root.cert.subject);
    expect(x509(other.intermediate).verify(x509(pki.root).publicKey)).toBe(false);
  });
});

describe('issueLeaf', () => {
  it('issues a federation-ready leaf from the intermediate by default, dated from the PKI clock', () => {
    const leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'] });
    const certificate = x509(leaf);
    expect(certificate.checkIssued(x509(pki.intermediate))).toBe(true);
    expect(certificate.verify(x509(pki.intermediate).publicKey)).toBe(true);
    expect(certificate.ca).toBe(false);
    expect(certificate.subjectAltName).toBe('DNS:sip.example.com');
    expect(new Date(certificate.validFrom).getTime()).toBe(NOW.getTime() - DAY_MS);
    expect(new Date(certificate.validTo).getTime()).toBe(NOW.getTime() + 365 * DAY_MS);
    expect(leaf.cert.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
    expect(leaf.cert.crlDistributionPoints).toEqual([DEFAULT_CRL_URL]);
    expect(keyMatches(leaf)).toBe(true);
  });

  it('honours explicit dates, including ones past 2049', () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2051-01-01T00:00:00Z');
    const leaf = pki.issueLeaf({ commonName: 'long', notBefore, notAfter });
    expect(leaf.cert.notBefore).toBe(notBefore.toISOString());
    expect(leaf.cert.notAfter).toBe(notAfter.toISOString());
    expect(new Date(x509(leaf).validTo).toISOString()).toBe(notAfter.toISOString());
  });

  it('issues from the root or self-signs on request', () => {
    const fromRoot = x509(pki.issueLeaf({ commonName: 'direct' }, 'root'));
    expect(fromRoot.verify(x509(pki.root).publicKey)).toBe(true);
    const self = pki.issueLeaf({ commonName: 'self' }, 'self');
    expect(x509(self).verify(x509(self).publicKey)).toBe(true);
    expect(self.cert.selfIssued).toBe(true);
  });

  it('makes ECDSA and Ed25519 certificates that OpenSSL verifies', () => {
    const ecLeaf = pki.issueLeaf({ commonName: 'ec', keyType: 'ec' });
    expect(x509(ecLeaf).verify(x509(pki.intermediate).publicKey)).toBe(true);
    expect(keyMatches(ecLeaf)).toBe(true);

    const ecSelf = pki.issueLeaf({ commonName: 'ec-self', keyType: 'ec', ecCurve: 'secp384r1' }, 'self');
    expect(x509(ecSelf).verify(x509(ecSelf).publicKey)).toBe(true);
    expect(ecSelf.cert.signatureAlgorithm).toBe('ecdsa-with-SHA256');

    const edSelf = pki.issueLeaf({ commonName: 'ed', keyType: 'ed25519' }, 'self');
    expect(x509(edSelf).verify(x509(edSelf).publicKey)).toBe(true);
    expect(edSelf.cert.keyType).toBe('ed25519');
  });

  it('makes the weak certificates the checks must catch, validly signed', () => {
    const intermediateKey = x509(pki.intermediate).publicKey;
    for (const spec of [
      { commonName: 'sha1', signatureHash: 'sha1' },
      { commonName: 'md5', signatureHash: 'md5' },
      { commonName: 'pss', signatureScheme: 'pss' },
      { commonName: 'small', rsaBits: 1024 },
    ] as const) {
      const leaf = pki.issueLeaf(spec);
      expect(x509(leaf).verify(intermediateKey)).toBe(true);
      expect(leaf.cert.parseError).toBeUndefined();
    }
    expect(pki.issueLeaf({ commonName: 'small', rsaBits: 1024 }).cert.keyBits).toBe(1024);
  });

  it('leaves out EKU, SAN and CRL point when asked', () => {
    const bare = pki.issueLeaf({ commonName: 'bare', extendedKeyUsage: 'none', crlDistributionPoint: null });
    expect(bare.cert.extendedKeyUsage).toBeUndefined();
    expect(bare.cert.hasSanExtension).toBe(false);
    expect(bare.cert.crlDistributionPoints).toEqual([]);
    expect(x509(bare).subjectAltName).toBeUndefined();
  });

  it('refuses combinations that have no standard encoding', () => {
    expect(() => pki.issueLeaf({ commonName: 'x', keyType: 'ec', signatureHash: 'md5' }, 'self')).toThrow(/ECDSA/);
    expect(() => pki.issueLeaf({ commonName: 'x', signatureScheme: 'pss', signatureHash: 'sha1' })).toThrow(/PSS/);
  });
});

describe('revocation URLs', () => {
  it('names the PKI\'s CRLs in the intermediate and the leaves, and an OCSP responder where asked', async () => {
    const urls = { leafCrlUrl: 'http://127.0.0.1:8080/intermediate.crl', intermediateCrlUrl: 'http://127.0.0.1:8080/root.crl' };
    const published = await createPki({ now: NOW, revocation: urls });
    expect(published.intermediate.cert.crlDistributionPoints).toEqual([urls.intermediateCrlUrl]);
    const leaf = published.issueLeaf({ commonName: 'sip.example.com' });
    expect(leaf.cert.crlDistributionPoints).toEqual([urls.leafCrlUrl]);
    expect(x509(leaf).infoAccess).toBeUndefined();
    const withOcsp = published.issueLeaf({ commonName: 'sip.example.com', ocspUrl: 'http://127.0.0.1:8080/ocsp' });
    expect(x509(withOcsp).infoAccess).toContain('OCSP - URI:http://127.0.0.1:8080/ocsp');
    expect(x509(withOcsp).verify(x509(published.intermediate).publicKey)).toBe(true);
    expect(pki.issueLeaf({ commonName: 'sip.example.com' }).cert.crlDistributionPoints).toEqual([DEFAULT_CRL_URL]);
  });
});

describe('chain helpers', () => {
  it('put the leaf first, then the intermediate, then (full) the root', () => {
    const leaf = pki.issueLeaf({ commonName: 'sip.example.com' });
    const chain = pemToDer(pki.chainPem(leaf));
    expect(chain.map((der) => der.equals(leaf.der))).toEqual([true, false]);
    expect(chain[1]?.equals(pki.intermediate.der)).toBe(true);
    const full = pemToDer(pki.fullChainPem(leaf));
    expect(full).toHaveLength(3);
    expect(full[2]?.equals(pki.root.der)).toBe(true);
  });
});
