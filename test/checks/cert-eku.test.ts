import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-eku.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import { PARTNER_DOMAIN, SUBJECT, judgeOne, leafCertificate, partnerProbe, tlsProbe, unconnectedProbe } from '../helpers/builders/index.js';

function withUsage(extendedKeyUsage: string[] | undefined) {
  return tlsProbe({ chain: [leafCertificate({ extendedKeyUsage })] });
}


describe('cert-eku', () => {
  it('passes serverAuth + clientAuth and reminds to keep clientAuth at renewal', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-eku', code: 'cert-eku.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toEqual({ extendedKeyUsage: ['serverAuth', 'clientAuth'] });
  });

  it('passes a certificate without EKU extension: any usage allowed', () => {
    const finding = judgeOne(check, withUsage(undefined));
    expect(finding.code).toBe('cert-eku.no-eku');
    expect(finding.data).toEqual({ extendedKeyUsage: null });
  });

  it('fails an EKU extension that could not be read instead of treating it as absent', () => {
    const problem = 'extension 2.5.29.37 (extendedKeyUsage) unreadable: Too few bytes to read ASN.1 value.';
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate({ extendedKeyUsage: ['unreadable'], parseError: problem })] }));
    expect(finding.code).toBe('cert-eku.unreadable');
    expect(finding.remediation).toContain('well-formed Extended Key Usage extension listing serverAuth and clientAuth');
    expect(finding.data).toEqual({ extendedKeyUsage: ['unreadable'] });
  });

  it('fails an unreadable EKU extension on a partner edge too, asking them to fix it', () => {
    const probe = partnerProbe({ chain: [leafCertificate({ extendedKeyUsage: ['unreadable'] })] });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.code).toBe('cert-eku.unreadable');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('accepts dotted OIDs and anyExtendedKeyUsage', () => {
    expect(judgeOne(check, withUsage(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'])).code).toBe('cert-eku.pass');
    const any = judgeOne(check, withUsage(['2.5.29.37.0']));
    expect(any.code).toBe('cert-eku.any-usage');
  });

  it('fails a local certificate without clientAuth, explaining mutual TLS and the public CA change', () => {
    const finding = judgeOne(check, withUsage(['serverAuth']));
    expect(finding.code).toBe('cert-eku.no-client-auth');
    expect(finding.remediation).toContain('serverAuth and clientAuth');
  });

  it('reports a partner certificate without clientAuth as info: their edge, Microsoft does not need it', () => {
    const finding = judgeOne(check, partnerProbe({ chain: [leafCertificate({ extendedKeyUsage: ['serverAuth'] })] }), { role: 'partner' });
    expect(finding.code).toBe('cert-eku.partner-no-client-auth');
    expect(finding.remediation).toBeUndefined();
  });

  it('fails a certificate without serverAuth, for partners too', () => {
    const local = judgeOne(check, withUsage(['clientAuth']));
    expect(local.code).toBe('cert-eku.no-server-auth');
    const partner = judgeOne(check, partnerProbe({ chain: [leafCertificate({ extendedKeyUsage: ['clientAuth'] })] }), { role: 'partner' });
    expect(partner.code).toBe('cert-eku.no-server-auth');
    expect(partner.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('fails a certificate allowing neither, saying both', () => {
    const finding = judgeOne(check, withUsage(['codeSigning']));
    expect(finding.code).toBe('cert-eku.no-server-auth');
  });

  it('skips when no certificate was obtained', () => {
    expect(judgeOne(check, unconnectedProbe('timeout')).code).toBe('cert-eku.no-certificate');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('cert-eku.no-peers');
  });
});
