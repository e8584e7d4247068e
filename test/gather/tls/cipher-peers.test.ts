// The TLS probe's cipher-suite elimination and OCSP stapling against servers fedcheck did not
// write: `openssl s_server` and nginx, each given the certificate, cipher list and protocol
// versions of one case. Each verdict is probed several times, each time with a fresh cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationChecker } from '../../../src/gather/revocation/gather.js';
import { HttpFetcher } from '../../../src/gather/revocation/http.js';
import { buildOcspRequest } from '../../../src/gather/revocation/ocsp.js';
import { CipherProbeCache, probeTls, type TlsProbeRequest } from '../../../src/gather/tls/probe.js';
import { createPki, type IssuedCertificate, type Pki } from '../../../src/lab/pki.js';
import { answerOcspRequest } from '../../../src/lab/revocation.js';
import { MICROSOFT_CIPHER_SUITES } from '../../../src/model/ciphers.js';
import type { TlsProbeObservation } from '../../../src/model/observations.js';
import { nginxBinary, startNginx } from '../../helpers/nginx.js';
import { opensslBinary, startOpensslServer, type OpensslServerOptions } from '../../helpers/openssl-server.js';
import type { ServerProcess } from '../../helpers/server-process.js';

const REPEATS = 3;
const HOST = 'sip.ciscoexample.com';
const ALL = MICROSOFT_CIPHER_SUITES.map((suite) => suite.name);
const openssl = opensslBinary();
const nginx = nginxBinary();
if (!openssl) console.warn('openssl is not installed: skipping the cipher-suite probes against openssl s_server');
if (!nginx) console.warn('nginx is not installed: skipping the cipher-suite probes against nginx');

function probe(port: number, cipherProbes?: CipherProbeCache, onCertificates?: TlsProbeRequest['onCertificates']): Promise<TlsProbeObservation> {
  return probeTls({
    host: HOST,
    address: '127.0.0.1',
    port,
    purpose: 'federation',
    timeoutMs: 4_000,
    trustAnchors: [],
    probeLegacy: false,
    probeCiphers: true,
    ...(cipherProbes ? { cipherProbes } : {}),
    ...(onCertificates ? { onCertificates } : {}),
  });
}

let pki: Pki;
let rsa: IssuedCertificate;
let ecdsa: IssuedCertificate;

beforeAll(async () => {
  pki = await createPki();
  rsa = pki.issueLeaf({ commonName: HOST, sans: [HOST] });
  ecdsa = pki.issueLeaf({ commonName: HOST, sans: [HOST], keyType: 'ec' });
});

describe.skipIf(!openssl)('cipher suites of openssl s_server peers', () => {
  const servers: ServerProcess[] = [];
  const start = async (options: Omit<OpensslServerOptions, 'certPem' | 'keyPem' | 'chainPem'>, leaf: () => IssuedCertificate = () => rsa) => {
    const server = await startOpensslServer(openssl!, { certPem: leaf().certPem, keyPem: leaf().keyPem, chainPem: pki.intermediate.certPem, ...options });
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('CBC-SHA only (ECDHE-RSA-AES128-SHA), TLS 1.3 off: that suite alone, the rest refused', async () => {
    const server = await start({ cipher: 'ECDHE-RSA-AES128-SHA', tls13: false });
    for (let i = 0; i < REPEATS; i++) {
      const observation = await probe(server.port);
      expect(observation.handshake?.protocol).toBe('TLSv1.2');
      expect(observation.ciphers).toEqual({
        microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
        accepted: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
        refused: ALL.filter((name) => name !== 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'),
        handshakes: 2,
      });
    }
  });

  it('RSA key exchange only (AES256-GCM-SHA384), TLS 1.3 on: TLS 1.3 from the main probe, that suite from the elimination', async () => {
    const server = await start({ cipher: 'AES256-GCM-SHA384' });
    for (let i = 0; i < REPEATS; i++) {
      const observation = await probe(server.port);
      expect(observation.handshake?.protocol).toBe('TLSv1.3');
      expect(observation.ciphers).toMatchObject({ microsoftPick: 'TLS_RSA_WITH_AES_256_GCM_SHA384', accepted: ['TLS_RSA_WITH_AES_256_GCM_SHA384'], handshakes: 2 });
      expect(observation.ciphers?.refused).toHaveLength(7);
    }
  });

  it('ECDSA only: none of Microsoft’s suites, and the suite it picks from everything OpenSSL offers', async () => {
    const server = await start({}, () => ecdsa);
    for (let i = 0; i < REPEATS; i++) {
      const observation = await probe(server.port);
      expect(observation.ciphers).toMatchObject({ accepted: [], refused: ALL, handshakes: 2 });
      expect(observation.ciphers?.otherPick).toMatch(/^TLS_ECDHE_ECDSA_WITH_/);
      expect(observation.chain[0]?.keyType).toBe('ec');
    }
  });

  it("the server's preference: weak first, then the elimination reaches a Direct Routing suite", async () => {
    const server = await start({ cipher: 'AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384', serverPreference: true, tls13: false });
    for (let i = 0; i < REPEATS; i++) {
      const observation = await probe(server.port);
      expect(observation.ciphers).toEqual({
        microsoftPick: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
        accepted: ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
        refused: [],
        handshakes: 3,
      });
    }
  });

  it('probes a listener once per run, whatever the names', async () => {
    const server = await start({ cipher: 'ECDHE-RSA-AES128-SHA', tls13: false });
    const cache = new CipherProbeCache();
    const [first, second] = await Promise.all([probe(server.port, cache), probe(server.port, cache)]);
    expect(second.ciphers).toBe(first.ciphers);
  });

  it('records a stapled OCSP response, which revocation then reads, and tells it as soon as the main handshake ends', async () => {
    const stapled = answerOcspRequest(buildOcspRequest({ certificate: rsa.der, issuer: pki.intermediate.der }), {
      issuer: pki.intermediate,
      answer: () => ({ status: 'good' }),
      thisUpdate: new Date(Date.now() - 3_600_000),
      nextUpdate: new Date(Date.now() + 86_400_000),
    });
    const server = await start({ stapledOcsp: stapled });
    for (let i = 0; i < REPEATS; i++) {
      const events: string[] = [];
      let told: { fingerprints: string[]; stapledOcsp: string | undefined } | undefined;
      const probing = probe(server.port, undefined, (chain, stapledOcsp) => {
        events.push('certificates');
        told = { fingerprints: chain.map((certificate) => certificate.fingerprintSha256), stapledOcsp };
      });
      const observation = await probing.finally(() => events.push('observation'));
      expect(observation.stapledOcsp).toBe(stapled.toString('base64'));
      expect(events).toEqual(['certificates', 'observation']);
      expect(told).toEqual({ fingerprints: observation.chain.map((certificate) => certificate.fingerprintSha256), stapledOcsp: observation.stapledOcsp });
      const revocation = await new RevocationChecker({
        fetcher: new HttpFetcher({ timeoutMs: 1000, signal: new AbortController().signal, resolveHost: async () => ({ addresses: [] }) }),
        trustAnchors: [pki.root.certPem],
      }).gather([observation]);
      const leaf = revocation.certificates.find((entry) => entry.fingerprintSha256 === rsa.cert.fingerprintSha256);
      expect(leaf?.stapled).toEqual([{ address: '127.0.0.1', port: server.port, reading: expect.objectContaining({ source: 'ocsp', status: 'good' }) }]);
      expect(leaf?.stapled[0]?.reading.problem).toBeUndefined();
    }
    const plain = await start({});
    expect((await probe(plain.port)).stapledOcsp).toBeUndefined();
  });
});

describe.skipIf(!nginx)('cipher suites of nginx peers', () => {
  it('nginx with ssl_ciphers ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256 and TLS 1.2 only', async () => {
    const server = await startNginx(nginx!, '', {
      certPem: pki.chainPem(rsa),
      keyPem: rsa.keyPem,
      ciphers: 'ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256',
      protocols: 'TLSv1.2',
    });
    try {
      for (let i = 0; i < REPEATS; i++) {
        const observation = await probe(server.port);
        expect(observation.handshake?.protocol).toBe('TLSv1.2');
        expect(observation.ciphers).toMatchObject({
          microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
          accepted: ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
          handshakes: 3,
        });
      }
    } finally {
      await server.stop();
    }
  });

  it("nginx with a good configuration: one handshake, Microsoft's first suite", async () => {
    const server = await startNginx(nginx!, '', { certPem: pki.chainPem(rsa), keyPem: rsa.keyPem, ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256' });
    try {
      for (let i = 0; i < REPEATS; i++) {
        const observation = await probe(server.port);
        expect(observation.handshake?.protocol).toBe('TLSv1.3');
        expect(observation.ciphers).toEqual({
          microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
          accepted: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
          refused: [],
          handshakes: 1,
        });
      }
    } finally {
      await server.stop();
    }
  });
});
