import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-consistent.js';
import { federationTarget, singleFinding } from './observations.js';
import {
  HOST,
  PARTNER_DOMAIN,
  failedHandshakeProbe,
  judgeAll,
  leafCertificate,
  partnerProbe,
  tlsProbe,
} from './tls-observations.js';

const renewed = leafCertificate({ serialNumber: '7F00AA01', notBefore: '2025-05-01T00:00:00.000Z', notAfter: '2026-05-01T00:00:00.000Z' });
const old = leafCertificate({ serialNumber: '0A1B2C3D', notAfter: '2025-06-20T00:00:00.000Z' });

function peer(last: number, leaf = renewed) {
  return tlsProbe({ address: `192.0.2.${last}`, chain: [leaf] });
}

describe('cert-consistent', () => {
  it('passes when every peer presents the same certificate: one finding for the target host', () => {
    const findings = judgeAll(check, [peer(10), peer(11), peer(12)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'cert-consistent', status: 'pass', subject: HOST });
    expect(findings[0]!.message).toContain('All 3 peers');
    expect(findings[0]!.message).toContain('serial 7F00AA01, expires 2026-05-01T00:00:00Z');
  });

  it('compares fingerprints regardless of case and colons', () => {
    const lower = leafCertificate({ ...renewed, fingerprintSha256: renewed.fingerprintSha256.replace(/:/g, '').toLowerCase() });
    expect(judgeAll(check, [peer(10), peer(11, lower)])[0]!.status).toBe('pass');
  });

  it('warns when a peer still presents the old certificate, listing who has which', () => {
    const findings = judgeAll(check, [peer(10), peer(11, old), peer(12)]);
    expect(findings).toHaveLength(1);
    const finding = findings[0]!;
    expect(finding.status).toBe('warn');
    expect(finding.subject).toBe(HOST);
    expect(finding.message).toContain('2 different certificates');
    expect(finding.message).toContain('192.0.2.11:5061 presents CN=sip.ciscoexample.com, O=Cisco Example (serial 0A1B2C3D, expires 2025-06-20T00:00:00Z)');
    expect(finding.message).toContain('192.0.2.10:5061, 192.0.2.12:5061 present CN=sip.ciscoexample.com, O=Cisco Example (serial 7F00AA01');
    expect(finding.remediation).toContain('serial 7F00AA01');
    expect(finding.remediation).toContain('on 192.0.2.11:5061');
    expect(finding.data).toMatchObject({
      certificates: [
        { serialNumber: '7F00AA01', peers: ['192.0.2.10:5061', '192.0.2.12:5061'] },
        { serialNumber: '0A1B2C3D', peers: ['192.0.2.11:5061'] },
      ],
    });
  });

  it('passes a single peer with a note that there is nothing to compare', () => {
    const finding = judgeAll(check, [peer(10)])[0]!;
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('single peer (192.0.2.10:5061), so there is nothing to compare');
  });

  it('skips a single peer that sent no certificate', () => {
    const finding = judgeAll(check, [failedHandshakeProbe('reset')])[0]!;
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain('single peer and it presented no certificate');
  });

  it('leaves peers without a certificate out of the comparison and says so', () => {
    const findings = judgeAll(check, [peer(10), failedHandshakeProbe('timeout', {}, { address: '192.0.2.11' }), peer(12)]);
    expect(findings[0]!.status).toBe('pass');
    expect(findings[0]!.message).toContain('All 2 peers');
    expect(findings[0]!.message).toContain('TLS handshake with 192.0.2.11:5061 failed (no TLS reply within 4000 ms), so it was not compared.');
  });

  it('skips when fewer than two peers presented a certificate', () => {
    const finding = judgeAll(check, [peer(10), failedHandshakeProbe('reset', {}, { address: '192.0.2.11' })])[0]!;
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain('Fewer than two of the 2 peers');
  });

  it('asks the partner to fix a partner edge', () => {
    const probes = [partnerProbe({ address: '192.0.2.20', chain: [renewed] }), partnerProbe({ address: '192.0.2.21', chain: [old] })];
    const finding = judgeAll(check, probes, { role: 'partner' })[0]!;
    expect(finding.status).toBe('warn');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips without federation peers', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: [] }));
    expect(finding.status).toBe('skip');
    expect(finding.subject).toBe(HOST);
  });
});
