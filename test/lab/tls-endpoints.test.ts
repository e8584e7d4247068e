import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki, type IssuedCertificate, type Pki } from '../../src/lab/pki.js';
import { closedPort, startEndpoint, type RunningEndpoint } from '../../src/lab/tls-endpoints.js';

let pki: Pki;
let leaf: IssuedCertificate;
const endpoints: RunningEndpoint[] = [];

beforeAll(async () => {
  pki = await createPki();
  leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'] });
});

afterAll(async () => {
  await Promise.all(endpoints.map((endpoint) => endpoint.close()));
});

async function track(endpoint: Promise<RunningEndpoint>): Promise<RunningEndpoint> {
  const running = await endpoint;
  endpoints.push(running);
  return running;
}

interface RawExchange {
  data: Buffer;
  ended: boolean;
  error?: string;
}

/** Connects, sends `greeting`, and collects what comes back for at most `waitMs` or until `enough`. */
function exchange(
  endpoint: RunningEndpoint,
  greeting: Buffer | undefined,
  waitMs: number,
  enough: (received: number) => boolean = () => false,
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const result: RawExchange = { data: Buffer.alloc(0), ended: false };
    const socket = net.connect({ host: endpoint.address, port: endpoint.port });
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      result.data = Buffer.concat(chunks);
      resolve(result);
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('connect', () => {
      if (greeting) socket.write(greeting);
    });
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (enough(received)) finish();
    });
    socket.on('end', () => {
      result.ended = true;
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      result.error = error.code ?? error.message;
      finish();
    });
  });
}

function tlsConnect(
  endpoint: RunningEndpoint,
  options: tls.ConnectionOptions = {},
): Promise<{ protocol: string | null; chain: string[]; socket: tls.TLSSocket }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: endpoint.address,
      port: endpoint.port,
      servername: 'sip.example.com',
      rejectUnauthorized: false,
      ...options,
    });
    socket.once('secureConnect', () => {
      const chain: string[] = [];
      const seen = new Set<string>();
      let certificate: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (certificate?.raw && !seen.has(certificate.fingerprint256)) {
        seen.add(certificate.fingerprint256);
        chain.push(String(certificate.subject.CN ?? ''));
        certificate = certificate.issuerCertificate;
      }
      resolve({ protocol: socket.getProtocol(), chain, socket });
    });
    socket.once('error', reject);
  });
}

describe('tls endpoints', () => {
  it('serves the given chain, in order, on an ephemeral loopback port', async () => {
    const endpoint = await track(startEndpoint({ kind: 'tls', certPem: pki.chainPem(leaf), keyPem: leaf.keyPem }));
    expect(endpoint.address).toBe('127.0.0.1');
    expect(endpoint.port).toBeGreaterThan(0);
    const { protocol, chain, socket } = await tlsConnect(endpoint);
    socket.destroy();
    expect(protocol).toBe('TLSv1.3');
    expect(chain).toEqual(['sip.example.com', pki.intermediate.cert.subjectCN]);
  });

  it('limits protocol versions, down to TLS 1.0 only', async () => {
    const endpoint = await track(
      startEndpoint({ kind: 'tls', certPem: pki.chainPem(leaf), keyPem: leaf.keyPem, minVersion: 'TLSv1', maxVersion: 'TLSv1' }),
    );
    const legacy = await tlsConnect(endpoint, { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    legacy.socket.destroy();
    expect(legacy.protocol).toBe('TLSv1');
    await expect(tlsConnect(endpoint, { minVersion: 'TLSv1.2' })).rejects.toThrow(/protocol version/);
  });

  it('demands a client certificate and hands the connection to the responder', async () => {
    const received: string[] = [];
    const endpoint = await track(
      startEndpoint({
        kind: 'tls',
        certPem: pki.chainPem(leaf),
        keyPem: leaf.keyPem,
        maxVersion: 'TLSv1.2',
        requestClientCert: 'required',
        clientCa: [pki.root.certPem],
        respond: (socket) =>
          socket.on('data', (chunk: Buffer) => {
            received.push(chunk.toString());
            socket.end('SIP/2.0 200 OK\r\n\r\n');
          }),
      }),
    );
    await expect(tlsConnect(endpoint)).rejects.toThrow(/handshake failure/);

    const client = pki.issueLeaf({ commonName: 'client.example.com' });
    const { socket } = await tlsConnect(endpoint, { cert: pki.chainPem(client), key: client.keyPem });
    const answer = await new Promise<string>((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      socket.write('OPTIONS sip:x SIP/2.0\r\n\r\n');
    });
    socket.destroy();
    expect(received).toEqual(['OPTIONS sip:x SIP/2.0\r\n\r\n']);
    expect(answer).toBe('SIP/2.0 200 OK\r\n\r\n');
  });

  it('listens on other 127.0.0.x addresses', async () => {
    const endpoint = await track(startEndpoint({ kind: 'plaintext', banner: 'hello' }, { address: '127.0.0.2' }));
    expect(endpoint.address).toBe('127.0.0.2');
    expect((await exchange(endpoint, undefined, 3000, (received) => received >= 5)).data.toString()).toBe('hello');
  });
});

describe('misbehaving endpoints', () => {
  it('silent: accepts and says nothing', async () => {
    const endpoint = await track(startEndpoint({ kind: 'silent' }));
    const result = await exchange(endpoint, Buffer.from('hello'), 300);
    expect(result).toEqual({ data: Buffer.alloc(0), ended: false });
  });

  it('plaintext: sends its banner', async () => {
    const endpoint = await track(startEndpoint({ kind: 'plaintext', banner: 'SIP/2.0 400 Bad Request\r\n\r\n' }));
    const banner = 'SIP/2.0 400 Bad Request\r\n\r\n';
    const result = await exchange(endpoint, undefined, 3000, (received) => received >= banner.length);
    expect(result.data.toString()).toBe(banner);
  });

  it('reset: resets once the client speaks', async () => {
    const endpoint = await track(startEndpoint({ kind: 'reset' }));
    const result = await exchange(endpoint, Buffer.from([0x16, 3, 1, 0, 0]), 3000);
    expect(result.error).toBe('ECONNRESET');
  });

  it('reset-on-accept: resets a connection it never reads from', async () => {
    const endpoint = await track(startEndpoint({ kind: 'reset-on-accept' }));
    const result = await exchange(endpoint, undefined, 3000);
    expect(result.error).toBe('ECONNRESET');
    expect(result.data).toHaveLength(0);
  });

  it('trickle: a TLS record header, one byte at a time', async () => {
    const endpoint = await track(startEndpoint({ kind: 'trickle', intervalMs: 10 }));
    const result = await exchange(endpoint, undefined, 3000, (received) => received >= 3);
    expect(result.data.subarray(0, 3)).toEqual(Buffer.from([0x16, 0x03, 0x03]));
    expect(result.data.length).toBeGreaterThanOrEqual(3);
    expect(result.ended).toBe(false);
  });

  it('garbage: random bytes, and more for every message', async () => {
    const endpoint = await track(startEndpoint({ kind: 'garbage' }));
    const result = await exchange(endpoint, Buffer.from('hello'), 3000, (received) => received >= 512);
    expect(result.data.length).toBeGreaterThanOrEqual(512);
  });

  it('close: an orderly close, not a reset', async () => {
    const endpoint = await track(startEndpoint({ kind: 'close' }));
    const result = await exchange(endpoint, Buffer.from([0x16, 3, 1, 0, 0]), 3000);
    expect(result.ended).toBe(true);
    expect(result.error).toBeUndefined();
  });

  it('close() ends open connections, even stalled ones', async () => {
    let accepted: () => void = () => undefined;
    const acceptedByServer = new Promise<void>((resolve) => (accepted = resolve));
    const endpoint = await startEndpoint({ kind: 'trickle', intervalMs: 1000 }, { onConnection: () => accepted() });
    const socket = net.connect({ host: endpoint.address, port: endpoint.port });
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await acceptedByServer;
    await endpoint.close();
    await closed;
    await endpoint.close(); // idempotent
    expect(socket.destroyed).toBe(true);
    const after = await new Promise<string | undefined>((resolve) => {
      const probe = net.connect({ host: endpoint.address, port: endpoint.port });
      probe.on('connect', () => {
        probe.destroy();
        resolve(undefined);
      });
      probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(after).toBe('ECONNREFUSED');
  });
});

describe('closedPort', () => {
  it('returns a port nothing listens on', async () => {
    const port = await closedPort();
    expect(port).toBeGreaterThan(0);
    const code = await new Promise<string | undefined>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(code).toBe('ECONNREFUSED');
  });
});
