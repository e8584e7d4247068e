// One run asks a listener about TLS 1.0/1.1 once, however many names it serves: a hosting
// provider's edge answers hundreds of partner domains on the same address and port.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LegacyProbeCache, probeTls, type TlsProbeRequest } from '../../../src/gather/tls/probe.js';
import { createPki } from '../../../src/lab/pki.js';

describe('LegacyProbeCache', () => {
  let server: tls.Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    const pki = await createPki();
    const leaf = pki.issueLeaf({ commonName: 'sip.one.example', sans: ['sip.one.example', 'sip.two.example'] });
    server = tls.createServer({ cert: pki.chainPem(leaf), key: leaf.keyPem });
    server.on('connection', () => connections++);
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (host: string, legacyProbes?: LegacyProbeCache): TlsProbeRequest => ({
    host,
    address: '127.0.0.1',
    port,
    purpose: 'federation',
    timeoutMs: 4000,
    trustAnchors: [],
    probeLegacy: true,
    ...(legacyProbes ? { legacyProbes } : {}),
  });

  // A server that speaks neither version: one connection offering both settles them.
  it('probes TLS 1.0 and 1.1 once per address and port, and gives every name the verdicts', async () => {
    connections = 0;
    const cache = new LegacyProbeCache();
    const [one, two] = await Promise.all([probeTls(request('sip.one.example', cache)), probeTls(request('sip.two.example', cache))]);
    expect(connections).toBe(2 + 1);
    expect(one.legacyProtocols.map((probe) => probe.result)).toEqual(['refused', 'refused']);
    expect(two.legacyProtocols).toEqual(one.legacyProtocols);
    expect(one.handshake?.outcome).toBe('ok');
    expect(two.handshake?.outcome).toBe('ok');
  });

  it('probes them for every name without a cache', async () => {
    connections = 0;
    await Promise.all([probeTls(request('sip.one.example')), probeTls(request('sip.two.example'))]);
    expect(connections).toBe(2 * 2);
  });
});
