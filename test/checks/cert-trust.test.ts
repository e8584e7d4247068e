import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-trust.js';
import { federationTarget, singleFinding } from './observations.js';
import {
  INTERMEDIATE_NAME,
  PARTNER_DOMAIN,
  ROOT_NAME,
  SUBJECT,
  failedHandshakeProbe,
  intermediateCertificate,
  judgeOne,
  leafCertificate,
  partnerProbe,
  rootCertificate,
  selfSignedLeaf,
  tlsProbe,
} from './tls-observations.js';

const PRIVATE_ROOT = 'CN=Cisco Example Enterprise Root, DC=ciscoexample, DC=com';

describe('cert-trust', () => {
  it('passes a chain that validates, showing the path', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-trust', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain('the system store or --ca');
    expect(finding.message).toContain(`CN=sip.ciscoexample.com, O=Cisco Example → ${INTERMEDIATE_NAME} (issued by ${ROOT_NAME})`);
    expect(finding.data).toMatchObject({ verdict: 'trusted' });
  });

  it('speaks of public trust for a partner', () => {
    const finding = judgeOne(check, partnerProbe(), { role: 'partner' });
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('public trust (the system store)');
  });

  it('fails a self-signed leaf', () => {
    const probe = tlsProbe({
      chain: [selfSignedLeaf()],
      trust: { verdict: 'self-signed', detail: 'self-signed certificate', nodeError: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('is self-signed');
    expect(finding.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(finding.message).toContain('Microsoft 365 accepts only certificates from public CAs');
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
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`ends at the self-signed root ${PRIVATE_ROOT}`);
    expect(finding.message).toContain('A private CA');
    expect(finding.remediation).toContain('--ca');
  });

  it('fails an untrusted root, naming the issuer', () => {
    const probe = tlsProbe({
      chain: [leafCertificate(), intermediateCertificate({ issuer: PRIVATE_ROOT })],
      trust: { verdict: 'untrusted-root', detail: 'unable to get local issuer certificate', nodeError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`leads to ${PRIVATE_ROOT}, which is not a root in the system store or --ca`);
    expect(finding.remediation).toContain('public CA');
  });

  it('fails an incomplete chain when the server sends only the leaf, naming the missing intermediate', () => {
    const probe = tlsProbe({
      chain: [leafCertificate()],
      trust: { verdict: 'incomplete-chain', detail: 'unable to verify the first certificate', nodeError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`the server sends only the leaf CN=sip.ciscoexample.com, O=Cisco Example; its issuer ${INTERMEDIATE_NAME}, an intermediate CA, is missing`);
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
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`the server sends 2 certificates`);
    expect(finding.message).toContain(`not the issuer of the last one, ${upper}`);
  });

  it('reports an expired or not-yet-valid verdict as info, leaving the dates to cert-validity', () => {
    for (const verdict of ['expired', 'not-yet-valid'] as const) {
      const probe = tlsProbe({ trust: { verdict, detail: `certificate ${verdict}`, nodeError: 'CERT_HAS_EXPIRED' } });
      const finding = judgeOne(check, probe);
      expect(finding.status).toBe('info');
      expect(finding.message).toContain('the path itself is sound');
      expect(finding.message).toContain('cert-validity');
      expect(finding.remediation).toBeUndefined();
    }
  });

  it('fails a server that completed the handshake without a certificate', () => {
    const probe = tlsProbe({ chain: [], trust: { verdict: 'no-certificate', detail: 'no peer certificate' } });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('without presenting a certificate');
  });

  it('reports an error when trust could not be determined or was not recorded', () => {
    const unknown = judgeOne(check, tlsProbe({ trust: { verdict: 'unknown', detail: 'verification crashed' } }));
    expect(unknown.status).toBe('error');
    expect(unknown.message).toContain('could not be determined: verification crashed');
    const probe = tlsProbe();
    delete probe.trust;
    expect(judgeOne(check, probe).status).toBe('error');
  });

  it('asks the partner for a public certificate, or to trust their private root on purpose', () => {
    const probe = partnerProbe({
      chain: [leafCertificate(), intermediateCertificate({ issuer: PRIVATE_ROOT })],
      trust: { verdict: 'untrusted-root', detail: 'unable to get local issuer certificate' },
    });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('public trust (the system store)');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
    expect(finding.remediation).toContain(`add its root (${PRIVATE_ROOT}) to your Expressway-E's trusted CA list`);
  });

  it('skips when the handshake failed before a certificate arrived', () => {
    const finding = judgeOne(check, failedHandshakeProbe('timeout'));
    expect(finding.status).toBe('skip');
    expect(finding.message).toBe(`TLS handshake with ${SUBJECT} failed (no TLS reply within 4000 ms), so the certificate could not be examined.`);
  });

  it('skips, naming the run deadline, when it cut the handshake short before a certificate arrived', () => {
    const finding = judgeOne(check, failedHandshakeProbe('aborted'));
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain(`The TLS handshake with ${SUBJECT} was cut short: the run's --timeout expired during it`);
    expect(finding.message).toContain('Run again with a longer --timeout.');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).status).toBe('skip');
  });
});
