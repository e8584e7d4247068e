import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/tls-ciphers.js';
import {
  PARTNER_DOMAIN,
  SUBJECT,
  cipherProbes,
  failedHandshakeProbe,
  federationTarget,
  impProbe,
  impTarget,
  judgeAll,
  judgeOne,
  leafCertificate,
  partnerProbe,
  runCheck,
  singleFinding,
  tlsProbe,
} from '../helpers/builders/index.js';

const ALL_REFUSED = [
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
];

describe('tls-ciphers', () => {
  it("passes a peer that picks one of Direct Routing's ECDHE suites from Microsoft's list", () => {
    const finding = judgeOne(check, tlsProbe({ ciphers: cipherProbes() }));
    expect(finding).toMatchObject({ check: 'tls-ciphers', code: 'tls-ciphers.pass', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain('picks TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    expect(finding.message).toContain('also accepts TLS 1.3');
    expect(finding.data).toMatchObject({ microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', tls13: true });
  });

  it('passes a peer that prefers a weak suite but accepts a Direct Routing one too, and says so', () => {
    const ciphers = cipherProbes({
      microsoftPick: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
      accepted: ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      handshakes: 2,
    });
    const finding = judgeOne(check, tlsProbe({ ciphers, handshake: { outcome: 'ok', durationMs: 30, protocol: 'TLSv1.2' } }));
    expect(finding.code).toBe('tls-ciphers.pass');
    expect(finding.message).toContain('picks TLS_RSA_WITH_AES_256_GCM_SHA384 first and accepts TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(finding.message).not.toContain('TLS 1.3');
  });

  it('warns about a peer left with only the SHA-1 CBC suites', () => {
    const ciphers = cipherProbes({
      microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
      accepted: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
      refused: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
      handshakes: 2,
    });
    const finding = judgeOne(check, tlsProbe({ ciphers }));
    expect(finding).toMatchObject({ code: 'tls-ciphers.weak-only', status: 'warn' });
    expect(finding.message).toContain('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (SHA-1 CBC)');
    expect(finding.message).toContain('April 2022');
    expect(finding.remediation).toContain('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    expect(finding.remediation).toContain('sip.ciscoexample.com');
  });

  it('warns about a peer that accepts only the RSA key-exchange suites (no forward secrecy)', () => {
    const ciphers = cipherProbes({
      microsoftPick: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
      accepted: ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
      refused: ALL_REFUSED.slice(0, 6),
      handshakes: 3,
    });
    const finding = judgeOne(check, tlsProbe({ ciphers }));
    expect(finding.code).toBe('tls-ciphers.weak-only');
    expect(finding.message).toContain('TLS_RSA_WITH_AES_256_GCM_SHA384 (no forward secrecy)');
  });

  it("fails a peer that accepts none of Microsoft's suites, naming what it does accept", () => {
    const ciphers = cipherProbes({ microsoftPick: undefined, accepted: [], refused: ALL_REFUSED, otherPick: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', handshakes: 2 });
    delete ciphers.microsoftPick;
    const finding = judgeOne(check, tlsProbe({ ciphers }));
    expect(finding).toMatchObject({ code: 'tls-ciphers.none', status: 'fail' });
    expect(finding.message).toContain('it picked TLS_DHE_RSA_WITH_AES_256_GCM_SHA384');
    expect(finding.remediation).toContain('Enable TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
  });

  it('fails an ECDSA-only peer and says plainly that all of Microsoft’s suites are RSA suites', () => {
    const ciphers = cipherProbes({ accepted: [], refused: ALL_REFUSED, otherPick: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', handshakes: 2 });
    delete ciphers.microsoftPick;
    const leaf = leafCertificate({ keyType: 'ec', keyBits: 256, curve: 'prime256v1' });
    const finding = judgeOne(check, tlsProbe({ ciphers, chain: [leaf] }));
    expect(finding).toMatchObject({ code: 'tls-ciphers.ec-key', status: 'fail' });
    expect(finding.message).toContain('EC key (prime256v1)');
    expect(finding.message).toContain('RSA suite');
    expect(finding.remediation).toContain('RSA certificate (2048 bits or more)');
  });

  it('fails a peer that refuses every TLS 1.2 suite, and says when it speaks only TLS 1.3', () => {
    const ciphers = cipherProbes({ accepted: [], refused: ALL_REFUSED, handshakes: 2 });
    delete ciphers.microsoftPick;
    const tls12 = judgeOne(check, tlsProbe({ ciphers, handshake: { outcome: 'ok', durationMs: 20, protocol: 'TLSv1.2' } }));
    expect(tls12.code).toBe('tls-ciphers.none');
    expect(tls12.message).toContain('refused every TLS 1.2 suite OpenSSL knows too');
    const tls13Only = judgeOne(check, tlsProbe({ ciphers }));
    expect(tls13Only.code).toBe('tls-ciphers.none');
    expect(tls13Only.message).toContain('speaks only TLS 1.3');
    expect(tls13Only.message).not.toContain('also accepts TLS 1.3');
  });

  it('cannot judge when the probes could not finish (an error, not the server’s verdict)', () => {
    const ciphers = cipherProbes({ accepted: [], refused: [], error: 'the run deadline was reached', handshakes: 1 });
    delete ciphers.microsoftPick;
    const finding = judgeOne(check, tlsProbe({ ciphers }));
    expect(finding).toMatchObject({ code: 'tls-ciphers.undetermined', status: 'error' });
    expect(finding.message).toContain('--timeout');
  });

  it('judges what was learned before a later probe failed', () => {
    const ciphers = cipherProbes({ microsoftPick: 'TLS_RSA_WITH_AES_128_GCM_SHA256', accepted: ['TLS_RSA_WITH_AES_128_GCM_SHA256'], error: 'TCP connect refused', handshakes: 2 });
    expect(judgeOne(check, tlsProbe({ ciphers })).code).toBe('tls-ciphers.weak-only');
  });

  it('skips a peer whose handshake failed, and a report without cipher probes', () => {
    expect(judgeOne(check, failedHandshakeProbe('reset', {}, { ciphers: cipherProbes() })).code).toBe('tls-ciphers.not-probed');
    expect(judgeOne(check, tlsProbe()).code).toBe('tls-ciphers.not-probed');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('tls-ciphers.no-peers');
  });

  it('judges every peer, and asks a partner to fix theirs', () => {
    const findings = judgeAll(check, [tlsProbe({ ciphers: cipherProbes() }), tlsProbe({ address: '192.0.2.11', ciphers: cipherProbes({ microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', accepted: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] }) })]);
    expect(findings.map((finding) => finding.code)).toEqual(['tls-ciphers.pass', 'tls-ciphers.weak-only']);
    const partner = judgeOne(check, partnerProbe({ ciphers: cipherProbes({ microsoftPick: 'TLS_RSA_WITH_AES_128_GCM_SHA256', accepted: ['TLS_RSA_WITH_AES_128_GCM_SHA256'] }) }), { role: 'partner' });
    expect(partner.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('judges the IM and Presence listener too', () => {
    const target = impTarget({ tls: [impProbe({ ciphers: cipherProbes() })] });
    const findings = runCheck(check, target);
    const imp = findings.find((finding) => finding.message.startsWith('The IM and Presence listener'));
    expect(imp?.code).toBe('tls-ciphers.pass');
  });
});
