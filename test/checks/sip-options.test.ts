import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/sip-options.js';
import type { SipOptionsObservation, TlsProbeObservation } from '../../src/model/observations.js';
import {
  ADDRESS,
  PARTNER_DOMAIN,
  PORT,
  SUBJECT,
  failedHandshakeProbe,
  judgeAll,
  judgeOne,
  partnerProbe,
  tlsProbe,
  unconnectedProbe,
} from '../helpers/builders/index.js';

const OK: SipOptionsObservation = {
  outcome: 'response',
  statusLine: 'SIP/2.0 200 OK',
  statusCode: 200,
  server: 'TANDBERG/4352 (X15.0.2)',
  rttMs: 37.4,
};

function withSip(sipOptions: SipOptionsObservation, overrides: Partial<TlsProbeObservation> = {}): TlsProbeObservation {
  return tlsProbe({ sipOptions, ...overrides });
}

function response(statusLine: string, extra: Partial<SipOptionsObservation> = {}): SipOptionsObservation {
  const statusCode = Number(statusLine.split(' ')[1]);
  return { outcome: 'response', statusLine, statusCode, rttMs: 12, ...extra };
}

const CLIENT_CERTIFICATE_DEMANDED: Partial<TlsProbeObservation> = {
  handshake: { outcome: 'client-certificate-required', durationMs: 9, protocol: 'TLSv1.3', alert: 'certificate_required' },
  clientAuth: { requested: 'required' },
};

describe('sip-options', () => {
  it('says nothing when no SIP OPTIONS exchange was made (no --sip-options)', () => {
    expect(judgeAll(check, [tlsProbe(), tlsProbe({ address: '192.0.2.11' })])).toEqual([]);
    expect(judgeAll(check, [])).toEqual([]);
  });

  it('passes a 200 OK, naming the code, Server, User-Agent and round-trip time', () => {
    const finding = judgeOne(check, withSip({ ...OK, userAgent: 'RTCC/7.0' }));
    expect(finding).toMatchObject({ check: 'sip-options', code: 'sip-options.pass', status: 'pass', subject: SUBJECT });
    expect(finding.remediation).toBeUndefined();
    expect(finding.reference).toBe(check.meta.source);
    expect(finding.data).toEqual({
      outcome: 'response',
      statusCode: 200,
      statusLine: 'SIP/2.0 200 OK',
      server: 'TANDBERG/4352 (X15.0.2)',
      userAgent: 'RTCC/7.0',
      rttMs: 37,
    });
  });

  it.each([
    'SIP/2.0 404 Not Found',
    'SIP/2.0 403 Forbidden',
    'SIP/2.0 405 Method Not Allowed',
    'SIP/2.0 504 Server Time-out',
    'SIP/2.0 488 Not Acceptable Here',
    'SIP/2.0 500 Server Internal Error',
    'SIP/2.0 603 Decline',
    'SIP/2.0 302 Moved Temporarily',
    'SIP/2.0 100 Trying',
  ])('passes %s: any SIP response proves a SIP stack', (statusLine) => {
    const finding = judgeOne(check, withSip(response(statusLine)));
    expect(finding.code).toBe('sip-options.pass');
    expect(finding.data).toMatchObject({ statusLine, statusCode: Number(statusLine.split(' ')[1]) });
  });

  it('falls back to the code when the status line is missing', () => {
    const finding = judgeOne(check, withSip({ outcome: 'response', statusCode: 200 }));
    expect(finding.code).toBe('sip-options.pass');
  });

  it('fails a peer that completes TLS and never answers SIP, naming the usual causes and the fix', () => {
    const finding = judgeOne(check, withSip({ outcome: 'timeout', error: 'no SIP response within the 4000 ms allowed for the exchange' }));
    expect(finding).toMatchObject({ code: 'sip-options.no-response', status: 'fail', subject: SUBJECT });
    expect(finding.remediation).toContain(`Forward TCP ${PORT} on ${ADDRESS} straight to the Expressway-E's SIP TLS listener`);
    expect(finding.remediation).toContain('Configuration > Protocols > SIP');
    expect(finding.remediation).toContain('disable SIP inspection (SIP ALG)');
    expect(finding.data).toMatchObject({ outcome: 'timeout' });
  });

  it('fails a peer that answers with something that is not SIP, showing the sample', () => {
    const error = "the server answered with bytes that are not a SIP response: 'HTTP/1.1 400 Bad Request\\r\\n'";
    const finding = judgeOne(check, withSip({ outcome: 'not-sip', error }));
    expect(finding.code).toBe('sip-options.not-sip');
    expect(finding.remediation).toContain('SIP TLS mode On with TLS port 5061 (Configuration > Protocols > SIP)');
  });

  it('fails a peer that hangs up without a response', () => {
    const finding = judgeOne(check, withSip({ outcome: 'closed', error: 'the server closed the connection without a SIP response (5 ms after connecting)' }));
    expect(finding.code).toBe('sip-options.closed');
    expect(finding.remediation).toContain('Event Log');
  });

  it('skips a hang-up that the refused client certificate explains', () => {
    const probe = withSip(
      { outcome: 'closed', error: 'the server closed the connection without a SIP response' },
      { clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false, error: 'rejected' } } },
    );
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('sip-options.certificate-rejected');
  });

  it('skips a hang-up after a demand for a client certificate, asking for --cert/--key', () => {
    const finding = judgeOne(check, withSip({ outcome: 'closed' }, CLIENT_CERTIFICATE_DEMANDED));
    expect(finding.code).toBe('sip-options.client-certificate-needed');
  });

  it('skips when mutual TLS was demanded and no certificate was given, telling the user to pass --cert/--key', () => {
    const sip: SipOptionsObservation = {
      outcome: 'not-sent',
      error: 'the server ended the TLS session with alert certificate_required before reading the request',
    };
    const finding = judgeOne(check, withSip(sip, CLIENT_CERTIFICATE_DEMANDED));
    expect(finding).toMatchObject({ code: 'sip-options.client-certificate-needed', status: 'skip', subject: SUBJECT });
    expect(finding.remediation).toContain('--cert');
  });

  it('recognises the demand from the SIP exchange alone when the TLS probe could not tell', () => {
    const sip: SipOptionsObservation = { outcome: 'not-sent', error: 'the server ended the TLS session with alert certificate_required before reading the request' };
    const finding = judgeOne(check, withSip(sip, { clientAuth: { requested: 'unknown' } }));
    expect(finding.code).toBe('sip-options.client-certificate-needed');
  });

  it('skips when the presented client certificate was rejected, pointing at tls-client-auth', () => {
    const probe = withSip(
      { outcome: 'not-sent', error: 'the TLS handshake failed: alert unknown_ca' },
      { clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false } } },
    );
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('sip-options.certificate-rejected');
  });

  it('skips when the TLS handshake itself fails, pointing at tls-handshake', () => {
    const probe = failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request' }, {
      sipOptions: { outcome: 'not-sent', error: 'the TLS handshake failed: wrong version number' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('sip-options.no-tls-session');
  });

  it('reports an error when only the SIP exchange failed its handshake', () => {
    const finding = judgeOne(check, withSip({ outcome: 'not-sent', error: 'the TLS handshake did not complete within 4000 ms' }, { clientAuth: { requested: 'not-requested' } }));
    expect(finding.code).toBe('sip-options.handshake-failed');
  });

  it('skips when TCP did not connect, pointing at tls-connect', () => {
    const probe = unconnectedProbe('refused', {
      sipOptions: { outcome: 'error', error: 'TCP connect failed: connection refused (ECONNREFUSED): nothing listens on that port' },
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('sip-options.no-tls-session');
  });

  it('reports an error, not a failure, when the exchange was cut short on this side', () => {
    const finding = judgeOne(check, withSip({ outcome: 'error', error: 'aborted: the run deadline was reached before a SIP response arrived' }));
    expect(finding.code).toBe('sip-options.local-error');
  });

  it('skips, naming the run deadline, when it cut the TLS probe\'s handshake short', () => {
    const finding = judgeOne(check, failedHandshakeProbe('aborted', {}, { sipOptions: { outcome: 'not-sent', error: 'aborted' } }));
    expect(finding.code).toBe('sip-options.no-tls-session');
  });

  it('does not fail a hang-up that a --cert refusal may explain when the run deadline hid whether it was refused', () => {
    const probe = withSip(
      { outcome: 'closed', error: 'the server closed the connection (5 ms into the exchange)' },
      {
        clientAuth: {
          requested: 'required',
          presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false, error: 'aborted: the run deadline was reached during the handshake', cutShort: true },
        },
      },
    );
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('sip-options.undetermined-close');
  });

  it('does not say a --cert certificate was rejected when the run deadline cut its handshake short', () => {
    const probe = withSip(
      { outcome: 'not-sent', error: 'the TLS handshake failed: aborted' },
      {
        clientAuth: {
          requested: 'required',
          presentedCertificate: { subject: 'CN=expe.ciscoexample.com', accepted: false, error: 'TCP connect aborted: the run deadline was reached', cutShort: true },
        },
      },
    );
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('sip-options.handshake-failed');
  });

  it('judges every peer, and skips a peer without an exchange', () => {
    const findings = judgeAll(
      check,
      [
        withSip(OK),
        tlsProbe({ address: '192.0.2.11' }),
        unconnectedProbe('timeout', { address: '192.0.2.12' }),
        withSip({ outcome: 'timeout' }, { address: '192.0.2.13' }),
      ],
      { deadlineExceeded: true },
    );
    expect(findings.map((finding) => [finding.subject, finding.code])).toEqual([
      ['192.0.2.10:5061', 'sip-options.pass'],
      ['192.0.2.11:5061', 'sip-options.not-recorded'],
      ['192.0.2.12:5061', 'sip-options.no-tls-session'],
      ['192.0.2.13:5061', 'sip-options.no-response'],
    ]);
  });

  it('ignores IM and Presence probes', () => {
    const findings = judgeAll(check, [withSip(OK), withSip({ outcome: 'timeout' }, { purpose: 'imp', port: 5062 })]);
    expect(findings.map((finding) => finding.subject)).toEqual([SUBJECT]);
  });

  it('asks a partner to fix their edge', () => {
    const finding = judgeOne(check, partnerProbe({ sipOptions: { outcome: 'timeout' } }), { role: 'partner' });
    expect(finding.code).toBe('sip-options.no-response');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
    expect(finding.remediation).not.toContain('Configuration > Protocols');
  });

  it('passes a partner edge that answers', () => {
    const finding = judgeOne(check, partnerProbe({ sipOptions: response('SIP/2.0 200 OK', { userAgent: 'RTCC/7.0.0.0 OCSEdge' }) }), { role: 'partner' });
    expect(finding.code).toBe('sip-options.pass');
  });
});
