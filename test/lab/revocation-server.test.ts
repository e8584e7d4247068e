// The lab's CRL publisher and OCSP responder, seen through fedcheck's own revocation gathering:
// what the lab publishes must read as what it means (current, stale, revoked, unknown).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationChecker, loadOcsp } from '../../src/gather/revocation/gather.js';
import { HttpFetcher, fetchOverHttp, type HttpFetcherSettings } from '../../src/gather/revocation/http.js';
import { createPki, type IssuedCertificate, type Pki } from '../../src/lab/pki.js';
import { issueCrl } from '../../src/lab/revocation.js';
import { startLabRevocation, startRevocationServer, type RevocationServer } from '../../src/lab/revocation-server.js';
import { certificateForProfile } from '../../src/lab/certificates.js';
import { parseCertificate, pemToDer } from '../../src/gather/index.js';
import type { RevocationObservations } from '../../src/model/revocation.js';

const DAY_MS = 86_400_000;

const fetcherSettings = (): HttpFetcherSettings => ({
  timeoutMs: 4_000,
  signal: new AbortController().signal,
  resolveHost: async () => ({ addresses: [], error: 'no DNS in this test' }),
});

describe('the lab revocation server', () => {
  let server: RevocationServer;
  let pki: Pki;
  let good: IssuedCertificate;
  let revoked: IssuedCertificate;
  let stale: IssuedCertificate;

  beforeAll(async () => {
    server = await startRevocationServer();
    pki = await createPki();
    const days = (n: number) => new Date(pki.now.getTime() + n * DAY_MS);
    good = pki.issueLeaf({ commonName: 'good.lab', crlDistributionPoint: server.url('/intermediate.crl') });
    revoked = pki.issueLeaf({ commonName: 'revoked.lab', crlDistributionPoint: server.url('/intermediate.crl') });
    stale = pki.issueLeaf({ commonName: 'stale.lab', crlDistributionPoint: server.url('/stale.crl') });
    const revokedEntry = { serialNumber: revoked.cert.serialNumber, revokedAt: days(-2), reason: 'keyCompromise' as const };
    server.publishCrl('/intermediate.crl', issueCrl(pki.intermediate, { thisUpdate: days(-1), nextUpdate: days(6), revoked: [revokedEntry] }));
    server.publishCrl('/stale.crl', issueCrl(pki.intermediate, { thisUpdate: days(-10), nextUpdate: days(-3) }));
    server.answerOcsp('/ocsp', {
      issuer: pki.intermediate,
      answer: (serial) => (serial === revoked.cert.serialNumber ? { status: 'revoked', revokedAt: days(-2), reason: 'keyCompromise' } : { status: 'good' }),
      thisUpdate: days(-1),
      nextUpdate: days(1),
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  const crlReading = async (leaf: IssuedCertificate) => {
    const observations = await new RevocationChecker({
      fetcher: new HttpFetcher(fetcherSettings()),
      trustAnchors: [pki.root.certPem],
    }).gather([{ address: '127.0.0.1', port: 5061, chain: [leaf.cert, pki.intermediate.cert] }]);
    return observations.certificates.find((certificate) => certificate.fingerprintSha256 === leaf.cert.fingerprintSha256)?.crls[0];
  };

  it('publishes a current CRL that lists the revoked leaf and not the good one', async () => {
    const forGood = await crlReading(good);
    expect(forGood).toMatchObject({ outcome: 'ok', contentType: 'application/pkix-crl', reading: { status: 'good' } });
    expect(forGood?.reading?.problem).toBeUndefined();
    expect((await crlReading(revoked))?.reading).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
  });

  it('publishes a stale CRL', async () => {
    const reading = (await crlReading(stale))?.reading;
    expect(reading?.problem).toBeUndefined();
    expect(Date.parse(reading!.nextUpdate!)).toBeLessThan(pki.now.getTime());
  });

  it('answers OCSP requests for the issuer’s certificates', async () => {
    const read = await loadOcsp();
    for (const [leaf, status] of [[good, 'good'], [revoked, 'revoked']] as const) {
      const pair = { certificate: leaf.der, issuer: pki.intermediate.der };
      const { fetch, body } = await fetchOverHttp(
        { url: server.url('/ocsp'), method: 'POST', body: read.buildOcspRequest(pair), contentType: 'application/ocsp-request', accept: 'application/ocsp-response', maxBytes: 65536 },
        fetcherSettings(),
      );
      expect(fetch).toMatchObject({ outcome: 'ok', contentType: 'application/ocsp-response' });
      const reading = read.readOcspResponse(body!, pair);
      expect(reading).toMatchObject({ status, signer: { kind: 'issuer' } });
      expect(reading.problem).toBeUndefined();
    }
  });

  it('is asked about a certificate once per run (RevocationChecker), from the first chain that shows it on', async () => {
    const days = (n: number) => new Date(pki.now.getTime() + n * DAY_MS);
    const crl = issueCrl(pki.intermediate, { thisUpdate: days(-1), nextUpdate: days(6) });
    let crlRequests = 0;
    let ocspRequests = 0;
    server.publishCrl('/counted.crl', () => (crlRequests++, crl));
    server.answerOcsp('/counted-ocsp', { issuer: pki.intermediate, answer: () => (ocspRequests++, { status: 'good' }), thisUpdate: days(-1), nextUpdate: days(1) });
    const leaf = pki.issueLeaf({ commonName: 'shared.lab', crlDistributionPoint: server.url('/counted.crl'), ocspUrl: server.url('/counted-ocsp') });
    const peer = (address: string) => ({ address, port: 5061, chain: [leaf.cert, pki.intermediate.cert] });
    const checker = new RevocationChecker({ fetcher: new HttpFetcher(fetcherSettings()), trustAnchors: [pki.root.certPem] });
    checker.start([peer('127.0.0.1')]);
    const first = await checker.gather([peer('127.0.0.1'), peer('127.0.0.2')]);
    const later = await checker.gather([peer('127.0.0.3')]);
    const leafOf = (observations: RevocationObservations) => observations.certificates.find((entry) => entry.fingerprintSha256 === leaf.cert.fingerprintSha256);
    expect(leafOf(first)?.crls[0]?.reading).toMatchObject({ status: 'good' });
    expect(leafOf(first)?.ocsp[0]?.reading).toMatchObject({ status: 'good' });
    expect(leafOf(later)?.crls[0]).toBe(leafOf(first)?.crls[0]);
    expect([crlRequests, ocspRequests]).toEqual([1, 1]);
  });

  it('answers 404 for what it does not publish', async () => {
    const { fetch } = await fetchOverHttp({ url: server.url('/nothing.crl'), method: 'GET', accept: '*/*', maxBytes: 1024 }, fetcherSettings());
    expect(fetch).toMatchObject({ outcome: 'http-status', httpStatus: 404 });
  });
});

describe('the lab revocation service (startLabRevocation)', () => {
  it('serves the CRLs and OCSP answers the certificate profiles name: current, revoked, stale', async () => {
    const revocation = await startLabRevocation();
    try {
      const { leafCrlUrl, intermediateCrlUrl } = revocation.urls;
      const pki = await createPki({ revocation: { leafCrlUrl, intermediateCrlUrl } });
      revocation.serve(pki);
      const leaves = {
        good: certificateForProfile(pki, 'good-rsa', ['sip.lab'], revocation),
        revoked: certificateForProfile(pki, 'revoked', ['sip.lab'], revocation),
        stale: certificateForProfile(pki, 'stale-crl', ['sip.lab'], revocation),
      };
      const peers = Object.values(leaves).map((leaf, index) => ({
        address: `127.0.0.${index + 1}`,
        port: 5061,
        chain: pemToDer(leaf.chainPem).map((der) => parseCertificate(der)),
      }));
      const observations = await new RevocationChecker({ fetcher: new HttpFetcher(fetcherSettings()), trustAnchors: [pki.root.certPem] }).gather(peers);
      const of = (leaf: { certPem: string }) => observations.certificates.find((entry) => entry.fingerprintSha256 === parseCertificate(pemToDer(leaf.certPem)[0]!).fingerprintSha256);
      expect(of(leaves.good)?.crls[0]?.reading).toMatchObject({ status: 'good' });
      expect(of(leaves.good)?.ocsp).toEqual([]);
      expect(of(leaves.revoked)?.crls[0]?.reading).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
      expect(of(leaves.revoked)?.ocsp[0]?.reading).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
      expect(Date.parse(of(leaves.stale)!.crls[0]!.reading!.nextUpdate!)).toBeLessThan(pki.now.getTime());
      const intermediate = observations.certificates.find((entry) => entry.fingerprintSha256 === pki.intermediate.cert.fingerprintSha256);
      expect(intermediate?.crls[0]).toMatchObject({ url: intermediateCrlUrl, reading: { status: 'good', signer: { kind: 'issuer' } } });
    } finally {
      await revocation.close();
    }
  });
});
