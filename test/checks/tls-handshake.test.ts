import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/tls-handshake.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import {
  PARTNER_DOMAIN,
  SUBJECT,
  failedHandshakeProbe,
  judgeOne,
  partnerProbe,
  tlsProbe,
  unconnectedProbe,
} from '../helpers/builders/index.js';

describe('tls-handshake', () => {
  it('passes a completed handshake, with protocol and cipher', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'tls-handshake', code: 'tls-handshake.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toMatchObject({ outcome: 'ok', protocol: 'TLSv1.3' });
  });

  it('passes a server that demands a client certificate: federation is mutual TLS', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 30, protocol: 'TLSv1.3' },
      clientAuth: { requested: 'required' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-handshake.client-certificate-demanded');
  });

  it("takes the mutual-TLS demand from gather's verdict only, not from the alert", () => {
    const probe = tlsProbe({
      handshake: { outcome: 'alert', durationMs: 30, protocol: 'TLSv1.2', alert: 'handshake_failure' },
      clientAuth: { requested: 'required' },
    });
    expect(judgeOne(check, probe).code).toBe('tls-handshake.alert');
  });

  it('says when the server rejected the certificate fedcheck presented, without failing the handshake', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 30 },
      clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false } },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-handshake.client-certificate-demanded');
  });

  it('fails a plaintext reply and shows the sample: a TCP listener, not TLS', () => {
    const probe = failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request\\r\\nVia: SIP/2.0/TCP 203.0.113.5:41234;branch=z9hG4bK' });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-handshake.plaintext');
    // What the port said, quoted and cut to its first line, is the evidence the user needs.
    expect(finding.message).toContain("'SIP/2.0 400 Bad Request …' — it is a SIP listener over plain TCP");
    expect(finding.remediation).toContain('not to its SIP TCP port (5060)');
  });

  it('recognises a web server answering the port', () => {
    const finding = judgeOne(check, failedHandshakeProbe('plaintext', { plaintextSample: 'HTTP/1.1 400 Bad Request' }));
    expect(finding.code).toBe('tls-handshake.plaintext');
    expect(finding.message).toContain("'HTTP/1.1 400 Bad Request' — it is a web server");
  });

  it('cuts a long unrecognised sample and calls it a TCP listener, not TLS', () => {
    const finding = judgeOne(check, failedHandshakeProbe('plaintext', { plaintextSample: 'x'.repeat(100) }));
    expect(finding.code).toBe('tls-handshake.plaintext');
    expect(finding.message).toContain(`'${'x'.repeat(60)} …' — it is a TCP listener, not TLS`);
  });

  it('fails a reset during the handshake', () => {
    const finding = judgeOne(check, failedHandshakeProbe('reset', { error: 'read ECONNRESET' }));
    expect(finding.code).toBe('tls-handshake.reset');
    expect(finding.remediation).toContain('SIP or TLS inspection');
  });

  it('fails a stalled handshake', () => {
    const finding = judgeOne(check, failedHandshakeProbe('timeout'));
    expect(finding.code).toBe('tls-handshake.timeout');
  });

  it('reports a handshake the run deadline cut short as not determined, not as a stall', () => {
    const probe = failedHandshakeProbe('aborted', { durationMs: 1500, error: 'the run deadline was reached during the handshake' });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-handshake.aborted');
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
    expect(finding.code).toBe('tls-handshake.client-certificate-demanded');
  });

  it('does not call an accepted --cert certificate rejected', () => {
    const probe = tlsProbe({
      handshake: { outcome: 'client-certificate-required', durationMs: 30 },
      clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: true } },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-handshake.client-certificate-demanded');
  });

  it('fails a connection closed without an alert', () => {
    const finding = judgeOne(check, failedHandshakeProbe('closed'));
    expect(finding.code).toBe('tls-handshake.closed');
  });

  it('fails an alert, explaining it', () => {
    const finding = judgeOne(check, failedHandshakeProbe('alert', { alert: 'handshake_failure' }));
    expect(finding.code).toBe('tls-handshake.alert');
    expect(finding.remediation).toContain('Maintenance > Security > Ciphers');
  });

  it('fails an unrecognized_name alert with the SNI to accept', () => {
    const finding = judgeOne(check, failedHandshakeProbe('alert', { alert: 'unrecognized_name' }));
    expect(finding.code).toBe('tls-handshake.unrecognized-name');
    expect(finding.remediation).toContain('sip.ciscoexample.com');
  });

  it('fails a protocol mismatch, pointing at tls-version', () => {
    const finding = judgeOne(check, failedHandshakeProbe('protocol-mismatch'));
    expect(finding.code).toBe('tls-handshake.protocol-mismatch');
    expect(finding.remediation).toContain('TLS 1.2');
  });

  it('reports an unattributable handshake error as error', () => {
    const finding = judgeOne(check, failedHandshakeProbe('error', { error: 'EPROTO something odd' }));
    expect(finding.code).toBe('tls-handshake.handshake-error');
  });

  it('reports an error when a connected probe has no handshake recorded', () => {
    const probe = tlsProbe();
    delete probe.handshake;
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-handshake.not-recorded');
  });

  it('skips when TCP did not connect, saying why', () => {
    const finding = judgeOne(check, unconnectedProbe('refused'));
    expect(finding.code).toBe('tls-handshake.not-connected');
    expect(finding.subject).toBe(SUBJECT);
  });

  it('skips a probe of port 0 pointing at srv-port, not at a refusing peer', () => {
    const finding = judgeOne(check, unconnectedProbe('refused', { port: 0 }));
    expect(finding.code).toBe('tls-handshake.not-connected');
  });

  it('asks the partner to fix a partner edge', () => {
    const finding = judgeOne(check, partnerProbe({ handshake: { outcome: 'reset', durationMs: 3 }, chain: [] }), { role: 'partner' });
    expect(finding.code).toBe('tls-handshake.reset');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips without federation peers', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: [] }));
    expect(finding.code).toBe('tls-handshake.no-peers');
  });
});

