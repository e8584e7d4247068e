import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-name.js';
import { federationTarget, singleFinding } from './observations.js';
import {
  HOST,
  PARTNER_DOMAIN,
  PARTNER_HOST,
  SUBJECT,
  failedHandshakeProbe,
  judgeOne,
  leafCertificate,
  partnerProbe,
  tlsProbe,
} from './tls-observations.js';

function withLeaf(overrides: Parameters<typeof leafCertificate>[0]) {
  return tlsProbe({ chain: [leafCertificate(overrides)] });
}

describe('cert-name', () => {
  it('passes an exact SAN dNSName', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-name', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain(`names ${HOST} exactly in its subjectAltName dNSNames`);
    expect(finding.data).toMatchObject({ host: HOST, source: 'san', match: 'exact', matchedName: HOST });
  });

  it('fails a SAN extension that could not be read, even when the CN names the host', () => {
    const problem = 'extension 2.5.29.17 (subjectAltName) unreadable: GeneralNames is not a SEQUENCE';
    const finding = judgeOne(check, withLeaf({ hasSanExtension: true, sanDnsNames: [], subjectCN: HOST, parseError: problem }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`has a subjectAltName extension that could not be read (${problem})`);
    expect(finding.message).toContain(`its CN "${HOST}" does not count while the extension is there`);
    expect(finding.remediation).toContain(`well-formed subjectAltName extension carrying DNS:${HOST}`);
    expect(finding.data).toMatchObject({ source: 'san', names: [], unreadable: problem });
  });

  it('matches case-insensitively and prefers the exact name over a wildcard', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['*.ciscoexample.com', 'SIP.CiscoExample.com'] }));
    expect(finding.status).toBe('pass');
    expect(finding.data).toMatchObject({ match: 'exact', matchedName: 'SIP.CiscoExample.com' });
  });

  it('passes on the CN when the certificate has no SAN extension', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: [], hasSanExtension: false }));
    expect(finding.status).toBe('pass');
    expect(finding.message).toContain('subject CN (the certificate has no subjectAltName extension)');
    expect(finding.data).toMatchObject({ source: 'cn' });
  });

  it('warns when only a wildcard covers the host: Expressway does not support wildcard certificates', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['*.ciscoexample.com', 'ciscoexample.com'] }));
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('only through the wildcard "*.ciscoexample.com"');
    expect(finding.message).toContain('Expressway does not support wildcard certificates');
    expect(finding.remediation).toContain(`DNS:${HOST}`);
    expect(finding.data).toMatchObject({ match: 'wildcard', matchedName: '*.ciscoexample.com' });
  });

  it('fails when no name matches, with ms-diagnostics 1010 and the names the certificate carries', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['expe.ciscoexample.com', 'ciscoexample.com'] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`does not name ${HOST}`);
    expect(finding.message).toContain('are "expe.ciscoexample.com", "ciscoexample.com"');
    expect(finding.message).toContain('ms-diagnostics: 1010 … SEC_E_WRONG_PRINCIPAL');
    expect(finding.remediation).toContain(`Reissue the Expressway-E certificate with the subjectAltName DNS:${HOST}`);
  });

  it('fails when only the CN matches but a SAN extension exists, and says why the CN does not count', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['ciscoexample.com'] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`its CN "${HOST}" matches, but a CN is ignored when the certificate has a subjectAltName extension`);
  });

  it('fails a wildcard that is never honoured, saying why', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: ['s*.ciscoexample.com'] }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('"s*.ciscoexample.com" is never honoured');
  });

  it('does not let a wildcard cover a deeper name or the bare domain', () => {
    const deeper = tlsProbe({ host: `a.${HOST}`, chain: [leafCertificate({ sanDnsNames: ['*.ciscoexample.com'] })] });
    expect(judgeOne(check, deeper).status).toBe('fail');
    const bare = tlsProbe({ host: 'ciscoexample.com', chain: [leafCertificate({ sanDnsNames: ['*.ciscoexample.com'] })] });
    expect(judgeOne(check, bare).status).toBe('fail');
  });

  it('fails a certificate without any DNS name, noting IP names do not count', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: [], sanIpAddresses: ['192.0.2.10'], subjectCN: undefined }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('it carries no DNS name in its subjectAltName dNSNames');
    expect(finding.message).toContain('IP address names (192.0.2.10) do not count');
  });

  it('mentions a parse error that may explain missing names', () => {
    const finding = judgeOne(check, withLeaf({ sanDnsNames: [], parseError: 'bad subjectAltName encoding' }));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('Part of the certificate could not be parsed: bad subjectAltName encoding');
  });

  it('matches an IDN host against a U-label name in the certificate', () => {
    const probe = tlsProbe({ host: 'sip.xn--bcher-kva.example', chain: [leafCertificate({ sanDnsNames: ['sip.bücher.example'] })] });
    expect(judgeOne(check, probe).status).toBe('pass');
  });

  it('judges the partner edge by its own SRV target and asks the partner to fix it', () => {
    const probe = partnerProbe({ chain: [leafCertificate({ sanDnsNames: ['edge.msexample.com'] })] });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`does not name ${PARTNER_HOST}`);
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
  });

  it('skips when no certificate was obtained', () => {
    const finding = judgeOne(check, failedHandshakeProbe('reset'));
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain('so the certificate could not be examined');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).status).toBe('skip');
  });
});
