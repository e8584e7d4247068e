import { randomBytes } from 'node:crypto';
import tls from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessTrust, trustAnchors } from '../../../src/gather/tls/trust.js';
import { createPki, type IssuedCertificate, type Pki } from '../../../src/lab/pki.js';
import { DAY_MS } from '../../../src/model/time.js';

let pki: Pki;
let leaf: IssuedCertificate;

beforeAll(async () => {
  pki = await createPki({ label: 'trust-test' });
  leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'] });
});

function chainOf(...certificates: IssuedCertificate[]): Buffer[] {
  return certificates.map((certificate) => certificate.der);
}

describe('assessTrust', () => {
  it('trusts a chain that reaches an extra trust anchor, and says which', () => {
    const result = assessTrust(chainOf(leaf, pki.intermediate), trustAnchors([pki.root.certPem]), new Date());
    expect(result.verdict).toBe('trusted');
    expect(result.detail).toContain(pki.root.cert.subjectCN);
    expect(result.detail).toContain('--ca');
  });

  it('builds the path whatever order the server sent the certificates in', () => {
    const result = assessTrust(chainOf(leaf, pki.root, pki.intermediate), trustAnchors([pki.root.certPem]), new Date());
    expect(result.verdict).toBe('trusted');
  });

  it('calls a chain to a root nobody trusts an untrusted root, sent or not', () => {
    const anchors = trustAnchors([]);
    expect(assessTrust(chainOf(leaf, pki.intermediate, pki.root), anchors, new Date()).verdict).toBe('untrusted-root');
    const notSent = assessTrust(chainOf(leaf, pki.intermediate), anchors, new Date());
    expect(notSent.verdict).toBe('untrusted-root');
    expect(notSent.detail).toContain(pki.root.cert.subjectCN);
  });

  it('calls a missing intermediate an incomplete chain', () => {
    const result = assessTrust(chainOf(leaf), trustAnchors([pki.root.certPem]), new Date());
    expect(result.verdict).toBe('incomplete-chain');
    expect(result.detail).toContain(pki.intermediate.cert.subjectCN);
  });

  it('does not accept a look-alike intermediate (same name, other key)', async () => {
    const other = await createPki({ label: 'trust-test' });
    expect(other.intermediate.cert.subject).toBe(pki.intermediate.cert.subject);
    const result = assessTrust(chainOf(leaf, other.intermediate), trustAnchors([other.root.certPem]), new Date());
    expect(result.verdict).toBe('incomplete-chain');
  });

  it('calls a self-issued leaf self-signed, unless it is itself an anchor', () => {
    const self = pki.issueLeaf({ commonName: 'sip.example.com' }, 'self');
    expect(assessTrust(chainOf(self), trustAnchors([]), new Date()).verdict).toBe('self-signed');
    expect(assessTrust(chainOf(self), trustAnchors([self.certPem]), new Date()).verdict).toBe('trusted');
  });

  it('reports expired and not-yet-valid elements of a trusted path', () => {
    const now = new Date();
    const expired = pki.issueLeaf({
      commonName: 'old',
      notBefore: new Date(now.getTime() - 400 * DAY_MS),
      notAfter: new Date(now.getTime() - DAY_MS),
    });
    const future = pki.issueLeaf({
      commonName: 'new',
      notBefore: new Date(now.getTime() + DAY_MS),
      notAfter: new Date(now.getTime() + 400 * DAY_MS),
    });
    const anchors = trustAnchors([pki.root.certPem]);
    const expiredResult = assessTrust(chainOf(expired, pki.intermediate), anchors, now);
    expect(expiredResult.verdict).toBe('expired');
    expect(expiredResult.detail).toContain('CN=old');
    expect(assessTrust(chainOf(future, pki.intermediate), anchors, now).verdict).toBe('not-yet-valid');
    expect(assessTrust(chainOf(leaf, pki.intermediate), anchors, new Date(now.getTime() + 3000 * DAY_MS)).verdict).toBe(
      'expired',
    );
  });

  it('keeps the structural verdict first and mentions expiry as well', () => {
    const now = new Date();
    const self = pki.issueLeaf(
      { commonName: 'stale', notBefore: new Date(now.getTime() - 10 * DAY_MS), notAfter: new Date(now.getTime() - DAY_MS) },
      'self',
    );
    const result = assessTrust(chainOf(self), trustAnchors([]), now);
    expect(result.verdict).toBe('self-signed');
    expect(result.detail).toContain('expired');
  });

  it('handles no certificate and an unreadable leaf', () => {
    expect(assessTrust([], trustAnchors([]), new Date()).verdict).toBe('no-certificate');
    expect(assessTrust([randomBytes(64)], trustAnchors([]), new Date()).verdict).toBe('unknown');
  });
});

describe('trustAnchors', () => {
  it('always includes the system store and skips unreadable extras', () => {
    const anchors = trustAnchors(['not a certificate', pki.root.certPem + pki.intermediate.certPem]);
    expect(anchors.filter((anchor) => anchor.source === 'system')).toHaveLength(tls.rootCertificates.length);
    expect(anchors.filter((anchor) => anchor.source === 'ca')).toHaveLength(2);
  });
});
