import { describe, expect, it } from 'vitest';
import { TLS_CHECKS } from '../../src/checks/tls-checks.js';
import { federationTarget } from './observations.js';
import { check as sipOptions } from '../../src/checks/sip-options.js';
import { failedHandshakeProbe, judgeAll, tlsProbe, unconnectedProbe } from './tls-observations.js';

const ORDER = [
  'tls-connect',
  'tls-handshake',
  'tls-version',
  'cert-trust',
  'cert-validity',
  'cert-name',
  'cert-eku',
  'cert-key',
  'cert-signature',
  'cert-crl',
  'cert-consistent',
  'tls-client-auth',
];

describe('TLS_CHECKS', () => {
  it('lists the TLS and certificate checks in report order', () => {
    expect(TLS_CHECKS.map((check) => check.meta.id)).toEqual(ORDER);
  });

  it('gives every check complete metadata for both roles', () => {
    for (const { meta } of TLS_CHECKS) {
      expect(meta.title.length).toBeGreaterThan(10);
      expect(['warn', 'fail']).toContain(meta.severity);
      expect(meta.roles).toEqual(['local', 'partner']);
      for (const text of [meta.rule, meta.impact, meta.source, meta.remediation]) expect(text.length).toBeGreaterThan(20);
    }
  });

  it('passes every check on a healthy edge, apart from the informational mutual-TLS report', () => {
    for (const check of TLS_CHECKS) {
      for (const finding of judgeAll(check, [tlsProbe()])) {
        expect(finding.check).toBe(check.meta.id);
        expect(finding.status).toBe(check.meta.id === 'tls-client-auth' ? 'info' : 'pass');
      }
    }
  });

  it('gives every warn and fail a remediation and every finding its reference, on a broken edge', () => {
    const broken = [unconnectedProbe('refused', { address: '192.0.2.11' }), tlsProbe({ chain: [] , trust: { verdict: 'no-certificate', detail: 'none' } })];
    for (const check of TLS_CHECKS) {
      for (const finding of judgeAll(check, broken)) {
        expect(finding.reference).toBe(check.meta.source);
        if (finding.status === 'warn' || finding.status === 'fail') expect(finding.remediation).toBeTruthy();
      }
    }
  });

  it('never fails or warns about a peer whose handshake the run deadline cut short, and says so', () => {
    const cutShort = 'aborted: the run deadline was reached during the handshake';
    const probes = [
      failedHandshakeProbe('aborted', {}, {
        legacyProtocols: [
          { protocol: 'TLSv1', result: 'accepted' },
          { protocol: 'TLSv1.1', result: 'not-tested' },
        ],
        clientAuth: { requested: 'requested', presentedCertificate: { subject: 'CN=expe', accepted: false, error: cutShort, cutShort: true } },
      }),
      tlsProbe({
        address: '192.0.2.11',
        clientAuth: { requested: 'required', presentedCertificate: { subject: 'CN=expe', accepted: false, error: cutShort, cutShort: true } },
      }),
    ];
    for (const check of [...TLS_CHECKS, sipOptions]) {
      for (const finding of judgeAll(check, probes.map((probe) => ({ ...probe, sipOptions: { outcome: 'closed' as const } })))) {
        expect([finding.check, finding.status]).not.toEqual([check.meta.id, 'fail']);
        expect([finding.check, finding.status]).not.toEqual([check.meta.id, 'warn']);
        if (finding.subject === '192.0.2.10:5061' && check.meta.id !== 'tls-connect' && check.meta.id !== 'cert-consistent') {
          expect(finding.message).toMatch(/--timeout/);
        }
      }
    }
  });

  it('never throws and skips everything on a target without federation peers', () => {
    for (const check of TLS_CHECKS) {
      const findings = check.run({ target: federationTarget({ ipv4: [] }), now: new Date(0), warnDays: 30, critDays: 14 });
      expect(findings.map((finding) => finding.status)).toEqual(['skip']);
    }
  });
});
