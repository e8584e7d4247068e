// The readings of a probe the TLS checks share (src/checks/shared): their sentences are the
// prerequisite messages of every later check, so here the wording is the feature under test.
import { describe, expect, it } from 'vitest';
import { connectionFailurePhrase } from '../../../src/checks/shared/peers.js';
import {
  certificateUnavailable,
  demandedClientCertificate,
  handshakeCutShort,
  handshakeFailurePhrase,
  presentedCertificateCutShort,
  tlsSessionUnavailable,
} from '../../../src/checks/shared/tls-session.js';
import { SUBJECT, failedHandshakeProbe, tlsProbe, unconnectedProbe } from '../../helpers/builders/index.js';

describe('prerequisite readings', () => {
  it('names port 0 from the SRV record as the reason no connection was made', () => {
    expect(connectionFailurePhrase(unconnectedProbe('refused', { port: 0 }))).toBe(
      'cannot be made: port 0 (from the SRV record) is not a usable port, see srv-port',
    );
    expect(connectionFailurePhrase(tlsProbe())).toBeUndefined();
  });

  it("reads the demand for a client certificate from gather's verdict alone", () => {
    expect(demandedClientCertificate(tlsProbe({ handshake: { outcome: 'client-certificate-required', durationMs: 5 } }))).toBe(true);
    const alert = tlsProbe({ handshake: { outcome: 'alert', durationMs: 5, alert: 'handshake_failure' }, clientAuth: { requested: 'required' } });
    expect(demandedClientCertificate(alert)).toBe(false);
  });

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
        'not be examined (nothing is known about the peer). Run again with a longer --timeout (or a lower --concurrency when checking many domains in one run).',
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
