import { describe, expect, it } from 'vitest';
import { check, judgeSignature, weakSignatureHash } from '../../src/checks/cert-signature.js';
import { federationTarget, singleFinding } from './observations.js';
import {
  INTERMEDIATE_NAME,
  PARTNER_DOMAIN,
  ROOT_NAME,
  SUBJECT,
  intermediateCertificate,
  judgeOne,
  leafCertificate,
  partnerProbe,
  rootCertificate,
  selfSignedLeaf,
  tlsProbe,
  unconnectedProbe,
} from './tls-observations.js';

const SHA1_RSA = { signatureAlgorithm: 'sha1WithRSAEncryption', signatureAlgorithmOid: '1.2.840.113549.1.1.5' };
const MD5_RSA = { signatureAlgorithm: 'md5WithRSAEncryption', signatureAlgorithmOid: '1.2.840.113549.1.1.4' };
const PSS = { signatureAlgorithm: 'RSASSA-PSS', signatureAlgorithmOid: '1.2.840.113549.1.1.10' };

describe('cert-signature', () => {
  it('passes SHA-256 signatures', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-signature', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain('signed with sha256WithRSAEncryption');
  });

  it('fails a SHA-1 signed leaf', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate(SHA1_RSA), intermediateCertificate()] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('the leaf CN=sip.ciscoexample.com, O=Cisco Example is signed with SHA-1 (sha1WithRSAEncryption)');
    expect(finding.remediation).toContain('SHA-256');
    expect(finding.remediation).toContain('sip.ciscoexample.com');
  });

  it('fails an MD5 signed intermediate, with the intermediate remediation', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate(), intermediateCertificate(MD5_RSA)] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`the intermediate ${INTERMEDIATE_NAME} is signed with MD5`);
    expect(finding.remediation).toContain("CA's SHA-256");
  });

  it('exempts a self-signed root\'s own SHA-1 signature, and says why', () => {
    const probe = tlsProbe({ chain: [leafCertificate(), intermediateCertificate(), rootCertificate(SHA1_RSA)] });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain(`The root ${ROOT_NAME} signs itself with SHA-1, which is harmless`);
    expect(finding.message).toContain('never checked');
    expect(finding.data).toMatchObject({ signatures: [{ element: 'leaf' }, { element: 'intermediate' }, { element: 'root', exempt: true }] });
  });

  it('does not exempt a self-signed leaf', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [selfSignedLeaf(SHA1_RSA)] }));
    expect(finding.status).toBe('fail');
  });

  it('warns on RSASSA-PSS: unsupported by Skype for Business Server', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate(PSS), intermediateCertificate()] }));
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('signed with RSASSA-PSS, which Skype for Business Server does not support');
    expect(finding.remediation).toContain('not RSASSA-PSS');
  });

  it('warns when the signature algorithm could not be read', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate({ signatureAlgorithm: '', signatureAlgorithmOid: '', parseError: 'truncated' })] }));
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('could not be read (truncated)');
  });

  it('recognises weak hashes by OID or by name alone', () => {
    expect(weakSignatureHash({ signatureAlgorithm: '', signatureAlgorithmOid: '1.2.840.10045.4.1' })).toBe('SHA-1');
    expect(weakSignatureHash({ signatureAlgorithm: 'ecdsa-with-SHA1', signatureAlgorithmOid: '' })).toBe('SHA-1');
    expect(weakSignatureHash({ signatureAlgorithm: 'md5WithRSA', signatureAlgorithmOid: '' })).toBe('MD5');
    expect(weakSignatureHash({ signatureAlgorithm: 'sha256WithRSAEncryption', signatureAlgorithmOid: '1.2.840.113549.1.1.11' })).toBeUndefined();
    expect(weakSignatureHash({ signatureAlgorithm: 'ecdsa-with-SHA512', signatureAlgorithmOid: '' })).toBeUndefined();
    expect(judgeSignature([leafCertificate(SHA1_RSA)], 0)).toMatchObject({ status: 'fail', hash: 'SHA-1', exempt: false });
  });

  it('asks the partner to fix a partner edge', () => {
    const finding = judgeOne(check, partnerProbe({ chain: [leafCertificate(SHA1_RSA)] }), { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips when no certificate was obtained', () => {
    expect(judgeOne(check, unconnectedProbe('unreachable')).status).toBe('skip');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).status).toBe('skip');
  });
});
