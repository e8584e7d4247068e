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

  it('fails a local certificate without clientAuth: what breaks, the sunset, and the ways out', () => {
    const finding = judgeOne(check, withUsage(['serverAuth']));
    expect(finding.code).toBe('cert-eku.no-client-auth');
    expect(finding.message).toContain('Expressway-E → Microsoft');
    expect(finding.message).toContain('Chrome Root Program policy 1.8');
    expect(finding.message).toContain('2027-03-15');
    expect(finding.remediation).toContain('serverAuth and clientAuth');
    expect(finding.remediation).toContain('xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On');
    expect(finding.remediation).toContain('X15.5');
    expect(finding.remediation).toContain('private CA');
  });

  describe('the clientAuth sunset (2027-03-15) for a public CA’s certificate', () => {
    /** A leaf that expires on `notAfter`, trusted through the system store (a public CA) or a --ca anchor. */
    const publicLeaf = (notAfter: string, anchor: 'system' | 'ca' = 'system') =>
      tlsProbe({ chain: [leafCertificate({ notAfter })], trust: { verdict: 'trusted', detail: 'trusted', anchor } });

    it('says, as info, that a renewal after the sunset will lose clientAuth', () => {
      const finding = judgeOne(check, publicLeaf('2027-06-01T00:00:00.000Z'));
      expect(finding).toMatchObject({ code: 'cert-eku.renewal-after-sunset', status: 'info' });
      expect(finding.message).toContain('renewal around 2027-05-02');
      expect(finding.message).toContain('will not carry clientAuth');
      expect(finding.data).toMatchObject({ renewalDate: '2027-05-02', clientAuthSunset: '2027-03-15' });
    });

    it('warns within 90 days of that renewal', () => {
      const now = new Date('2027-03-01T00:00:00Z');
      const finding = judgeOne(check, publicLeaf('2027-05-01T00:00:00.000Z'), { now });
      expect(finding).toMatchObject({ code: 'cert-eku.renewal-soon-after-sunset', status: 'warn' });
      expect(finding.message).toContain('in 31 days');
      expect(finding.remediation).toContain('EnableServerEkuUpload');
      const sooner = judgeOne(check, publicLeaf('2027-05-01T00:00:00.000Z'), { now: new Date('2026-12-01T00:00:00Z') });
      expect(sooner.code).toBe('cert-eku.renewal-after-sunset');
    });

    it('stays a pass when the renewal comes before the sunset, for a private CA, and for partners', () => {
      expect(judgeOne(check, publicLeaf('2027-04-13T00:00:00.000Z')).code).toBe('cert-eku.pass');
      expect(judgeOne(check, publicLeaf('2027-06-01T00:00:00.000Z', 'ca')).code).toBe('cert-eku.pass');
      const partner = partnerProbe({ chain: [leafCertificate({ notAfter: '2027-06-01T00:00:00.000Z' })], trust: { verdict: 'trusted', detail: 'trusted', anchor: 'system' } });
      expect(judgeOne(check, partner, { role: 'partner' }).code).toBe('cert-eku.pass');
    });
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
