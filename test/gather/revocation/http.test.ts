// The revocation fetcher against nginx, a web server fedcheck did not write: statuses, redirects
// (followed to http: only, a bounded number of times), the size limit, a stalling download, the
// run deadline, refused connections and names that do not resolve. Every verdict is asked
// several times: these are network behaviours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFetcher, MAX_REDIRECTS, fetchOverHttp, type HttpFetchRequest, type HttpFetcherSettings, type HostResolver } from '../../../src/gather/revocation/http.js';
import { closedPort } from '../../../src/lab/tls-endpoints.js';
import { nginxBinary, startNginx, type RunningNginx } from '../../helpers/nginx.js';

const REPEATS = 3;
const binary = nginxBinary();
if (!binary) console.warn('nginx is not installed (apt-get install nginx-light): skipping the revocation fetcher tests against nginx');

const noDns: HostResolver = async () => ({ addresses: [], error: 'NXDOMAIN' });

function settings(overrides: Partial<HttpFetcherSettings> = {}): HttpFetcherSettings {
  return { timeoutMs: 4_000, signal: new AbortController().signal, resolveHost: noDns, ...overrides };
}

function get(url: string, maxBytes = 1024 * 1024): HttpFetchRequest {
  return { url, method: 'GET', accept: 'application/pkix-crl', maxBytes };
}

describe.skipIf(!binary)('fetching CRLs from nginx', () => {
  let nginx: RunningNginx;
  const crl = Buffer.alloc(3000, 0x30);

  beforeAll(async () => {
    nginx = await startNginx(
      binary!,
      [
        'location = /moved.crl { return 301 http://127.0.0.1:{{PORT}}/ca/current.crl; }',
        'location = /relative.crl { return 302 /ca/current.crl; }',
        'location = /to-https.crl { return 302 https://127.0.0.1:{{PORT}}/ca/current.crl; }',
        'location = /to-ldap.crl { return 302 "ldap://ldap.example/cn=CA?certificateRevocationList"; }',
        'location = /loop.crl { return 302 /loop.crl; }',
        'location /slow/ { limit_rate 100; }',
        'location = /teapot.crl { return 418; }',
      ].join('\n'),
    );
    nginx.publish('/ca/current.crl', crl);
    nginx.publish('/slow/big.crl', Buffer.alloc(64 * 1024, 0x30));
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
  });

  it('downloads a CRL: status 200, the content type and every byte', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const { fetch, body } = await fetchOverHttp(get(nginx.url('/ca/current.crl')), settings());
      expect(fetch).toMatchObject({ outcome: 'ok', httpStatus: 200, contentType: 'application/pkix-crl', bytes: crl.length, address: '127.0.0.1' });
      expect(body?.equals(crl)).toBe(true);
    }
  });

  it('says which status an error answer had, and keeps no body', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const missing = await fetchOverHttp(get(nginx.url('/ca/missing.crl')), settings());
      expect(missing.fetch).toMatchObject({ outcome: 'http-status', httpStatus: 404 });
      expect(missing.body).toBeUndefined();
      const teapot = await fetchOverHttp(get(nginx.url('/teapot.crl')), settings());
      expect(teapot.fetch).toMatchObject({ outcome: 'http-status', httpStatus: 418 });
      // A POST (an OCSP request) to a static file.
      const post = await fetchOverHttp(
        { url: nginx.url('/ca/current.crl'), method: 'POST', body: Buffer.from([0x30, 0]), contentType: 'application/ocsp-request', accept: 'application/ocsp-response', maxBytes: 1024 },
        settings(),
      );
      expect(post.fetch).toMatchObject({ outcome: 'http-status', httpStatus: 405 });
    }
  });

  it('follows redirects to http: URLs, absolute and relative, and records them', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const moved = await fetchOverHttp(get(nginx.url('/moved.crl')), settings());
      expect(moved.fetch).toMatchObject({ outcome: 'ok', httpStatus: 200, redirects: [nginx.url('/ca/current.crl')] });
      expect(moved.body?.equals(crl)).toBe(true);
      const relative = await fetchOverHttp(get(nginx.url('/relative.crl')), settings());
      expect(relative.fetch).toMatchObject({ outcome: 'ok', redirects: [nginx.url('/ca/current.crl')] });
    }
  });

  it('refuses redirects to other schemes, and more than a few redirects', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const https = await fetchOverHttp(get(nginx.url('/to-https.crl')), settings());
      expect(https.fetch).toMatchObject({ outcome: 'redirect-refused', httpStatus: 302 });
      expect(https.fetch.error).toContain('https:');
      expect(https.body).toBeUndefined();
      const ldap = await fetchOverHttp(get(nginx.url('/to-ldap.crl')), settings());
      expect(ldap.fetch.outcome).toBe('redirect-refused');
      expect(ldap.fetch.error).toContain('ldap:');
      const loop = await fetchOverHttp(get(nginx.url('/loop.crl')), settings());
      expect(loop.fetch.outcome).toBe('redirect-refused');
      expect(loop.fetch.redirects).toHaveLength(MAX_REDIRECTS);
    }
  });

  it('stops a download over the size limit', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const { fetch, body } = await fetchOverHttp(get(nginx.url('/ca/current.crl'), 1000), settings());
      expect(fetch.outcome).toBe('too-large');
      expect(fetch.error).toContain('1000');
      expect(body).toBeUndefined();
    }
  });

  it('gives up on a download that trickles past its timeout', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const { fetch, body } = await fetchOverHttp(get(nginx.url('/slow/big.crl')), settings({ timeoutMs: 300 }));
      expect(fetch.outcome).toBe('timeout');
      expect(body).toBeUndefined();
    }
  });

  it('ends at the run deadline, and says the deadline ended it', async () => {
    for (let i = 0; i < REPEATS; i++) {
      const run = new AbortController();
      const pending = fetchOverHttp(get(nginx.url('/slow/big.crl')), settings({ signal: run.signal }));
      setTimeout(() => run.abort(), 100);
      const { fetch } = await pending;
      expect(fetch.outcome).toBe('aborted');
      expect(fetch.error).toContain('run deadline');
    }
    const before = new AbortController();
    before.abort();
    expect((await fetchOverHttp(get(nginx.url('/ca/current.crl')), settings({ signal: before.signal }))).fetch.outcome).toBe('aborted');
  });

  it('resolves host names with the run resolver, keeping the name in the Host header', async () => {
    const names: string[] = [];
    const resolveHost: HostResolver = async (host) => {
      names.push(host);
      return { addresses: ['127.0.0.1'] };
    };
    for (let i = 0; i < REPEATS; i++) {
      const url = `http://crl.example.test:${nginx.port}/ca/current.crl`;
      const { fetch } = await fetchOverHttp(get(url), settings({ resolveHost }));
      expect(fetch).toMatchObject({ outcome: 'ok', address: '127.0.0.1' });
    }
    expect(names).toEqual(Array(REPEATS).fill('crl.example.test'));
    const unresolved = await fetchOverHttp(get('http://crl.nowhere.test/x.crl'), settings());
    expect(unresolved.fetch).toMatchObject({ outcome: 'dns-failure', error: 'crl.nowhere.test: NXDOMAIN' });
  });

  it('shares one exchange per URL within a run', async () => {
    const fetcher = new HttpFetcher(settings());
    const [first, second] = await Promise.all([fetcher.fetch(get(nginx.url('/ca/current.crl'))), fetcher.fetch(get(nginx.url('/ca/current.crl')))]);
    expect(first).toBe(second);
    const other = await fetcher.fetch(get(nginx.url('/moved.crl')));
    expect(other).not.toBe(first);
  });
});

describe('fetching without nginx', () => {
  it('names a refused connection', async () => {
    const port = await closedPort();
    for (let i = 0; i < REPEATS; i++) {
      const { fetch } = await fetchOverHttp(get(`http://127.0.0.1:${port}/x.crl`), settings());
      expect(fetch.outcome).toBe('refused');
      expect(fetch.error).toContain('ECONNREFUSED');
    }
  });

  it('fetches nothing but http: URLs', async () => {
    for (const url of ['ldap://ldap.example/cn=CA?certificateRevocationList', 'https://crl.example/ca.crl', 'file:///etc/passwd', 'not a url']) {
      const { fetch } = await fetchOverHttp(get(url), settings());
      expect(fetch.outcome).toBe('unsupported-scheme');
    }
  });
});
