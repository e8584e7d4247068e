// The lab's CRL publisher and OCSP responder on one loopback HTTP server: GET of a published
// path returns that CRL, POST of an OCSP request to a responder path returns the answer. Paths
// are published after start, because certificates name the server's URL and the CRLs list
// certificates: the server comes first, then the PKI, then what it publishes. startLabRevocation
// is that sequence for a lab: a current and a stale CRL of the intermediate, the root's CRL, and
// an OCSP responder, all answering for the certificates the lab revokes.
import http from 'node:http';
import type net from 'node:net';
import { formatEndpoint } from '../model/ip.js';
import { DAY_MS } from '../model/time.js';
import type { IssuedCertificate, Pki, PkiRevocationUrls } from './pki.js';
import { answerOcspRequest, issueCrl, type CrlReasonName, type OcspResponderSpec, type RevokedSerial } from './revocation.js';

export interface RevocationServer {
  address: string;
  port: number;
  /** The http: URL of a path on this server. */
  url(path: string): string;
  /** A CRL at `path`: fixed bytes, or made at each request (a lab that revokes after it starts). */
  publishCrl(path: string, crl: Buffer | (() => Buffer)): void;
  answerOcsp(path: string, responder: OcspResponderSpec): void;
  close(): Promise<void>;
}

/** OCSP requests are a few hundred bytes; anything much larger is not one. */
const MAX_REQUEST_BYTES = 16 * 1024;

export async function startRevocationServer(options: { address?: string; port?: number } = {}): Promise<RevocationServer> {
  const crls = new Map<string, Buffer | (() => Buffer)>();
  const responders = new Map<string, OcspResponderSpec>();
  const sockets = new Set<net.Socket>();

  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const published = crls.get(path);
    if (request.method === 'GET' && published) {
      const crl = typeof published === 'function' ? published() : published;
      response.writeHead(200, { 'Content-Type': 'application/pkix-crl', 'Content-Length': crl.length });
      response.end(crl);
      return;
    }
    const responder = responders.get(path);
    if (request.method === 'POST' && responder) {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REQUEST_BYTES) request.destroy();
        else chunks.push(chunk);
      });
      request.on('end', () => {
        const answer = answerOcspRequest(Buffer.concat(chunks), responder);
        response.writeHead(200, { 'Content-Type': 'application/ocsp-response', 'Content-Length': answer.length });
        response.end(answer);
      });
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('not found\n');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  const host = options.address ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    address: host,
    port,
    url: (path) => `http://${formatEndpoint(host, port)}${path.startsWith('/') ? path : `/${path}`}`,
    publishCrl: (path, crl) => void crls.set(path, crl),
    answerOcsp: (path, responder) => void responders.set(path, responder),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Where the lab publishes, for certificates to name. */
export interface LabRevocationUrls extends Required<PkiRevocationUrls> {
  /** An intermediate's CRL that expired three days ago (nextUpdate in the past). */
  staleCrlUrl: string;
}

/** The lab's CRLs and OCSP responder for one PKI: what its certificates name, answering truthfully. */
export interface LabRevocation {
  urls: LabRevocationUrls;
  /** Starts answering for the PKI's CAs (before this, every path is 404). */
  serve(pki: Pki): void;
  /** From now on, the intermediate's CRL lists the certificate and OCSP says revoked. */
  revoke(certificate: IssuedCertificate, reason: CrlReasonName): void;
  close(): Promise<void>;
}

const PATHS = { leafCrl: '/intermediate.crl', staleCrl: '/stale/intermediate.crl', intermediateCrl: '/root.crl', ocsp: '/ocsp' } as const;

export async function startLabRevocation(): Promise<LabRevocation> {
  const server = await startRevocationServer();
  const revoked = new Map<string, RevokedSerial>();
  let clock = new Date();
  return {
    urls: {
      leafCrlUrl: server.url(PATHS.leafCrl),
      staleCrlUrl: server.url(PATHS.staleCrl),
      intermediateCrlUrl: server.url(PATHS.intermediateCrl),
      ocspUrl: server.url(PATHS.ocsp),
    },
    serve(pki) {
      clock = pki.now;
      const at = (days: number) => new Date(pki.now.getTime() + days * DAY_MS);
      // Certificates are revoked after the server starts: the CRL is made again when the list changed.
      let current: { listed: number; crl: Buffer } | undefined;
      server.publishCrl(PATHS.leafCrl, () => {
        if (current?.listed !== revoked.size) {
          current = { listed: revoked.size, crl: issueCrl(pki.intermediate, { thisUpdate: at(-1), nextUpdate: at(6), revoked: [...revoked.values()] }) };
        }
        return current.crl;
      });
      server.publishCrl(PATHS.staleCrl, issueCrl(pki.intermediate, { thisUpdate: at(-10), nextUpdate: at(-3) }));
      server.publishCrl(PATHS.intermediateCrl, issueCrl(pki.root, { thisUpdate: at(-1), nextUpdate: at(29) }));
      server.answerOcsp(PATHS.ocsp, {
        issuer: pki.intermediate,
        answer: (serial) => {
          const entry = revoked.get(serial);
          return entry ? { status: 'revoked', revokedAt: entry.revokedAt, ...(entry.reason ? { reason: entry.reason } : {}) } : { status: 'good' };
        },
        thisUpdate: at(-1 / 24),
        nextUpdate: at(1),
      });
    },
    revoke(certificate, reason) {
      const serialNumber = certificate.cert.serialNumber;
      revoked.set(serialNumber, { serialNumber, revokedAt: new Date(clock.getTime() - DAY_MS), reason });
    },
    close: () => server.close(),
  };
}
