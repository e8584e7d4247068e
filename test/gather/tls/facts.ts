// Hand-made ConnectionFacts, what one probe connection records, for the socket-free tests of
// what those facts mean (classify.ts, ciphers.ts).
import type { ConnectionFacts } from '../../../src/gather/tls/classify.js';
import { ALERT_NAMES, type ServerFlight } from '../../../src/gather/tls/transcript.js';

export function alertNumber(name: string): number {
  const entry = Object.entries(ALERT_NAMES).find(([, alert]) => alert === name);
  if (!entry) throw new Error(`no alert named ${name}`);
  return Number(entry[0]);
}

export function flight(overrides: Partial<ServerFlight> = {}): ServerFlight {
  return { notTls: false, certificateRequested: false, complete: true, alerts: [], ...overrides };
}

/** A connection whose handshake completed (TLS 1.3, no client certificate asked for). */
export function secure(overrides: Partial<ConnectionFacts> = {}): ConnectionFacts {
  return {
    connect: { outcome: 'connected', durationMs: 1 },
    ending: 'secure',
    handshakeMs: 12,
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    peerChain: [],
    flight: flight({ protocol: 'TLSv1.3' }),
    inboundSample: Buffer.alloc(0),
    inboundBytes: 2000,
    outboundBytes: 300,
    rawEnded: false,
    rawReset: false,
    ...overrides,
  };
}

/** A connection whose handshake ended in an error before completing. */
export function failed(overrides: Partial<ConnectionFacts> = {}): ConnectionFacts {
  const { protocol: _protocol, cipher: _cipher, ...base } = secure();
  return { ...base, ending: 'error', flight: flight({ complete: false }), error: { message: 'handshake failed' }, ...overrides };
}
