import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-revocation.js';
import {
  CRL_URL,
  OCSP_URL,
  PARTNER_DOMAIN,
  SUBJECT,
  crlReading,
  crlSource,
  daysFromNow,
  failedSource,
  federationTarget,
  judgeAll,
  judgeOne,
  ocspReading,
  ocspSource,
  partnerProbe,
  revocationFor,
  selfSignedLeaf,
  singleFinding,
  tlsProbe,
  unconnectedProbe,
} from '../helpers/builders/index.js';
import type { CertificateRevocation } from '../../src/model/revocation.js';

const probe = tlsProbe();

/** Judges the default probe with its leaf's revocation replaced by `leaf`. */
function judgeLeaf(leaf: Partial<CertificateRevocation>, options: { intermediate?: Partial<CertificateRevocation> } = {}) {
  const byCertificate: Record<number, Partial<CertificateRevocation>> = { 0: leaf };
  if (options.intermediate) byCertificate[1] = options.intermediate;
  const revocation = revocationFor([probe], byCertificate);
  return judgeOne(check, probe, { revocation });
}

describe('cert-revocation', () => {
  it('passes when the CRLs of the leaf and the intermediate are current, signed and do not list them', () => {
    const finding = judgeOne(check, probe, { revocation: revocationFor([probe]) });
    expect(finding).toMatchObject({ check: 'cert-revocation', code: 'cert-revocation.pass', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain(`the CRL ${CRL_URL} says good`);
    expect(finding.data).toEqual({
      certificates: [
        { subject: probe.chain[0]!.subject, verdict: 'pass' },
        { subject: probe.chain[1]!.subject, verdict: 'pass' },
      ],
    });
  });

  it('passes on a good OCSP answer when the CRL cannot be fetched, and mentions the CRL', () => {
    const finding = judgeLeaf({ crls: [failedSource('http-status', { httpStatus: 404 })], ocsp: [ocspSource()] });
    expect(finding.code).toBe('cert-revocation.pass');
    expect(finding.message).toContain(`the OCSP responder ${OCSP_URL} says good`);
    expect(finding.message).toContain('HTTP 404');
  });

  it('passes on a good stapled response of this peer alone', () => {
    const stapled = [{ address: probe.address, port: probe.port, reading: ocspReading() }];
    expect(judgeLeaf({ crls: [], stapled }).code).toBe('cert-revocation.pass');
    const otherPeer = [{ address: '192.0.2.99', port: probe.port, reading: ocspReading() }];
    expect(judgeLeaf({ crls: [], stapled: otherPeer }).code).toBe('cert-revocation.no-source');
  });

  it('fails a leaf its CRL lists, with the reason and the date', () => {
    const finding = judgeLeaf({ crls: [crlSource({ reading: crlReading({ status: 'revoked', reason: 'keyCompromise', revokedAt: daysFromNow(-3) }) })] });
    expect(finding).toMatchObject({ code: 'cert-revocation.revoked', status: 'fail' });
    expect(finding.message).toContain('says revoked (keyCompromise) since 2025-05-29');
    expect(finding.message).toContain("Microsoft's edge checks revocation and refuses a revoked certificate");
    expect(finding.remediation).toContain('Replace the certificate of sip.ciscoexample.com');
  });

  it('fails a leaf its OCSP responder or its staple calls revoked, even when the CRL says good', () => {
    expect(judgeLeaf({ ocsp: [ocspSource({ reading: ocspReading({ status: 'revoked' }) })] }).code).toBe('cert-revocation.revoked');
    const stapled = [{ address: probe.address, port: probe.port, reading: ocspReading({ status: 'revoked', reason: 'superseded' }) }];
    expect(judgeLeaf({ stapled }).code).toBe('cert-revocation.revoked');
  });

  it('fails a revoked intermediate, and says to use a current one', () => {
    const finding = judgeLeaf({}, { intermediate: { crls: [crlSource({ reading: crlReading({ status: 'revoked' }) })] } });
    expect(finding.code).toBe('cert-revocation.revoked');
    expect(finding.message).toMatch(/^The intermediate CN=Example Issuing CA G2/);
    expect(finding.remediation).toContain('current intermediate');
  });

  it('fails when no source answers usably, naming every URL and what happened', () => {
    const finding = judgeLeaf({
      crls: [
        failedSource('dns-failure', { url: 'http://crl.gone.example/a.crl', error: 'crl.gone.example: NXDOMAIN' }),
        failedSource('unsupported-scheme', { url: 'ldap:///CN=CA,CN=CDP,DC=corp' }),
        crlSource({ url: 'http://crl.example/forged.crl', reading: crlReading({ problem: { code: 'bad-signature', detail: "the CRL's signature does not verify with the key of CN=CA" } }) }),
      ],
      ocsp: [failedSource('timeout', { url: OCSP_URL, method: 'POST' })],
    });
    expect(finding).toMatchObject({ code: 'cert-revocation.unreachable', status: 'fail' });
    for (const part of ['http://crl.gone.example/a.crl', 'does not resolve', 'LDAP location', 'does not verify', `${OCSP_URL}: no complete answer within 4000 ms`]) {
      expect(finding.message).toContain(part);
    }
    expect(finding.message).toContain('refuses the connection when it cannot find out');
    expect(finding.remediation).toContain('answer over HTTP from the Internet');
  });

  it('does not take a response dated in the future', () => {
    const finding = judgeLeaf({ crls: [crlSource({ reading: crlReading({ thisUpdate: daysFromNow(2) }) })] });
    expect(finding.code).toBe('cert-revocation.unreachable');
    expect(finding.message).toContain('in the future');
  });

  it('warns about a CRL past its nextUpdate, allowing a few minutes of clock difference', () => {
    const stale = judgeLeaf({ crls: [crlSource({ reading: crlReading({ thisUpdate: daysFromNow(-10), nextUpdate: daysFromNow(-3) }) })] });
    expect(stale).toMatchObject({ code: 'cert-revocation.stale', status: 'warn' });
    expect(stale.message).toContain('past its nextUpdate');
    expect(stale.remediation).toContain('publish a fresh CRL');
    const justExpired = new Date(Date.parse(daysFromNow(0)) - 60_000).toISOString();
    expect(judgeLeaf({ crls: [crlSource({ reading: crlReading({ nextUpdate: justExpired }) })] }).code).toBe('cert-revocation.pass');
  });

  it('warns when the OCSP responder does not know the certificate', () => {
    const finding = judgeLeaf({ ocsp: [ocspSource({ reading: ocspReading({ status: 'unknown' }) })] });
    expect(finding).toMatchObject({ code: 'cert-revocation.ocsp-unknown', status: 'warn' });
    expect(finding.message).toContain('treats unknown as not good');
    expect(finding.remediation).toContain('serial 0A1B2C3D');
  });

  it('warns about a certificate with neither a CRL distribution point nor an OCSP responder', () => {
    const finding = judgeLeaf({ crls: [], ocsp: [] });
    expect(finding).toMatchObject({ code: 'cert-revocation.no-source', status: 'warn' });
    expect(finding.remediation).toContain('HTTP CRL distribution point');
  });

  it('does not blame the CA when the chain lacks the issuer: the answers came, but cannot be verified', () => {
    const noIssuer = crlReading({ problem: { code: 'no-issuer', detail: "the certificate's issuer is not known, so the CRL's signature cannot be checked" } });
    delete noIssuer.signer;
    const finding = judgeLeaf({ issuer: undefined, crls: [crlSource({ reading: noIssuer })], ocsp: [failedSource('not-asked', { url: OCSP_URL, method: 'POST' })] });
    expect(finding).toMatchObject({ code: 'cert-revocation.issuer-unknown', status: 'skip' });
    expect(finding.message).toContain('see cert-trust');
    // Nothing came back at all: the distribution point is broken whatever the chain.
    expect(judgeLeaf({ issuer: undefined, crls: [failedSource('dns-failure')] }).code).toBe('cert-revocation.unreachable');
  });

  it('cannot judge when the run deadline came before every source', () => {
    const finding = judgeLeaf({ crls: [failedSource('aborted')] });
    expect(finding).toMatchObject({ code: 'cert-revocation.undetermined', status: 'error' });
    expect(finding.message).toContain('--timeout');
  });

  it('reports the worst certificate first and the others after it', () => {
    const finding = judgeLeaf({ crls: [crlSource({ reading: crlReading({ status: 'revoked' }) })] }, { intermediate: { crls: [], ocsp: [] } });
    expect(finding.code).toBe('cert-revocation.revoked');
    expect(finding.message).toContain('Also the intermediate');
  });

  it('asks a partner to fix theirs', () => {
    const partner = partnerProbe();
    const revocation = revocationFor([partner], { 0: { crls: [failedSource('refused')] } });
    const finding = judgeOne(check, partner, { role: 'partner', revocation });
    expect(finding.code).toBe('cert-revocation.unreachable');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('judges every peer on its own chain', () => {
    const second = tlsProbe({ address: '192.0.2.11' });
    const findings = judgeAll(check, [probe, second], { revocation: revocationFor([probe, second]) });
    expect(findings.map((finding) => finding.code)).toEqual(['cert-revocation.pass', 'cert-revocation.pass']);
  });

  it('skips with the reason: --no-revocation, an older report, a self-signed certificate, no certificate, no peers', () => {
    expect(judgeOne(check, probe, { revocation: { skipped: 'no-revocation', certificates: [] } }).code).toBe('cert-revocation.disabled');
    expect(judgeOne(check, probe).code).toBe('cert-revocation.not-gathered');
    const selfSigned = tlsProbe({ chain: [selfSignedLeaf()] });
    expect(judgeOne(check, selfSigned, { revocation: { certificates: [] } }).code).toBe('cert-revocation.self-signed');
    expect(judgeOne(check, unconnectedProbe('refused'), { revocation: { certificates: [] } }).code).toBe('cert-revocation.no-certificate');
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('cert-revocation.no-peers');
  });
});
