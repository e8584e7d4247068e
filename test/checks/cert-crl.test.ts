import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-crl.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import { PARTNER_DOMAIN, SUBJECT, judgeOne, leafCertificate, partnerProbe, tlsProbe, unconnectedProbe } from '../helpers/builders/index.js';

function withPoints(crlDistributionPoints: string[], parseError?: string) {
  return tlsProbe({ chain: [leafCertificate({ crlDistributionPoints, ...(parseError ? { parseError } : {}) })] });
}

describe('cert-crl', () => {
  it('passes an HTTP CRL distribution point', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-crl', code: 'cert-crl.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toEqual({ crlDistributionPoints: ['http://crl.example-trust.test/issuing-g2.crl'] });
  });

  it('passes when at least one of several points is HTTP', () => {
    const finding = judgeOne(check, withPoints(['ldap:///CN=Issuing,CN=CDP,DC=corp', 'http://pki.ciscoexample.com/issuing.crl']));
    expect(finding.code).toBe('cert-crl.pass');
  });

  it('warns when the leaf has no CRL distribution point', () => {
    const finding = judgeOne(check, withPoints([]));
    expect(finding.code).toBe('cert-crl.missing');
    expect(finding.remediation).toContain('HTTP CRL distribution point');
  });

  it('warns when the only distribution points are LDAP (an internal AD CA)', () => {
    const finding = judgeOne(check, withPoints(['ldap:///CN=Issuing,CN=CDP,CN=Public Key Services,DC=corp,DC=ciscoexample,DC=com']));
    expect(finding.code).toBe('cert-crl.not-fetchable');
    expect(finding.remediation).toContain('Publish the issuing CA\'s CRL on an HTTP URL');
  });

  it('mentions a parse error that may explain the missing extension', () => {
    const finding = judgeOne(check, withPoints([], 'bad extension'));
    expect(finding.code).toBe('cert-crl.missing');
  });

  it('asks the partner to fix a partner edge', () => {
    const finding = judgeOne(check, partnerProbe({ chain: [leafCertificate({ crlDistributionPoints: [] })] }), { role: 'partner' });
    expect(finding.code).toBe('cert-crl.missing');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips when no certificate was obtained', () => {
    expect(judgeOne(check, unconnectedProbe('refused')).code).toBe('cert-crl.no-certificate');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('cert-crl.no-peers');
  });
});
