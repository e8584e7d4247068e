// `--sip-options`: one SIP OPTIONS request (RFC 3261 §11) over its own TLS connection to one
// federation peer, proving that a SIP stack answers behind the TLS listener. Trust is the TLS
// checks' business, so any certificate is accepted here; what matters is whether SIP comes back.
//
// The whole exchange (connect, handshake, request, response) shares one timeout, every path
// ends in a plain observation, and at most MAX_RESPONSE_BYTES are read from the peer.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { VERSION } from '../../version.js';
import type { SipOptionsObservation } from '../../model/observations.js';
import { alertFromError } from '../tls/transcript.js';
import {
  completeStatusLine,
  headerValue,
  leadingLineBreaks,
  readMessageHead,
  responseStart,
  type SipResponse,
} from './message.js';
import { closePolitely } from '../tls/close.js';
import { describeError, socketErrorKind } from '../socket-errors.js';
import { printable } from '../wire-text.js';

export { parseSipResponse, type SipHeaders, type SipResponse } from './message.js';

export interface SipOptionsRequest {
  /** SNI and the SIP domain side: the SRV target name. */
  host: string;
  /** The SIP domain being checked (Request-URI sip:<domain>, To). */
  domain: string;
  address: string;
  port: number;
  /** The whole exchange: connect + handshake + request + response. */
  timeoutMs: number;
  /** The run deadline: aborting ends the exchange at once. */
  signal?: AbortSignal;
  /** Presented in the mutual-TLS handshake when given. */
  clientCertificate?: { certPem: string; keyPem: string };
}

export interface OptionsRequestParameters {
  domain: string;
  /** Our end of the connection, for Via and Contact. */
  localAddress: string;
  localPort: number;
  /** Host part of the From URI; default 'fedcheck.invalid' (RFC 6761: never resolves, leaks nothing). */
  fromHost?: string;
  /** Fresh random values unless given (tests pin them). */
  branch?: string;
  tag?: string;
  callId?: string;
}

/** The most fedcheck reads from a peer in one exchange. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** RFC 3261 §8.1.1.7: every branch created by an RFC 3261 client starts with this magic cookie. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

const DEFAULT_FROM_HOST = 'fedcheck.invalid';
/** How long a finished connection may take to close politely before it is destroyed. */
const SAMPLE_BYTES = 96;
/** Header values kept in the observation are bounded: they come from an untrusted peer. */
const MAX_HEADER_TEXT = 200;
/**
 * Node's default suites at security level 0: a server with a weak key or DH group must still
 * get its SIP answer tested (the certificate checks say what is weak about it).
 */
const CIPHERS = `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0`;

/** A well-formed OPTIONS request (RFC 3261 §8.1.1, §11.1, §20), CRLF line endings and the blank line. */
export function buildOptionsRequest(parameters: OptionsRequestParameters): string {
  const hostPort = `${uriHost(parameters.localAddress)}:${parameters.localPort}`;
  const branch = parameters.branch ?? `${BRANCH_MAGIC_COOKIE}${randomToken(12)}`;
  const tag = parameters.tag ?? randomToken(8);
  const callId = parameters.callId ?? `${randomToken(16)}@fedcheck`;
  const lines = [
    `OPTIONS sip:${parameters.domain} SIP/2.0`,
    `Via: SIP/2.0/TLS ${hostPort};rport;branch=${branch}`,
    'Max-Forwards: 70',
    `From: <sip:fedcheck@${parameters.fromHost ?? DEFAULT_FROM_HOST}>;tag=${tag}`,
    `To: <sip:${parameters.domain}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:fedcheck@${hostPort};transport=tls>`,
    'Accept: application/sdp',
    `User-Agent: fedcheck/${VERSION}`,
    'Content-Length: 0',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export async function probeSipOptions(request: SipOptionsRequest): Promise<SipOptionsObservation> {
  try {
    return await exchange(request);
  } catch (error) {
    // Defensive: nothing in exchange() should throw, but a probe must never reject.
    return { outcome: 'error', error: `internal error: ${describeError(error)}` };
  }
}

type Phase = 'connecting' | 'handshaking' | 'waiting';

function exchange(request: SipOptionsRequest): Promise<SipOptionsObservation> {
  return new Promise((resolve) => {
    if (request.signal?.aborted) {
      resolve({ outcome: 'error', error: 'not attempted: the run deadline was reached' });
      return;
    }
    const startedAt = performance.now();
    let phase: Phase = 'connecting';
    let raw: net.Socket | undefined;
    let secure: tls.TLSSocket | undefined;
    let finished = false;
    let requestWrittenAt: number | undefined;
    /** Unread bytes: the message being received (provisional responses before it are consumed). */
    let pending = Buffer.alloc(0);
    let receivedBytes = 0;
    let statusLineAt: number | undefined;
    let provisional: { response: SipResponse; at: number } | undefined;
    const elapsed = (): number => Math.round(performance.now() - startedAt);

    const finish = (observation: SipOptionsObservation, polite = false): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      request.signal?.removeEventListener('abort', onAbort);
      const destroyAll = (): void => {
        secure?.destroy();
        raw?.destroy();
      };
      if (polite && secure && !secure.destroyed) {
        closePolitely(secure, destroyAll);
      } else {
        destroyAll();
      }
      resolve(observation);
    };

    const rtt = (at: number): number => Math.max(0, Math.round(at - (requestWrittenAt ?? at)));

    type SeenResponse = Pick<SipResponse, 'statusLine' | 'statusCode'> & { headers?: SipResponse['headers'] };
    const responseObservation = (response: SeenResponse, at: number): SipOptionsObservation => {
      const observation: SipOptionsObservation = {
        outcome: 'response',
        statusLine: bounded(response.statusLine),
        statusCode: response.statusCode,
        rttMs: rtt(at),
      };
      const server = response.headers ? headerValue(response.headers, 'server') : undefined;
      const userAgent = response.headers ? headerValue(response.headers, 'user-agent') : undefined;
      if (server !== undefined) observation.server = bounded(server);
      if (userAgent !== undefined) observation.userAgent = bounded(userAgent);
      return observation;
    };

    /**
     * What was seen when the exchange ends before a final response: the status line of a
     * response still arriving, else the last provisional response, else nothing.
     */
    const partialResponse = (): SipOptionsObservation | undefined => {
      const status = completeStatusLine(pending);
      if (status && statusLineAt !== undefined) return responseObservation(status, statusLineAt);
      if (provisional) return responseObservation(provisional.response, provisional.at);
      return undefined;
    };

    const endWhileWaiting = (fallback: SipOptionsObservation): void => {
      const partial = partialResponse();
      if (partial) finish(partial, true);
      else finish(fallback);
    };

    const consume = (): void => {
      for (;;) {
        const start = responseStart(pending);
        if (start === 'not-sip') {
          const from = leadingLineBreaks(pending);
          const sample = printable(pending.subarray(from, from + SAMPLE_BYTES));
          // After a provisional response the peer has already shown it speaks SIP.
          endWhileWaiting({ outcome: 'not-sip', error: `the server answered with bytes that are not a SIP response: '${sample}'` });
          return;
        }
        if (start === 'incomplete') return;
        statusLineAt ??= performance.now();
        const reading = readMessageHead(pending);
        if (reading.kind === 'too-large') {
          endWhileWaiting({ outcome: 'not-sip', error: 'the server sent a SIP status line but no end of headers within 64 KiB' });
          return;
        }
        if (reading.kind === 'incomplete') return;
        const { head } = reading;
        const status = completeStatusLine(pending);
        if (!status) return;
        const response: SipResponse = { ...status, headers: head.headers };
        if (response.statusCode >= 200) {
          finish(responseObservation(response, statusLineAt), true);
          return;
        }
        // A provisional response: remember it and read on for the final one.
        provisional = { response, at: statusLineAt };
        const messageLength = head.headLength + head.bodyLength;
        if (pending.length < messageLength) return;
        pending = pending.subarray(messageLength);
        statusLineAt = undefined;
      }
    };

    const onData = (chunk: Buffer): void => {
      if (finished) return;
      const room = MAX_RESPONSE_BYTES - receivedBytes;
      const kept = chunk.subarray(0, Math.max(0, room));
      receivedBytes += kept.length;
      pending = pending.length === 0 ? Buffer.from(kept) : Buffer.concat([pending, kept]);
      consume();
      if (!finished && receivedBytes >= MAX_RESPONSE_BYTES) {
        endWhileWaiting({ outcome: 'not-sip', error: `the server sent ${MAX_RESPONSE_BYTES} bytes without a complete SIP response` });
      }
    };

    function onTimeout(): void {
      const limit = `${request.timeoutMs} ms`;
      switch (phase) {
        case 'connecting':
          finish({ outcome: 'error', error: `TCP connect timed out: no connection within ${limit}` });
          return;
        case 'handshaking':
          finish({ outcome: 'not-sent', error: `the TLS handshake did not complete within ${limit}` });
          return;
        case 'waiting': {
          const received = pending.length > 0 ? ` (${pending.length} bytes of an incomplete SIP response received)` : '';
          endWhileWaiting({ outcome: 'timeout', error: `no SIP response within the ${limit} allowed for the exchange${received}` });
        }
      }
    }

    function onAbort(): void {
      const when =
        phase === 'connecting' ? 'before TCP connected' : phase === 'handshaking' ? 'during the TLS handshake' : 'before a SIP response arrived';
      if (phase === 'waiting') endWhileWaiting({ outcome: 'error', error: `aborted: the run deadline was reached ${when}` });
      else finish({ outcome: 'error', error: `aborted: the run deadline was reached ${when}` });
    }

    const deadline = setTimeout(onTimeout, request.timeoutMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const onConnectError = (error: NodeJS.ErrnoException): void => {
      finish({ outcome: 'error', error: `TCP connect failed: ${describeConnectError(error)}` });
    };

    try {
      raw = net.connect({ host: request.address, port: request.port });
    } catch (error) {
      finish({ outcome: 'error', error: `TCP connect failed: ${describeError(error)}` });
      return;
    }
    raw.on('error', onConnectError);
    raw.once('connect', () => {
      if (finished || !raw) return;
      phase = 'handshaking';
      raw.off('error', onConnectError);
      // The TLS socket reports errors from here on; the raw socket's own must not go unhandled.
      raw.on('error', () => undefined);
      try {
        secure = tls.connect({
          socket: raw,
          ...(net.isIP(request.host) ? {} : { servername: request.host }),
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
          ciphers: CIPHERS,
          ...(request.clientCertificate ? { cert: request.clientCertificate.certPem, key: request.clientCertificate.keyPem } : {}),
        });
      } catch (error) {
        finish({ outcome: 'error', error: `TLS: the client certificate or key could not be loaded: ${describeError(error)}` });
        return;
      }
      const socket = secure;
      socket.on('data', onData);
      socket.on('error', (error: NodeJS.ErrnoException) => onSocketError(error));
      socket.on('end', onPeerClosed);
      socket.on('close', onPeerClosed);
      socket.once('secureConnect', () => {
        if (finished) return;
        phase = 'waiting';
        const text = buildOptionsRequest({
          domain: request.domain,
          localAddress: socket.localAddress ?? raw?.localAddress ?? '0.0.0.0',
          localPort: socket.localPort ?? raw?.localPort ?? 0,
        });
        requestWrittenAt = performance.now();
        socket.write(text);
      });
    });

    function onSocketError(error: NodeJS.ErrnoException): void {
      if (finished) return;
      const alert = alertFromError(error);
      if (phase === 'handshaking') {
        finish({ outcome: 'not-sent', error: `the TLS handshake failed: ${alert ? `alert ${alert}` : describeError(error)}` });
        return;
      }
      if (alert && receivedBytes === 0) {
        // TLS 1.3: our side finishes the handshake before the server has judged our (missing)
        // certificate; its refusal arrives as an alert after the request left, unread.
        finish({ outcome: 'not-sent', error: `the server ended the TLS session with alert ${alert} before reading the request` });
        return;
      }
      if (socketErrorKind(error) === 'reset') {
        endWhileWaiting({ outcome: 'closed', error: `the server reset the connection without a SIP response (${elapsed()} ms into the exchange)` });
        return;
      }
      endWhileWaiting({ outcome: 'error', error: `the connection failed while waiting for a SIP response: ${describeError(error)}` });
    }

    function onPeerClosed(): void {
      if (finished) return;
      if (phase === 'handshaking') {
        finish({ outcome: 'not-sent', error: 'the server closed the connection during the TLS handshake' });
        return;
      }
      const partial = pending.length > 0 ? ` after ${pending.length} bytes of an incomplete SIP response` : ' without a SIP response';
      endWhileWaiting({ outcome: 'closed', error: `the server closed the connection${partial} (${elapsed()} ms into the exchange)` });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** IPv6 literals are bracketed in SIP URIs and Via sent-by (RFC 3261 §25.1, RFC 5118). */
function uriHost(address: string): string {
  return net.isIPv6(address) ? `[${address}]` : address;
}

function bounded(text: string): string {
  return text.length > MAX_HEADER_TEXT ? `${text.slice(0, MAX_HEADER_TEXT)}…` : text;
}

function describeConnectError(error: NodeJS.ErrnoException): string {
  switch (socketErrorKind(error)) {
    case 'refused':
      return 'connection refused (ECONNREFUSED): nothing listens on that port';
    case 'timeout':
      return 'timed out (ETIMEDOUT)';
    case 'unreachable':
      return `the address is unreachable (${error.code})`;
    default:
      return describeError(error);
  }
}
