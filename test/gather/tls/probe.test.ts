import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTls, type TlsProbeRequest } from '../../../src/gather/tls/probe.js';
import { createPki, type IssuedCertificate, type Pki } from '../../../src/lab/pki.js';
import {
  closedPort,
  startEndpoint,
  type EndpointBehaviour,
  type EndpointOptions,
  type RunningEndpoint,
} from '../../../src/lab/tls-endpoints.js';
import { runResult, target } from '../../report/results.js';
import { renderJson } from '../../../src/report/json.js';
import { resultValidator, describeErrors } from '../../report/schema.js';
import { DAY_MS } from '../../../src/model/time.js';

const HOST = 'sip.example.com';
/** Short enough to keep the suite quick, long enough for a loaded 2-core machine to handshake. */
const STALL_TIMEOUT_MS = 800;
const validateResult = resultValidator();

let pki: Pki;
let otherPki: Pki;
let leaf: IssuedCertificate;
let clientLeaf: IssuedCertificate;
const endpoints: RunningEndpoint[] = [];

beforeAll(async () => {
  [pki, otherPki] = await Promise.all([createPki(), createPki()]);
  leaf = pki.issueLeaf({ commonName: HOST, sans: [HOST] });
  clientLeaf = pki.issueLeaf({ commonName: 'expressway.example.com', extendedKeyUsage: ['serverAuth', 'clientAuth'] });
});

afterAll(async () => {
  await Promise.all(endpoints.map((endpoint) => endpoint.close()));
});

async function serve(behaviour: EndpointBehaviour, options?: EndpointOptions): Promise<RunningEndpoint> {
  const endpoint = await startEndpoint(behaviour, options);
  endpoints.push(endpoint);
  return endpoint;
}

function goodServer(extra: Partial<Extract<EndpointBehaviour, { kind: 'tls' }>> = {}): Promise<RunningEndpoint> {
  return serve({ kind: 'tls', certPem: pki.chainPem(leaf), keyPem: leaf.keyPem, ...extra });
}

function requestFor(endpoint: { address: string; port: number }, overrides: Partial<TlsProbeRequest> = {}): TlsProbeRequest {
  return {
    host: HOST,
    address: endpoint.address,
    port: endpoint.port,
    purpose: 'federation',
    timeoutMs: 4000,
    trustAnchors: [pki.root.certPem],
    probeLegacy: false,
    ...overrides,
  };
}

/** Waits for the server side to catch up with a probe that has already resolved. */
async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

function fingerprints(observation: { chain: { fingerprintSha256: string }[] }): string[] {
  return observation.chain.map((certificate) => certificate.fingerprintSha256);
}

describe('probeTls against a well-configured server', () => {
  it('records the handshake, the chain exactly as sent, and trusts it through the anchor', async () => {
    const endpoint = await goodServer();
    const observation = await probeTls(requestFor(endpoint, { probeLegacy: true }));

    expect(observation).toMatchObject({ host: HOST, address: '127.0.0.1', port: endpoint.port, family: 4, purpose: 'federation' });
    expect(observation.connect.outcome).toBe('connected');
    expect(observation.handshake?.outcome).toBe('ok');
    expect(observation.handshake?.protocol).toBe('TLSv1.3');
    expect(observation.handshake?.cipher).toMatch(/^TLS_/);
    // getPeerCertificate(true) would append the anchor; the server sent two certificates.
    expect(fingerprints(observation)).toEqual([leaf.cert.fingerprintSha256, pki.intermediate.cert.fingerprintSha256]);
    expect(observation.chain[0]?.sanDnsNames).toEqual([HOST]);
    expect(observation.trust?.verdict).toBe('trusted');
    expect(observation.clientAuth.requested).toBe('not-requested');
    expect(observation.legacyProtocols).toEqual([
      { protocol: 'TLSv1', result: 'refused', detail: 'alert protocol_version' },
      { protocol: 'TLSv1.1', result: 'refused', detail: 'alert protocol_version' },
    ]);
    expect(JSON.parse(JSON.stringify(observation))).toEqual(observation);
  });

  it('keeps the order the server sent, even a wrong one', async () => {
    const endpoint = await serve({
      kind: 'tls',
      certPem: leaf.certPem + pki.root.certPem + pki.intermediate.certPem,
      keyPem: leaf.keyPem,
    });
    const observation = await probeTls(requestFor(endpoint));
    expect(fingerprints(observation)).toEqual([
      leaf.cert.fingerprintSha256,
      pki.root.cert.fingerprintSha256,
      pki.intermediate.cert.fingerprintSha256,
    ]);
    expect(observation.trust?.verdict).toBe('trusted');
  });

  it('sends SNI for a name and none for an IP literal', async () => {
    const servernames: (string | false | null | undefined)[] = [];
    const endpoint = await goodServer({ respond: (socket) => servernames.push(socket.servername) });
    await probeTls(requestFor(endpoint));
    await until(() => servernames.length === 1);
    await probeTls(requestFor(endpoint, { host: '127.0.0.1' }));
    await until(() => servernames.length === 2);
    expect(servernames).toEqual([HOST, false]);
  });

  it('probes IPv6 addresses', async (context) => {
    let endpoint: RunningEndpoint;
    try {
      endpoint = await serve({ kind: 'tls', certPem: pki.chainPem(leaf), keyPem: leaf.keyPem }, { address: '::1' });
    } catch {
      context.skip();
      return;
    }
    const observation = await probeTls(requestFor(endpoint));
    expect(observation.family).toBe(6);
    expect(observation.handshake?.outcome).toBe('ok');
  });
});

describe('probeTls trust verdicts', () => {
  it('self-signed', async () => {
    const self = pki.issueLeaf({ commonName: HOST, sans: [HOST] }, 'self');
    const observation = await probeTls(requestFor(await serve({ kind: 'tls', certPem: self.certPem, keyPem: self.keyPem })));
    expect(observation.handshake?.outcome).toBe('ok');
    expect(observation.trust?.verdict).toBe('self-signed');
  });

  it('missing intermediate (the server sends its leaf only)', async () => {
    const observation = await probeTls(requestFor(await serve({ kind: 'tls', certPem: leaf.certPem, keyPem: leaf.keyPem })));
    expect(observation.chain).toHaveLength(1);
    expect(observation.trust?.verdict).toBe('incomplete-chain');
  });

  it('untrusted root (no anchor for the lab root)', async () => {
    const observation = await probeTls(requestFor(await goodServer(), { trustAnchors: [otherPki.root.certPem] }));
    expect(observation.trust?.verdict).toBe('untrusted-root');
  });

  it('expired leaf', async () => {
    const expired = pki.issueLeaf({
      commonName: HOST,
      sans: [HOST],
      notBefore: new Date(Date.now() - 100 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    const endpoint = await serve({ kind: 'tls', certPem: pki.chainPem(expired), keyPem: expired.keyPem });
    const observation = await probeTls(requestFor(endpoint));
    expect(observation.handshake?.outcome).toBe('ok');
    expect(observation.trust?.verdict).toBe('expired');
    expect(observation.chain[0]?.notAfter).toBe(expired.cert.notAfter);
  });
});

describe.concurrent('probeTls and mutual TLS', () => {
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`sees a ${version} server demand a client certificate, and still gets its chain`, async () => {
      const endpoint = await goodServer({ maxVersion: version, requestClientCert: 'required', clientCa: [pki.root.certPem] });
      const observation = await probeTls(requestFor(endpoint));
      expect(observation.handshake?.outcome).toBe('client-certificate-required');
      expect(observation.handshake?.protocol).toBe(version);
      expect(observation.handshake?.alert).toBe(version === 'TLSv1.2' ? 'handshake_failure' : 'certificate_required');
      expect(observation.clientAuth.requested).toBe('required');
      expect(fingerprints(observation)).toEqual([leaf.cert.fingerprintSha256, pki.intermediate.cert.fingerprintSha256]);
      expect(observation.trust?.verdict).toBe('trusted');
    });

    it(`sees a ${version} server ask for an optional client certificate`, async () => {
      const endpoint = await goodServer({ maxVersion: version, requestClientCert: 'optional' });
      const observation = await probeTls(requestFor(endpoint));
      expect(observation.handshake?.outcome).toBe('ok');
      expect(observation.clientAuth.requested).toBe('requested');
    });

    it(`records a ${version} server accepting and rejecting a presented certificate`, async () => {
      const endpoint = await goodServer({ maxVersion: version, requestClientCert: 'required', clientCa: [pki.root.certPem] });
      const accepted = await probeTls(
        requestFor(endpoint, { clientCertificate: { certPem: pki.chainPem(clientLeaf), keyPem: clientLeaf.keyPem } }),
      );
      expect(accepted.clientAuth.presentedCertificate).toEqual({
        subject: 'CN=expressway.example.com, O=fedcheck lab',
        accepted: true,
      });

      const stranger = otherPki.issueLeaf({ commonName: 'stranger.example.org' });
      const rejected = await probeTls(
        requestFor(endpoint, { clientCertificate: { certPem: otherPki.chainPem(stranger), keyPem: stranger.keyPem } }),
      );
      expect(rejected.clientAuth.presentedCertificate?.accepted).toBe(false);
      expect(rejected.clientAuth.presentedCertificate?.subject).toBe('CN=stranger.example.org, O=fedcheck lab');
      expect(rejected.clientAuth.presentedCertificate?.error).toMatch(/rejected/);
      expect(JSON.stringify(rejected)).not.toContain('PRIVATE KEY');
    });
  }

  it('reports a client certificate it cannot load instead of failing', async () => {
    const endpoint = await goodServer({ requestClientCert: 'required', clientCa: [pki.root.certPem] });
    const observation = await probeTls(
      requestFor(endpoint, { clientCertificate: { certPem: clientLeaf.certPem, keyPem: 'not a key' } }),
    );
    expect(observation.clientAuth.presentedCertificate?.accepted).toBe(false);
    expect(observation.clientAuth.presentedCertificate?.error).toMatch(/could not be loaded/);
    expect(observation.handshake?.outcome).toBe('client-certificate-required');
  });
});

describe('the cipher-suite probe', () => {
  it('stops at the ServerHello: our ClientHello, then user_canceled and close_notify, then an orderly close', async () => {
    const endpoint = await goodServer();
    // A relay in front of the server records what each of our connections sent and how it ended.
    const connections: { sent: Buffer[]; ending?: string }[] = [];
    const relay = net.createServer((client) => {
      const seen: { sent: Buffer[]; ending?: string } = { sent: [] };
      connections.push(seen);
      const upstream = net.connect(endpoint.port, endpoint.address);
      client.on('data', (chunk: Buffer) => {
        seen.sent.push(chunk);
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      client.on('end', () => {
        seen.ending ??= 'end';
        upstream.end();
      });
      client.on('error', (error: NodeJS.ErrnoException) => {
        seen.ending ??= error.code ?? 'error';
        upstream.destroy();
      });
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.end());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = relay.address() as net.AddressInfo;
      const observation = await probeTls(requestFor({ address: '127.0.0.1', port }, { probeCiphers: true }));
      expect(observation.ciphers).toMatchObject({ handshakes: 1, microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' });
      await until(() => connections.length === 2 && connections.every((connection) => connection.ending !== undefined));
      // The main probe completes its handshake; the cipher probe sends its ClientHello and the two alerts only.
      const cancelled = connections.find(({ sent }) => Buffer.concat(sent).subarray(-14).equals(Buffer.from('150303000201' + '5a' + '150303000201' + '00', 'hex')));
      expect(cancelled).toBeDefined();
      const sent = Buffer.concat(cancelled!.sent);
      expect(sent[0]).toBe(22);
      expect(sent.length).toBe(5 + sent.readUInt16BE(3) + 14);
      expect(cancelled!.ending).toBe('end');
    } finally {
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});

describe('probeTls and protocol versions', () => {
  it('finds a TLS 1.0-only server: mismatch on the main probe, TLSv1 accepted', async () => {
    const endpoint = await goodServer({ minVersion: 'TLSv1', maxVersion: 'TLSv1' });
    const observation = await probeTls(requestFor(endpoint, { probeLegacy: true }));
    expect(observation.handshake?.outcome).toBe('protocol-mismatch');
    expect(observation.handshake?.alert).toBe('protocol_version');
    expect(observation.legacyProtocols[0]).toMatchObject({ protocol: 'TLSv1', result: 'accepted' });
    expect(observation.legacyProtocols[1]).toMatchObject({ protocol: 'TLSv1.1', result: 'refused' });
    // The certificate is still judged: the legacy handshake saw it as sent.
    expect(fingerprints(observation)).toEqual([leaf.cert.fingerprintSha256, pki.intermediate.cert.fingerprintSha256]);
    expect(observation.trust?.verdict).toBe('trusted');
  });

  it('finds each of TLS 1.0 and 1.1 on a server that speaks both, and on one that speaks only 1.1', async () => {
    for (const [minVersion, tls10] of [
      ['TLSv1', 'accepted'],
      ['TLSv1.1', 'refused'],
    ] as const) {
      const endpoint = await goodServer({ minVersion, maxVersion: 'TLSv1.2' });
      const observation = await probeTls(requestFor(endpoint, { probeLegacy: true }));
      expect(observation.handshake?.outcome).toBe('ok');
      expect(observation.legacyProtocols.map(({ protocol, result }) => [protocol, result])).toEqual([
        ['TLSv1', tls10],
        ['TLSv1.1', 'accepted'],
      ]);
    }
  });

  it('skips the legacy probes unless asked', async () => {
    const observation = await probeTls(requestFor(await goodServer()));
    expect(observation.legacyProtocols).toEqual([]);
  });
});

describe.concurrent('probeTls against misbehaving peers', () => {
  it('times out on a silent server, ended by its own timeout', async () => {
    const endpoint = await serve({ kind: 'silent' });
    const started = performance.now();
    const observation = await probeTls(requestFor(endpoint, { timeoutMs: STALL_TIMEOUT_MS, probeLegacy: true }));
    expect(observation.connect.outcome).toBe('connected');
    expect(observation.handshake?.outcome).toBe('timeout');
    expect(observation.handshake?.error).toMatch(/^no answer to the ClientHello within \d+ ms$/);
    expect(observation.legacyProtocols.map((probe) => probe.result)).toEqual(['error', 'error']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(STALL_TIMEOUT_MS - 50);
  });

  it('captures a plaintext banner', async () => {
    const endpoint = await serve({ kind: 'plaintext', banner: 'SIP/2.0 400 Bad Request\r\n\r\n' });
    const observation = await probeTls(requestFor(endpoint));
    expect(observation.handshake?.outcome).toBe('plaintext');
    expect(observation.handshake?.plaintextSample).toBe('SIP/2.0 400 Bad Request\\r\\n\\r\\n');
    expect(observation.chain).toEqual([]);
    expect(observation.trust).toBeUndefined();
  });

  it('tells a reset from an orderly close', async () => {
    const reset = await probeTls(requestFor(await serve({ kind: 'reset' })));
    expect(reset.handshake?.outcome).toBe('reset');
    const closed = await probeTls(requestFor(await serve({ kind: 'close' })));
    expect(closed.handshake?.outcome).toBe('closed');
  });

  it('times out on a peer trickling a record too slowly', async () => {
    const endpoint = await serve({ kind: 'trickle', intervalMs: 10 });
    // Bytes keep coming, so only a bound on the whole handshake (not on idle time) ends it.
    const observation = await probeTls(requestFor(endpoint, { timeoutMs: 1500 }));
    expect(observation.handshake?.outcome).toBe('timeout');
    expect(observation.handshake?.error).toMatch(/^handshake incomplete after \d+ ms \(\d+ bytes received\)$/);
  });

  it('survives random bytes', async () => {
    const observation = await probeTls(requestFor(await serve({ kind: 'garbage' }), { timeoutMs: STALL_TIMEOUT_MS, probeLegacy: true }));
    expect(observation.connect.outcome).toBe('connected');
    expect(observation.handshake?.outcome).not.toBe('ok');
    expect(observation.chain).toEqual([]);
  });

  it('reports a refused connection without a handshake', async () => {
    const port = await closedPort();
    const observation = await probeTls(requestFor({ address: '127.0.0.1', port }, { probeLegacy: true }));
    expect(observation.connect.outcome).toBe('refused');
    expect(observation.handshake).toBeUndefined();
    expect(observation.legacyProtocols.map((probe) => probe.result)).toEqual(['not-tested', 'not-tested']);
  });

  it('reports port 0 (an SRV record can give it) as a connection that failed, which the checks pin on srv-port', async () => {
    const observation = await probeTls(requestFor({ address: '127.0.0.1', port: 0 }));
    expect(observation.port).toBe(0);
    expect(['refused', 'error']).toContain(observation.connect.outcome);
    expect(observation.handshake).toBeUndefined();
  });

  it('resolves rather than rejects on an impossible port', async () => {
    const observation = await probeTls(requestFor({ address: '127.0.0.1', port: 70_000 }));
    expect(observation.connect.outcome).toBe('error');
  });
});

describe.concurrent('probeTls and the run deadline', () => {
  it('stops promptly when the signal aborts mid-handshake', async () => {
    // A silent server that pulls the deadline once both ClientHellos (main, and TLS 1.0 with 1.1)
    // have arrived, so the abort lands mid-handshake however slowly this machine connects.
    // The probe's own timeout (10 s) would end in 'timeout': 'aborted' shows the signal ended it.
    const controller = new AbortController();
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        if (sockets.filter((each) => each.bytesRead > 0).length === 2) controller.abort();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const observation = await probeTls(
        requestFor({ address: '127.0.0.1', port }, { timeoutMs: 10_000, signal: controller.signal, probeLegacy: true }),
      );
      expect(controller.signal.aborted).toBe(true);
      expect(observation.connect.outcome).toBe('connected');
      // The run ran out of time, not the peer: a stall ('timeout') is only the probe's own timeout.
      expect(observation.handshake?.outcome).toBe('aborted');
      expect(observation.handshake?.error).toBe('the run deadline was reached during the handshake');
      expect(observation.legacyProtocols.map((probe) => probe.result)).toEqual(['not-tested', 'not-tested']);
      const result = runResult([target('example.com', 'local', { dns: [], tls: [observation], findings: [] })]);
      expect(validateResult(JSON.parse(renderJson(result))), describeErrors(validateResult.errors)).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says the run deadline, not the server, ended the handshake presenting --cert', async () => {
    // The deadline is pulled once both ClientHellos (without and with the client certificate)
    // have arrived at a server that never answers.
    const controller = new AbortController();
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        if (sockets.filter((each) => each.bytesRead > 0).length === 2) controller.abort();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const client = { certPem: pki.chainPem(clientLeaf), keyPem: clientLeaf.keyPem };
      const observation = await probeTls(
        requestFor({ address: '127.0.0.1', port }, { timeoutMs: 10_000, signal: controller.signal, clientCertificate: client }),
      );
      expect(observation.handshake?.outcome).toBe('aborted');
      expect(observation.clientAuth.presentedCertificate).toEqual({
        subject: clientLeaf.cert.subject,
        accepted: false,
        error: 'aborted: the run deadline was reached during the handshake',
        cutShort: true,
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps "timeout" for the probe\'s own per-connection timeout', async () => {
    const endpoint = await serve({ kind: 'silent' });
    const observation = await probeTls(requestFor(endpoint, { timeoutMs: STALL_TIMEOUT_MS, signal: new AbortController().signal }));
    expect(observation.handshake?.outcome).toBe('timeout');
    expect(observation.handshake?.error).toMatch(/no answer to the ClientHello/);
  });

  it('adds one listener per probe to the shared run signal, not one per connection', async () => {
    const endpoint = await goodServer();
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const client = { certPem: pki.chainPem(clientLeaf), keyPem: clientLeaf.keyPem };
      const observations = await Promise.all(
        Array.from({ length: 5 }, () =>
          probeTls(requestFor(endpoint, { signal: controller.signal, probeLegacy: true, clientCertificate: client })),
        ),
      );
      // Node emits the warning on a later tick of the event loop: let that tick pass.
      await new Promise((resolve) => setImmediate(resolve));
      expect(observations.every((observation) => observation.handshake?.outcome === 'ok')).toBe(true);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('does not connect at all once the deadline has passed', async () => {
    const endpoint = await goodServer();
    const observation = await probeTls(requestFor(endpoint, { signal: AbortSignal.abort() }));
    expect(observation.connect.outcome).toBe('aborted');
    expect(observation.handshake).toBeUndefined();
  });
});
