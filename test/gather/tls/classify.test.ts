// What a TLS probe's connections saw, turned into observations without a socket: every handshake
// outcome, every legacy verdict, the presented certificate, and the probe's assembly of them.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_CERTIFICATE_ALERTS,
  RESET_DURING_HANDSHAKE,
  RUN_DEADLINE_REACHED,
  classifyHandshake,
  classifyLegacy,
  classifyPresented,
  clientAuthRequested,
  observeProbe,
  reclassifyRecordedProbe,
  type ConnectionFacts,
  type ProbedEndpoint,
} from '../../../src/gather/tls/classify.js';
import type { LegacyProtocolProbe, TlsProbeObservation } from '../../../src/model/observations.js';
import { createPki, type IssuedCertificate, type Pki } from '../../../src/lab/pki.js';
import { alertNumber, failed, flight, secure } from './facts.js';
import { probeLegacyProtocols } from '../../../src/gather/tls/probe.js';

const ENDPOINT: ProbedEndpoint = { host: 'sip.example.com', address: '192.0.2.10', port: 5061, purpose: 'federation' };
const NOW = new Date();
const BOTH_LEGACY = ['TLSv1', 'TLSv1.1'] as const;

/** TLS 1.2: the server asked for a certificate, finished its flight, then objected with `alert`. */
function rejectedAfterRequest(alert: string, via: 'wire' | 'node-error' = 'wire'): ConnectionFacts {
  return failed({
    flight: flight({ protocol: 'TLSv1.2', certificateRequested: true, complete: true, alerts: via === 'wire' ? [alertNumber(alert)] : [] }),
    ...(via === 'node-error' ? { errorAlert: alert } : {}),
    error: { message: `ssl/tls alert ${alert.replace(/_/g, ' ')}` },
  });
}

const LEGACY_ACCEPTED: LegacyProtocolProbe[] = [
  { protocol: 'TLSv1', result: 'accepted', detail: 'handshake completed (ECDHE-RSA-AES128-SHA)' },
  { protocol: 'TLSv1.1', result: 'refused', detail: 'alert protocol_version' },
];

describe('classifyHandshake', () => {
  it('ok: a completed handshake, with protocol and cipher', () => {
    expect(classifyHandshake(secure(), [])).toEqual({
      outcome: 'ok',
      durationMs: 12,
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
    });
  });

  it('ok: a server that asked for an optional certificate and stayed quiet afterwards', () => {
    const facts = secure({ flight: flight({ certificateRequested: true }), afterHandshake: { event: 'quiet' } });
    expect(classifyHandshake(facts, []).outcome).toBe('ok');
    expect(clientAuthRequested(facts, 'ok')).toBe('requested');
  });

  it('ok: a server that did not ask and hung up after the handshake did not demand a certificate', () => {
    const facts = secure({ afterHandshake: { event: 'closed' } });
    expect(classifyHandshake(facts, []).outcome).toBe('ok');
    expect(clientAuthRequested(facts, 'ok')).toBe('not-requested');
  });

  describe('client-certificate-required', () => {
    it('TLS 1.3: a certificate_required alert right after the handshake', () => {
      const facts = secure({
        flight: flight({ protocol: 'TLSv1.3', certificateRequested: true }),
        afterHandshake: { event: 'alert', alert: 'certificate_required', error: 'tlsv13 alert certificate required' },
      });
      expect(classifyHandshake(facts, [])).toMatchObject({
        outcome: 'client-certificate-required',
        alert: 'certificate_required',
        error: 'alert certificate_required right after the handshake',
        protocol: 'TLSv1.3',
      });
    });

    it('TLS 1.3: the certificate_required alert counts even when the flight could not be read', () => {
      const facts = secure({ flight: flight({ complete: false }), afterHandshake: { event: 'alert', alert: 'certificate_required' } });
      expect(classifyHandshake(facts, []).outcome).toBe('client-certificate-required');
    });

    it.each([
      ['closed', 'the server closed the connection right after the handshake'],
      ['reset', 'the server reset the connection right after the handshake'],
    ] as const)('TLS 1.3: a server that asked, then %s the connection', (event, error) => {
      const facts = secure({ flight: flight({ certificateRequested: true }), afterHandshake: { event } });
      expect(classifyHandshake(facts, [])).toMatchObject({ outcome: 'client-certificate-required', error });
    });

    // Every alert the checks once counted as a demand (when the server had asked) is recorded
    // as the demand here, whether read off the wire or from Node's error.
    it.each(['certificate_required', 'handshake_failure', 'bad_certificate', 'certificate_unknown', 'unknown_ca', 'access_denied'])(
      'TLS 1.2: %s after the server asked and finished its flight',
      (alert) => {
        for (const via of ['wire', 'node-error'] as const) {
          const facts = rejectedAfterRequest(alert, via);
          const handshake = classifyHandshake(facts, []);
          expect(handshake).toMatchObject({ outcome: 'client-certificate-required', alert, protocol: 'TLSv1.2' });
          expect(clientAuthRequested(facts, handshake.outcome)).toBe('required');
        }
      },
    );

    it('TLS 1.2: every alert a server objects to a client certificate with', () => {
      for (const alert of CLIENT_CERTIFICATE_ALERTS) {
        expect(classifyHandshake(rejectedAfterRequest(alert), []).outcome, alert).toBe('client-certificate-required');
      }
    });

    it('certificate_required means the demand even without a CertificateRequest seen', () => {
      const facts = failed({ flight: flight({ complete: false, alerts: [alertNumber('certificate_required')] }) });
      expect(classifyHandshake(facts, []).outcome).toBe('client-certificate-required');
    });

    it.each([
      ['rawEnded', 'the server closed the connection after asking for a client certificate'],
      ['rawReset', 'the server reset the connection after asking for a client certificate'],
    ] as const)('TLS 1.2: a server that asked and then hung up (%s)', (how, error) => {
      const facts = failed({ flight: flight({ protocol: 'TLSv1.2', certificateRequested: true, complete: true }), [how]: true });
      expect(classifyHandshake(facts, [])).toMatchObject({ outcome: 'client-certificate-required', error });
    });
  });

  it('plaintext: a banner instead of a ServerHello, sampled printably', () => {
    const facts = failed({ flight: flight({ notTls: true }), inboundSample: Buffer.from('SIP/2.0 400 Bad Request\r\n') });
    expect(classifyHandshake(facts, [])).toEqual({
      outcome: 'plaintext',
      durationMs: 12,
      plaintextSample: 'SIP/2.0 400 Bad Request\\r\\n',
      error: 'the server answered with something that is not TLS',
    });
  });

  it.each([
    ['on a read', { code: 'ECONNRESET', message: 'read ECONNRESET' }, 40],
    ['on the ClientHello write', { code: 'EPIPE', message: 'write EPIPE' }, 300],
    ['before Node saw the connection', { code: 'ECONNRESET', message: 'connect ECONNRESET 192.0.2.10:5061' }, 0],
  ])('reset: an RST before the handshake finished, said the same way whether it came %s', (_label, error, outboundBytes) => {
    expect(classifyHandshake(failed({ rawReset: true, error, outboundBytes, inboundBytes: 0 }), [])).toMatchObject({
      outcome: 'reset',
      error: RESET_DURING_HANDSHAKE,
    });
  });

  it.each([
    ['an end of stream', { rawEnded: true }],
    ['a closed socket', { ending: 'closed' as const, error: undefined }],
  ])('closed: %s before the handshake finished', (_label, overrides) => {
    expect(classifyHandshake(failed(overrides), [])).toMatchObject({
      outcome: 'closed',
      error: 'the server closed the connection before the handshake finished',
    });
  });

  it('timeout: no answer at all, or a handshake still incomplete', () => {
    expect(classifyHandshake(failed({ ending: 'timeout', inboundBytes: 0, handshakeMs: 800 }), [])).toMatchObject({
      outcome: 'timeout',
      error: 'no answer to the ClientHello within 800 ms',
    });
    expect(classifyHandshake(failed({ ending: 'timeout', inboundBytes: 37, handshakeMs: 1500 }), [])).toMatchObject({
      outcome: 'timeout',
      error: 'handshake incomplete after 1500 ms (37 bytes received)',
    });
  });

  it('aborted: the run deadline, not the server, ended the handshake', () => {
    expect(classifyHandshake(failed({ ending: 'aborted' }), [])).toMatchObject({
      outcome: 'aborted',
      error: `${RUN_DEADLINE_REACHED} during the handshake`,
    });
  });

  it('alert: any other alert, the last one the server sent', () => {
    const facts = failed({ flight: flight({ complete: false, alerts: [alertNumber('unrecognized_name'), alertNumber('internal_error')] }) });
    expect(classifyHandshake(facts, [])).toMatchObject({ outcome: 'alert', alert: 'internal_error', error: 'handshake failed' });
  });

  it('alert: a certificate alert the server sent before asking for a certificate is not a demand', () => {
    const facts = failed({ flight: flight({ complete: false, alerts: [alertNumber('handshake_failure')] }) });
    expect(classifyHandshake(facts, [])).toMatchObject({ outcome: 'alert', alert: 'handshake_failure' });
    expect(clientAuthRequested(facts, 'alert')).toBe('unknown');
  });

  it('alert: a certificate alert after a CertificateRequest in an unfinished flight is not a demand', () => {
    const facts = failed({ flight: flight({ certificateRequested: true, complete: false, alerts: [alertNumber('handshake_failure')] }) });
    expect(classifyHandshake(facts, []).outcome).toBe('alert');
    expect(clientAuthRequested(facts, 'alert')).toBe('requested');
  });

  it('protocol-mismatch: a protocol_version alert', () => {
    const facts = failed({ flight: flight({ complete: false, alerts: [alertNumber('protocol_version')] }) });
    expect(classifyHandshake(facts, [])).toMatchObject({ outcome: 'protocol-mismatch', alert: 'protocol_version' });
  });

  it('protocol-mismatch: a ServerHello below TLS 1.2', () => {
    const facts = failed({ flight: flight({ protocol: 'TLSv1', complete: false }) });
    expect(classifyHandshake(facts, [])).toMatchObject({
      outcome: 'protocol-mismatch',
      protocol: 'TLSv1',
      error: 'the server chose TLSv1, below our TLS 1.2 floor',
    });
  });

  it.each([
    ['closes', { rawEnded: true }, 'the server closed the connection before the handshake finished; the server completes TLSv1 handshakes'],
    ['resets', { rawReset: true }, `${RESET_DURING_HANDSHAKE}; the server completes TLSv1 handshakes`],
    [
      'sends handshake_failure',
      { flight: flight({ complete: false, alerts: [alertNumber('handshake_failure')] }) },
      'handshake failed; the server completes TLSv1 handshakes',
    ],
  ])('protocol-mismatch: a server that %s on TLS 1.2 but completes a legacy handshake', (_label, overrides, error) => {
    expect(classifyHandshake(failed(overrides), LEGACY_ACCEPTED)).toMatchObject({ outcome: 'protocol-mismatch', error });
  });

  it('error: a failure that is none of the above', () => {
    expect(classifyHandshake(failed({ error: { code: 'EPROTO', message: 'wrong version number (EPROTO)' } }), [])).toEqual({
      outcome: 'error',
      durationMs: 12,
      error: 'wrong version number (EPROTO)',
    });
  });
});

describe('reclassifyRecordedProbe (a replayed report of an older version)', () => {
  const recorded = (overrides: Partial<TlsProbeObservation>): TlsProbeObservation => ({
    host: 'sip.example.com',
    address: '192.0.2.10',
    port: 5061,
    family: 4,
    purpose: 'federation',
    connect: { outcome: 'connected', durationMs: 2 },
    chain: [],
    legacyProtocols: [
      { protocol: 'TLSv1', result: 'not-tested', detail: 'TCP connect error' },
      { protocol: 'TLSv1.1', result: 'not-tested', detail: 'TCP connect error' },
    ],
    clientAuth: { requested: 'unknown' },
    ...overrides,
  });

  it("turns a reset connect() reported, once read as this machine's failure, into the reset handshake today's probe records", () => {
    const probe = reclassifyRecordedProbe(recorded({ connect: { outcome: 'error', durationMs: 3, error: 'connect ECONNRESET 192.0.2.10:5061' } }));
    expect(probe.connect).toEqual({ outcome: 'connected', durationMs: 3 });
    expect(probe.handshake).toMatchObject({ outcome: 'reset', error: RESET_DURING_HANDSHAKE });
    expect(probe.clientAuth.requested).toBe('unknown');
  });

  it('turns a handshake that ended in a bare reset error into a reset, unless the server had asked for a client certificate', () => {
    const handshake = { outcome: 'error' as const, durationMs: 5, error: 'write EPIPE' };
    expect(reclassifyRecordedProbe(recorded({ handshake })).handshake).toMatchObject({ outcome: 'reset' });
    // Had it asked, whether the reset refused our (missing) certificate is no longer known.
    const asked = recorded({ handshake, clientAuth: { requested: 'requested' } });
    expect(reclassifyRecordedProbe(asked)).toBe(asked);
  });

  it('leaves every other probe as it was recorded', () => {
    for (const probe of [
      recorded({ connect: { outcome: 'error', durationMs: 3, error: 'connect EADDRNOTAVAIL' } }),
      recorded({ connect: { outcome: 'refused', durationMs: 3, error: 'connect ECONNREFUSED 192.0.2.10:5061' } }),
      recorded({ handshake: { outcome: 'reset', durationMs: 5, error: RESET_DURING_HANDSHAKE } }),
    ]) {
      expect(reclassifyRecordedProbe(probe)).toBe(probe);
    }
  });
});

describe('classifyLegacy', () => {
  const legacyAccepted = secure({ protocol: 'TLSv1', cipher: 'ECDHE-RSA-AES128-SHA', flight: flight({ protocol: 'TLSv1' }) });

  it.each<[string, ConnectionFacts, LegacyProtocolProbe]>([
    ['accepted', legacyAccepted, { protocol: 'TLSv1', result: 'accepted', detail: 'handshake completed (ECDHE-RSA-AES128-SHA)' }],
    ['another version negotiated', secure(), { protocol: 'TLSv1', result: 'error', detail: 'negotiated TLSv1.3 instead' }],
    [
      'refused by alert',
      failed({ flight: flight({ complete: false, alerts: [alertNumber('protocol_version')] }) }),
      { protocol: 'TLSv1', result: 'refused', detail: 'alert protocol_version' },
    ],
    [
      'refused by a newer ServerHello',
      failed({ flight: flight({ protocol: 'TLSv1.2', complete: false }) }),
      { protocol: 'TLSv1', result: 'refused', detail: 'the server answered with TLSv1.2' },
    ],
    ['refused by a reset', failed({ rawReset: true }), { protocol: 'TLSv1', result: 'refused', detail: 'the server reset the connection' }],
    [
      'refused by a reset before our ClientHello left',
      failed({ rawReset: true, outboundBytes: 0, error: { code: 'ECONNRESET', message: 'connect ECONNRESET 192.0.2.10:5061' } }),
      { protocol: 'TLSv1', result: 'refused', detail: 'the server reset the connection' },
    ],
    ['refused by a close', failed({ rawEnded: true }), { protocol: 'TLSv1', result: 'refused', detail: 'the server closed the connection' }],
    [
      'not tested: no TCP connection',
      failed({ connect: { outcome: 'refused', durationMs: 1 } }),
      { protocol: 'TLSv1', result: 'not-tested', detail: 'TCP connect refused' },
    ],
    ['not tested: the run deadline', failed({ ending: 'aborted' }), { protocol: 'TLSv1', result: 'not-tested', detail: RUN_DEADLINE_REACHED }],
    [
      'error: our client could not offer it',
      failed({ ending: 'local-error', outboundBytes: 0, error: { message: 'no protocols available' } }),
      { protocol: 'TLSv1', result: 'error', detail: 'our client could not offer TLSv1: no protocols available' },
    ],
    [
      'error: not TLS',
      failed({ flight: flight({ notTls: true }) }),
      { protocol: 'TLSv1', result: 'error', detail: 'the server answered with something that is not TLS' },
    ],
    ['error: timeout', failed({ ending: 'timeout' }), { protocol: 'TLSv1', result: 'error', detail: 'no answer within the timeout' }],
    ['error: anything else', failed(), { protocol: 'TLSv1', result: 'error', detail: 'handshake failed' }],
  ])('%s', (_label, facts, expected) => {
    expect(classifyLegacy('TLSv1', facts)).toEqual(expected);
  });

  describe('offered TLS 1.0 and 1.1 together', () => {
    const tls10Chosen = secure({ protocol: 'TLSv1', cipher: 'ECDHE-RSA-AES128-SHA', flight: flight({ protocol: 'TLSv1' }) });

    it('a server that picks TLS 1.0 accepts 1.0 and does not speak 1.1', () => {
      expect(classifyLegacy('TLSv1', tls10Chosen, BOTH_LEGACY)).toEqual({ protocol: 'TLSv1', result: 'accepted', detail: 'handshake completed (ECDHE-RSA-AES128-SHA)' });
      expect(classifyLegacy('TLSv1.1', tls10Chosen, BOTH_LEGACY)).toEqual({
        protocol: 'TLSv1.1',
        result: 'refused',
        detail: 'the server chose TLSv1 when offered TLSv1 and TLSv1.1',
      });
    });

    it('a TLS 1.0 ServerHello followed by a failure still means no TLS 1.1', () => {
      const chosenThenFailed = failed({ flight: flight({ protocol: 'TLSv1', complete: false }) });
      expect(classifyLegacy('TLSv1.1', chosenThenFailed, BOTH_LEGACY)).toMatchObject({ result: 'refused', detail: 'the server chose TLSv1 when offered TLSv1 and TLSv1.1' });
      expect(classifyLegacy('TLSv1', chosenThenFailed, BOTH_LEGACY)).toMatchObject({ result: 'error' });
    });

    it('a refusal refuses both', () => {
      const refused = failed({ flight: flight({ complete: false, alerts: [alertNumber('protocol_version')] }) });
      for (const protocol of BOTH_LEGACY) {
        expect(classifyLegacy(protocol, refused, BOTH_LEGACY)).toEqual({ protocol, result: 'refused', detail: 'alert protocol_version' });
      }
    });

    it('a TLS 1.1 choice says nothing about TLS 1.0', () => {
      const chose11 = failed({ rawEnded: true, flight: flight({ protocol: 'TLSv1.1', complete: false }) });
      expect(classifyLegacy('TLSv1', chose11, BOTH_LEGACY)).toMatchObject({ result: 'not-tested' });
      expect(classifyLegacy('TLSv1', secure({ protocol: 'TLSv1.1', flight: flight({ protocol: 'TLSv1.1' }) }), BOTH_LEGACY)).toMatchObject({
        result: 'not-tested',
      });
    });

    it('a TLS 1.2 answer refuses both', () => {
      const newer = failed({ flight: flight({ protocol: 'TLSv1.2', complete: false }) });
      expect(classifyLegacy('TLSv1.1', newer, BOTH_LEGACY)).toMatchObject({ result: 'refused', detail: 'the server answered with TLSv1.2' });
    });
  });
});

describe('probeLegacyProtocols', () => {
  type Offer = [string, string];
  const scripted = (answers: Record<string, ConnectionFacts>) => {
    const offers: Offer[] = [];
    const connect = async (min: string, max: string): Promise<ConnectionFacts> => {
      offers.push([min, max]);
      return answers[`${min}-${max}`] ?? failed();
    };
    return { offers, connect };
  };
  const refused = failed({ flight: flight({ complete: false, alerts: [alertNumber('protocol_version')] }) });
  const modern = async () => true;
  const legacyOnly = async () => false;
  const results = (connections: Awaited<ReturnType<typeof probeLegacyProtocols>>) =>
    connections.map(({ protocol, facts, offered }) => classifyLegacy(protocol, facts, offered).result);

  it('settles a server that speaks neither with one connection', async () => {
    const { offers, connect } = scripted({ 'TLSv1-TLSv1.1': refused });
    const connections = await probeLegacyProtocols(connect, modern);
    expect(offers).toEqual([['TLSv1', 'TLSv1.1']]);
    expect(connections.map(({ protocol, facts, offered }) => classifyLegacy(protocol, facts, offered).result)).toEqual(['refused', 'refused']);
  });

  it('settles a TLS 1.0-only server with one connection', async () => {
    const tls10 = secure({ protocol: 'TLSv1', flight: flight({ protocol: 'TLSv1' }) });
    const { offers, connect } = scripted({ 'TLSv1-TLSv1.1': tls10 });
    const connections = await probeLegacyProtocols(connect, modern);
    expect(offers).toHaveLength(1);
    expect(connections.map(({ protocol, facts, offered }) => classifyLegacy(protocol, facts, offered).result)).toEqual(['accepted', 'refused']);
  });

  it('asks a server that picks TLS 1.1 about TLS 1.0 alone', async () => {
    const tls11 = secure({ protocol: 'TLSv1.1', flight: flight({ protocol: 'TLSv1.1' }) });
    for (const [tls10Answer, expected] of [
      [secure({ protocol: 'TLSv1', flight: flight({ protocol: 'TLSv1' }) }), 'accepted'],
      [refused, 'refused'],
    ] as const) {
      const { offers, connect } = scripted({ 'TLSv1-TLSv1.1': tls11, 'TLSv1-TLSv1': tls10Answer });
      const connections = await probeLegacyProtocols(connect, modern);
      expect(offers).toEqual([
        ['TLSv1', 'TLSv1.1'],
        ['TLSv1', 'TLSv1'],
      ]);
      expect(connections.map(({ protocol, facts, offered }) => classifyLegacy(protocol, facts, offered).result)).toEqual([expected, 'accepted']);
    }
  });

  it('asks about TLS 1.0 alone when the server chose TLS 1.1 and the handshake then failed', async () => {
    const chose11ThenClosed = failed({ rawEnded: true, flight: flight({ protocol: 'TLSv1.1', complete: false }) });
    const { offers, connect } = scripted({ 'TLSv1-TLSv1.1': chose11ThenClosed, 'TLSv1-TLSv1': secure({ protocol: 'TLSv1', flight: flight({ protocol: 'TLSv1' }) }) });
    const connections = await probeLegacyProtocols(connect, modern);
    expect(offers).toEqual([
      ['TLSv1', 'TLSv1.1'],
      ['TLSv1', 'TLSv1'],
    ]);
    expect(results(connections)[0]).toBe('accepted');
  });

  it('asks about TLS 1.0 alone when the pair got no ServerHello from a server that does not speak TLS 1.2 either', async () => {
    const { offers, connect } = scripted({ 'TLSv1-TLSv1.1': failed({ rawReset: true }), 'TLSv1-TLSv1': secure({ protocol: 'TLSv1', flight: flight({ protocol: 'TLSv1' }) }) });
    const connections = await probeLegacyProtocols(connect, legacyOnly);
    expect(offers).toHaveLength(2);
    expect(results(connections)).toEqual(['accepted', 'refused']);
    const again = scripted({ 'TLSv1-TLSv1.1': failed({ rawReset: true }) });
    expect(results(await probeLegacyProtocols(again.connect, modern))).toEqual(['refused', 'refused']);
    expect(again.offers).toHaveLength(1);
  });

  it('does not ask again after a stall: that would only wait as long again', async () => {
    const { offers, connect } = scripted({ 'TLSv1-TLSv1.1': failed({ ending: 'timeout' }) });
    expect(results(await probeLegacyProtocols(connect, legacyOnly))).toEqual(['error', 'error']);
    expect(offers).toHaveLength(1);
  });

  it('asks about each alone when our own library refuses the range', async () => {
    const { offers, connect } = scripted({
      'TLSv1-TLSv1.1': failed({ ending: 'local-error', outboundBytes: 0, error: { message: 'no protocols available' } }),
      'TLSv1-TLSv1': refused,
      'TLSv1.1-TLSv1.1': refused,
    });
    const connections = await probeLegacyProtocols(connect, modern);
    expect(offers).toHaveLength(3);
    expect(connections.map(({ protocol, facts, offered }) => classifyLegacy(protocol, facts, offered).result)).toEqual(['refused', 'refused']);
  });
});

describe('with certificates', () => {
  let pki: Pki;
  let leaf: IssuedCertificate;
  let client: IssuedCertificate;

  beforeAll(async () => {
    pki = await createPki();
    leaf = pki.issueLeaf({ commonName: ENDPOINT.host, sans: [ENDPOINT.host] });
    client = pki.issueLeaf({ commonName: 'expe.example.com' });
  });

  describe('classifyPresented', () => {
    it('accepted: the handshake presenting it completed and stayed up', () => {
      expect(classifyPresented(client.certPem, secure({ flight: flight({ certificateRequested: true }) }))).toEqual({
        subject: client.cert.subject,
        accepted: true,
      });
    });

    it('rejected: the server objected to it, and says how', () => {
      const facts = secure({ flight: flight({ certificateRequested: true }), afterHandshake: { event: 'alert', alert: 'unknown_ca' } });
      expect(classifyPresented(client.certPem, facts)).toEqual({
        subject: client.cert.subject,
        accepted: false,
        error: 'the server rejected it: alert unknown_ca right after the handshake',
      });
    });

    it('not accepted: another failure is named by its outcome', () => {
      expect(classifyPresented(client.certPem, failed({ ending: 'timeout', inboundBytes: 0, handshakeMs: 900 }))).toEqual({
        subject: client.cert.subject,
        accepted: false,
        error: 'timeout: no answer to the ClientHello within 900 ms',
      });
      expect(classifyPresented(client.certPem, failed({ connect: { outcome: 'refused', durationMs: 1 } }))).toEqual({
        subject: client.cert.subject,
        accepted: false,
        error: 'TCP connect refused',
      });
    });

    it('cut short: the run deadline ended the connect or the handshake', () => {
      expect(classifyPresented(client.certPem, failed({ connect: { outcome: 'aborted', durationMs: 0 } }))).toEqual({
        subject: client.cert.subject,
        accepted: false,
        error: `TCP connect aborted: ${RUN_DEADLINE_REACHED}`,
        cutShort: true,
      });
      expect(classifyPresented(client.certPem, failed({ ending: 'aborted' }))).toEqual({
        subject: client.cert.subject,
        accepted: false,
        error: `aborted: ${RUN_DEADLINE_REACHED} during the handshake`,
        cutShort: true,
      });
    });

    it('unloadable: our side could not use the certificate or key', () => {
      const facts = failed({ ending: 'local-error', error: { message: 'bad decrypt' } });
      expect(classifyPresented(client.certPem, facts)).toMatchObject({
        accepted: false,
        error: 'the client certificate or key could not be loaded: bad decrypt',
      });
      expect(classifyPresented('not a certificate', facts).subject).toBe('(unreadable certificate)');
    });
  });

  describe('observeProbe', () => {
    it('records a good probe: the wire chain parsed, trusted through the anchor, no client certificate asked', () => {
      const main = secure({ flight: flight({ protocol: 'TLSv1.3', certificates: [leaf.der, pki.intermediate.der] }) });
      const observation = observeProbe(ENDPOINT, { main, legacy: [] }, [pki.root.certPem], NOW);
      expect(observation).toMatchObject({
        ...ENDPOINT,
        family: 4,
        connect: { outcome: 'connected' },
        handshake: { outcome: 'ok', protocol: 'TLSv1.3' },
        trust: { verdict: 'trusted' },
        legacyProtocols: [],
        clientAuth: { requested: 'not-requested' },
      });
      expect(observation.chain.map((certificate) => certificate.subjectCN)).toEqual([ENDPOINT.host, pki.intermediate.cert.subjectCN]);
      expect(JSON.parse(JSON.stringify(observation))).toEqual(observation);
    });

    it('judges trust by its own path building alone', () => {
      const main = secure({ flight: flight({ certificates: [leaf.der] }) });
      expect(observeProbe(ENDPOINT, { main, legacy: [] }, [], NOW).trust).toMatchObject({ verdict: 'incomplete-chain' });
      expect(observeProbe(ENDPOINT, { main, legacy: [] }, [], NOW).trust).not.toHaveProperty('nodeError');
      const withChain = { ...main, flight: flight({ certificates: [leaf.der, pki.intermediate.der] }) };
      expect(observeProbe(ENDPOINT, { main: withChain, legacy: [] }, [pki.root.certPem], NOW).trust?.verdict).toBe('trusted');
    });

    it("falls back to Node's peer chain when the wire gave none", () => {
      const main = secure({ peerChain: [leaf.der] });
      expect(observeProbe(ENDPOINT, { main, legacy: [] }, [], NOW).chain.map((certificate) => certificate.subjectCN)).toEqual([ENDPOINT.host]);
    });

    it('takes the chain from a completed legacy handshake when the main one saw none', () => {
      const legacy = secure({ protocol: 'TLSv1', cipher: 'ECDHE-RSA-AES128-SHA', flight: flight({ protocol: 'TLSv1', certificates: [leaf.der] }) });
      const observation = observeProbe(
        ENDPOINT,
        { main: failed({ rawEnded: true }), legacy: [{ protocol: 'TLSv1', offered: BOTH_LEGACY, facts: legacy }, { protocol: 'TLSv1.1', offered: BOTH_LEGACY, facts: legacy }] },
        [],
        NOW,
      );
      expect(observation.handshake?.outcome).toBe('protocol-mismatch');
      expect(observation.legacyProtocols.map((probe) => probe.result)).toEqual(['accepted', 'refused']);
      expect(observation.chain.map((certificate) => certificate.subjectCN)).toEqual([ENDPOINT.host]);
      expect(observation.trust).toBeDefined();
    });

    it('records the demand for a client certificate, and the certificate presented', () => {
      const main = rejectedAfterRequest('handshake_failure');
      main.flight.certificates = [leaf.der, pki.intermediate.der];
      const presented = secure({ flight: flight({ certificateRequested: true }) });
      const observation = observeProbe(ENDPOINT, { main, legacy: [], presented: { certPem: client.certPem, facts: presented } }, [pki.root.certPem], NOW);
      expect(observation.handshake?.outcome).toBe('client-certificate-required');
      expect(observation.clientAuth).toEqual({ requested: 'required', presentedCertificate: { subject: client.cert.subject, accepted: true } });
      expect(observation.chain).toHaveLength(2);
      expect(observation.trust?.verdict).toBe('trusted');
    });

    it('has no handshake, chain or trust verdict when TCP did not connect', () => {
      const main = failed({ connect: { outcome: 'refused', durationMs: 1, error: 'connect ECONNREFUSED 192.0.2.10:5061' } });
      const refused = { protocol: 'TLSv1' as const, offered: BOTH_LEGACY, facts: main };
      const observation = observeProbe(ENDPOINT, { main, legacy: [refused, { ...refused, protocol: 'TLSv1.1' }] }, [], NOW);
      expect(observation).toEqual({
        ...ENDPOINT,
        family: 4,
        connect: main.connect,
        chain: [],
        legacyProtocols: [
          { protocol: 'TLSv1', result: 'not-tested', detail: 'TCP connect refused' },
          { protocol: 'TLSv1.1', result: 'not-tested', detail: 'TCP connect refused' },
        ],
        clientAuth: { requested: 'unknown' },
      });
    });

    it('gives no trust verdict when there is neither a chain nor a completed handshake', () => {
      const observation = observeProbe(ENDPOINT, { main: failed({ rawReset: true }), legacy: [] }, [], NOW);
      expect(observation.handshake?.outcome).toBe('reset');
      expect(observation.trust).toBeUndefined();
      expect(observation.clientAuth.requested).toBe('unknown');
    });

    it('says family 6 for an IPv6 address', () => {
      expect(observeProbe({ ...ENDPOINT, address: '2001:db8::10' }, { main: secure(), legacy: [] }, [], NOW).family).toBe(6);
    });
  });
});
