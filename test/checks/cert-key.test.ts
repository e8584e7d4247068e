import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-key.js';
import type { CertificateInfo } from '../../src/model/observations.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import {
  PARTNER_DOMAIN,
  SUBJECT,
  failedHandshakeProbe,
  intermediateCertificate,
  judgeOne,
  leafCertificate,
  partnerProbe,
  tlsProbe,
} from '../helpers/builders/index.js';

function withLeafKey(key: Partial<CertificateInfo>) {
  return tlsProbe({ chain: [leafCertificate(key), intermediateCertificate()] });
}

describe('cert-key', () => {
  it('passes RSA 2048 and lists every key', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-key', code: 'cert-key.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toEqual({
      keys: [
        { element: 'leaf', keyType: 'rsa', keyBits: 2048, status: 'pass' },
        { element: 'intermediate', keyType: 'rsa', keyBits: 4096, status: 'pass' },
      ],
    });
  });

  it('passes ECDSA P-256 and P-384', () => {
    expect(judgeOne(check, withLeafKey({ keyType: 'ec', keyBits: 256, curve: 'prime256v1' })).code).toBe('cert-key.pass');
    expect(judgeOne(check, withLeafKey({ keyType: 'ec', keyBits: 384, curve: 'secp384r1' })).code).toBe('cert-key.pass');
  });

  it('fails RSA below 2048 bits', () => {
    const finding = judgeOne(check, withLeafKey({ keyBits: 1024 }));
    expect(finding.code).toBe('cert-key.rsa-too-small');
    expect(finding.remediation).toContain('RSA 2048-bit');
    expect(finding.remediation).toContain('sip.ciscoexample.com');
  });

  it('fails a weak key on an intermediate, with the CA remediation', () => {
    const probe = tlsProbe({ chain: [leafCertificate(), intermediateCertificate({ keyBits: 1024 })] });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-key.rsa-too-small');
    expect(finding.remediation).toContain("CA's current intermediate");
  });

  it('fails EC below 256 bits', () => {
    const finding = judgeOne(check, withLeafKey({ keyType: 'ec', keyBits: 224, curve: 'secp224r1' }));
    expect(finding.code).toBe('cert-key.ec-too-small');
  });

  it('warns on a non-NIST curve', () => {
    const finding = judgeOne(check, withLeafKey({ keyType: 'ec', keyBits: 256, curve: 'secp256k1' }));
    expect(finding.code).toBe('cert-key.non-nist-curve');
  });

  it('fails Ed25519 and Ed448: Skype for Business does not support them', () => {
    for (const keyType of ['ed25519', 'ed448'] as const) {
      const finding = judgeOne(check, withLeafKey({ keyType, keyBits: undefined }));
      expect(finding.code).toBe('cert-key.eddsa');
    }
  });

  it('fails DSA', () => {
    const finding = judgeOne(check, withLeafKey({ keyType: 'dsa', keyBits: 2048 }));
    expect(finding.code).toBe('cert-key.dsa');
  });

  it('warns on an RSA-PSS-only key of adequate size, fails one too small', () => {
    const pss = judgeOne(check, withLeafKey({ keyType: 'rsa-pss', keyBits: 2048 }));
    expect(pss.code).toBe('cert-key.rsa-pss');
    expect(judgeOne(check, withLeafKey({ keyType: 'rsa-pss', keyBits: 1024 })).code).toBe('cert-key.rsa-too-small');
  });

  it('warns, with the reason, on a key it cannot identify or size', () => {
    const unknown = judgeOne(check, withLeafKey({ keyType: 'unknown', keyBits: undefined, parseError: 'unsupported SPKI algorithm 1.2.643.7.1.1.1.1' }));
    expect(unknown.code).toBe('cert-key.unidentified');
    const unsized = judgeOne(check, withLeafKey({ keyBits: undefined }));
    expect(unsized.code).toBe('cert-key.size-unreadable');
  });

  it('takes its code from the worst element, and fixes the chain when the leaf is not at worst', () => {
    const probe = tlsProbe({ chain: [leafCertificate({ keyType: 'ec', keyBits: 256, curve: 'secp256k1' }), intermediateCertificate({ keyBits: 1024 })] });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-key.rsa-too-small');
    expect(finding.data).toMatchObject({ keys: [{ element: 'leaf', status: 'warn' }, { element: 'intermediate', status: 'fail' }] });
    expect(finding.remediation).toMatch(/^Serve the CA's current intermediate certificate/);
  });

  it('asks the partner to fix a partner edge', () => {
    const finding = judgeOne(check, partnerProbe({ chain: [leafCertificate({ keyBits: 1024 })] }), { role: 'partner' });
    expect(finding.code).toBe('cert-key.rsa-too-small');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips when no certificate was obtained', () => {
    expect(judgeOne(check, failedHandshakeProbe('closed')).code).toBe('cert-key.no-certificate');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('cert-key.no-peers');
  });
});
