import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertName, hkdfExpandLabel, holdsServerHello, readServerFlight, startsLikeTlsRecord } from '../../../src/gather/tls/transcript.js';

function u16(value: number): Buffer {
  return Buffer.from([value >> 8, value & 0xff]);
}

function u24(value: number): Buffer {
  return Buffer.from([value >> 16, (value >> 8) & 0xff, value & 0xff]);
}

function record(type: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, 3, 3]), u16(payload.length), payload]);
}

function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), u24(body.length), body]);
}

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

function serverHello(options: { suite: number; supportedVersion?: number; random?: Buffer }): Buffer {
  const parts = [u16(0x0303), options.random ?? randomBytes(32), Buffer.from([0]), u16(options.suite), Buffer.from([0])];
  if (options.supportedVersion !== undefined) {
    const extension = Buffer.concat([u16(43), u16(2), u16(options.supportedVersion)]);
    parts.push(u16(extension.length), extension);
  }
  return handshake(2, Buffer.concat(parts));
}

function certificate12(certificates: Buffer[]): Buffer {
  const list = Buffer.concat(certificates.flatMap((der) => [u24(der.length), der]));
  return handshake(11, Buffer.concat([u24(list.length), list]));
}

function certificate13(certificates: Buffer[]): Buffer {
  const list = Buffer.concat(certificates.flatMap((der) => [u24(der.length), der, u16(0)]));
  return handshake(11, Buffer.concat([Buffer.from([0]), u24(list.length), list]));
}

const FAKE_CERTIFICATES = [Buffer.from('leaf certificate bytes'), Buffer.from('intermediate bytes')];

describe('readServerFlight, TLS 1.2 (in the clear)', () => {
  it('reads the version, the chain as sent, a CertificateRequest and a later alert', () => {
    const flight = readServerFlight(
      Buffer.concat([
        record(22, Buffer.concat([serverHello({ suite: 0xc02f }), certificate12(FAKE_CERTIFICATES)])),
        record(22, Buffer.concat([handshake(12, Buffer.from('key exchange')), handshake(13, Buffer.from([1, 1, 0, 0]))])),
        record(22, handshake(14, Buffer.alloc(0))),
        record(21, Buffer.from([2, 40])),
      ]),
      [],
    );
    expect(flight.notTls).toBe(false);
    expect(flight.protocol).toBe('TLSv1.2');
    expect(flight.cipherSuite).toBe(0xc02f);
    expect(flight.certificates).toEqual(FAKE_CERTIFICATES);
    expect(flight.certificateRequested).toBe(true);
    expect(flight.complete).toBe(true);
    expect(flight.alerts).toEqual([40]);
    expect(flight.problem).toBeUndefined();
  });

  it('reassembles a handshake message split across records', () => {
    const messages = Buffer.concat([serverHello({ suite: 0x002f }), certificate12(FAKE_CERTIFICATES), handshake(14, Buffer.alloc(0))]);
    const flight = readServerFlight(
      Buffer.concat([record(22, messages.subarray(0, 50)), record(22, messages.subarray(50))]),
      [],
    );
    expect(flight.certificates).toEqual(FAKE_CERTIFICATES);
    expect(flight.certificateRequested).toBe(false);
    expect(flight.complete).toBe(true);
  });

  it('reads an older ServerHello version', () => {
    const hello = Buffer.concat([u16(0x0301), randomBytes(32), Buffer.from([0]), u16(0xc013), Buffer.from([0])]);
    expect(readServerFlight(record(22, handshake(2, hello)), []).protocol).toBe('TLSv1');
  });

  it('stops at the server ChangeCipherSpec: what follows is encrypted', () => {
    const flight = readServerFlight(
      Buffer.concat([
        record(22, Buffer.concat([serverHello({ suite: 0xc02f }), handshake(14, Buffer.alloc(0))])),
        record(20, Buffer.from([1])),
        // Encrypted Finished that happens to look like a CertificateRequest in the clear.
        record(22, handshake(13, Buffer.from([1, 1, 0, 0]))),
      ]),
      [],
    );
    expect(flight.complete).toBe(true);
    expect(flight.certificateRequested).toBe(false);
    expect(flight.problem).toBeUndefined();
  });
});

describe('readServerFlight on hostile or partial input', () => {
  it('flags a first byte that cannot start a TLS record', () => {
    expect(readServerFlight(Buffer.from('SIP/2.0 400 Bad Request\r\n'), []).notTls).toBe(true);
    expect(readServerFlight(Buffer.alloc(0), []).notTls).toBe(false);
  });

  it.each([
    // Random bytes start with a TLS content type one time in 64: the record version gives them away.
    ['a content type, then no TLS version', [0x16, 0x9b, 0x2e, 0x41, 0x07, 0x88], true],
    ['an application-data type, then version 3.9', [0x17, 0x03, 0x09, 0x00, 0x10], true],
    ['a record longer than TLS allows', [0x15, 0x03, 0x03, 0xff, 0xff, 0x00], true],
    ['a handshake record header', [0x16, 0x03, 0x03, 0x00, 0x31], false],
    ['an alert under the TLS 1.0 record version', [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28], false],
    ['the first byte of a record, the rest still on its way', [0x16], false],
    ['two bytes that can start a record', [0x16, 0x03], false],
  ])('judges the record header, not just its first byte: %s', (_label, bytes, notTls) => {
    expect(startsLikeTlsRecord(Buffer.from(bytes))).toBe(!notTls);
    expect(readServerFlight(Buffer.from(bytes), []).notTls).toBe(notTls);
  });

  it('keeps what it read before a truncated record', () => {
    const whole = Buffer.concat([record(22, serverHello({ suite: 0xc02f })), record(22, certificate12(FAKE_CERTIFICATES))]);
    const flight = readServerFlight(whole.subarray(0, whole.length - 5), []);
    expect(flight.protocol).toBe('TLSv1.2');
    expect(flight.certificates).toBeUndefined();
    expect(flight.complete).toBe(false);
  });

  it('reports malformed records and lying lengths without throwing', () => {
    const badType = readServerFlight(Buffer.concat([record(22, serverHello({ suite: 0xc02f })), Buffer.from([0x63, 3, 3, 0, 1, 0])]), []);
    expect(badType.protocol).toBe('TLSv1.2');
    expect(badType.problem).toMatch(/malformed/);

    const lyingCertificate = handshake(11, Buffer.concat([u24(1000), u24(900), Buffer.from('short')]));
    const lying = readServerFlight(record(22, Buffer.concat([serverHello({ suite: 0xc02f }), lyingCertificate])), []);
    expect(lying.problem).toMatch(/truncated/);
    expect(lying.certificates).toBeUndefined();

    for (let attempt = 0; attempt < 50; attempt++) {
      const noise = Buffer.concat([Buffer.from([22, 3, 3]), randomBytes(300)]);
      expect(() => readServerFlight(noise, ['SERVER_HANDSHAKE_TRAFFIC_SECRET 00 zz'])).not.toThrow();
    }
  });
});

const SUITES = [
  { suite: 0x1301, algorithm: 'aes-128-gcm', hash: 'sha256', keyLength: 16 },
  { suite: 0x1302, algorithm: 'aes-256-gcm', hash: 'sha384', keyLength: 32 },
  { suite: 0x1303, algorithm: 'chacha20-poly1305', hash: 'sha256', keyLength: 32 },
] as const;

/** Encrypts handshake messages the way a TLS 1.3 server does (RFC 8446 §5.2). */
function encryptedRecords(
  suite: (typeof SUITES)[number],
  secret: Buffer,
  innerRecords: { type: number; content: Buffer }[],
): Buffer {
  const key = hkdfExpandLabel(suite.hash, secret, 'key', suite.keyLength);
  const iv = hkdfExpandLabel(suite.hash, secret, 'iv', 12);
  return Buffer.concat(
    innerRecords.map(({ type, content }, sequence) => {
      const plaintext = Buffer.concat([content, Buffer.from([type]), Buffer.alloc(sequence * 3)]);
      const header = Buffer.concat([Buffer.from([23, 3, 3]), u16(plaintext.length + 16)]);
      const nonce = Buffer.from(iv);
      nonce[11] = (nonce[11] ?? 0) ^ sequence;
      const cipher = createCipheriv(suite.algorithm as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      cipher.setAAD(header);
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([header, ciphertext, cipher.getAuthTag()]);
    }),
  );
}

function tls13Flight(suite: (typeof SUITES)[number], secret: Buffer, withCertificateRequest: boolean): Buffer {
  const encryptedExtensions = handshake(8, u16(0));
  const certificateRequest = handshake(13, Buffer.from([0, 0, 0]));
  const finished = handshake(20, randomBytes(32));
  const first = withCertificateRequest ? Buffer.concat([encryptedExtensions, certificateRequest]) : encryptedExtensions;
  const certificate = certificate13(FAKE_CERTIFICATES);
  return Buffer.concat([
    record(22, serverHello({ suite: suite.suite, supportedVersion: 0x0304 })),
    record(20, Buffer.from([1])),
    encryptedRecords(suite, secret, [
      { type: 22, content: first },
      { type: 22, content: certificate.subarray(0, 20) },
      { type: 22, content: Buffer.concat([certificate.subarray(20), handshake(15, randomBytes(20)), finished]) },
      { type: 22, content: handshake(4, randomBytes(10)) }, // NewSessionTicket under other keys: never read
    ]),
  ]);
}

describe('readServerFlight, TLS 1.3 (decrypted with the keylog secret)', () => {
  for (const suite of SUITES) {
    it(`reads the encrypted flight with ${suite.algorithm}`, () => {
      const secret = randomBytes(suite.hash === 'sha384' ? 48 : 32);
      const keylog = [`SERVER_HANDSHAKE_TRAFFIC_SECRET ${randomBytes(32).toString('hex')} ${secret.toString('hex')}\n`];

      const requesting = readServerFlight(tls13Flight(suite, secret, true), keylog);
      expect(requesting.problem).toBeUndefined();
      expect(requesting.protocol).toBe('TLSv1.3');
      expect(requesting.certificateRequested).toBe(true);
      expect(requesting.certificates).toEqual(FAKE_CERTIFICATES);
      expect(requesting.complete).toBe(true);

      const plain = readServerFlight(tls13Flight(suite, secret, false), keylog);
      expect(plain.certificateRequested).toBe(false);
      expect(plain.complete).toBe(true);
    });
  }

  it('skips a HelloRetryRequest', () => {
    const flight = readServerFlight(
      Buffer.concat([
        record(22, serverHello({ suite: 0x1302, supportedVersion: 0x0304, random: HRR_RANDOM })),
        record(22, serverHello({ suite: 0x1301, supportedVersion: 0x0304 })),
      ]),
      [],
    );
    expect(flight.protocol).toBe('TLSv1.3');
    expect(flight.cipherSuite).toBe(0x1301);
  });

  it('says so when the flight cannot be decrypted', () => {
    const suite = SUITES[0];
    const secret = randomBytes(32);
    const missing = readServerFlight(tls13Flight(suite, secret, true), []);
    expect(missing.problem).toMatch(/not decryptable/);
    expect(missing.complete).toBe(false);
    expect(missing.certificateRequested).toBe(false);

    const wrongSecret = [`SERVER_HANDSHAKE_TRAFFIC_SECRET aa ${randomBytes(32).toString('hex')}`];
    const wrong = readServerFlight(tls13Flight(suite, secret, true), wrongSecret);
    expect(wrong.problem).toBeTruthy();
    expect(wrong.complete).toBe(false);
  });
});

describe('holdsServerHello (where a cipher-suite probe stops)', () => {
  const hello = serverHello({ suite: 0xc02f });

  it('is true once the whole ServerHello is in, with or without what follows it', () => {
    expect(holdsServerHello(record(22, hello))).toBe(true);
    expect(holdsServerHello(record(22, Buffer.concat([hello, certificate12(FAKE_CERTIFICATES)])))).toBe(true);
  });

  it('waits for a ServerHello split over records, or cut short', () => {
    const whole = record(22, hello);
    for (const cut of [1, 5, 9, whole.length - 1]) expect(holdsServerHello(whole.subarray(0, cut))).toBe(false);
    const split = Buffer.concat([record(22, hello.subarray(0, 10)), record(22, hello.subarray(10))]);
    expect(holdsServerHello(split.subarray(0, split.length - 1))).toBe(false);
    expect(holdsServerHello(split)).toBe(true);
  });

  it('is false for an alert, a HelloRetryRequest, another handshake message, garbage and nothing', () => {
    expect(holdsServerHello(record(21, Buffer.from([2, 40])))).toBe(false);
    expect(holdsServerHello(record(22, serverHello({ suite: 0x1302, supportedVersion: 0x0304, random: HRR_RANDOM })))).toBe(false);
    expect(holdsServerHello(record(22, certificate12(FAKE_CERTIFICATES)))).toBe(false);
    expect(holdsServerHello(Buffer.from('SIP/2.0 400 Bad Request\r\n'))).toBe(false);
    expect(holdsServerHello(record(22, handshake(2, Buffer.from([3]))))).toBe(false);
    expect(holdsServerHello(Buffer.alloc(0))).toBe(false);
  });
});

describe('TLS helpers', () => {
  it('derives RFC 8448 handshake keys', () => {
    // RFC 8448 §3, {server} derive write traffic keys for handshake data.
    const secret = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex');
    expect(hkdfExpandLabel('sha256', secret, 'key', 16).toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(hkdfExpandLabel('sha256', secret, 'iv', 12).toString('hex')).toBe('5d313eb2671276ee13000b30');
  });

  it('names alerts', () => {
    expect(alertName(70)).toBe('protocol_version');
    expect(alertName(116)).toBe('certificate_required');
    expect(alertName(201)).toBe('alert_201');
  });
});
