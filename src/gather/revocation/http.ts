// Fetches CRLs and OCSP responses over plain HTTP, the way an edge does: http: URLs only (CRLs
// and OCSP are signed, and TLS to the CA would need revocation checking of its own), redirects
// followed only to http: URLs and only a few times, every download bounded in size, every
// request bounded by its own timeout and by the run deadline. One fetcher per run shares each
// exchange by URL and request body: six peers with one certificate, or a hundred partner
// domains hosted by one provider, cost one download.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RevocationFetch, RevocationFetchOutcome } from '../../model/revocation.js';
import { VERSION } from '../../version.js';
import { describeError, socketErrorKind } from '../socket-errors.js';

export interface HttpFetchRequest {
  url: string;
  method: 'GET' | 'POST';
  /** POST body (an OCSP request). */
  body?: Uint8Array;
  contentType?: string;
  accept: string;
  /** Downloads stop here and end 'too-large'. */
  maxBytes: number;
}

export interface HttpFetchResult {
  fetch: RevocationFetch;
  /** The body of a 200 answer within the size limit. */
  body?: Buffer;
}

/** Addresses of a host name, or why there are none. Never rejects. */
export type HostResolver = (host: string, signal: AbortSignal) => Promise<{ addresses: string[]; error?: string }>;

export interface HttpFetcherSettings {
  /** Bounds one request from name lookup to the last body byte, redirects included. */
  timeoutMs: number;
  /** The run deadline. */
  signal: AbortSignal;
  resolveHost: HostResolver;
  /** Exchanges in flight at once in this run. */
  concurrency?: number;
}

export const MAX_REDIRECTS = 3;
const DEFAULT_CONCURRENCY = 16;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The run's HTTP fetches for revocation: shared by URL and request, bounded in number in flight. */
export class HttpFetcher {
  private readonly exchanges = new Map<string, Promise<HttpFetchResult>>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;

  constructor(private readonly settings: HttpFetcherSettings) {}

  fetch(request: HttpFetchRequest): Promise<HttpFetchResult> {
    const key = `${request.method} ${request.url} ${request.body ? Buffer.from(request.body).toString('base64') : ''}`;
    let exchange = this.exchanges.get(key);
    if (!exchange) {
      exchange = this.whenSlotFree(() => fetchOverHttp(request, this.settings));
      this.exchanges.set(key, exchange);
    }
    return exchange;
  }

  private async whenSlotFree<T>(work: () => Promise<T>): Promise<T> {
    const limit = this.settings.concurrency ?? DEFAULT_CONCURRENCY;
    if (this.active >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

class FetchFailure extends Error {
  constructor(
    readonly outcome: RevocationFetchOutcome,
    message: string,
  ) {
    super(message);
  }
}

/** One request, following redirects; resolves with what happened, never rejects. */
export async function fetchOverHttp(request: HttpFetchRequest, settings: HttpFetcherSettings): Promise<HttpFetchResult> {
  const started = performance.now();
  const fetch: RevocationFetch = { url: request.url, method: request.method, outcome: 'error', durationMs: 0 };
  const local = new AbortController();
  const timer = setTimeout(
    () => local.abort(new FetchFailure('timeout', `no complete answer within ${settings.timeoutMs} ms`)),
    settings.timeoutMs,
  );
  const relay = (): void => local.abort(new FetchFailure('aborted', 'the run deadline was reached'));
  if (settings.signal.aborted) relay();
  else settings.signal.addEventListener('abort', relay, { once: true });
  let body: Buffer | undefined;
  try {
    let url = parseHttpUrl(request.url);
    for (let hop = 0; ; hop++) {
      const response = await exchangeOnce(url, request, settings, local.signal, fetch);
      const location = response.location;
      if (location === undefined) {
        body = response.body;
        break;
      }
      if (hop >= MAX_REDIRECTS) throw new FetchFailure('redirect-refused', `more than ${MAX_REDIRECTS} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new FetchFailure('redirect-refused', `a redirect to an invalid URL: ${JSON.stringify(location.slice(0, 200))}`);
      }
      (fetch.redirects ??= []).push(next.href);
      if (next.protocol !== 'http:') {
        throw new FetchFailure('redirect-refused', `a redirect to ${next.protocol} (${next.href}); only http: is followed`);
      }
      url = next;
    }
    fetch.outcome = fetch.httpStatus === 200 ? 'ok' : 'http-status';
    if (fetch.outcome === 'http-status') fetch.error = `HTTP ${fetch.httpStatus ?? '?'}`;
  } catch (error) {
    const failure = local.signal.aborted && local.signal.reason instanceof FetchFailure ? local.signal.reason : error;
    if (failure instanceof FetchFailure) {
      fetch.outcome = failure.outcome;
      fetch.error = failure.message;
    } else {
      fetch.outcome = socketOutcome(failure);
      fetch.error = describeError(failure);
    }
    body = undefined;
  } finally {
    clearTimeout(timer);
    settings.signal.removeEventListener('abort', relay);
  }
  fetch.durationMs = Math.round(performance.now() - started);
  return body ? { fetch, body } : { fetch };
}

function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchFailure('unsupported-scheme', 'not a valid URL');
  }
  if (url.protocol !== 'http:') throw new FetchFailure('unsupported-scheme', `${url.protocol} URLs are not fetched; only http: is`);
  return url;
}

interface ExchangeResult {
  location?: string;
  body?: Buffer;
}

/** One HTTP exchange with the first address of the URL's host that accepts a connection. */
async function exchangeOnce(
  url: URL,
  request: HttpFetchRequest,
  settings: HttpFetcherSettings,
  signal: AbortSignal,
  fetch: RevocationFetch,
): Promise<ExchangeResult> {
  // new URL() keeps IPv6 literals in brackets.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (net.isIP(host)) {
    addresses = [host];
  } else {
    const resolved = await settings.resolveHost(host, signal);
    signal.throwIfAborted();
    if (resolved.addresses.length === 0) throw new FetchFailure('dns-failure', `${host}: ${resolved.error ?? 'no address'}`);
    addresses = resolved.addresses;
  }
  // node:http is loaded by the first fetch: most runs of a few domains fetch little, none with --no-revocation.
  const http = await import('node:http');
  signal.throwIfAborted();
  let lastError: unknown;
  for (const address of addresses) {
    fetch.address = address;
    try {
      return await exchangeWith(http, address, url, request, signal, fetch);
    } catch (error) {
      lastError = error;
      // Only a failed connection moves on to the next address; anything later is the server's answer.
      if (!(error instanceof ConnectFailure)) throw error;
    }
  }
  throw lastError instanceof ConnectFailure ? lastError.cause : lastError;
}

class ConnectFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(describeError(cause));
  }
}

function exchangeWith(
  http: typeof import('node:http'),
  address: string,
  url: URL,
  request: HttpFetchRequest,
  signal: AbortSignal,
  fetch: RevocationFetch,
): Promise<ExchangeResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      Host: url.host,
      'User-Agent': `fedcheck/${VERSION}`,
      Accept: request.accept,
      Connection: 'close',
    };
    if (request.body) {
      headers['Content-Type'] = request.contentType ?? 'application/octet-stream';
      headers['Content-Length'] = String(request.body.length);
    }
    let connected = false;
    const outgoing = http.request({
      host: address,
      port: url.port ? Number(url.port) : 80,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      setHost: false,
      agent: false,
      signal,
    });
    outgoing.once('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
      });
    });
    const fail = (error: unknown): void => {
      const reason = signal.aborted ? signal.reason : error;
      reject(connected || signal.aborted ? reason : new ConnectFailure(reason));
    };
    outgoing.on('error', fail);
    outgoing.on('response', (response) => {
      fetch.httpStatus = response.statusCode;
      const contentType = response.headers['content-type'];
      if (contentType) fetch.contentType = contentType;
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        response.resume();
        resolve({ location });
        return;
      }
      if (status !== 200) {
        response.resume();
        resolve({});
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > request.maxBytes) {
        fetch.bytes = declared;
        response.destroy();
        reject(new FetchFailure('too-large', `the body is ${declared} bytes; the limit is ${request.maxBytes}`));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > request.maxBytes) {
          fetch.bytes = received;
          response.destroy();
          reject(new FetchFailure('too-large', `the body is over ${request.maxBytes} bytes (the limit)`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('close', () => {
        if (!response.complete) fail(new Error('the server closed the connection in the middle of the body'));
      });
      response.on('end', () => {
        fetch.bytes = received;
        resolve({ body: Buffer.concat(chunks) });
      });
    });
    outgoing.end(request.body ? Buffer.from(request.body) : undefined);
  });
}

function socketOutcome(error: unknown): RevocationFetchOutcome {
  const kind = socketErrorKind(error);
  return kind === 'other' ? 'error' : kind;
}
