import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-eku.js';
import { federationTarget, singleFinding } from './observations.js';
import { PARTNER_DOMAIN, SUBJECT, judgeOne, leafCertificate, partnerProbe, tlsProbe, unconnectedProbe } from './tls-observations.js';

function withUsage(extendedKeyUsage: string[] | undefined) {
  return tlsProbe({ chain: [leafCertificate({ extendedKeyUsage })] });
}

const MUTUAL_TLS = 'Federation is mutual TLS: the Expressway-E uses this same certificate as a TLS client';
const CA_TREND = 'Public CAs are removing clientAuth from TLS server certificates (2025–2027), so the next renewal from a public CA will break federation unless the CA still issues a clientAuth-capable certificate.';

describe('cert-eku', () => {
  it('passes serverAuth + clientAuth and reminds to keep clientAuth at renewal', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-eku', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain('allows serverAuth and clientAuth');
    expect(finding.message).toContain('Keep clientAuth at renewal');
    expect(finding.data).toEqual({ extendedKeyUsage: ['serverAuth', 'clientAuth'] });
  });

  it('passes a certificate without EKU extension: any usage allowed', () => {
    const finding = judgeOne(check, withUsage(undefined));
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('no Extended Key Usage extension');
    expect(finding.data).toEqual({ extendedKeyUsage: null });
  });

  it('fails an EKU extension that could not be read instead of treating it as absent', () => {
    const problem = 'extension 2.5.29.37 (extendedKeyUsage) unreadable: Too few bytes to read ASN.1 value.';
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate({ extendedKeyUsage: ['unreadable'], parseError: problem })] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`has an Extended Key Usage extension that could not be read (${problem})`);
    expect(finding.message).toContain('it is not the same as having no EKU extension');
    expect(finding.remediation).toContain('well-formed Extended Key Usage extension listing serverAuth and clientAuth');
    expect(finding.data).toEqual({ extendedKeyUsage: ['unreadable'] });
  });

  it('fails an unreadable EKU extension on a partner edge too, asking them to fix it', () => {
    const probe = partnerProbe({ chain: [leafCertificate({ extendedKeyUsage: ['unreadable'] })] });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('accepts dotted OIDs and anyExtendedKeyUsage', () => {
    expect(judgeOne(check, withUsage(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'])).status).toBe('pass');
    const any = judgeOne(check, withUsage(['2.5.29.37.0']));
    expect(any.status).toBe('pass');
    expect(any.message).toContain('anyExtendedKeyUsage');
  });

  it('fails a local certificate without clientAuth, explaining mutual TLS and the public CA change', () => {
    const finding = judgeOne(check, withUsage(['serverAuth']));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('allows serverAuth but not clientAuth (its Extended Key Usage is serverAuth)');
    expect(finding.message).toContain(MUTUAL_TLS);
    expect(finding.message).toContain('Expressway will not load a certificate without clientAuth');
    expect(finding.message).toContain(CA_TREND);
    expect(finding.remediation).toContain('serverAuth and clientAuth');
  });

  it('reports a partner certificate without clientAuth as info: their edge, Microsoft does not need it', () => {
    const finding = judgeOne(check, partnerProbe({ chain: [leafCertificate({ extendedKeyUsage: ['serverAuth'] })] }), { role: 'partner' });
    expect(finding.status).toBe('info');
    expect(finding.message).toContain(`of ${PARTNER_DOMAIN}'s edge allows serverAuth but not clientAuth`);
    expect(finding.message).toContain('Microsoft does not need it from their edge');
    expect(finding.message).toContain(MUTUAL_TLS);
    expect(finding.message).toContain(CA_TREND);
    expect(finding.remediation).toBeUndefined();
  });

  it('fails a certificate without serverAuth, for partners too', () => {
    const local = judgeOne(check, withUsage(['clientAuth']));
    expect(local.status).toBe('fail');
    expect(local.message).toContain('does not allow serverAuth');
    expect(local.message).not.toContain('It lacks clientAuth as well');
    const partner = judgeOne(check, partnerProbe({ chain: [leafCertificate({ extendedKeyUsage: ['clientAuth'] })] }), { role: 'partner' });
    expect(partner.status).toBe('fail');
    expect(partner.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('fails a certificate allowing neither, saying both', () => {
    const finding = judgeOne(check, withUsage(['codeSigning']));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('its Extended Key Usage is codeSigning');
    expect(finding.message).toContain('It lacks clientAuth as well');
    expect(finding.message).toContain(CA_TREND);
  });

  it('skips when no certificate was obtained', () => {
    expect(judgeOne(check, unconnectedProbe('timeout')).status).toBe('skip');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).status).toBe('skip');
  });
});
