import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/tls-version.js';
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

describe('tls-version', () => {
  it('reports a handshake the run deadline cut short as not determined, even when TLS 1.0 was accepted', () => {
    const probe = failedHandshakeProbe('aborted', {}, {
      legacyProtocols: [
        { protocol: 'TLSv1', result: 'accepted', detail: 'handshake completed' },
        { protocol: 'TLSv1.1', result: 'not-tested', detail: 'the run deadline was reached' },
      ],
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('error');
    expect(finding.message).toContain(
      `Not determined: the run's --timeout expired during the TLS 1.2+ handshake with ${SUBJECT}, so the version it negotiates is unknown. Run again with a longer --timeout.`,
    );
    expect(finding.message).toContain('It did complete TLSv1 handshakes when offered only that');
    expect(finding.message).not.toContain('does not negotiate TLS 1.2');
    expect(finding.remediation).toBeUndefined();
  });

  it('passes TLS 1.3 and notes that legacy versions are refused', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'tls-version', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain('negotiates TLSv1.3');
    expect(finding.message).toContain('It refuses TLSv1 and TLSv1.1');
    expect(finding.data).toMatchObject({ protocol: 'TLSv1.3', legacyAccepted: [] });
  });

  it('passes TLS 1.2', () => {
    const finding = judgeOne(check, tlsProbe({ handshake: { outcome: 'ok', durationMs: 9, protocol: 'TLSv1.2' } }));
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('TLSv1.2');
  });

  it('warns when TLS 1.0 or 1.1 is still accepted', () => {
    const probe = tlsProbe({
      legacyProtocols: [
        { protocol: 'TLSv1', result: 'accepted' },
        { protocol: 'TLSv1.1', result: 'accepted' },
      ],
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('still accepts TLSv1 and TLSv1.1');
    expect(finding.remediation).toContain('minimum TLS version');
    expect(finding.data).toMatchObject({ legacyAccepted: ['TLSv1', 'TLSv1.1'] });
  });

  it('never blames the server for a legacy probe our own client could not make', () => {
    const probe = tlsProbe({
      legacyProtocols: [
        { protocol: 'TLSv1', result: 'error', detail: 'no protocols available' },
        { protocol: 'TLSv1.1', result: 'refused' },
      ],
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain("TLSv1 was not tested: fedcheck's own TLS client could not offer it (no protocols available)");
    expect(finding.message).toContain('says nothing about the server');
  });

  it('fails a negotiated protocol below TLS 1.2', () => {
    const finding = judgeOne(check, tlsProbe({ handshake: { outcome: 'ok', durationMs: 9, protocol: 'TLSv1.1' } }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('negotiated TLSv1.1');
    expect(finding.message).toContain('Microsoft 365 refuses TLS below 1.2');
    expect(finding.remediation).toContain('TLS 1.2');
  });

  it('fails a protocol mismatch and says which legacy version the server does speak', () => {
    const probe = failedHandshakeProbe('protocol-mismatch', {}, {
      legacyProtocols: [
        { protocol: 'TLSv1', result: 'accepted' },
        { protocol: 'TLSv1.1', result: 'refused' },
      ],
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('does not negotiate TLS 1.2 or newer');
    expect(finding.message).toContain('but completed one at TLSv1');
  });

  it('fails a server that resets TLS 1.2 but completes TLS 1.0', () => {
    const probe = failedHandshakeProbe('reset', {}, { legacyProtocols: [{ protocol: 'TLSv1', result: 'accepted' }] });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('refused the TLS 1.2+ handshake (the connection was reset) but completed one at TLSv1');
  });

  it('reads the version of a handshake that ended for want of a client certificate', () => {
    const probe = tlsProbe({ handshake: { outcome: 'client-certificate-required', durationMs: 9, protocol: 'TLSv1.2' } });
    expect(judgeOne(check, probe).status).toBe('pass');
  });

  it('skips when the version was not recorded before a mutual-TLS demand ended the handshake', () => {
    const probe = tlsProbe({ handshake: { outcome: 'client-certificate-required', durationMs: 9 } });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain('demands a client certificate');
  });

  it('skips when the handshake failed for another reason', () => {
    const finding = judgeOne(check, failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request' }));
    expect(finding.status).toBe('skip');
    expect(finding.message).toBe(`TLS handshake with ${SUBJECT} failed (the port answers in plain text), so the TLS version could not be read.`);
  });

  it('skips when TCP did not connect', () => {
    const finding = judgeOne(check, unconnectedProbe('timeout'));
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain('timed out after 4000 ms, so the TLS version could not be read');
  });

  it('asks the partner to fix a partner edge', () => {
    const probe = partnerProbe({ legacyProtocols: [{ protocol: 'TLSv1', result: 'accepted' }] });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.status).toBe('warn');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).status).toBe('skip');
  });
});
