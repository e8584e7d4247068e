import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-trust.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import {
  INTERMEDIATE_NAME,
  PARTNER_DOMAIN,
  SUBJECT,
  failedHandshakeProbe,
  intermediateCertificate,
  judgeOne,
  leafCertificate,
  partnerProbe,
  rootCertificate,
  selfSignedLeaf,
  tlsProbe,
} from '../helpers/builders/index.js';

const PRIVATE_ROOT = 'CN=Cisco Example Enterprise Root, DC=ciscoexample, DC=com';

describe('cert-trust', () => {
  it('passes a chain that validates, showing the path', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-trust', code: 'cert-trust.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toMatchObject({ verdict: 'trusted' });
  });

  it('speaks of public trust for a partner', () => {
    const finding = judgeOne(check, partnerProbe(), { role: 'partner' });
    expect(finding.code).toBe('cert-trust.pass');
  });

  it('fails a self-signed leaf', () => {
    const probe = tlsProbe({
      chain: [selfSignedLeaf()],
      trust: { verdict: 'self-signed', detail: 'self-signed certificate', nodeError: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-trust.self-signed');
    expect(finding.remediation).toContain('public CA for sip.ciscoexample.com');
  });

  it('fails a chain ending at a private self-signed root the server sends', () => {
    const probe = tlsProbe({
      chain: [
        leafCertificate({ issuer: PRIVATE_ROOT }),
        rootCertificate({ subject: PRIVATE_ROOT, issuer: PRIVATE_ROOT }),
      ],
      trust: { verdict: 'self-signed', detail: 'self-signed certificate in certificate chain', nodeError: 'SELF_SIGNED_CERT_IN_CHAIN' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-trust.private-root');
    expect(finding.remediation).toContain('--ca');
  });

  it('fails an untrusted root, naming the issuer', () => {
    const probe = tlsProbe({
      chain: [leafCertificate(), intermediateCertificate({ issuer: PRIVATE_ROOT })],
      trust: { verdict: 'untrusted-root', detail: 'unable to get local issuer certificate', nodeError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-trust.untrusted-root');
    expect(finding.remediation).toContain('public CA');
  });

  it('fails an incomplete chain when the server sends only the leaf, naming the missing intermediate', () => {
    const probe = tlsProbe({
      chain: [leafCertificate()],
      trust: { verdict: 'incomplete-chain', detail: 'unable to verify the first certificate', nodeError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-trust.incomplete-chain');
    expect(finding.remediation).toContain(`Add the intermediate ${INTERMEDIATE_NAME} to the Expressway's server certificate chain`);
    expect(finding.data).toMatchObject({ missingIssuer: INTERMEDIATE_NAME });
  });

  it('fails an incomplete chain that stops after an intermediate', () => {
    const upper = 'CN=Example Policy CA, O=Example Trust';
    const probe = tlsProbe({
      chain: [leafCertificate(), intermediateCertificate({ issuer: upper })],
      trust: { verdict: 'incomplete-chain', detail: 'unable to get issuer certificate' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-trust.incomplete-chain');
  });

  it('reports an expired or not-yet-valid verdict as info, leaving the dates to cert-validity', () => {
    for (const verdict of ['expired', 'not-yet-valid'] as const) {
      const probe = tlsProbe({ trust: { verdict, detail: `certificate ${verdict}`, nodeError: 'CERT_HAS_EXPIRED' } });
      const finding = judgeOne(check, probe);
      expect(finding.code).toBe('cert-trust.dates-only');
      expect(finding.remediation).toBeUndefined();
    }
  });

  it('fails a server that completed the handshake without a certificate', () => {
    const probe = tlsProbe({ chain: [], trust: { verdict: 'no-certificate', detail: 'no peer certificate' } });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-trust.no-certificate-sent');
  });

  it('reports an error when trust could not be determined or was not recorded', () => {
    const unknown = judgeOne(check, tlsProbe({ trust: { verdict: 'unknown', detail: 'verification crashed' } }));
    expect(unknown.code).toBe('cert-trust.undetermined');
    const probe = tlsProbe();
    delete probe.trust;
    expect(judgeOne(check, probe).code).toBe('cert-trust.no-verdict');
    const contradiction = judgeOne(check, tlsProbe({ trust: { verdict: 'no-certificate', detail: 'no peer certificate' } }));
    expect(contradiction.code).toBe('cert-trust.contradiction');
  });

  it('asks the partner for a public certificate, or to trust their private root on purpose', () => {
    const probe = partnerProbe({
      chain: [leafCertificate(), intermediateCertificate({ issuer: PRIVATE_ROOT })],
      trust: { verdict: 'untrusted-root', detail: 'unable to get local issuer certificate' },
    });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.code).toBe('cert-trust.untrusted-root');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
    expect(finding.remediation).toContain(`add its root (${PRIVATE_ROOT}) to your Expressway-E's trusted CA list`);
  });

  it('skips when the handshake failed before a certificate arrived', () => {
    const finding = judgeOne(check, failedHandshakeProbe('timeout'));
    expect(finding.code).toBe('cert-trust.no-certificate');
  });

  it('skips, naming the run deadline, when it cut the handshake short before a certificate arrived', () => {
    const finding = judgeOne(check, failedHandshakeProbe('aborted'));
    expect(finding.code).toBe('cert-trust.no-certificate');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('cert-trust.no-peers');
  });
});
