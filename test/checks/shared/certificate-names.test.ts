import { describe, expect, it } from 'vitest';
import {
  certificateIdentity,
  findCertificateNameMatch,
  isWildcardName,
  matchCertificateName,
  normalizeDnsName,
  unusableWildcardReason,
} from '../../../src/checks/shared/certificate-names.js';
import { leafCertificate } from '../../helpers/builders/index.js';

describe('normalizeDnsName', () => {
  it('lower-cases, drops the trailing dot and converts U-labels to A-labels', () => {
    expect(normalizeDnsName('SIP.Example.COM.')).toBe('sip.example.com');
    expect(normalizeDnsName('sip.bücher.example')).toBe('sip.xn--bcher-kva.example');
    expect(normalizeDnsName('*.Example.com')).toBe('*.example.com');
  });

  it('refuses what is not a DNS name', () => {
    expect(normalizeDnsName('')).toBeUndefined();
    expect(normalizeDnsName('.')).toBeUndefined();
    expect(normalizeDnsName('a..example.com')).toBeUndefined();
    expect(normalizeDnsName('exa mple.com')).toBeUndefined();
  });
});

describe('matchCertificateName', () => {
  it('matches exact names case-insensitively and ignoring a trailing dot', () => {
    expect(matchCertificateName('sip.example.com', 'sip.example.com')).toBe('exact');
    expect(matchCertificateName('SIP.example.com', 'sip.EXAMPLE.com.')).toBe('exact');
    expect(matchCertificateName('sip.example.com.', 'Sip.Example.Com')).toBe('exact');
  });

  it('does not match other names', () => {
    expect(matchCertificateName('sip.example.com', 'example.com')).toBeUndefined();
    expect(matchCertificateName('sip.example.com', 'sip.example.org')).toBeUndefined();
    expect(matchCertificateName('sip.example.com', 'sip.example.com.evil.test')).toBeUndefined();
  });

  it('matches IDN names in U-label and A-label form alike', () => {
    expect(matchCertificateName('sip.xn--bcher-kva.example', 'sip.bücher.example')).toBe('exact');
    expect(matchCertificateName('sip.bücher.example', 'sip.xn--bcher-kva.example')).toBe('exact');
    expect(matchCertificateName('xn--bcher-kva.example.com', '*.example.com')).toBe('wildcard');
  });

  it('matches a left-most whole-label wildcard against exactly one label', () => {
    expect(matchCertificateName('sip.example.com', '*.example.com')).toBe('wildcard');
    expect(matchCertificateName('SIP.EXAMPLE.COM', '*.Example.Com')).toBe('wildcard');
  });

  it('never lets a wildcard match the bare domain or several labels', () => {
    expect(matchCertificateName('example.com', '*.example.com')).toBeUndefined();
    expect(matchCertificateName('a.sip.example.com', '*.example.com')).toBeUndefined();
  });

  it('refuses partial-label, non-left-most and top-level wildcards', () => {
    expect(matchCertificateName('sip.example.com', 's*.example.com')).toBeUndefined();
    expect(matchCertificateName('sip.example.com', '*ip.example.com')).toBeUndefined();
    expect(matchCertificateName('sip.example.com', 'sip.*.com')).toBeUndefined();
    expect(matchCertificateName('sip.example.com', '*.*.com')).toBeUndefined();
    expect(matchCertificateName('example.com', '*.com')).toBeUndefined();
    expect(matchCertificateName('sip.example.com', '*')).toBeUndefined();
  });

  it('does not treat a host containing "*" as matchable, and survives garbage names', () => {
    expect(matchCertificateName('*.example.com', '*.example.com')).toBeUndefined();
    expect(matchCertificateName('sip.example.com', '')).toBeUndefined();
    expect(matchCertificateName('sip.example.com', '..')).toBeUndefined();
    expect(matchCertificateName('', 'sip.example.com')).toBeUndefined();
  });
});

describe('unusableWildcardReason', () => {
  it('explains why a wildcard is never honoured', () => {
    expect(unusableWildcardReason('*.example.com')).toBeUndefined();
    expect(unusableWildcardReason('f*.example.com')).toContain('whole left-most label');
    expect(unusableWildcardReason('sip.*.example.com')).toContain('only honoured in the left-most label');
    expect(unusableWildcardReason('*.com')).toContain('top-level domain');
  });

  it('is silent for names without a wildcard', () => {
    expect(unusableWildcardReason('sip.example.com')).toBeUndefined();
    expect(isWildcardName('sip.example.com')).toBe(false);
    expect(isWildcardName('*.example.com')).toBe(true);
  });
});

describe('findCertificateNameMatch', () => {
  it('prefers an exact name over a wildcard, whatever the order', () => {
    expect(findCertificateNameMatch('sip.example.com', ['*.example.com', 'sip.example.com'])).toEqual({
      kind: 'exact',
      certificateName: 'sip.example.com',
    });
  });

  it('returns the wildcard when it is the only way to match', () => {
    expect(findCertificateNameMatch('sip.example.com', ['example.com', '*.example.com'])).toEqual({
      kind: 'wildcard',
      certificateName: '*.example.com',
    });
  });

  it('returns undefined when nothing matches', () => {
    expect(findCertificateNameMatch('sip.example.com', ['example.com', 'www.example.com'])).toBeUndefined();
    expect(findCertificateNameMatch('sip.example.com', [])).toBeUndefined();
  });
});

describe('certificateIdentity', () => {
  it('uses the SAN dNSNames when the extension is present, ignoring the CN', () => {
    const identity = certificateIdentity(leafCertificate({ subjectCN: 'cn.example.com', sanDnsNames: ['san.example.com'] }));
    expect(identity).toEqual({ names: ['san.example.com'], source: 'san' });
  });

  it('uses the CN only when there is no SAN extension', () => {
    const identity = certificateIdentity(leafCertificate({ subjectCN: 'cn.example.com', sanDnsNames: [], hasSanExtension: false }));
    expect(identity).toEqual({ names: ['cn.example.com'], source: 'cn' });
    const nameless = certificateIdentity(leafCertificate({ subjectCN: undefined, sanDnsNames: [], hasSanExtension: false }));
    expect(nameless).toEqual({ names: [], source: 'cn' });
  });
});
