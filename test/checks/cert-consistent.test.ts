import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-consistent.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import {
  HOST,
  PARTNER_DOMAIN,
  failedHandshakeProbe,
  judgeAll,
  leafCertificate,
  partnerProbe,
  tlsProbe,
} from '../helpers/builders/index.js';

const renewed = leafCertificate({ serialNumber: '7F00AA01', notBefore: '2025-05-01T00:00:00.000Z', notAfter: '2026-05-01T00:00:00.000Z' });
const old = leafCertificate({ serialNumber: '0A1B2C3D', notAfter: '2025-06-20T00:00:00.000Z' });

function peer(last: number, leaf = renewed) {
  return tlsProbe({ address: `192.0.2.${last}`, chain: [leaf] });
}

describe('cert-consistent', () => {
  it('passes when every peer presents the same certificate: one finding for the target host', () => {
    const findings = judgeAll(check, [peer(10), peer(11), peer(12)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'cert-consistent', code: 'cert-consistent.pass', status: 'pass', subject: HOST });
  });

  it('compares fingerprints regardless of case and colons', () => {
    const lower = leafCertificate({ ...renewed, fingerprintSha256: renewed.fingerprintSha256.replace(/:/g, '').toLowerCase() });
    expect(judgeAll(check, [peer(10), peer(11, lower)])[0]!.code).toBe('cert-consistent.pass');
  });

  it('warns when a peer still presents the old certificate, listing who has which', () => {
    const findings = judgeAll(check, [peer(10), peer(11, old), peer(12)]);
    expect(findings).toHaveLength(1);
    const finding = findings[0]!;
    expect(finding.code).toBe('cert-consistent.differ');
    expect(finding.subject).toBe(HOST);
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
    expect(finding.code).toBe('cert-consistent.single-peer');
  });

  it('skips a single peer that sent no certificate', () => {
    const finding = judgeAll(check, [failedHandshakeProbe('reset')])[0]!;
    expect(finding.code).toBe('cert-consistent.not-compared');
  });

  it('leaves peers without a certificate out of the comparison', () => {
    const findings = judgeAll(check, [peer(10), failedHandshakeProbe('timeout', {}, { address: '192.0.2.11' }), peer(12)]);
    expect(findings[0]!.code).toBe('cert-consistent.pass');
    expect(findings[0]!.data).toMatchObject({ certificates: [{ peers: ['192.0.2.10:5061', '192.0.2.12:5061'] }] });
  });

  it('skips when fewer than two peers presented a certificate', () => {
    const finding = judgeAll(check, [peer(10), failedHandshakeProbe('reset', {}, { address: '192.0.2.11' })])[0]!;
    expect(finding.code).toBe('cert-consistent.not-compared');
  });

  it('asks the partner to fix a partner edge', () => {
    const probes = [partnerProbe({ address: '192.0.2.20', chain: [renewed] }), partnerProbe({ address: '192.0.2.21', chain: [old] })];
    const finding = judgeAll(check, probes, { role: 'partner' })[0]!;
    expect(finding.code).toBe('cert-consistent.differ');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips without federation peers', () => {
    const finding = singleFinding(check, federationTarget({ ipv4: [] }));
    expect(finding.code).toBe('cert-consistent.no-peers');
    expect(finding.subject).toBe(HOST);
  });
});
