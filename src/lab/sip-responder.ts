// A small SIP responder for lab TLS endpoints (the `respond` hook of a 'tls' behaviour): it
// answers each request on the connection the way a SIP stack answers OPTIONS (RFC 3261 §8.2.6),
// or misbehaves the ways a wrong port forward does.
import { randomBytes } from 'node:crypto';
import type tls from 'node:tls';
import { headerValue, readMessageHead, type SipHeaders } from '../gather/index.js';

export type SipResponderBehaviour =
  /** A SIP response to every request. */
  | 'answer'
  /** Reads requests and never answers (a SIP ALG or a proxy holding the stream). */
  | 'silent'
  /** Answers with bytes that are not SIP (something else behind the port). */
  | 'garbage'
  /** Closes the connection once a request arrives, without a response. */
  | 'close';

export interface SipResponderOptions {
  /** Default 200. A provisional code (1xx) is sent alone: no final response follows. */
  status?: number;
  /** Default: the RFC 3261 reason phrase of `status`. */
  reason?: string;
  /** Default 'fedcheck-lab'. */
  server?: string;
  /** Default 'answer'. */
  behaviour?: SipResponderBehaviour;
  /** Send "100 Trying" before the final response, as a proxy that forwards does. */
  provisional?: boolean;
}

const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  302: 'Moved Temporarily',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  480: 'Temporarily Unavailable',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  603: 'Decline',
};

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, SUBSCRIBE, NOTIFY, INFO';

/** Not a SIP status line: a leading NUL byte rules that out, whatever random bytes follow. */
function garbage(): Buffer {
  return Buffer.concat([Buffer.from([0x00, 0xff, 0x13, 0x37]), randomBytes(60)]);
}

export function sipResponder(options: SipResponderOptions = {}): (socket: tls.TLSSocket) => void {
  const behaviour = options.behaviour ?? 'answer';
  const status = options.status ?? 200;
  const reason = options.reason ?? REASONS[status] ?? 'Unknown';
  const server = options.server ?? 'fedcheck-lab';

  return (socket) => {
    let pending = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (socket.destroyed) return;
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const reading = readMessageHead(pending);
        if (reading.kind === 'too-large') {
          socket.destroy();
          return;
        }
        if (reading.kind === 'incomplete') return;
        const { head } = reading;
        const length = head.headLength + head.bodyLength;
        if (pending.length < length) return;
        pending = pending.subarray(length);
        switch (behaviour) {
          case 'silent':
            break;
          case 'garbage':
            socket.write(garbage());
            break;
          case 'close':
            socket.end();
            return;
          case 'answer': {
            const address = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
            if (options.provisional && status >= 200) socket.write(response(100, REASONS[100] ?? 'Trying', head.headers, address, server));
            socket.write(response(status, reason, head.headers, address, server));
            break;
          }
        }
      }
    });
  };
}

function response(
  status: number,
  reason: string,
  headers: SipHeaders,
  source: { address: string; port: number },
  server: string,
): string {
  const vias = headers.via ?? [];
  const [topmost, ...rest] = vias;
  const lines = [`SIP/2.0 ${status} ${reason}`];
  if (topmost !== undefined) lines.push(`Via: ${stampTopmostVia(topmost, source)}`);
  for (const via of rest) lines.push(`Via: ${via}`);
  const from = headerValue(headers, 'from');
  const to = headerValue(headers, 'to');
  const callId = headerValue(headers, 'call-id');
  const cseq = headerValue(headers, 'cseq');
  if (from !== undefined) lines.push(`From: ${from}`);
  if (to !== undefined) lines.push(`To: ${/;\s*tag=/i.test(to) ? to : `${to};tag=${randomBytes(6).toString('hex')}`}`);
  if (callId !== undefined) lines.push(`Call-ID: ${callId}`);
  if (cseq !== undefined) lines.push(`CSeq: ${cseq}`);
  lines.push(`Server: ${server}`, `Allow: ${ALLOW}`, 'Content-Length: 0');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * RFC 3261 §18.2.1 and RFC 3581 §4: the topmost Via value gets the address the request came
 * from (received) and, when the client asked with a bare rport, the port.
 */
function stampTopmostVia(header: string, source: { address: string; port: number }): string {
  const comma = header.indexOf(',');
  const first = comma < 0 ? header : header.slice(0, comma);
  const others = comma < 0 ? '' : header.slice(comma);
  const withPort = first.replace(/;\s*rport(?=\s*(;|$))/i, `;rport=${source.port}`);
  const stamped = /;\s*received=/i.test(withPort) ? withPort : `${withPort};received=${source.address}`;
  return `${stamped}${others}`;
}
