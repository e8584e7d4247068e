import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/tls-version.js';
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

describe('tls-version', () => {
  it('reports a handshake the run deadline cut short as not determined, even when TLS 1.0 was accepted', () => {
    const probe = failedHandshakeProbe('aborted', {}, {
      legacyProtocols: [
        { protocol: 'TLSv1', result: 'accepted', detail: 'handshake completed' },
        { protocol: 'TLSv1.1', result: 'not-tested', detail: 'the run deadline was reached' },
      ],
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-version.aborted');
    expect(finding.remediation).toBeUndefined();
  });

  it('passes TLS 1.3 and notes that legacy versions are refused', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'tls-version', code: 'tls-version.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toMatchObject({ protocol: 'TLSv1.3', legacyAccepted: [] });
  });

  it('passes TLS 1.2', () => {
    const finding = judgeOne(check, tlsProbe({ handshake: { outcome: 'ok', durationMs: 9, protocol: 'TLSv1.2' } }));
    expect(finding.code).toBe('tls-version.pass');
  });

  it('warns when TLS 1.0 or 1.1 is still accepted', () => {
    const probe = tlsProbe({
      legacyProtocols: [
        { protocol: 'TLSv1', result: 'accepted' },
        { protocol: 'TLSv1.1', result: 'accepted' },
      ],
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-version.legacy-accepted');
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
    expect(finding.code).toBe('tls-version.pass');
  });

  it('fails a negotiated protocol below TLS 1.2', () => {
    const finding = judgeOne(check, tlsProbe({ handshake: { outcome: 'ok', durationMs: 9, protocol: 'TLSv1.1' } }));
    expect(finding.code).toBe('tls-version.old-protocol');
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
    expect(finding.code).toBe('tls-version.no-modern-protocol');
  });

  it('fails a server that resets TLS 1.2 but completes TLS 1.0', () => {
    const probe = failedHandshakeProbe('reset', {}, { legacyProtocols: [{ protocol: 'TLSv1', result: 'accepted' }] });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-version.no-modern-protocol');
  });

  it('reads the version of a handshake that ended for want of a client certificate', () => {
    const probe = tlsProbe({ handshake: { outcome: 'client-certificate-required', durationMs: 9, protocol: 'TLSv1.2' } });
    expect(judgeOne(check, probe).code).toBe('tls-version.pass');
  });

  it('skips when the version was not recorded before a mutual-TLS demand ended the handshake', () => {
    const probe = tlsProbe({ handshake: { outcome: 'client-certificate-required', durationMs: 9 } });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('tls-version.not-recorded');
  });

  it('skips when the handshake failed for another reason', () => {
    const finding = judgeOne(check, failedHandshakeProbe('plaintext', { plaintextSample: 'SIP/2.0 400 Bad Request' }));
    expect(finding.code).toBe('tls-version.no-handshake');
  });

  it('skips when TCP did not connect', () => {
    const finding = judgeOne(check, unconnectedProbe('timeout'));
    expect(finding.code).toBe('tls-version.not-connected');
  });

  it('asks the partner to fix a partner edge', () => {
    const probe = partnerProbe({ legacyProtocols: [{ protocol: 'TLSv1', result: 'accepted' }] });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.code).toBe('tls-version.legacy-accepted');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('tls-version.no-peers');
  });
});
