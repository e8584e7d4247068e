import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/tls-client-auth.js';
import { federationTarget, singleFinding } from './observations.js';
import { PARTNER_DOMAIN, SUBJECT, failedHandshakeProbe, judgeOne, partnerProbe, tlsProbe, unconnectedProbe } from './tls-observations.js';

const PRESENTED = 'CN=expe.ciscoexample.com, O=Cisco Example';

describe('tls-client-auth', () => {
  it('reports a handshake the run deadline cut short as not determined', () => {
    const finding = judgeOne(check, failedHandshakeProbe('aborted'));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain("was cut short: the run's --timeout expired during it");
    expect(finding.message).toContain('Run again with a longer --timeout.');
  });

  it('does not call a --cert certificate rejected when the run deadline cut its handshake short', () => {
    const probe = tlsProbe({
      clientAuth: {
        requested: 'required',
        presentedCertificate: { subject: PRESENTED, accepted: false, error: 'aborted: the run deadline was reached during the handshake', cutShort: true },
      },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('error');
    expect(finding.message).toContain(`whether it accepts the client certificate ${PRESENTED} presented with --cert is not determined`);
    expect(finding.message).not.toContain('rejected');
    expect(finding.remediation).toBeUndefined();
  });

  it('reports a demand for a client certificate as info: expected for federation', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'required' } }));
    expect(finding).toMatchObject({ check: 'tls-client-auth', status: 'info', subject: SUBJECT });
    expect(finding.message).toContain('demands a client certificate (mutual TLS)');
    expect(finding.message).toContain('That is expected: federation is mutual TLS');
    expect(finding.data).toEqual({ requested: 'required' });
  });

  it('reports an optional request as info', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'requested' } }));
    expect(finding.status).toBe('info');
    expect(finding.message).toContain('asks for a client certificate but continues without one');
  });

  it('reports a server that does not ask as info, with the likely reason', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'not-requested' } }));
    expect(finding.status).toBe('info');
    expect(finding.message).toContain('does not ask for a client certificate');
    expect(finding.message).toContain('terminates TLS');
  });

  it('reports an undetermined request as info', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'unknown' } }));
    expect(finding.status).toBe('info');
    expect(finding.message).toContain('could not be determined');
  });

  it('passes when the presented certificate is accepted', () => {
    const finding = judgeOne(check, tlsProbe({ clientAuth: { requested: 'required', presentedCertificate: { subject: PRESENTED, accepted: true } } }));
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain(`accepted the client certificate ${PRESENTED}`);
    expect(finding.data).toEqual({ requested: 'required', presented: PRESENTED, accepted: true });
  });

  it('fails when the presented certificate is rejected, with the error', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 9, protocol: 'TLSv1.3' },
      clientAuth: { requested: 'required', presentedCertificate: { subject: PRESENTED, accepted: false, error: 'alert unknown_ca' } },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`rejected the client certificate ${PRESENTED} presented with --cert: alert unknown_ca`);
    expect(finding.remediation).toContain('Trusted CA certificate');
    expect(finding.data).toMatchObject({ accepted: false, error: 'alert unknown_ca' });
  });

  it('asks the partner to trust your CA when their edge rejects your certificate', () => {
    const probe = partnerProbe({ clientAuth: { requested: 'required', presentedCertificate: { subject: PRESENTED, accepted: false } } });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain('Their edge does not accept your certificate');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('does not blame the certificate when the handshake failed for another reason', () => {
    const probe = failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request' }, {
      clientAuth: { requested: 'unknown', presentedCertificate: { subject: PRESENTED, accepted: false, error: 'wrong version number' } },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain('the port answers in plain text');
  });

  it('skips when TCP did not connect', () => {
    const finding = judgeOne(check, unconnectedProbe('refused'));
    expect(finding.status).toBe('skip');
    expect(finding.message).toBe(`The TCP connection to ${SUBJECT} was refused, so whether it asks for a client certificate could not be seen.`);
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).status).toBe('skip');
  });
});
