import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-name.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import {
  HOST,
  PARTNER_DOMAIN,
  SUBJECT,
  failedHandshakeProbe,
  judgeOne,
  leafCertificate,
  partnerProbe,
  tlsProbe,
} from '../helpers/builders/index.js';

function withLeaf(overrides: Parameters<typeof leafCertificate>[0]) {
  return tlsProbe({ chain: [leafCertificate(overrides)] });
}

describe('cert-name', () => {
  it('passes an exact SAN dNSName', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-name', code: 'cert-name.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toMatchObject({ host: HOST, source: 'san', match: 'exact', matchedName: HOST });
  });

  it('fails a SAN extension that could not be read, even when the CN names the host', () => {
    const problem = 'extension 2.5.29.17 (subjectAltName) unreadable: GeneralNames is not a SEQUENCE';
    const finding = judgeOne(check, withLeaf({ hasSanExtension: true, sanDnsNames: [], subjectCN: HOST, parseError: problem }));
    expect(finding.code).toBe('cert-name.san-unreadable');
    expect(finding.remediation).toContain(`well-formed subjectAltName extension carrying DNS:${HOST}`);
    expect(finding.data).toMatchObject({ source: 'san', names: [], unreadable: problem });
  });

  it('matches case-insensitively and prefers the exact name over a wildcard', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['*.ciscoexample.com', 'SIP.CiscoExample.com'] }));
    expect(finding.code).toBe('cert-name.pass');
    expect(finding.data).toMatchObject({ match: 'exact', matchedName: 'SIP.CiscoExample.com' });
  });

  it('passes on the CN when the certificate has no SAN extension', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: [], hasSanExtension: false }));
    expect(finding.code).toBe('cert-name.pass');
    expect(finding.data).toMatchObject({ source: 'cn' });
  });

  it('warns when only a wildcard covers the host: Expressway does not support wildcard certificates', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['*.ciscoexample.com', 'ciscoexample.com'] }));
    expect(finding.code).toBe('cert-name.wildcard');
    expect(finding.remediation).toContain(`DNS:${HOST}`);
    expect(finding.data).toMatchObject({ match: 'wildcard', matchedName: '*.ciscoexample.com' });
  });

  it('fails when no name matches, with the names the certificate carries', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['expe.ciscoexample.com', 'ciscoexample.com'] }));
    expect(finding.code).toBe('cert-name.mismatch');
    expect(finding.data).toMatchObject({ names: ['expe.ciscoexample.com', 'ciscoexample.com'] });
    expect(finding.remediation).toContain(`Reissue the Expressway-E certificate with the subjectAltName DNS:${HOST}`);
  });

  it("names the matched SAN, not a service provider's hundred names, and shows ten of them on a mismatch", () => {
    const names = Array.from({ length: 100 }, (_, index) => `sip.tenant${index + 1}.example`);
    const matched = judgeOne(check, tlsProbe({ host: 'sip.tenant42.example', chain: [leafCertificate({ sanDnsNames: names })] }));
    expect(matched.data).toEqual({ host: 'sip.tenant42.example', source: 'san', nameCount: 100, match: 'exact', matchedName: 'sip.tenant42.example' });
    const missed = judgeOne(check, withLeaf({ sanDnsNames: names }));
    expect(missed.code).toBe('cert-name.mismatch');
    expect(missed.data).toEqual({ host: HOST, source: 'san', nameCount: 100, names: names.slice(0, 10) });
    expect(missed.message).toContain('"sip.tenant10.example" and 90 more');
    expect(missed.message).not.toContain('sip.tenant11.example');
  });

  it('fails when only the CN matches but a SAN extension exists: the CN does not count', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['ciscoexample.com'] }));
    expect(finding.code).toBe('cert-name.mismatch');
  });

  it('fails a wildcard that is never honoured', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['s*.ciscoexample.com'] }));
    expect(finding.code).toBe('cert-name.mismatch');
  });

  it('does not let a wildcard cover a deeper name or the bare domain', () => {
    const deeper = tlsProbe({ host: `a.${HOST}`, chain: [leafCertificate({ sanDnsNames: ['*.ciscoexample.com'] })] });
    expect(judgeOne(check, deeper).code).toBe('cert-name.mismatch');
    const bare = tlsProbe({ host: 'ciscoexample.com', chain: [leafCertificate({ sanDnsNames: ['*.ciscoexample.com'] })] });
    expect(judgeOne(check, bare).code).toBe('cert-name.mismatch');
  });

  it('fails a certificate without any DNS name: IP names do not count', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: [], sanIpAddresses: ['192.0.2.10'], subjectCN: undefined }));
    expect(finding.code).toBe('cert-name.mismatch');
  });

  it('fails a certificate whose names could not be parsed', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: [], parseError: 'bad subjectAltName encoding' }));
    expect(finding.code).toBe('cert-name.mismatch');
  });

  it('matches an IDN host against a U-label name in the certificate', () => {
    const probe = tlsProbe({ host: 'sip.xn--bcher-kva.example', chain: [leafCertificate({ sanDnsNames: ['sip.bücher.example'] })] });
    expect(judgeOne(check, probe).code).toBe('cert-name.pass');
  });

  it('judges the partner edge by its own SRV target and asks the partner to fix it', () => {
    const probe = partnerProbe({ chain: [leafCertificate({ sanDnsNames: ['edge.msexample.com'] })] });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.code).toBe('cert-name.mismatch');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips when no certificate was obtained', () => {
    const finding = judgeOne(check, failedHandshakeProbe('reset'));
    expect(finding.code).toBe('cert-name.no-certificate');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('cert-name.no-peers');
  });
});
