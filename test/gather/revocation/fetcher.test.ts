// The run's revocation checking (createRevocationChecker): host names in CRL and OCSP URLs are
// looked up with the run's own resolvers, like every other name fedcheck asks about, and the
// run's deadline ends the fetches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CipherProbeCache, LegacyProbeCache, createRevocationChecker, type GatherSettings } from '../../../src/gather/index.js';
import { startDnsServer, type RunningDnsServer } from '../../../src/lab/dns-server.js';
import { startRevocationServer, type RevocationServer } from '../../../src/lab/revocation-server.js';
import { parseZone } from '../../../src/lab/zone.js';

describe('createRevocationChecker', () => {
  let dns: RunningDnsServer;
  let web: RevocationServer;

  beforeAll(async () => {
    web = await startRevocationServer();
    web.publishCrl('/ca.crl', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]));
    const zone = parseZone(
      '$ORIGIN pki.example.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\ncrl IN A 127.0.0.1\n',
    );
    dns = await startDnsServer({ zones: [zone] });
  });

  afterAll(async () => {
    await Promise.all([dns?.close(), web?.close()]);
  });

  const settings = (signal: AbortSignal): Omit<GatherSettings, 'revocation'> => ({
    resolvers: [{ host: dns.host, port: dns.port }],
    internalResolvers: [],
    signal,
    dnsTimeoutMs: 2000,
    tlsTimeoutMs: 2000,
    trustAnchors: [],
    sipOptions: false,
    legacyProbes: new LegacyProbeCache(),
    cipherProbes: new CipherProbeCache(),
  });

  it("resolves the URL's host with the run's resolvers, and says when it does not resolve", async () => {
    const { fetcher } = createRevocationChecker(settings(new AbortController().signal), 2000).settings;
    const { fetch, body } = await fetcher.fetch({ url: `http://crl.pki.example:${web.port}/ca.crl`, method: 'GET', accept: '*/*', maxBytes: 1024 });
    expect(fetch).toMatchObject({ outcome: 'ok', address: '127.0.0.1', httpStatus: 200 });
    expect(body).toHaveLength(5);
    const missing = await fetcher.fetch({ url: `http://nothing.pki.example:${web.port}/ca.crl`, method: 'GET', accept: '*/*', maxBytes: 1024 });
    expect(missing.fetch.outcome).toBe('dns-failure');
    expect(missing.fetch.error).toContain('nothing.pki.example');
    expect(missing.fetch.error).toContain('NXDOMAIN');
  });

  it('fetches nothing once the run deadline has passed', async () => {
    const run = new AbortController();
    run.abort();
    const { fetcher } = createRevocationChecker(settings(run.signal), 2000).settings;
    const { fetch } = await fetcher.fetch({ url: `http://crl.pki.example:${web.port}/ca.crl`, method: 'GET', accept: '*/*', maxBytes: 1024 });
    expect(fetch.outcome).toBe('aborted');
  });
});
