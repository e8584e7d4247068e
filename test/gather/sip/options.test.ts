import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls, { type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMessageHead } from '../../../src/gather/sip/message.js';
import {
  BRANCH_MAGIC_COOKIE,
  MAX_RESPONSE_BYTES,
  buildOptionsRequest,
  probeSipOptions,
  type SipOptionsRequest,
} from '../../../src/gather/sip/options.js';
import { VERSION } from '../../../src/version.js';
import { createPki, type IssuedCertificate, type Pki } from '../../../src/lab/pki.js';
import { sipResponder, type SipResponderOptions } from '../../../src/lab/sip-responder.js';
import {
  closedPort,
  startEndpoint,
  type EndpointBehaviour,
  type RunningEndpoint,
} from '../../../src/lab/tls-endpoints.js';

const HOST = 'sip.example.com';
const DOMAIN = 'example.com';
/** Generous for a loaded 2-core machine: a good exchange takes milliseconds. */
const TIMEOUT_MS = 5_000;
/** For the tests that must wait for the timeout: short, yet far above a loopback handshake. */
const STALL_TIMEOUT_MS = 800;

describe('buildOptionsRequest', () => {
  const parameters = { domain: DOMAIN, localAddress: '192.0.2.99', localPort: 40123 };

  function headLines(text: string): string[] {
    return text.split('\r\n');
  }

  it('writes the request line and every mandatory header (RFC 3261 §8.1.1, §11.1)', () => {
    const lines = headLines(buildOptionsRequest({ ...parameters, branch: 'z9hG4bKfixed', tag: 'tag1', callId: 'call1@fedcheck' }));
    expect(lines).toEqual([
      'OPTIONS sip:example.com SIP/2.0',
      'Via: SIP/2.0/TLS 192.0.2.99:40123;rport;branch=z9hG4bKfixed',
      'Max-Forwards: 70',
      'From: <sip:fedcheck@fedcheck.invalid>;tag=tag1',
      'To: <sip:example.com>',
      'Call-ID: call1@fedcheck',
      'CSeq: 1 OPTIONS',
      'Contact: <sip:fedcheck@192.0.2.99:40123;transport=tls>',
      'Accept: application/sdp',
      `User-Agent: fedcheck/${VERSION}`,
      'Content-Length: 0',
      '',
      '',
    ]);
  });

  it('uses CRLF for every line break and ends with the blank line', () => {
    const text = buildOptionsRequest(parameters);
    expect(text.endsWith('\r\n\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const reading = readMessageHead(Buffer.from(text));
    expect(reading.kind === 'complete' && reading.head.headLength).toBe(Buffer.byteLength(text));
  });

  it('makes a fresh branch with the magic cookie, tag and Call-ID for every request', () => {
    const fields = (text: string) => ({
      branch: /;branch=([^;\r]+)/.exec(text)?.[1],
      tag: /;tag=([^;\r]+)/.exec(text)?.[1],
      callId: /\r\nCall-ID: ([^\r]+)/.exec(text)?.[1],
    });
    const first = fields(buildOptionsRequest(parameters));
    const second = fields(buildOptionsRequest(parameters));
    for (const value of [first, second]) {
      expect(value.branch?.startsWith(BRANCH_MAGIC_COOKIE)).toBe(true);
      expect(value.branch?.length).toBeGreaterThan(BRANCH_MAGIC_COOKIE.length + 8);
      expect(value.tag).toMatch(/^[0-9a-f]{16}$/);
      expect(value.callId).toMatch(/^[0-9a-f]{32}@fedcheck$/);
    }
    expect(second.branch).not.toBe(first.branch);
    expect(second.tag).not.toBe(first.tag);
    expect(second.callId).not.toBe(first.callId);
  });

  it('brackets an IPv6 local address in Via and Contact', () => {
    const text = buildOptionsRequest({ domain: DOMAIN, localAddress: '2001:db8::99', localPort: 5061 });
    expect(text).toContain('Via: SIP/2.0/TLS [2001:db8::99]:5061;rport;branch=');
    expect(text).toContain('Contact: <sip:fedcheck@[2001:db8::99]:5061;transport=tls>');
  });

  it('takes another From host when given', () => {
    expect(buildOptionsRequest({ ...parameters, fromHost: 'expe.example.com' })).toContain('From: <sip:fedcheck@expe.example.com>;tag=');
  });
});

describe('probeSipOptions against lab endpoints', () => {
  let pki: Pki;
  let leaf: IssuedCertificate;
  let clientLeaf: IssuedCertificate;
  const endpoints: RunningEndpoint[] = [];

  beforeAll(async () => {
    pki = await createPki();
    leaf = pki.issueLeaf({ commonName: HOST, sans: [HOST] });
    clientLeaf = pki.issueLeaf({ commonName: 'expressway.example.org' });
  });

  afterAll(async () => {
    await Promise.all(endpoints.map((endpoint) => endpoint.close()));
  });

  async function serve(behaviour: EndpointBehaviour): Promise<RunningEndpoint> {
    const endpoint = await startEndpoint(behaviour);
    endpoints.push(endpoint);
    return endpoint;
  }

  function sipServer(
    respond: ((socket: TLSSocket) => void) | SipResponderOptions,
    extra: Partial<Extract<EndpointBehaviour, { kind: 'tls' }>> = {},
  ): Promise<RunningEndpoint> {
    return serve({
      kind: 'tls',
      certPem: pki.chainPem(leaf),
      keyPem: leaf.keyPem,
      respond: typeof respond === 'function' ? respond : sipResponder(respond),
      ...extra,
    });
  }

  function requestFor(endpoint: { address: string; port: number }, overrides: Partial<SipOptionsRequest> = {}): SipOptionsRequest {
    return { host: HOST, domain: DOMAIN, address: endpoint.address, port: endpoint.port, timeoutMs: TIMEOUT_MS, ...overrides };
  }

  async function timed<T>(work: Promise<T>): Promise<{ result: T; elapsedMs: number }> {
    const started = performance.now();
    const result = await work;
    return { result, elapsedMs: performance.now() - started };
  }

  describe.concurrent('SIP responses', () => {
    it('records a 200 OK with its Server header and round-trip time', async () => {
      const observation = await probeSipOptions(requestFor(await sipServer({})));
      expect(observation).toMatchObject({ outcome: 'response', statusLine: 'SIP/2.0 200 OK', statusCode: 200, server: 'fedcheck-lab' });
      expect(observation.rttMs).toBeGreaterThanOrEqual(0);
      expect(observation.rttMs).toBeLessThan(TIMEOUT_MS);
      expect(observation.error).toBeUndefined();
      expect(observation.userAgent).toBeUndefined();
      expect(JSON.parse(JSON.stringify(observation))).toEqual(observation);
    });

    it('records a 404 as a response: it still proves a SIP stack', async () => {
      const observation = await probeSipOptions(requestFor(await sipServer({ status: 404, server: 'Edge/1.0' })));
      expect(observation).toMatchObject({ outcome: 'response', statusLine: 'SIP/2.0 404 Not Found', statusCode: 404, server: 'Edge/1.0' });
    });

    it('reads past a provisional response to the final one', async () => {
      const observation = await probeSipOptions(requestFor(await sipServer({ provisional: true, status: 503 })));
      expect(observation).toMatchObject({ outcome: 'response', statusCode: 503, statusLine: 'SIP/2.0 503 Service Unavailable' });
    });

    it('reports a provisional response when no final one comes within the timeout', async () => {
      const endpoint = await sipServer({ status: 100 });
      const { result, elapsedMs } = await timed(probeSipOptions(requestFor(endpoint, { timeoutMs: STALL_TIMEOUT_MS })));
      expect(result).toMatchObject({ outcome: 'response', statusCode: 100, statusLine: 'SIP/2.0 100 Trying' });
      // It waited past the provisional response for a final one, until its own timeout.
      expect(elapsedMs).toBeGreaterThanOrEqual(STALL_TIMEOUT_MS - 50);
    });

    it('records User-Agent when the peer identifies itself that way', async () => {
      const endpoint = await sipServer((socket) => {
        socket.once('data', () => socket.write('SIP/2.0 200 OK\r\nUser-Agent: Microsoft.Rtc/6.0\r\nl: 0\r\n\r\n'));
      });
      const observation = await probeSipOptions(requestFor(endpoint));
      expect(observation).toMatchObject({ outcome: 'response', statusCode: 200, userAgent: 'Microsoft.Rtc/6.0' });
      expect(observation.server).toBeUndefined();
    });

    it('counts a status line cut off before the end of the headers as a response', async () => {
      const endpoint = await sipServer((socket) => {
        socket.once('data', () => socket.end('SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/TLS'));
      });
      const observation = await probeSipOptions(requestFor(endpoint));
      expect(observation).toMatchObject({ outcome: 'response', statusCode: 486, statusLine: 'SIP/2.0 486 Busy Here' });
    });

    it('sends a well-formed request over TLS with SNI, our real address in Via', async () => {
      const seen: { servername: string | false | null | undefined; request: string; remotePort: number | undefined }[] = [];
      const responder = sipResponder();
      const endpoint = await sipServer((socket) => {
        let request = '';
        socket.on('data', (chunk: Buffer) => {
          request += chunk.toString('utf8');
          if (request.includes('\r\n\r\n')) seen.push({ servername: socket.servername, request, remotePort: socket.remotePort });
        });
        responder(socket);
      });
      const observation = await probeSipOptions(requestFor(endpoint));
      expect(observation.statusCode).toBe(200);
      expect(seen).toHaveLength(1);
      const [captured] = seen;
      expect(captured?.servername).toBe(HOST);
      expect(captured?.request).toMatch(/^OPTIONS sip:example\.com SIP\/2\.0\r\n/);
      expect(captured?.request).toContain(`Via: SIP/2.0/TLS 127.0.0.1:${captured?.remotePort};rport;branch=${BRANCH_MAGIC_COOKIE}`);
      expect(captured?.request).toContain(`Contact: <sip:fedcheck@127.0.0.1:${captured?.remotePort};transport=tls>`);
      expect(captured?.request.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
    });

    it('talks to an IPv6 peer, bracketing its address in Via', async (context) => {
      let request = '';
      const responder = sipResponder();
      const respond = (socket: TLSSocket): void => {
        socket.on('data', (chunk: Buffer) => (request += chunk.toString('utf8')));
        responder(socket);
      };
      let endpoint: RunningEndpoint;
      try {
        endpoint = await startEndpoint({ kind: 'tls', certPem: pki.chainPem(leaf), keyPem: leaf.keyPem, respond }, { address: '::1' });
      } catch {
        context.skip();
        return;
      }
      endpoints.push(endpoint);
      const observation = await probeSipOptions(requestFor(endpoint));
      expect(observation).toMatchObject({ outcome: 'response', statusCode: 200 });
      expect(request).toMatch(/\r\nVia: SIP\/2\.0\/TLS \[::1\]:\d+;rport;branch=/);
    });

    it('sends no SNI when the host is an IP literal', async () => {
      const servernames: (string | false | null | undefined)[] = [];
      const responder = sipResponder();
      const endpoint = await sipServer((socket) => {
        servernames.push(socket.servername);
        responder(socket);
      });
      const observation = await probeSipOptions(requestFor(endpoint, { host: '127.0.0.1' }));
      expect(observation.statusCode).toBe(200);
      expect(servernames).toEqual([false]);
    });
  });

  describe.concurrent('peers that do not answer SIP', () => {
    it('times out on a silent SIP listener within the bound', async () => {
      const endpoint = await sipServer({ behaviour: 'silent' });
      const { result, elapsedMs } = await timed(probeSipOptions(requestFor(endpoint, { timeoutMs: STALL_TIMEOUT_MS })));
      expect(result.outcome).toBe('timeout');
      expect(result.error).toContain(`${STALL_TIMEOUT_MS} ms`);
      expect(result.statusCode).toBeUndefined();
      expect(elapsedMs).toBeGreaterThanOrEqual(STALL_TIMEOUT_MS - 50);
    });

    it('reports bytes that are not SIP, with a printable sample', async () => {
      const observation = await probeSipOptions(requestFor(await sipServer({ behaviour: 'garbage' })));
      expect(observation.outcome).toBe('not-sip');
      expect(observation.error).toContain("'\\x00\\xff\\x137");
      expect(observation.error).not.toMatch(/[\x00-\x08\x7f-\xff]/);
    });

    it('reports an HTTP answer as not SIP, showing what it was', async () => {
      const endpoint = await sipServer((socket) => {
        socket.once('data', () => socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
      });
      const observation = await probeSipOptions(requestFor(endpoint));
      expect(observation.outcome).toBe('not-sip');
      expect(observation.error).toContain('HTTP/1.1 400 Bad Request\\r\\n');
    });

    it('reports a peer that closes without answering', async () => {
      const observation = await probeSipOptions(requestFor(await sipServer({ behaviour: 'close' })));
      expect(observation.outcome).toBe('closed');
      expect(observation.error).toMatch(/closed the connection without a SIP response/);
    });

    it('reports a reset after the request as closed', async () => {
      // The lab endpoint hides the TCP socket under TLS; this server keeps it, to reset it.
      const context = tls.createSecureContext({ cert: pki.chainPem(leaf), key: leaf.keyPem });
      const server = net.createServer((raw) => {
        raw.on('error', () => undefined);
        const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
        secure.on('error', () => undefined);
        secure.once('data', () => raw.resetAndDestroy());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      const observation = await probeSipOptions(requestFor({ address: '127.0.0.1', port }));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      expect(observation.outcome).toBe('closed');
      expect(observation.error).toMatch(/reset the connection/);
    });

    it('stops reading at the byte bound from a peer that never ends its headers', async () => {
      const endpoint = await sipServer((socket) => {
        socket.once('data', () => {
          socket.write('SIP/2.0 200 OK\r\n');
          socket.write(`X-Flood: ${'a'.repeat(MAX_RESPONSE_BYTES + 1024)}`);
        });
      });
      const observation = await probeSipOptions(requestFor(endpoint));
      // The status line came, so a SIP stack is there; the flood after it is not read to the end.
      expect(observation).toMatchObject({ outcome: 'response', statusCode: 200 });
    });

    it('stops at the first byte of a flood that is not SIP', async () => {
      const endpoint = await sipServer((socket) => {
        socket.once('data', () => socket.write('A'.repeat(4 * MAX_RESPONSE_BYTES)));
      });
      const observation = await probeSipOptions(requestFor(endpoint));
      expect(observation.outcome).toBe('not-sip');
      expect(observation.error?.length).toBeLessThan(400);
    });
  });

  describe.concurrent('connections that never carry the request', () => {
    it('reports a closed port as a connect error', async () => {
      const observation = await probeSipOptions(requestFor({ address: '127.0.0.1', port: await closedPort() }));
      expect(observation.outcome).toBe('error');
      expect(observation.error).toMatch(/TCP connect failed: connection refused/);
    });

    it('reports a TLS handshake that stalls as not sent, ended by its own timeout', async () => {
      const endpoint = await serve({ kind: 'silent' });
      const result = await probeSipOptions(requestFor(endpoint, { timeoutMs: STALL_TIMEOUT_MS }));
      expect(result.outcome).toBe('not-sent');
      expect(result.error).toMatch(`TLS handshake did not complete within ${STALL_TIMEOUT_MS} ms`);
    });

    it('reports a plain-text listener as not sent: the handshake failed', async () => {
      const endpoint = await serve({ kind: 'plaintext', banner: 'SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n' });
      const observation = await probeSipOptions(requestFor(endpoint));
      expect(observation.outcome).toBe('not-sent');
      expect(observation.error).toMatch(/TLS handshake failed/);
    });

    it('reports a peer that closes during the handshake as not sent', async () => {
      const observation = await probeSipOptions(requestFor(await serve({ kind: 'close' })));
      expect(observation.outcome).toBe('not-sent');
    });

    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      it(`is not sent when a ${version} server demands a client certificate and none is given`, async () => {
        const endpoint = await sipServer({}, { maxVersion: version, requestClientCert: 'required', clientCa: [pki.root.certPem] });
        const observation = await probeSipOptions(requestFor(endpoint));
        expect(observation.outcome).toBe('not-sent');
        expect(observation.error).toContain(version === 'TLSv1.2' ? 'alert handshake_failure' : 'alert certificate_required');
        expect(observation.statusCode).toBeUndefined();
      });

      it(`gets the answer from a ${version} server that demands a client certificate when one is given`, async () => {
        const endpoint = await sipServer({}, { maxVersion: version, requestClientCert: 'required', clientCa: [pki.root.certPem] });
        const observation = await probeSipOptions(
          requestFor(endpoint, { clientCertificate: { certPem: pki.chainPem(clientLeaf), keyPem: clientLeaf.keyPem } }),
        );
        expect(observation).toMatchObject({ outcome: 'response', statusCode: 200 });
        expect(JSON.stringify(observation)).not.toContain('PRIVATE KEY');
      });
    }

    it('reports a client certificate it cannot load as an error, without throwing', async () => {
      const endpoint = await sipServer({});
      const observation = await probeSipOptions(requestFor(endpoint, { clientCertificate: { certPem: clientLeaf.certPem, keyPem: 'not a key' } }));
      expect(observation.outcome).toBe('error');
      expect(observation.error).toMatch(/client certificate or key could not be loaded/);
    });
  });

  describe.concurrent('the run deadline', () => {
    it('returns at once when the signal is already aborted', async () => {
      const endpoint = await sipServer({});
      const result = await probeSipOptions(requestFor(endpoint, { signal: AbortSignal.abort() }));
      expect(result).toEqual({ outcome: 'error', error: 'not attempted: the run deadline was reached' });
    });

    it('ends a waiting exchange when the signal aborts', async () => {
      // The deadline is pulled the moment the request arrives at a SIP stack that never answers.
      const controller = new AbortController();
      const silent = sipResponder({ behaviour: 'silent' });
      const endpoint = await sipServer((socket) => {
        socket.once('data', () => controller.abort());
        silent(socket);
      });
      const result = await probeSipOptions(requestFor(endpoint, { timeoutMs: 30_000, signal: controller.signal }));
      expect(result).toEqual({ outcome: 'error', error: 'aborted: the run deadline was reached before a SIP response arrived' });
    });

    it('ends a stalled handshake when the signal aborts', async () => {
      // The deadline is pulled the moment the ClientHello arrives at a server that never answers.
      const controller = new AbortController();
      const endpoint = await startEndpoint({ kind: 'silent' }, { onConnection: (socket) => socket.once('data', () => controller.abort()) });
      endpoints.push(endpoint);
      const result = await probeSipOptions(requestFor(endpoint, { timeoutMs: 30_000, signal: controller.signal }));
      expect(result).toEqual({ outcome: 'error', error: 'aborted: the run deadline was reached during the TLS handshake' });
    });
  });
});
