import { describe, expect, it } from 'vitest';
import {
  certificateUnavailable,
  check,
  demandedClientCertificate,
  handshakeCutShort,
  handshakeFailurePhrase,
  presentedCertificateCutShort,
  tlsSessionUnavailable,
} from '../../src/checks/tls-handshake.js';
import { federationTarget, singleFinding } from './observations.js';
import {
  PARTNER_DOMAIN,
  SUBJECT,
  failedHandshakeProbe,
  judgeOne,
  partnerProbe,
  tlsProbe,
  unconnectedProbe,
} from './tls-observations.js';

describe('tls-handshake', () => {
  it('passes a completed handshake, with protocol and cipher', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'tls-handshake', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain('TLSv1.3, TLS_AES_256_GCM_SHA384');
    expect(finding.data).toMatchObject({ outcome: 'ok', protocol: 'TLSv1.3' });
  });

  it('passes a server that demands a client certificate: federation is mutual TLS', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 30, protocol: 'TLSv1.3' },
      clientAuth: { requested: 'required' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('demands a client certificate');
    expect(finding.message).toContain('mutual TLS');
    expect(finding.message).toContain('presented none');
  });

  it('counts a certificate alert after a required CertificateRequest as the mutual-TLS demand', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'alert', durationMs: 30, protocol: 'TLSv1.2', alert: 'handshake_failure' },
      clientAuth: { requested: 'required' },
    });
    expect(demandedClientCertificate(probe)).toBe(true);
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('with the alert handshake_failure');
  });

  it('says when the server rejected the certificate fedcheck presented, without failing the handshake', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 30 },
      clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false } },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('rejected the client certificate fedcheck presented (CN=expe.ciscoexample.com)');
  });

  it('fails a plaintext reply and shows the sample: a TCP listener, not TLS', () => {
    const probe = failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request\\r\\nVia: SIP/2.0/TCP 203.0.113.5:41234;branch=z9hG4bK' });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain("The port answers in plain text: 'SIP/2.0 400 Bad Request …' — it is a SIP listener over plain TCP");
    expect(finding.message).toContain('SIP listener over plain TCP');
    expect(finding.remediation).toContain('not to its SIP TCP port (5060)');
  });

  it('recognises a web server answering the port', () => {
    const finding = judgeOne(check, failedHandshakeProbe('plaintext', { plaintextSample: 'HTTP/1.1 400 Bad Request' }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain("plain text: 'HTTP/1.1 400 Bad Request' — it is a web server");
    expect(finding.message).toContain('a web server');
  });

  it('cuts a long unrecognised sample and calls it a TCP listener, not TLS', () => {
    const finding = judgeOne(check, failedHandshakeProbe('plaintext', { plaintextSample: 'x'.repeat(100) }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`'${'x'.repeat(60)} …' — it is a TCP listener, not TLS`);
  });

  it('fails a reset during the handshake', () => {
    const finding = judgeOne(check, failedHandshakeProbe('reset', { error: 'read ECONNRESET' }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('was reset during the TLS handshake (read ECONNRESET)');
    expect(finding.remediation).toContain('SIP or TLS inspection');
  });

  it('fails a stalled handshake', () => {
    const finding = judgeOne(check, failedHandshakeProbe('timeout'));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('stalled');
    expect(finding.message).toContain('4000 ms');
  });

  it('reports a handshake the run deadline cut short as not determined, not as a stall', () => {
    const probe = failedHandshakeProbe('aborted', { durationMs: 1500, error: 'the run deadline was reached during the handshake' });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('error');
    expect(finding.message).toBe(
      `Not determined: the run's --timeout expired during the TLS handshake with ${SUBJECT} (1500 ms after TCP connected), ` +
        'so nothing is known about the peer. Run again with a longer --timeout.',
    );
    expect(finding.message).not.toContain('stalled');
    expect(finding.remediation).toBeUndefined();
    expect(finding.data).toMatchObject({ outcome: 'aborted' });
  });

  it('still passes a mutual-TLS demand whose --cert handshake the run deadline cut short, saying so', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 30 },
      clientAuth: {
        requested: 'required',
        presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false, error: 'aborted: the run deadline was reached during the handshake', cutShort: true },
      },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).not.toContain('rejected');
    expect(finding.message).toContain("the handshake presenting --cert was cut short by the run's --timeout");
  });

  it('does not call an accepted --cert certificate rejected', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 30 },
      clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: true } },
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).not.toContain('rejected');
    expect(finding.message).toContain('it accepted the one presented with --cert, CN=expe.ciscoexample.com');
  });

  it('fails a connection closed without an alert', () => {
    const finding = judgeOne(check, failedHandshakeProbe('closed'));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('closed the connection during the TLS handshake without a TLS alert');
  });

  it('fails an alert, explaining it', () => {
    const finding = judgeOne(check, failedHandshakeProbe('alert', { alert: 'handshake_failure' }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('alert handshake_failure');
    expect(finding.message).toContain('no cipher suite');
    expect(finding.remediation).toContain('Maintenance > Security > Ciphers');
  });

  it('fails an unrecognized_name alert with the SNI to accept', () => {
    const finding = judgeOne(check, failedHandshakeProbe('alert', { alert: 'unrecognized_name' }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('does not accept the SNI name sip.ciscoexample.com');
    expect(finding.remediation).toContain('sip.ciscoexample.com');
  });

  it('fails a protocol mismatch, pointing at tls-version', () => {
    const finding = judgeOne(check, failedHandshakeProbe('protocol-mismatch'));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('no TLS version');
    expect(finding.message).toContain('tls-version');
    expect(finding.remediation).toContain('TLS 1.2');
  });

  it('reports an unattributable handshake error as error', () => {
    const finding = judgeOne(check, failedHandshakeProbe('error', { error: 'EPROTO something odd' }));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('EPROTO something odd');
  });

  it('reports an error when a connected probe has no handshake recorded', () => {
    const probe = tlsProbe();
    delete probe.handshake;
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('no TLS handshake was recorded');
  });

  it('skips when TCP did not connect, saying why', () => {
    const finding = judgeOne(check, unconnectedProbe('refused'));
    expect(finding.status).toBe('skip');
    expect(finding.subject).toBe(SUBJECT);
    expect(finding.message).toBe(`The TCP connection to ${SUBJECT} was refused, so no TLS handshake was attempted.`);
  });

  it('skips a probe of port 0 pointing at srv-port, not at a refusing peer', () => {
    const finding = judgeOne(check, unconnectedProbe('refused', { port: 0 }));
    expect(finding.status).toBe('skip');
    expect(finding.message).toBe(
      'The TCP connection to 192.0.2.10:0 cannot be made: port 0 (from the SRV record) is not a usable port, see srv-port, so no TLS handshake was attempted.',
    );
  });

  it('asks the partner to fix a partner edge', () => {
    const finding = judgeOne(check, partnerProbe({ handshake: { outcome: 'reset', durationMs: 3 }, chain: [] }), { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips without federation peers', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: [] }));
    expect(finding.status).toBe('skip');
  });
});

describe('prerequisite readings', () => {
  it('explains a missing certificate by the connection or handshake that failed', () => {
    expect(certificateUnavailable(failedHandshakeProbe('reset'))).toBe(
      `TLS handshake with ${SUBJECT} failed (the connection was reset), so the certificate could not be examined.`,
    );
    expect(certificateUnavailable(unconnectedProbe('timeout'))).toBe(
      `The TCP connection to ${SUBJECT} timed out after 4000 ms, so the certificate could not be examined.`,
    );
    expect(certificateUnavailable(tlsProbe({ chain: [] }))).toBe(
      `${SUBJECT} sent no certificate in the TLS handshake, so the certificate could not be examined.`,
    );
    expect(certificateUnavailable(tlsProbe())).toBeUndefined();
  });

  it('says the run deadline, not the peer, is why there is no certificate or session', () => {
    const probe = failedHandshakeProbe('aborted');
    expect(handshakeCutShort(probe)).toBe(true);
    expect(handshakeCutShort(failedHandshakeProbe('timeout'))).toBe(false);
    expect(handshakeFailurePhrase(probe)).toBe("the run's --timeout expired during the handshake");
    expect(certificateUnavailable(probe)).toBe(
      `The TLS handshake with ${SUBJECT} was cut short: the run's --timeout expired during it, so the certificate could ` +
        'not be examined (nothing is known about the peer). Run again with a longer --timeout.',
    );
  });

  it('tells a --cert handshake cut short by the run deadline from one the server refused', () => {
    const presented = (error?: string, cutShort?: boolean) =>
      tlsProbe({
        clientAuth: {
          requested: 'required',
          presentedCertificate: { subject: 'CN=x', accepted: false, ...(error ? { error } : {}), ...(cutShort ? { cutShort } : {}) },
        },
      });
    expect(presentedCertificateCutShort(presented('aborted: the run deadline was reached during the handshake', true))).toBe(true);
    expect(presentedCertificateCutShort(presented('TCP connect aborted: the run deadline was reached', true))).toBe(true);
    expect(presentedCertificateCutShort(presented('the server rejected it: alert unknown_ca'))).toBe(false);
    expect(presentedCertificateCutShort(presented())).toBe(false);
    expect(presentedCertificateCutShort(tlsProbe())).toBe(false);
  });

  it('still offers the certificate of a handshake that failed after the server sent it', () => {
    const probe = tlsProbe({ handshake: { outcome: 'alert', durationMs: 5, alert: 'internal_error' } });
    expect(tlsSessionUnavailable(probe, 'x')).toContain('failed (TLS alert internal_error)');
    expect(certificateUnavailable(probe)).toBeUndefined();
  });
});
