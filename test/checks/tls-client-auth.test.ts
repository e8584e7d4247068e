import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/tls-client-auth.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import { PARTNER_DOMAIN, SUBJECT, failedHandshakeProbe, judgeOne, partnerProbe, tlsProbe, unconnectedProbe } from '../helpers/builders/index.js';

const PRESENTED = 'CN=expe.ciscoexample.com, O=Cisco Example';

describe('tls-client-auth', () => {
  it('reports a handshake the run deadline cut short as not determined', () => {
    const finding = judgeOne(check, failedHandshakeProbe('aborted'));
    expect(finding.code).toBe('tls-client-auth.aborted');
  });

  it('does not call a --cert certificate rejected when the run deadline cut its handshake short', () => {
    const probe = tlsProbe({
      clientAuth: {
        requested: 'required',
        presentedCertificate: { subject: PRESENTED, accepted: false, error: 'aborted: the run deadline was reached during the handshake', cutShort: true },
      },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-client-auth.presented-cut-short');
    expect(finding.remediation).toBeUndefined();
  });

  it('reports a demand for a client certificate as info: expected for federation', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'required' } }));
    expect(finding).toMatchObject({ check: 'tls-client-auth', code: 'tls-client-auth.required', status: 'info', subject: SUBJECT });
    expect(finding.data).toEqual({ requested: 'required' });
  });

  it('reports an optional request as info', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'requested' } }));
    expect(finding.code).toBe('tls-client-auth.requested');
  });

  it('reports a server that does not ask as info, with the likely reason', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'not-requested' } }));
    expect(finding.code).toBe('tls-client-auth.not-requested');
  });

  it('reports an undetermined request as info', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'unknown' } }));
    expect(finding.code).toBe('tls-client-auth.unknown');
  });

  it('passes when the presented certificate is accepted', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'required', presentedCertificate: { subject: PRESENTED, accepted: true } } }));
    expect(finding.code).toBe('tls-client-auth.accepted');
    expect(finding.data).toEqual({ requested: 'required', presented: PRESENTED, accepted: true });
  });

  it('fails when the presented certificate is rejected, with the error', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 9, protocol: 'TLSv1.3' },
      clientAuth: { requested: 'required', presentedCertificate: { subject: PRESENTED, accepted: false, error: 'alert unknown_ca' } },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-client-auth.rejected');
    expect(finding.remediation).toContain('Trusted CA certificate');
    expect(finding.data).toMatchObject({ accepted: false, error: 'alert unknown_ca' });
  });

  it('asks the partner to trust your CA when their edge rejects your certificate', () => {
    const probe = partnerProbe({ clientAuth: { requested: 'required', presentedCertificate: { subject: PRESENTED, accepted: false } } });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.code).toBe('tls-client-auth.rejected');
    expect(finding.remediation).toContain('Their edge does not accept your certificate');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('does not blame the certificate when the handshake failed for another reason', () => {
    const probe = failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request' }, {
      clientAuth: { requested: 'unknown', presentedCertificate: { subject: PRESENTED, accepted: false, error: 'wrong version number' } },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-client-auth.no-tls-session');
  });

  it('skips when TCP did not connect', () => {
    const finding = judgeOne(check, unconnectedProbe('refused'));
    expect(finding.code).toBe('tls-client-auth.no-tls-session');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('tls-client-auth.no-peers');
  });
});
