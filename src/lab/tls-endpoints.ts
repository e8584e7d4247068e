// Loopback TLS servers and misbehaving peers for the lab and the tests. Every endpoint tracks
// its connections so close() ends them all, including the ones that never finish a handshake.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export type EndpointBehaviour =
  | {
      kind: 'tls';
      /** Leaf first, then the chain to send, exactly in that order. */
      certPem: string;
      keyPem: string;
      minVersion?: TlsVersion;
      maxVersion?: TlsVersion;
      /** 'optional' asks for a client certificate and accepts the handshake without one. */
      requestClientCert?: 'none' | 'optional' | 'required';
      /** Trust anchors for client certificates. */
      clientCa?: string[];
      /**
       * Certificates chosen by SNI, as a hosting provider's shared edge does; a name not listed
       * (or no SNI) gets certPem/keyPem.
       */
      certificatesByServerName?: Record<string, { certPem: string; keyPem: string }>;
      /**
       * OpenSSL cipher string. Default 'DEFAULT@SECLEVEL=0': the lab must be able to serve the
       * weak certificates (SHA-1, MD5, 1024-bit) and old protocols that the checks exist to catch.
       */
      ciphers?: string;
      /** Application-data handler once the handshake is done (e.g. a SIP responder). */
      respond?: (socket: tls.TLSSocket) => void;
    }
  | { kind: 'silent' }
  | { kind: 'plaintext'; banner: string }
  | { kind: 'reset' }
  | { kind: 'reset-on-accept' }
  | { kind: 'trickle'; intervalMs: number }
  | { kind: 'garbage' }
  | { kind: 'close' };

export interface RunningEndpoint {
  address: string;
  port: number;
  /** For a 'tls' endpoint: present this certificate from the next handshake on (a renewal). */
  replaceCertificate?(certificate: { certPem: string; keyPem: string }): void;
  close(): Promise<void>;
}

export interface EndpointOptions {
  /** Default 127.0.0.1; any 127.0.0.x works on Linux, and ::1 where IPv6 is up. */
  address?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /**
   * Called with every accepted TCP socket, after the endpoint's own handlers: tests act on what
   * a peer sent (a ClientHello arrived) instead of sleeping. Under 'tls' the socket belongs to
   * the TLS layer: count it, do not read it.
   */
  onConnection?: (socket: net.Socket) => void;
}

export async function startEndpoint(
  behaviour: EndpointBehaviour,
  options: EndpointOptions = {},
): Promise<RunningEndpoint> {
  const connections = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const track = (socket: net.Socket): void => {
    connections.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => connections.delete(socket));
  };

  const server = behaviour.kind === 'tls' ? createTlsServer(behaviour) : net.createServer();
  server.on('connection', track);
  server.on('error', () => undefined);
  if (behaviour.kind !== 'tls') server.on('connection', (socket) => misbehave(behaviour, socket, timers));
  if (options.onConnection) server.on('connection', options.onConnection);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.address ?? '127.0.0.1', port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    address: bound.address,
    port: bound.port,
    ...(behaviour.kind === 'tls'
      ? {
          replaceCertificate: ({ certPem, keyPem }: { certPem: string; keyPem: string }) =>
            (server as tls.Server).setSecureContext(secureContextOptions({ ...behaviour, certPem, keyPem })),
        }
      : {}),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
      });
      return closing;
    },
  };
}

function serverNameCallback(behaviour: Extract<EndpointBehaviour, { kind: 'tls' }>): tls.TlsOptions['SNICallback'] {
  // One context per certificate, however many names it carries.
  const contexts = new Map<string, tls.SecureContext>();
  return (serverName, done) => {
    const certificate = behaviour.certificatesByServerName?.[serverName.toLowerCase()];
    if (!certificate) return done(null, undefined);
    let context = contexts.get(certificate.certPem);
    if (!context) {
      context = tls.createSecureContext(secureContextOptions({ ...behaviour, ...certificate }));
      contexts.set(certificate.certPem, context);
    }
    done(null, context);
  };
}

/** What the server's own certificate, protocols and ciphers are set from, at start and on a renewal. */
function secureContextOptions(behaviour: Extract<EndpointBehaviour, { kind: 'tls' }>): tls.SecureContextOptions {
  return {
    cert: behaviour.certPem,
    key: behaviour.keyPem,
    minVersion: behaviour.minVersion ?? 'TLSv1.2',
    maxVersion: behaviour.maxVersion ?? 'TLSv1.3',
    ciphers: behaviour.ciphers ?? 'DEFAULT@SECLEVEL=0',
    ...(behaviour.clientCa ? { ca: behaviour.clientCa } : {}),
  };
}

function createTlsServer(behaviour: Extract<EndpointBehaviour, { kind: 'tls' }>): tls.Server {
  const request = behaviour.requestClientCert ?? 'none';
  const server = tls.createServer({
    ...secureContextOptions(behaviour),
    requestCert: request !== 'none',
    rejectUnauthorized: request === 'required',
    ...(behaviour.certificatesByServerName ? { SNICallback: serverNameCallback(behaviour) } : {}),
  });
  server.on('tlsClientError', () => undefined);
  server.on('secureConnection', (socket) => {
    socket.on('error', () => undefined);
    if (behaviour.respond) behaviour.respond(socket);
    else socket.resume();
  });
  return server;
}

function misbehave(
  behaviour: Exclude<EndpointBehaviour, { kind: 'tls' }>,
  socket: net.Socket,
  timers: Set<NodeJS.Timeout>,
): void {
  switch (behaviour.kind) {
    case 'silent':
      socket.resume();
      return;
    case 'plaintext':
      socket.write(behaviour.banner);
      socket.resume();
      return;
    case 'reset':
      // After the ClientHello arrives, like a middlebox that kills TLS on sight.
      socket.once('data', () => socket.resetAndDestroy());
      return;
    case 'reset-on-accept':
      // The kernel completed the TCP handshake before accept(); the RST follows at once, before
      // or after the ClientHello arrives (a race the client must not care about): a firewall or
      // load balancer that accepts for a pool with no healthy backend.
      socket.resetAndDestroy();
      return;
    case 'trickle': {
      // A TLS handshake record header announcing a long record, then its body one byte at a
      // time: a client that only bounds idle time would wait forever.
      const header = Buffer.from([0x16, 0x03, 0x03, 0x3f, 0xff]);
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        socket.write(Buffer.from([sent < header.length ? (header[sent] ?? 0) : 0x02]));
        sent++;
      }, behaviour.intervalMs);
      timers.add(timer);
      socket.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      socket.resume();
      return;
    }
    case 'garbage':
      socket.write(randomBytes(256));
      socket.on('data', () => {
        if (!socket.destroyed) socket.write(randomBytes(256));
      });
      return;
    case 'close':
      // A half-close that keeps reading, so the client sees an orderly EOF rather than an RST
      // provoked by its ClientHello arriving at a closed socket.
      socket.end();
      socket.resume();
      socket.on('end', () => socket.destroy());
      return;
  }
}

/** A loopback port with nothing listening on it (bound, read, then released). */
export async function closedPort(address = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port: 0 }, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
