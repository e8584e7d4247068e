import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-signature.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import {
  PARTNER_DOMAIN,
  SUBJECT,
  intermediateCertificate,
  judgeOne,
  leafCertificate,
  partnerProbe,
  rootCertificate,
  selfSignedLeaf,
  tlsProbe,
  unconnectedProbe,
} from '../helpers/builders/index.js';

const SHA1_RSA = { signatureAlgorithm: 'sha1WithRSAEncryption', signatureAlgorithmOid: '1.2.840.113549.1.1.5' };
const MD5_RSA = { signatureAlgorithm: 'md5WithRSAEncryption', signatureAlgorithmOid: '1.2.840.113549.1.1.4' };
const PSS = { signatureAlgorithm: 'RSASSA-PSS', signatureAlgorithmOid: '1.2.840.113549.1.1.10' };

describe('cert-signature', () => {
  it('passes SHA-256 signatures', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-signature', code: 'cert-signature.pass', status: 'pass', subject: SUBJECT });
  });

  it('fails a SHA-1 signed leaf', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate(SHA1_RSA), intermediateCertificate()] }));
    expect(finding.code).toBe('cert-signature.weak-hash');
    expect(finding.remediation).toContain('SHA-256');
    expect(finding.remediation).toContain('sip.ciscoexample.com');
  });

  it('fails an MD5 signed intermediate, with the intermediate remediation', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate(), intermediateCertificate(MD5_RSA)] }));
    expect(finding.code).toBe('cert-signature.weak-hash');
    expect(finding.data).toMatchObject({ signatures: [{ element: 'leaf', status: 'pass' }, { element: 'intermediate', status: 'fail' }] });
    expect(finding.remediation).toContain("CA's SHA-256");
  });

  it('exempts a self-signed root\'s own SHA-1 signature', () => {
    const probe = tlsProbe({ chain: [leafCertificate(), intermediateCertificate(), rootCertificate(SHA1_RSA)] });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-signature.pass');
    expect(finding.data).toMatchObject({ signatures: [{ element: 'leaf' }, { element: 'intermediate' }, { element: 'root', exempt: true }] });
  });

  it('does not exempt a self-signed leaf', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [selfSignedLeaf(SHA1_RSA)] }));
    expect(finding.code).toBe('cert-signature.weak-hash');
  });

  it('warns on RSASSA-PSS: unsupported by Skype for Business Server', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate(PSS), intermediateCertificate()] }));
    expect(finding.code).toBe('cert-signature.rsassa-pss');
    expect(finding.remediation).toContain('not RSASSA-PSS');
  });

  it('warns when the signature algorithm could not be read', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate({ signatureAlgorithm: '', signatureAlgorithmOid: '', parseError: 'truncated' })] }));
    expect(finding.code).toBe('cert-signature.unreadable');
  });

  it.each([
    ['an ECDSA SHA-1 OID alone', { signatureAlgorithm: '', signatureAlgorithmOid: '1.2.840.10045.4.1' }, 'cert-signature.weak-hash'],
    ['the name ecdsa-with-SHA1 alone', { signatureAlgorithm: 'ecdsa-with-SHA1', signatureAlgorithmOid: '' }, 'cert-signature.weak-hash'],
    ['the name md5WithRSA alone', { signatureAlgorithm: 'md5WithRSA', signatureAlgorithmOid: '' }, 'cert-signature.weak-hash'],
    ['SHA-256', { signatureAlgorithm: 'sha256WithRSAEncryption', signatureAlgorithmOid: '1.2.840.113549.1.1.11' }, 'cert-signature.pass'],
    ['the name ecdsa-with-SHA512 alone', { signatureAlgorithm: 'ecdsa-with-SHA512', signatureAlgorithmOid: '' }, 'cert-signature.pass'],
  ])('recognises weak hashes by OID or by name alone: %s', (_, algorithm, code) => {
    expect(judgeOne(check, tlsProbe({ chain: [leafCertificate(algorithm)] })).code).toBe(code);
  });

  it('asks the partner to fix a partner edge', () => {
    const finding = judgeOne(check, partnerProbe({ chain: [leafCertificate(SHA1_RSA)] }), { role: 'partner' });
    expect(finding.code).toBe('cert-signature.weak-hash');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips when no certificate was obtained', () => {
    expect(judgeOne(check, unconnectedProbe('unreachable')).code).toBe('cert-signature.no-certificate');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('cert-signature.no-peers');
  });
});
