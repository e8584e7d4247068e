// Reads the server's first flight from the raw bytes the probe received. Node's TLS API cannot
// say whether the server sent a CertificateRequest, and getPeerCertificate(true) may re-order the
// chain, so the wire is the only faithful source for "the chain exactly as sent" and for "a
// client certificate was asked for" (even when optional).
//
// TLS 1.2 (and older) send the server's flight in the clear. TLS 1.3 encrypts everything after
// ServerHello; the probe gets the server's handshake traffic secret from Node's 'keylog' event and
// decrypts those records here (RFC 8446 §7). Only the three suites OpenSSL offers by default are
// needed: the server can only pick one that our client offered.
//
// Everything here is pure and defensive: the bytes come from an untrusted peer.
import { createDecipheriv, createHmac } from 'node:crypto';

export const RECORD_CHANGE_CIPHER_SPEC = 20;
export const RECORD_ALERT = 21;
export const RECORD_HANDSHAKE = 22;
export const RECORD_APPLICATION_DATA = 23;

const HANDSHAKE_SERVER_HELLO = 2;
const HANDSHAKE_ENCRYPTED_EXTENSIONS = 8;
const HANDSHAKE_CERTIFICATE = 11;
const HANDSHAKE_CERTIFICATE_REQUEST = 13;
const HANDSHAKE_SERVER_HELLO_DONE = 14;
const HANDSHAKE_FINISHED = 20;

const EXTENSION_SUPPORTED_VERSIONS = 43;

/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HELLO_RETRY_REQUEST_RANDOM = Buffer.from(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
  'hex',
);

/** The largest TLSCiphertext fragment a record may carry (RFC 8446 §5.2). */
const MAX_RECORD_LENGTH = 16384 + 256;

export const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

export function alertName(description: number): string {
  return ALERT_NAMES[description] ?? `alert_${description}`;
}

/** OpenSSL's error text ends with "SSL alert number N" when the peer sent an alert. */
export function alertFromError(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const number = /SSL alert number (\d+)/.exec(message);
  if (number?.[1]) return alertName(Number(number[1]));
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const named = code ? /_ALERT_([A-Z_]+)$/.exec(code) : null;
  return named?.[1]?.toLowerCase();
}

export type WireProtocol = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

const PROTOCOL_VERSIONS: Record<number, WireProtocol> = {
  0x0300: 'SSLv3',
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3',
};

export interface ServerFlight {
  /**
   * True when the first bytes the server sent cannot be a TLS record header (an HTTP or SIP
   * banner, random bytes): see startsLikeTlsRecord.
   */
  notTls: boolean;
  /** The protocol the ServerHello selected. */
  protocol?: WireProtocol;
  cipherSuite?: number;
  /** DER certificates of the server's Certificate message, in the order sent. */
  certificates?: Buffer[];
  certificateRequested: boolean;
  /** The end of the server's first flight was seen (ServerHelloDone, or Finished in TLS 1.3). */
  complete: boolean;
  /** Alert descriptions the server sent in the clear (or inside the TLS 1.3 handshake). */
  alerts: number[];
  /** Why part of the flight could not be read (truncated, undecryptable, malformed). */
  problem?: string;
}

interface Tls13Keys {
  algorithm: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  key: Buffer;
  iv: Buffer;
}

const TLS13_SUITES: Record<number, { algorithm: Tls13Keys['algorithm']; hash: 'sha256' | 'sha384'; keyLength: number }> = {
  0x1301: { algorithm: 'aes-128-gcm', hash: 'sha256', keyLength: 16 },
  0x1302: { algorithm: 'aes-256-gcm', hash: 'sha384', keyLength: 32 },
  0x1303: { algorithm: 'chacha20-poly1305', hash: 'sha256', keyLength: 32 },
};

/**
 * @param inbound every byte the server sent, in order (possibly truncated by the capture limit)
 * @param keylog the lines of Node's 'keylog' events for this connection
 */
/**
 * Whether later bytes from the server can no longer change a reading: a TLS 1.3 flight read up
 * to the server's Finished is final (what follows is under application traffic keys, never read).
 */
export function flightIsFinal(flight: ServerFlight): boolean {
  return flight.complete && flight.protocol === 'TLSv1.3';
}

export function readServerFlight(inbound: Buffer, keylog: readonly string[]): ServerFlight {
  const flight: ServerFlight = { notTls: false, certificateRequested: false, complete: false, alerts: [] };
  if (inbound.length === 0) return flight;
  if (!startsLikeTlsRecord(inbound)) {
    flight.notTls = true;
    return flight;
  }

  const clearHandshake = new MessageStream();
  const encryptedHandshake = new MessageStream();
  let tls13Keys: Tls13Keys | undefined;
  let tls13Sequence = 0n;
  let serverChangedCipherSpec = false;
  let offset = 0;

  try {
    // TLS 1.2 alerts that answer our second flight come after ServerHelloDone, so clear records
    // are read to the end; in TLS 1.3 the records after the server's Finished use application
    // traffic keys, which nothing here needs.
    while (!flightIsFinal(flight) && offset + 5 <= inbound.length) {
      const type = inbound[offset] ?? 0;
      const length = inbound.readUInt16BE(offset + 3);
      if (type < RECORD_CHANGE_CIPHER_SPEC || type > RECORD_APPLICATION_DATA || length > MAX_RECORD_LENGTH) {
        flight.problem = `malformed TLS record at byte ${offset}`;
        break;
      }
      if (offset + 5 + length > inbound.length) break;
      const header = inbound.subarray(offset, offset + 5);
      const fragment = inbound.subarray(offset + 5, offset + 5 + length);
      offset += 5 + length;

      const encrypted =
        type === RECORD_APPLICATION_DATA || (serverChangedCipherSpec && flight.protocol !== 'TLSv1.3');
      if (type === RECORD_CHANGE_CIPHER_SPEC) {
        // In TLS 1.3 this record is a middlebox-compatibility dummy; before that it switches keys.
        serverChangedCipherSpec = true;
        continue;
      }
      if (!encrypted) {
        if (type === RECORD_ALERT && fragment.length >= 2) flight.alerts.push(fragment[1] ?? 0);
        if (type === RECORD_HANDSHAKE) {
          for (const message of clearHandshake.add(fragment)) readClearMessage(message, flight);
        }
        continue;
      }
      if (flight.protocol !== 'TLSv1.3') break; // TLS 1.2: the rest is encrypted, nothing more to learn
      tls13Keys ??= tls13HandshakeKeys(flight.cipherSuite, keylog);
      if (!tls13Keys) {
        flight.problem = 'TLS 1.3 handshake not decryptable (no handshake secret or unknown cipher suite)';
        break;
      }
      const inner = decryptRecord(tls13Keys, tls13Sequence++, header, fragment);
      if (inner.type === RECORD_ALERT && inner.content.length >= 2) flight.alerts.push(inner.content[1] ?? 0);
      if (inner.type === RECORD_HANDSHAKE) {
        for (const message of encryptedHandshake.add(inner.content)) readTls13Message(message, flight);
      }
    }
  } catch (error) {
    flight.problem = error instanceof Error ? error.message : String(error);
  }
  return flight;
}

/**
 * Whether `inbound` already holds the server's whole ServerHello (a HelloRetryRequest does not
 * count) in the clear records it begins with.
 */
export function holdsServerHello(inbound: Buffer): boolean {
  const messages = new MessageStream();
  let offset = 0;
  while (offset + 5 <= inbound.length && inbound[offset] === RECORD_HANDSHAKE) {
    const length = inbound.readUInt16BE(offset + 3);
    if (length > MAX_RECORD_LENGTH || offset + 5 + length > inbound.length) return false;
    for (const message of messages.add(inbound.subarray(offset + 5, offset + 5 + length))) {
      if (message.type !== HANDSHAKE_SERVER_HELLO) return false;
      const flight: ServerFlight = { notTls: false, certificateRequested: false, complete: false, alerts: [] };
      try {
        readServerHello(message.body, flight);
      } catch {
        return false;
      }
      if (flight.cipherSuite !== undefined) return true;
    }
    offset += 5 + length;
  }
  return false;
}

/**
 * Whether the bytes (as many as arrived) can begin a TLS record header: a content type 20–23, a
 * record version 3.0–3.4 (SSL 3.0 to TLS 1.3; TLS 1.3 still writes 3.3 or 3.1 there) and a length
 * a record may have. The content type alone is not enough: one random byte in 64 is 20–23, and
 * such a peer would then read as a TLS peer whose record OpenSSL rejects
 * (ERR_SSL_WRONG_VERSION_NUMBER), one run in 64, instead of as the non-TLS listener it is.
 */
export function startsLikeTlsRecord(bytes: Buffer): boolean {
  const type = bytes[0];
  if (type !== undefined && (type < RECORD_CHANGE_CIPHER_SPEC || type > RECORD_APPLICATION_DATA)) return false;
  const major = bytes[1];
  if (major !== undefined && major !== 3) return false;
  const minor = bytes[2];
  if (minor !== undefined && minor > 4) return false;
  return bytes.length < 5 || bytes.readUInt16BE(3) <= MAX_RECORD_LENGTH;
}

interface HandshakeMessage {
  type: number;
  body: Buffer;
}

/** Reassembles handshake messages that may span or share records. */
class MessageStream {
  private pending = Buffer.alloc(0);

  add(fragment: Buffer): HandshakeMessage[] {
    this.pending = Buffer.concat([this.pending, fragment]);
    const messages: HandshakeMessage[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUIntBE(1, 3);
      if (this.pending.length < 4 + length) break;
      messages.push({ type: this.pending[0] ?? 0, body: this.pending.subarray(4, 4 + length) });
      this.pending = this.pending.subarray(4 + length);
    }
    return messages;
  }
}

function readClearMessage(message: HandshakeMessage, flight: ServerFlight): void {
  switch (message.type) {
    case HANDSHAKE_SERVER_HELLO:
      readServerHello(message.body, flight);
      break;
    case HANDSHAKE_CERTIFICATE:
      flight.certificates = readCertificateList(new Reader(message.body), false);
      break;
    case HANDSHAKE_CERTIFICATE_REQUEST:
      flight.certificateRequested = true;
      break;
    case HANDSHAKE_SERVER_HELLO_DONE:
      flight.complete = true;
      break;
    default:
      break;
  }
}

function readTls13Message(message: HandshakeMessage, flight: ServerFlight): void {
  switch (message.type) {
    case HANDSHAKE_ENCRYPTED_EXTENSIONS:
      break;
    case HANDSHAKE_CERTIFICATE_REQUEST:
      flight.certificateRequested = true;
      break;
    case HANDSHAKE_CERTIFICATE: {
      const reader = new Reader(message.body);
      reader.vector(1); // certificate_request_context
      flight.certificates = readCertificateList(reader, true);
      break;
    }
    case HANDSHAKE_FINISHED:
      flight.complete = true;
      break;
    default:
      break;
  }
}

function readServerHello(body: Buffer, flight: ServerFlight): void {
  const reader = new Reader(body);
  const legacyVersion = reader.uint(2);
  const random = reader.bytes(32);
  reader.vector(1); // legacy_session_id_echo
  const cipherSuite = reader.uint(2);
  reader.uint(1); // compression method
  let version = legacyVersion;
  if (reader.remaining() >= 2) {
    const extensions = new Reader(reader.vector(2));
    while (extensions.remaining() >= 4) {
      const type = extensions.uint(2);
      const data = extensions.vector(2);
      if (type === EXTENSION_SUPPORTED_VERSIONS && data.length === 2) version = data.readUInt16BE(0);
    }
  }
  // A HelloRetryRequest only asks for another ClientHello; the real ServerHello follows.
  if (random.equals(HELLO_RETRY_REQUEST_RANDOM)) return;
  flight.protocol = PROTOCOL_VERSIONS[version];
  flight.cipherSuite = cipherSuite;
}

function readCertificateList(reader: Reader, withExtensions: boolean): Buffer[] {
  const list = new Reader(reader.vector(3));
  const certificates: Buffer[] = [];
  while (list.remaining() > 0) {
    certificates.push(Buffer.from(list.vector(3)));
    if (withExtensions) list.vector(2);
  }
  return certificates;
}

function tls13HandshakeKeys(cipherSuite: number | undefined, keylog: readonly string[]): Tls13Keys | undefined {
  const suite = cipherSuite === undefined ? undefined : TLS13_SUITES[cipherSuite];
  if (!suite) return undefined;
  const line = keylog.find((entry) => entry.startsWith('SERVER_HANDSHAKE_TRAFFIC_SECRET '));
  const secretHex = line?.trim().split(/\s+/)[2];
  if (!secretHex || !/^[0-9a-fA-F]+$/.test(secretHex)) return undefined;
  const secret = Buffer.from(secretHex, 'hex');
  return {
    algorithm: suite.algorithm,
    key: hkdfExpandLabel(suite.hash, secret, 'key', suite.keyLength),
    iv: hkdfExpandLabel(suite.hash, secret, 'iv', 12),
  };
}

/** RFC 8446 §7.1 HKDF-Expand-Label with an empty context. */
export function hkdfExpandLabel(hash: 'sha256' | 'sha384', secret: Buffer, label: string, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, fullLabel.length]), fullLabel, Buffer.from([0])]);
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let counter = 1; Buffer.concat(blocks).length < length; counter++) {
    previous = createHmac(hash, secret).update(previous).update(info).update(Buffer.from([counter])).digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

interface InnerPlaintext {
  type: number;
  content: Buffer;
}

function decryptRecord(keys: Tls13Keys, sequence: bigint, header: Buffer, fragment: Buffer): InnerPlaintext {
  if (fragment.length < 17) throw new Error('TLS 1.3 record too short to be encrypted');
  const nonce = Buffer.from(keys.iv);
  for (let index = 0; index < 8; index++) {
    const position = nonce.length - 1 - index;
    nonce[position] = (nonce[position] ?? 0) ^ Number((sequence >> BigInt(8 * index)) & 0xffn);
  }
  const decipher = createDecipheriv(keys.algorithm as 'aes-128-gcm', keys.key, nonce, { authTagLength: 16 });
  decipher.setAAD(header);
  decipher.setAuthTag(fragment.subarray(fragment.length - 16));
  const plaintext = Buffer.concat([decipher.update(fragment.subarray(0, fragment.length - 16)), decipher.final()]);
  let end = plaintext.length;
  while (end > 0 && plaintext[end - 1] === 0) end--;
  if (end === 0) throw new Error('TLS 1.3 record without a content type');
  return { type: plaintext[end - 1] ?? 0, content: plaintext.subarray(0, end - 1) };
}

/** Bounds-checked reads over a handshake message body; throws on truncation. */
class Reader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  remaining(): number {
    return this.buffer.length - this.offset;
  }

  uint(size: 1 | 2 | 3): number {
    this.require(size);
    const value = this.buffer.readUIntBE(this.offset, size);
    this.offset += size;
    return value;
  }

  bytes(size: number): Buffer {
    this.require(size);
    const value = this.buffer.subarray(this.offset, this.offset + size);
    this.offset += size;
    return value;
  }

  vector(lengthSize: 1 | 2 | 3): Buffer {
    return this.bytes(this.uint(lengthSize));
  }

  private require(size: number): void {
    if (this.offset + size > this.buffer.length) throw new Error('truncated handshake message');
  }
}
