// The cipher-suite elimination without sockets: what one TLS 1.2 handshake said about the suites it
// offered, and the order of handshakes a server's preferences lead to.
import { describe, expect, it } from 'vitest';
import { EVERY_TLS12_SUITE, cipherAnswer, probeCipherSuites } from '../../../src/gather/tls/ciphers.js';
import type { ConnectionFacts } from '../../../src/gather/tls/classify.js';
import { MICROSOFT_CIPHER_SUITES } from '../../../src/model/ciphers.js';
import { alertNumber, failed, flight, secure } from './facts.js';

const suite = (name: string) => MICROSOFT_CIPHER_SUITES.find((candidate) => candidate.name === name)!;

/** A TLS 1.2 connection whose ServerHello picked `code`. */
function picked(code: number, overrides: Partial<ConnectionFacts> = {}): ConnectionFacts {
  return secure({ protocol: 'TLSv1.2', cipher: 'whatever Node says', flight: flight({ protocol: 'TLSv1.2', cipherSuite: code }), ...overrides });
}

/**
 * A server that accepts `accepted` (OpenSSL names), preferring them in that order when it has
 * the choice, else the client's order; `answer` is the facts of a handshake offering `ciphers`.
 */
function server(accepted: string[], options: { serverOrder?: boolean; otherwise?: ConnectionFacts } = {}) {
  const offers: string[] = [];
  const handshake = async (ciphers: string): Promise<ConnectionFacts> => {
    offers.push(ciphers);
    const offered = ciphers.split(':').filter((name) => !name.startsWith('@'));
    const order = options.serverOrder ? accepted.filter((name) => offered.includes(name)) : offered.filter((name) => accepted.includes(name));
    const choice = MICROSOFT_CIPHER_SUITES.find((candidate) => candidate.openssl === order[0]);
    if (choice) return picked(choice.code);
    return options.otherwise ?? failed({ flight: flight({ complete: false, alerts: [alertNumber('handshake_failure')] }) });
  };
  return { handshake, offers };
}

describe('cipherAnswer', () => {
  it("reads the pick from the ServerHello, even when the handshake then failed (a client certificate demanded)", () => {
    expect(cipherAnswer(picked(0xc030))).toEqual({ kind: 'picked', suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' });
    const demanded = failed({ flight: flight({ protocol: 'TLSv1.2', cipherSuite: 0x009c, certificateRequested: true, alerts: [alertNumber('handshake_failure')] }) });
    expect(cipherAnswer(demanded)).toEqual({ kind: 'picked', suite: 'TLS_RSA_WITH_AES_128_GCM_SHA256' });
  });

  it("names a suite outside Microsoft's list by Node's name, or by its code point", () => {
    expect(cipherAnswer(picked(0x009f, { cipher: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384' }))).toEqual({ kind: 'picked', suite: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384' });
    expect(cipherAnswer(picked(0x009f, { ending: 'error' }))).toEqual({ kind: 'picked', suite: '0x009F' });
  });

  it('takes an alert, a reset or a close after the ClientHello as a refusal', () => {
    expect(cipherAnswer(failed({ flight: flight({ complete: false, alerts: [alertNumber('handshake_failure')] }) }))).toEqual({ kind: 'refused', detail: 'alert handshake_failure' });
    expect(cipherAnswer(failed({ errorAlert: 'insufficient_security' }))).toMatchObject({ kind: 'refused' });
    expect(cipherAnswer(failed({ rawReset: true }))).toEqual({ kind: 'refused', detail: 'the server reset the connection' });
    expect(cipherAnswer(failed({ rawEnded: true }))).toEqual({ kind: 'refused', detail: 'the server closed the connection' });
  });

  it('does not take our own failures, the timeout or the run deadline as the server refusing', () => {
    expect(cipherAnswer(failed({ connect: { outcome: 'refused', durationMs: 1, error: 'ECONNREFUSED' } })).kind).toBe('failed');
    expect(cipherAnswer(failed({ ending: 'timeout' })).kind).toBe('failed');
    expect(cipherAnswer(failed({ ending: 'aborted' }))).toEqual({ kind: 'failed', detail: 'the run deadline was reached' });
    expect(cipherAnswer(failed({ ending: 'local-error', outboundBytes: 0 })).kind).toBe('failed');
    expect(cipherAnswer(failed({ flight: flight({ notTls: true }) })).kind).toBe('failed');
  });

  it('says which version a server answered a TLS 1.2 offer with, when the probe stopped at its ServerHello', () => {
    const tls11 = failed({ ending: 'server-hello', flight: flight({ protocol: 'TLSv1.1', cipherSuite: 0xc013, complete: false }) });
    expect(cipherAnswer(tls11)).toEqual({ kind: 'failed', detail: 'the server answered a TLS 1.2 offer with TLSv1.1' });
  });
});

describe('probeCipherSuites', () => {
  it('one handshake when the server picks a Direct Routing suite from the full list', async () => {
    const peer = server(MICROSOFT_CIPHER_SUITES.map((entry) => entry.openssl));
    const result = await probeCipherSuites(peer.handshake);
    expect(result).toEqual({
      microsoftPick: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      accepted: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
      refused: [],
      handshakes: 1,
    });
    expect(peer.offers[0]).toBe(`${MICROSOFT_CIPHER_SUITES.map((entry) => entry.openssl).join(':')}:@SECLEVEL=0`);
  });

  it('eliminates the weak suites a server prefers until it picks a Direct Routing one', async () => {
    const peer = server(['AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES128-GCM-SHA256'], { serverOrder: true });
    const result = await probeCipherSuites(peer.handshake);
    expect(result).toMatchObject({
      microsoftPick: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
      accepted: ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      refused: [],
      handshakes: 3,
    });
    expect(peer.offers[1]?.split(':')).not.toContain('AES256-GCM-SHA384');
  });

  it('a CBC-only server: k accepted suites cost k + 1 handshakes, and the rest are refused', async () => {
    const result = await probeCipherSuites(server(['ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA']).handshake);
    expect(result.accepted).toEqual(['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA']);
    expect(result.refused).toEqual(
      MICROSOFT_CIPHER_SUITES.filter((entry) => !['ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA'].includes(entry.openssl)).map((entry) => entry.name),
    );
    expect(result.handshakes).toBe(3);
    expect(result.otherPick).toBeUndefined();
  });

  it('refusing them all: asks once more with every suite OpenSSL offers', async () => {
    const peer = server([], { otherwise: undefined });
    const ecdsa = picked(0xc02c, { cipher: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384' });
    const handshake = async (ciphers: string) => (ciphers === EVERY_TLS12_SUITE ? ecdsa : peer.handshake(ciphers));
    const result = await probeCipherSuites(handshake);
    expect(result).toEqual({
      accepted: [],
      refused: MICROSOFT_CIPHER_SUITES.map((entry) => entry.name),
      otherPick: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      handshakes: 2,
    });
  });

  it('stops at a failure, keeping what it learned, and says what failed', async () => {
    let calls = 0;
    const result = await probeCipherSuites(async () =>
      ++calls === 1 ? picked(suite('TLS_RSA_WITH_AES_128_GCM_SHA256').code) : failed({ connect: { outcome: 'refused', durationMs: 1 } }),
    );
    expect(result).toEqual({
      microsoftPick: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
      accepted: ['TLS_RSA_WITH_AES_128_GCM_SHA256'],
      refused: [],
      error: 'TCP connect refused',
      handshakes: 2,
    });
  });

  it('a server picking a suite it was not offered ends the probe', async () => {
    const result = await probeCipherSuites(async () => picked(suite('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA').code));
    // The second offer no longer holds it.
    expect(result.error).toContain('was not offered');
  });
});
