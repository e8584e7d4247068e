// Reading SIP message heads (RFC 3261 §7) from bytes a peer sent: the start line, then header
// fields up to the blank line. Shared by the OPTIONS probe (responses) and the lab responder
// (requests). Everything here is pure and defensive: the bytes come from an untrusted peer.

/** Header fields by lower-case long name (compact forms expanded), values in the order received. */
export type SipHeaders = Record<string, string[]>;

export interface SipMessageHead {
  startLine: string;
  headers: SipHeaders;
  /** Bytes from the start of the buffer through the blank line, including skipped keep-alive CRLFs. */
  headLength: number;
  /** The Content-Length header; 0 when absent or unreadable (stream transports require it). */
  bodyLength: number;
}

export type HeadReading =
  | { kind: 'incomplete' }
  | { kind: 'complete'; head: SipMessageHead }
  /** No blank line within the bound: not a SIP message head a sane peer sends. */
  | { kind: 'too-large' };

export interface SipResponse {
  statusLine: string;
  statusCode: number;
  reason: string;
  headers: SipHeaders;
}

/** Whether bytes begin like a SIP response, once enough of them have arrived to tell. */
export type ResponseStart = 'incomplete' | 'sip' | 'not-sip';

/** The most a message head may take; nothing legitimate comes close. */
export const MAX_HEAD_BYTES = 64 * 1024;

/** RFC 3261 §7.3.3 and the IANA SIP parameters registry: compact header names. */
const COMPACT_NAMES: Record<string, string> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/i;
const SIP_RESPONSE_PREFIX = 'SIP/2.0 ';
const CR = 0x0d;
const LF = 0x0a;

/** The lower-case long form of a header name: "V" and "via" are both "via". */
export function canonicalHeaderName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT_NAMES[lower] ?? lower;
}

/** The first value of a header, by any of its names. */
export function headerValue(headers: SipHeaders, name: string): string | undefined {
  return headers[canonicalHeaderName(name)]?.[0];
}

/**
 * RFC 3261 §7.5: CRLFs before a start line are ignored (they are also RFC 5626 keep-alive
 * pongs). Returns how many bytes to skip.
 */
export function leadingLineBreaks(bytes: Buffer): number {
  let index = 0;
  while (index < bytes.length && (bytes[index] === CR || bytes[index] === LF)) index++;
  return index;
}

/**
 * Tells a SIP response from anything else as early as possible: the first bytes must spell
 * "SIP/2.0 " (case-insensitive, as RFC 3261 §7.1 allows) and the first line must be a status line.
 */
export function responseStart(bytes: Buffer): ResponseStart {
  const start = leadingLineBreaks(bytes);
  const available = bytes.subarray(start, start + SIP_RESPONSE_PREFIX.length).toString('latin1');
  if (available.toUpperCase() !== SIP_RESPONSE_PREFIX.slice(0, available.length)) return 'not-sip';
  if (available.length < SIP_RESPONSE_PREFIX.length) return 'incomplete';
  const lineEnd = bytes.indexOf(LF, start);
  if (lineEnd < 0) return bytes.length - start > MAX_HEAD_BYTES ? 'not-sip' : 'incomplete';
  return parseStatusLine(lineText(bytes, start, lineEnd)) ? 'sip' : 'not-sip';
}

/** The status line at the start of bytes, once that line is complete and well-formed. */
export function completeStatusLine(bytes: Buffer): Pick<SipResponse, 'statusLine' | 'statusCode' | 'reason'> | undefined {
  const start = leadingLineBreaks(bytes);
  const lineEnd = bytes.indexOf(LF, start);
  if (lineEnd < 0) return undefined;
  return parseStatusLine(lineText(bytes, start, lineEnd));
}

/** Reads one message head (any start line) from the start of bytes. */
export function readMessageHead(bytes: Buffer, limit: number = MAX_HEAD_BYTES): HeadReading {
  const start = leadingLineBreaks(bytes);
  const end = blankLine(bytes, start);
  if (end === undefined) return bytes.length - start > limit ? { kind: 'too-large' } : { kind: 'incomplete' };
  if (end.headEnd - start > limit) return { kind: 'too-large' };
  const lines = unfold(bytes.subarray(start, end.headEnd).toString('utf8').split('\n').map((line) => line.replace(/\r$/, '')));
  const startLine = lines.shift() ?? '';
  const headers: SipHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = canonicalHeaderName(line.slice(0, colon));
    if (!name) continue;
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  return {
    kind: 'complete',
    head: { startLine, headers, headLength: end.afterBlank, bodyLength: contentLength(headers) },
  };
}

/** The first SIP response in bytes, when its head is complete; undefined when it is not (yet) one. */
export function parseSipResponse(bytes: Buffer): SipResponse | undefined {
  const reading = readMessageHead(bytes);
  if (reading.kind !== 'complete') return undefined;
  const status = parseStatusLine(reading.head.startLine);
  return status ? { ...status, headers: reading.head.headers } : undefined;
}

function parseStatusLine(line: string): Pick<SipResponse, 'statusLine' | 'statusCode' | 'reason'> | undefined {
  const match = STATUS_LINE.exec(line);
  if (!match?.[1]) return undefined;
  return { statusLine: line, statusCode: Number(match[1]), reason: (match[2] ?? '').trim() };
}

function lineText(bytes: Buffer, start: number, lineFeed: number): string {
  const end = lineFeed > start && bytes[lineFeed - 1] === CR ? lineFeed - 1 : lineFeed;
  return bytes.subarray(start, end).toString('utf8');
}

/**
 * Where the head ends: the first empty line. CRLF is the standard; a bare LF is accepted too,
 * since a diagnostic tool should read what a sloppy peer sends rather than call it silence.
 */
function blankLine(bytes: Buffer, from: number): { headEnd: number; afterBlank: number } | undefined {
  let lineStart = from;
  for (let index = bytes.indexOf(LF, from); index >= 0; index = bytes.indexOf(LF, lineStart)) {
    const next = index + 1;
    if (bytes[next] === LF) return { headEnd: index, afterBlank: next + 1 };
    if (bytes[next] === CR && bytes[next + 1] === LF) return { headEnd: index, afterBlank: next + 2 };
    if (next >= bytes.length || (bytes[next] === CR && next + 1 >= bytes.length)) return undefined;
    lineStart = next;
  }
  return undefined;
}

/** RFC 3261 §7.3.1: a line starting with whitespace continues the previous header field. */
function unfold(lines: string[]): string[] {
  const unfolded: string[] = [];
  for (const line of lines) {
    const previous = unfolded.length - 1;
    if (previous > 0 && /^[ \t]/.test(line)) unfolded[previous] = `${unfolded[previous]} ${line.trim()}`;
    else unfolded.push(line);
  }
  return unfolded;
}

function contentLength(headers: SipHeaders): number {
  const value = headerValue(headers, 'content-length');
  if (value === undefined || !/^\d{1,9}$/.test(value)) return 0;
  return Number(value);
}
