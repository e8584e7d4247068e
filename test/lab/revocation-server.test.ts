// The lab's CRL publisher and OCSP responder, seen through fedcheck's own revocation gathering:
// what the lab publishes must read as what it means (current, stale, revoked, unknown).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherRevocation, loadOcsp } from '../../src/gather/revocation/gather.js';
import { HttpFetcher, fetchOverHttp, type HttpFetcherSettings } from '../../src/gather/revocation/http.js';
import { createPki, type IssuedCertificate, type Pki } from '../../src/lab/pki.js';
import { issueCrl } from '../../src/lab/revocation.js';
import { startRevocationServer, type RevocationServer } from '../../src/lab/revocation-server.js';

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
    const observations = await gatherRevocation([{ address: '127.0.0.1', port: 5061, chain: [leaf.cert, pki.intermediate.cert] }], {
      fetcher: new HttpFetcher(fetcherSettings()),
      trustAnchors: [pki.root.certPem],
    });
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

  it('answers 404 for what it does not publish', async () => {
    const { fetch } = await fetchOverHttp({ url: server.url('/nothing.crl'), method: 'GET', accept: '*/*', maxBytes: 1024 }, fetcherSettings());
    expect(fetch).toMatchObject({ outcome: 'http-status', httpStatus: 404 });
  });
});
