import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-key.js';
import type { CertificateInfo } from '../../src/model/observations.js';
import { federationTarget, singleFinding } from './observations.js';
import {
  INTERMEDIATE_NAME,
  PARTNER_DOMAIN,
  SUBJECT,
  failedHandshakeProbe,
  intermediateCertificate,
  judgeOne,
  leafCertificate,
  partnerProbe,
  tlsProbe,
} from './tls-observations.js';

function withLeafKey(key: Partial<CertificateInfo>) {
  return tlsProbe({ chain: [leafCertificate(key), intermediateCertificate()] });
}

describe('cert-key', () => {
  it('passes RSA 2048 and lists every key', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-key', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain('leaf RSA 2048-bit, intermediate RSA 4096-bit');
    expect(finding.data).toEqual({
      keys: [
        { element: 'leaf', keyType: 'rsa', keyBits: 2048, status: 'pass' },
        { element: 'intermediate', keyType: 'rsa', keyBits: 4096, status: 'pass' },
      ],
    });
  });

  it('passes ECDSA P-256 and P-384', () => {
    expect(judgeOne(check, withLeafKey({ keyType: 'ec', keyBits: 256, curve: 'prime256v1' })).status).toBe('pass');
    expect(judgeOne(check, withLeafKey({ keyType: 'ec', keyBits: 384, curve: 'secp384r1' })).status).toBe('pass');
  });

  it('fails RSA below 2048 bits', () => {
    const finding = judgeOne(check, withLeafKey({ keyBits: 1024 }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('the leaf CN=sip.ciscoexample.com, O=Cisco Example: its RSA key has 1024 bits, below the 2048-bit minimum');
    expect(finding.remediation).toContain('RSA 2048-bit');
    expect(finding.remediation).toContain('sip.ciscoexample.com');
  });

  it('fails a weak key on an intermediate, with the CA remediation', () => {
    const probe = tlsProbe({ chain: [leafCertificate(), intermediateCertificate({ keyBits: 1024 })] });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`the intermediate ${INTERMEDIATE_NAME}: its RSA key has 1024 bits`);
    expect(finding.remediation).toContain("CA's current intermediate");
  });

  it('fails EC below 256 bits', () => {
    const finding = judgeOne(check, withLeafKey({ keyType: 'ec', keyBits: 224, curve: 'secp224r1' }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('its EC key has 224 bits, below the 256-bit minimum');
  });

  it('warns on a non-NIST curve', () => {
    const finding = judgeOne(check, withLeafKey({ keyType: 'ec', keyBits: 256, curve: 'secp256k1' }));
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('curve secp256k1 is not one of the NIST curves');
  });

  it('fails Ed25519 and Ed448: Skype for Business does not support them', () => {
    for (const keyType of ['ed25519', 'ed448'] as const) {
      const finding = judgeOne(check, withLeafKey({ keyType, keyBits: undefined }));
      expect(finding.status).toBe('fail');
      expect(finding.message).toContain('not supported for TLS by Skype for Business Server');
      expect(finding.message).toContain(keyType === 'ed25519' ? 'Ed25519' : 'Ed448');
    }
  });

  it('fails DSA', () => {
    const finding = judgeOne(check, withLeafKey({ keyType: 'dsa', keyBits: 2048 }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('DSA key cannot be used with TLS 1.3');
  });

  it('warns on an RSA-PSS-only key of adequate size, fails one too small', () => {
    const pss = judgeOne(check, withLeafKey({ keyType: 'rsa-pss', keyBits: 2048 }));
    expect(pss.status).toBe('warn');
    expect(pss.message).toContain('RSASSA-PSS');
    expect(judgeOne(check, withLeafKey({ keyType: 'rsa-pss', keyBits: 1024 })).status).toBe('fail');
  });

  it('warns, with the reason, on a key it cannot identify or size', () => {
    const unknown = judgeOne(check, withLeafKey({ keyType: 'unknown', keyBits: undefined, parseError: 'unsupported SPKI algorithm 1.2.643.7.1.1.1.1' }));
    expect(unknown.status).toBe('warn');
    expect(unknown.message).toContain('could not identify its public key algorithm (unsupported SPKI algorithm 1.2.643.7.1.1.1.1)');
    const unsized = judgeOne(check, withLeafKey({ keyBits: undefined }));
    expect(unsized.status).toBe('warn');
    expect(unsized.message).toContain('RSA key size could not be read');
  });

  it('reports the worst element first', () => {
    const probe = tlsProbe({ chain: [leafCertificate({ keyType: 'ec', keyBits: 256, curve: 'secp256k1' }), intermediateCertificate({ keyBits: 1024 })] });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message.indexOf('the intermediate')).toBeLessThan(finding.message.indexOf('the leaf'));
  });

  it('asks the partner to fix a partner edge', () => {
    const finding = judgeOne(check, partnerProbe({ chain: [leafCertificate({ keyBits: 1024 })] }), { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips when no certificate was obtained', () => {
    expect(judgeOne(check, failedHandshakeProbe('closed')).status).toBe('skip');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).status).toBe('skip');
  });
});
