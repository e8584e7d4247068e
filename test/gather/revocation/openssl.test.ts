// Revocation gathered from servers and data fedcheck did not write: a CA run by the openssl
// command line, its CRLs made with `openssl ca -gencrl` and published by nginx, and `openssl
// ocsp` answering from the CA's index. Each verdict is gathered several times, each time with a
// fresh fetcher (nothing shared between the rounds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEPT_BODY_LIMIT, RevocationChecker, loadOcsp, type PeerChain } from '../../../src/gather/revocation/gather.js';
import { HttpFetcher, fetchOverHttp, type HttpFetcherSettings } from '../../../src/gather/revocation/http.js';
import { parseCertificate, pemToDer } from '../../../src/gather/tls/certificate.js';
import { closedPort } from '../../../src/lab/tls-endpoints.js';
import type { CertificateRevocation, RevocationObservations } from '../../../src/model/revocation.js';
import { nginxBinary, startNginx, type RunningNginx } from '../../helpers/nginx.js';
import { createOpensslCa, opensslAvailable, type OpensslCa, type OpensslCertificate } from '../../helpers/openssl-ca.js';
import type { ServerProcess } from '../../helpers/server-process.js';

const REPEATS = 3;
const DAY_MS = 86_400_000;
const nginx = nginxBinary();
const ready = nginx !== undefined && opensslAvailable();
if (!ready) console.warn('nginx or openssl is not installed: skipping the revocation tests against an openssl CA');

const fetcherSettings = (): HttpFetcherSettings => ({
  timeoutMs: 4_000,
  signal: new AbortController().signal,
  resolveHost: async () => ({ addresses: [], error: 'no DNS in this test' }),
});

describe.skipIf(!ready)('revocation of an openssl CA’s certificates, CRLs on nginx, OCSP by openssl ocsp', () => {
  let web: RunningNginx;
  let ca: OpensslCa;
  let ocspPort: number;
  let responder: ServerProcess | undefined;
  const leaves: Record<'good' | 'revoked' | 'stale' | 'wrongIssuer' | 'unrecorded' | 'onLongList', OpensslCertificate> = {} as never;
  const LONG_LIST = 30_000;

  const peer = (leaf: OpensslCertificate): PeerChain => ({
    address: '127.0.0.1',
    port: 5061,
    chain: [...pemToDer(leaf.certPem), ...pemToDer(ca.intermediate.certPem)].map((der) => parseCertificate(der)),
  });
  const gather = (...peers: PeerChain[]): Promise<RevocationObservations> =>
    new RevocationChecker({ fetcher: new HttpFetcher(fetcherSettings()), trustAnchors: [ca.root.certPem] }).gather(peers);
  const leafOf = (observations: RevocationObservations, leaf: OpensslCertificate): CertificateRevocation => {
    const fingerprint = parseCertificate(pemToDer(leaf.certPem)[0]!).fingerprintSha256;
    const found = observations.certificates.find((certificate) => certificate.fingerprintSha256 === fingerprint);
    if (!found) throw new Error('the leaf is not among the certificates gathered');
    return found;
  };
  const restartResponder = async (signer?: OpensslCertificate): Promise<void> => {
    await responder?.stop();
    responder = await ca.startOcspResponder(ocspPort, signer);
  };

  beforeAll(async () => {
    web = await startNginx(nginx!);
    ocspPort = await closedPort();
    ca = createOpensslCa({ intermediateCrlUrl: web.url('/root.crl') });
    const ocspUrl = `http://127.0.0.1:${ocspPort}/`;
    leaves.good = ca.issueLeaf('good.example', { crlUrl: web.url('/intermediate.crl'), ocspUrl });
    leaves.revoked = ca.issueLeaf('revoked.example', { crlUrl: web.url('/intermediate.crl'), ocspUrl });
    leaves.stale = ca.issueLeaf('stale.example', { crlUrl: web.url('/stale/intermediate.crl') });
    leaves.wrongIssuer = ca.issueLeaf('wrong-issuer.example', { crlUrl: web.url('/root.crl') });
    leaves.unrecorded = ca.issueUnrecordedLeaf('unrecorded.example', { ocspUrl });
    leaves.onLongList = ca.issueLeaf('long-list.example', { crlUrl: web.url('/long/intermediate.crl') });
    ca.revoke(leaves.revoked, 'keyCompromise');
    web.publish('/intermediate.crl', ca.intermediateCrl());
    web.publish('/stale/intermediate.crl', ca.intermediateCrl({ lastUpdate: new Date(Date.now() - 10 * DAY_MS), nextUpdate: new Date(Date.now() - 3 * DAY_MS) }));
    web.publish('/root.crl', ca.rootCrl());
    // Last, so the CRLs above stay short: a large CA's CRL, with the leaf far down the list.
    ca.recordRevokedSerials(LONG_LIST);
    ca.revoke(leaves.onLongList, 'cessationOfOperation');
    web.publish('/long/intermediate.crl', ca.intermediateCrl());
    await restartResponder(ca.issueResponder());
  }, 120_000);

  afterAll(async () => {
    await responder?.stop();
    await web?.stop();
    ca?.remove();
  });

  it('a good leaf: the CRL does not list it, OCSP (a delegated responder) says good, both signed and current', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const observations = await gather(peer(leaves.good));
      expect(observations.certificates).toHaveLength(2);
      const leaf = leafOf(observations, leaves.good);
      expect(leaf.issuer).toMatchObject({ source: 'chain', certificate: { subject: 'CN=openssl test intermediate' } });
      expect(leaf.crls).toHaveLength(1);
      const [crl] = leaf.crls;
      expect(crl).toMatchObject({ url: web.url('/intermediate.crl'), method: 'GET', outcome: 'ok', httpStatus: 200 });
      expect(crl?.body).toBeTypeOf('string');
      expect(crl?.reading).toMatchObject({ source: 'crl', status: 'good', entries: 1, signer: { kind: 'issuer' } });
      expect(crl?.reading?.problem).toBeUndefined();
      expect(Date.parse(crl!.reading!.thisUpdate!)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(crl!.reading!.nextUpdate!)).toBeGreaterThan(Date.now());

      expect(leaf.ocspResponders).toEqual([`http://127.0.0.1:${ocspPort}/`]);
      const [ocsp] = leaf.ocsp;
      expect(ocsp).toMatchObject({ method: 'POST', outcome: 'ok', httpStatus: 200 });
      expect(ocsp?.reading).toMatchObject({
        source: 'ocsp',
        status: 'good',
        signer: { kind: 'delegated-responder', subject: 'CN=openssl test OCSP responder' },
      });
      expect(ocsp?.reading?.problem).toBeUndefined();

      // The intermediate, against the root's CRL; its issuer is the --ca root.
      const intermediate = observations.certificates.find((certificate) => certificate.subject === 'CN=openssl test intermediate');
      expect(intermediate?.issuer).toMatchObject({ source: 'ca', certificate: { subject: 'CN=openssl test root' } });
      expect(intermediate?.crls[0]?.reading).toMatchObject({ status: 'good', signer: { kind: 'issuer', subject: 'CN=openssl test root' } });
      expect(intermediate?.crls[0]?.reading?.problem).toBeUndefined();
      expect(intermediate?.ocsp).toEqual([]);
    }
  });

  it('a revoked leaf: listed on the CRL and revoked by OCSP, with the reason', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const leaf = leafOf(await gather(peer(leaves.revoked)), leaves.revoked);
      expect(leaf.crls[0]?.reading).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
      expect(leaf.crls[0]?.reading?.problem).toBeUndefined();
      expect(leaf.crls[0]?.reading?.revokedAt).toMatch(/^\d{4}-/);
      expect(leaf.ocsp[0]?.reading).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
      expect(leaf.ocsp[0]?.reading?.problem).toBeUndefined();
    }
  });

  it('a stale CRL reads as signed, with its past nextUpdate (the check judges it stale)', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const reading = leafOf(await gather(peer(leaves.stale)), leaves.stale).crls[0]?.reading;
      expect(reading?.problem).toBeUndefined();
      expect(reading?.status).toBe('good');
      expect(Date.parse(reading!.nextUpdate!)).toBeLessThan(Date.now());
    }
  });

  it('a large CA’s CRL: read in full, the leaf found far down the list, too large to keep in the report', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const [crl] = leafOf(await gather(peer(leaves.onLongList)), leaves.onLongList).crls;
      expect(crl?.outcome).toBe('ok');
      expect(crl?.bytes).toBeGreaterThan(KEPT_BODY_LIMIT);
      expect(crl?.body).toBeUndefined();
      expect(crl?.reading).toMatchObject({ status: 'revoked', reason: 'cessationOfOperation', entries: LONG_LIST + 2 });
      expect(crl?.reading?.problem).toBeUndefined();
    }
  });

  it('a CRL of another CA at the distribution point is not taken as the answer', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const reading = leafOf(await gather(peer(leaves.wrongIssuer)), leaves.wrongIssuer).crls[0]?.reading;
      expect(reading?.problem?.code).toBe('wrong-issuer');
    }
  });

  it('a certificate the CA has no record of: OCSP says unknown', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const reading = leafOf(await gather(peer(leaves.unrecorded)), leaves.unrecorded).ocsp[0]?.reading;
      expect(reading?.status).toBe('unknown');
      expect(reading?.problem).toBeUndefined();
    }
  });

  it('two peers with the same chain: each certificate is gathered once', async () => {
    const observations = await gather(peer(leaves.good), { ...peer(leaves.good), address: '127.0.0.2' });
    expect(observations.certificates).toHaveLength(2);
  });

  describe('who signed the OCSP response', () => {
    const ask = async () => {
      const read = await loadOcsp();
      const pair = { certificate: pemToDer(leaves.good.certPem)[0]!, issuer: pemToDer(ca.intermediate.certPem)[0]! };
      const { fetch, body } = await fetchOverHttp(
        {
          url: `http://127.0.0.1:${ocspPort}/`,
          method: 'POST',
          body: read.buildOcspRequest(pair),
          contentType: 'application/ocsp-request',
          accept: 'application/ocsp-response',
          maxBytes: 65536,
        },
        fetcherSettings(),
      );
      expect(fetch.outcome).toBe('ok');
      return read.readOcspResponse(body!, pair);
    };

    it('the issuer itself', async () => {
      await restartResponder(ca.intermediate);
      for (let i = 0; i < REPEATS; i++) {
        const reading = await ask();
        expect(reading).toMatchObject({ status: 'good', signer: { kind: 'issuer', subject: 'CN=openssl test intermediate' } });
        expect(reading.problem).toBeUndefined();
      }
    });

    it('a certificate of the issuer without the OCSPSigning usage: not authorised', async () => {
      await restartResponder(ca.issueResponder({ withoutOcspSigning: true }));
      for (let i = 0; i < REPEATS; i++) {
        const reading = await ask();
        expect(reading.problem?.code).toBe('unauthorized-responder');
        expect(reading.problem?.detail).toContain('OCSPSigning');
      }
    });

    it('a responder of another CA: not authorised', async () => {
      const other = createOpensslCa();
      try {
        await restartResponder(other.issueResponder());
        for (let i = 0; i < REPEATS; i++) {
          const reading = await ask();
          expect(reading.problem?.code).toBe('unauthorized-responder');
        }
      } finally {
        other.remove();
      }
    });
  });
});
