// What a TLS probe's connections saw (ConnectionFacts, recorded by probe.ts) turned into the
// observation the checks judge. Nothing here touches a socket: every rule about what the wire
// meant (a stall, a plaintext banner, a reset, a demanded client certificate) is decided here,
// once, and the checks only read the outcome.
import net from 'node:net';
import type { CipherSuiteProbes } from '../../model/ciphers.js';
import type { CertificateInfo, LegacyProtocolProbe, TlsHandshakeOutcome, TlsProbeObservation } from '../../model/observations.js';
import { parseCertificate, pemToDer } from './certificate.js';
import { alertName, readServerFlight, type ServerFlight } from './transcript.js';
import { assessTrustAgainst } from './trust.js';
import { printable } from '../wire-text.js';

/**
 * How every connection cut short by the run's signal says so, in connect errors and in the
 * presented certificate's error: the checks read "run deadline" there as "not determined", never
 * as the server's verdict.
 */
export const RUN_DEADLINE_REACHED = 'the run deadline was reached';

/** The one description of a TCP reset before the handshake finished, however Node reported it. */
export const RESET_DURING_HANDSHAKE = 'the server reset the TCP connection (RST) before the TLS handshake finished';

/**
 * Alerts a server sends when it does not accept the client certificate it asked for. They count
 * only once the server asked and finished its flight: by then cipher and version are agreed, so
 * our (missing) certificate is all it can object to.
 */
export const CLIENT_CERTIFICATE_ALERTS: ReadonlySet<string> = new Set([
  'handshake_failure',
  'no_certificate',
  'bad_certificate',
  'unsupported_certificate',
  'certificate_revoked',
  'certificate_expired',
  'certificate_unknown',
  'unknown_ca',
  'access_denied',
  'certificate_required',
  'decrypt_error',
]);

/**
 * How the handshake part of one connection ended ('local-error': our own TLS setup failed;
 * 'server-hello': we ended it once the ServerHello arrived, as a cipher-suite probe needs nothing more).
 */
export type HandshakeEnding = 'secure' | 'error' | 'closed' | 'timeout' | 'aborted' | 'local-error' | 'server-hello';

/** What happened while the probe listened after a completed handshake (TLS 1.3 mutual TLS). */
export interface AfterHandshake {
  event: 'quiet' | 'alert' | 'closed' | 'reset' | 'error';
  alert?: string;
  error?: string;
}

/** Everything one connection saw, recorded by the prober before any of it is interpreted. */
export interface ConnectionFacts {
  connect: TlsProbeObservation['connect'];
  ending?: HandshakeEnding;
  handshakeMs: number;
  protocol?: string;
  cipher?: string;
  error?: { code?: string; message: string };
  /** The alert named by Node's error (its text carries OpenSSL's alert number). */
  errorAlert?: string;
  /** Fallback chain from getPeerCertificate(true) when the wire did not yield one. */
  peerChain: Buffer[];
  flight: ServerFlight;
  inboundSample: Buffer;
  inboundBytes: number;
  outboundBytes: number;
  rawEnded: boolean;
  rawReset: boolean;
  afterHandshake?: AfterHandshake;
  /** The OCSP response the server stapled (main connection only: it asks for one). */
  stapledOcsp?: Buffer;
}

/** The facts of a connection before the server has sent anything: where every connection starts. */
export function freshConnectionFacts(connect: TlsProbeObservation['connect']): ConnectionFacts {
  return {
    connect,
    handshakeMs: 0,
    peerChain: [],
    flight: readServerFlight(Buffer.alloc(0), []),
    inboundSample: Buffer.alloc(0),
    inboundBytes: 0,
    outboundBytes: 0,
    rawEnded: false,
    rawReset: false,
  };
}

export interface ProbedEndpoint {
  host: string;
  address: string;
  port: number;
  purpose: TlsProbeObservation['purpose'];
}

export type LegacyProtocol = LegacyProtocolProbe['protocol'];

/** The connection that answered for one legacy protocol, and the versions it offered (one, or both together). */
export interface LegacyConnection {
  protocol: LegacyProtocol;
  offered: readonly LegacyProtocol[];
  facts: ConnectionFacts;
}

/**
 * The connections of one probe: the main one, the legacy-version ones, the one presenting --cert,
 * and what the cipher-suite elimination (ciphers.ts, its own connections) concluded.
 */
export interface ProbeFacts {
  main: ConnectionFacts;
  legacy: readonly LegacyConnection[];
  presented?: { certPem: string; facts: ConnectionFacts };
  ciphers?: CipherSuiteProbes;
  /** The main connection's chain, already parsed when its handshake ended (for revocation): not parsed twice. */
  mainChain?: CertificateInfo[];
}

type HandshakeObservation = NonNullable<TlsProbeObservation['handshake']>;
type PresentedCertificate = NonNullable<TlsProbeObservation['clientAuth']['presentedCertificate']>;

/**
 * The observation of one probe. `trustAnchors` are the --ca PEMs (the system store is always
 * included), `now` the moment the chain's validity is judged at.
 */
export function observeProbe(
  endpoint: ProbedEndpoint,
  facts: ProbeFacts,
  trustAnchors: readonly string[],
  now: Date,
): TlsProbeObservation {
  const legacyProtocols = facts.legacy.map(({ protocol, facts: legacy, offered }) => classifyLegacy(protocol, legacy, offered));
  const observation: TlsProbeObservation = {
    host: endpoint.host,
    address: endpoint.address,
    port: endpoint.port,
    family: net.isIPv6(endpoint.address) ? 6 : 4,
    purpose: endpoint.purpose,
    connect: facts.main.connect,
    chain: [],
    legacyProtocols,
    clientAuth: { requested: 'unknown' },
  };
  if (facts.main.connect.outcome !== 'connected') return observation;

  const handshake = classifyHandshake(facts.main, legacyProtocols);
  observation.handshake = handshake;
  if (facts.ciphers) observation.ciphers = facts.ciphers;
  if (facts.main.stapledOcsp && facts.main.stapledOcsp.length > 0) observation.stapledOcsp = facts.main.stapledOcsp.toString('base64');
  // A server that only speaks TLS 1.0/1.1 never shows its certificate to the main probe; the
  // legacy handshake that it completed did see it, exactly as sent, so the certificate checks
  // still get something to judge.
  const legacyChain = facts.legacy.find(({ facts: legacy }) => legacy.ending === 'secure');
  const mainDer = chainOf(facts.main);
  const chainDer = mainDer ?? (legacyChain ? chainOf(legacyChain.facts) : undefined) ?? [];
  observation.chain = mainDer && facts.mainChain?.length === mainDer.length ? facts.mainChain : chainDer.map((der) => parseCertificate(der));
  if (chainDer.length > 0 || handshake.outcome === 'ok') {
    observation.trust = { ...assessTrustAgainst(chainDer, trustAnchors, now) };
  }
  observation.clientAuth.requested = clientAuthRequested(facts.main, handshake.outcome);
  if (facts.presented) {
    observation.clientAuth.presentedCertificate = classifyPresented(facts.presented.certPem, facts.presented.facts);
  }
  return observation;
}

/**
 * The main handshake (TLS 1.2 or 1.3, no client certificate). `legacy` is what the TLS 1.0/1.1
 * probes found: a server that hangs up on TLS 1.2 but completes TLS 1.0 has a protocol mismatch.
 */
export function classifyHandshake(facts: ConnectionFacts, legacy: readonly LegacyProtocolProbe[]): HandshakeObservation {
  const observation: HandshakeObservation = { outcome: 'error', durationMs: facts.handshakeMs };
  if (facts.protocol) observation.protocol = facts.protocol;
  else if (facts.flight.protocol) observation.protocol = facts.flight.protocol;
  if (facts.cipher) observation.cipher = facts.cipher;
  const { flight } = facts;

  if (flight.notTls) {
    observation.outcome = 'plaintext';
    observation.plaintextSample = printable(facts.inboundSample);
    observation.error = 'the server answered with something that is not TLS';
    return observation;
  }

  switch (facts.ending) {
    case 'secure': {
      const after = facts.afterHandshake;
      const rejected =
        after !== undefined &&
        after.event !== 'quiet' &&
        (flight.certificateRequested || after.alert === 'certificate_required');
      if (rejected) {
        observation.outcome = 'client-certificate-required';
        if (after.alert) observation.alert = after.alert;
        observation.error = `${describeAfterHandshake(after)} right after the handshake`;
      } else {
        observation.outcome = 'ok';
      }
      return observation;
    }
    case 'timeout':
      observation.outcome = 'timeout';
      observation.error =
        facts.inboundBytes > 0
          ? `handshake incomplete after ${facts.handshakeMs} ms (${facts.inboundBytes} bytes received)`
          : `no answer to the ClientHello within ${facts.handshakeMs} ms`;
      return observation;
    case 'aborted':
      // The run ran out of time, not the peer: a stall is only ever the probe's own timeout.
      observation.outcome = 'aborted';
      observation.error = `${RUN_DEADLINE_REACHED} during the handshake`;
      return observation;
    default:
      break;
  }

  if (facts.error) observation.error = facts.error.message;
  const alert = lastAlert(facts);
  const serverAnsweredOurCertificate = flight.certificateRequested && flight.complete;
  if (alert) {
    observation.alert = alert;
    if (alert === 'protocol_version') observation.outcome = 'protocol-mismatch';
    else if (alert === 'certificate_required') observation.outcome = 'client-certificate-required';
    else if (serverAnsweredOurCertificate && CLIENT_CERTIFICATE_ALERTS.has(alert))
      observation.outcome = 'client-certificate-required';
    else observation.outcome = 'alert';
  } else if (flight.protocol && isOlderThanTls12(flight.protocol)) {
    observation.outcome = 'protocol-mismatch';
    observation.error = `the server chose ${flight.protocol}, below our TLS 1.2 floor`;
  } else if (serverAnsweredOurCertificate && (facts.rawEnded || facts.rawReset)) {
    observation.outcome = 'client-certificate-required';
    observation.error = `the server ${facts.rawReset ? 'reset' : 'closed'} the connection after asking for a client certificate`;
  } else if (facts.rawReset) {
    observation.outcome = 'reset';
    // Whether the reset met our ClientHello, a read or Node's connect callback is a race on the
    // peer's side of the wire; the text names the reset only, so it reads the same every run.
    observation.error = RESET_DURING_HANDSHAKE;
  } else if (facts.rawEnded || facts.ending === 'closed') {
    observation.outcome = 'closed';
    observation.error = 'the server closed the connection before the handshake finished';
  } else {
    observation.outcome = 'error';
  }

  // A server that hangs up on a TLS ≥ 1.2 ClientHello yet completes a legacy handshake simply
  // does not speak the versions we asked for.
  const hungUp =
    observation.outcome === 'closed' ||
    observation.outcome === 'reset' ||
    (observation.outcome === 'alert' && alert === 'handshake_failure');
  if (hungUp && legacy.some((probe) => probe.result === 'accepted')) {
    const spoken = legacy.filter((probe) => probe.result === 'accepted').map((probe) => probe.protocol);
    observation.error = `${observation.error ?? observation.outcome}; the server completes ${spoken.join(' and ')} handshakes`;
    observation.outcome = 'protocol-mismatch';
  }
  return observation;
}

/** The errno codes of a peer's reset, as Node spells them in an error text. */
const RESET_IN_TEXT = /\b(ECONNRESET|EPIPE)\b/;

/**
 * A probe from a report written before fedcheck classified resets after the TCP handshake as the
 * peer's (a firewall or a load balancer that accepts and resets at once), re-judged as today's
 * probe records it, where the observation holds what that takes:
 * - a reset reported by connect(): it did connect (a SYN answered by a reset is ECONNREFUSED),
 *   so the handshake was reset; that report read "local-error", a failure on this machine's side;
 * - a handshake that ended in a bare error naming a reset, when the server did not ask for a
 *   client certificate (had it asked, whether it was refusing ours is no longer known).
 * Anything else, and every probe recorded since, is returned unchanged.
 */
export function reclassifyRecordedProbe(probe: TlsProbeObservation): TlsProbeObservation {
  const connectReset = probe.connect.outcome === 'error' && RESET_IN_TEXT.test(probe.connect.error ?? '');
  const handshakeReset =
    probe.handshake?.outcome === 'error' && RESET_IN_TEXT.test(probe.handshake.error ?? '') && probe.clientAuth.requested !== 'requested';
  if (!connectReset && !handshakeReset) return probe;
  const message = (connectReset ? probe.connect.error : probe.handshake?.error) ?? 'ECONNRESET';
  const facts: ConnectionFacts = {
    ...freshConnectionFacts({ outcome: 'connected', durationMs: probe.connect.durationMs }),
    ending: 'error',
    handshakeMs: probe.handshake?.durationMs ?? 0,
    ...(probe.handshake?.protocol ? { protocol: probe.handshake.protocol } : {}),
    error: { code: RESET_IN_TEXT.exec(message)?.[1] ?? 'ECONNRESET', message },
    rawReset: true,
  };
  const handshake = classifyHandshake(facts, probe.legacyProtocols);
  return {
    ...probe,
    connect: facts.connect,
    handshake,
    clientAuth: { ...probe.clientAuth, requested: clientAuthRequested(facts, handshake.outcome) },
  };
}

/**
 * What a connection offering `offered` (`protocol` alone, or TLS 1.0 and 1.1 together) says about
 * `protocol`: did the server accept it, refuse it, or could we not tell? Offered both, a server
 * picks the highest version it speaks, so choosing TLS 1.0 means it does not speak 1.1; choosing
 * 1.1 says nothing about 1.0 (probeLegacyProtocols then offers 1.0 alone).
 */
export function classifyLegacy(
  protocol: LegacyProtocol,
  facts: ConnectionFacts,
  offered: readonly LegacyProtocol[] = [protocol],
): LegacyProtocolProbe {
  if (facts.connect.outcome !== 'connected') {
    return { protocol, result: 'not-tested', detail: `TCP connect ${facts.connect.outcome}` };
  }
  if (facts.ending === 'aborted') return { protocol, result: 'not-tested', detail: RUN_DEADLINE_REACHED };
  if (protocol === 'TLSv1' && offered.includes('TLSv1.1') && (facts.protocol ?? facts.flight.protocol) === 'TLSv1.1') {
    return { protocol, result: 'not-tested', detail: 'the server chose TLSv1.1 when offered TLSv1 and TLSv1.1, and TLSv1 was not offered alone' };
  }
  // Only a lower version chosen instead is a refusal of `protocol`.
  const chosenInstead = (chosen: string | undefined): chosen is LegacyProtocol =>
    protocol === 'TLSv1.1' && chosen === 'TLSv1' && offered.includes(chosen);
  if (facts.ending === 'secure') {
    if (facts.protocol === protocol) return { protocol, result: 'accepted', detail: `handshake completed (${facts.cipher ?? 'unknown cipher'})` };
    if (chosenInstead(facts.protocol)) return { protocol, result: 'refused', detail: `the server chose ${facts.protocol} when offered ${offered.join(' and ')}` };
    return { protocol, result: 'error', detail: `negotiated ${facts.protocol ?? 'an unknown protocol'} instead` };
  }
  // Our own TLS library can refuse before a byte is sent (protocol disabled at this security
  // level or in this build): that is not the server's verdict. A peer that resets the connection
  // before our ClientHello leaves is not our library refusing, though.
  if (facts.ending === 'local-error' || (facts.outboundBytes === 0 && !facts.rawReset)) {
    return { protocol, result: 'error', detail: `our client could not offer ${protocol}: ${facts.error?.message ?? 'unknown error'}` };
  }
  if (facts.flight.notTls) return { protocol, result: 'error', detail: 'the server answered with something that is not TLS' };
  const alert = lastAlert(facts);
  if (alert) return { protocol, result: 'refused', detail: `alert ${alert}` };
  if (chosenInstead(facts.flight.protocol)) return { protocol, result: 'refused', detail: `the server chose ${facts.flight.protocol} when offered ${offered.join(' and ')}` };
  if (facts.flight.protocol && !offered.includes(facts.flight.protocol as LegacyProtocol)) {
    return { protocol, result: 'refused', detail: `the server answered with ${facts.flight.protocol}` };
  }
  if (facts.rawReset) return { protocol, result: 'refused', detail: 'the server reset the connection' };
  if (facts.rawEnded || facts.ending === 'closed') {
    return { protocol, result: 'refused', detail: 'the server closed the connection' };
  }
  if (facts.ending === 'timeout') return { protocol, result: 'error', detail: 'no answer within the timeout' };
  return { protocol, result: 'error', detail: facts.error?.message ?? 'handshake failed' };
}

/** The connection that presented --cert: accepted, rejected (and why), or cut short by the run deadline. */
export function classifyPresented(certPem: string, facts: ConnectionFacts): PresentedCertificate {
  const firstCertificate = pemToDer(certPem)[0];
  const subject = firstCertificate ? parseCertificate(firstCertificate).subject : '';
  const presented: PresentedCertificate = {
    subject: subject || '(unreadable certificate)',
    accepted: false,
  };
  if (facts.connect.outcome !== 'connected') {
    presented.error =
      facts.connect.outcome === 'aborted' ? `TCP connect aborted: ${RUN_DEADLINE_REACHED}` : `TCP connect ${facts.connect.outcome}`;
    if (facts.connect.outcome === 'aborted') presented.cutShort = true;
    return presented;
  }
  if (facts.ending === 'local-error') {
    presented.error = `the client certificate or key could not be loaded: ${facts.error?.message ?? 'unknown error'}`;
    return presented;
  }
  const outcome = classifyHandshake(facts, []);
  if (outcome.outcome === 'ok') {
    presented.accepted = true;
    return presented;
  }
  const reason = outcome.error ?? (outcome.alert ? `alert ${outcome.alert}` : outcome.outcome);
  presented.error =
    outcome.outcome === 'client-certificate-required' ? `the server rejected it: ${reason}` : `${outcome.outcome}: ${reason}`;
  if (outcome.outcome === 'aborted') presented.cutShort = true;
  return presented;
}

/** 'required' exactly when the handshake outcome says the server demanded a client certificate. */
export function clientAuthRequested(
  facts: ConnectionFacts,
  outcome: TlsHandshakeOutcome,
): TlsProbeObservation['clientAuth']['requested'] {
  if (outcome === 'client-certificate-required') return 'required';
  if (facts.flight.certificateRequested) return 'requested';
  if (outcome === 'ok' && facts.flight.complete) return 'not-requested';
  return 'unknown';
}

function chainOf(facts: ConnectionFacts): Buffer[] | undefined {
  const chain = facts.flight.certificates?.length ? facts.flight.certificates : facts.peerChain;
  return chain.length > 0 ? chain : undefined;
}

function isOlderThanTls12(protocol: string): boolean {
  return protocol === 'SSLv3' || protocol === 'TLSv1' || protocol === 'TLSv1.1';
}

/** The last alert the server sent, read from the wire, else the one Node's error names. */
export function lastAlert(facts: ConnectionFacts): string | undefined {
  const wireAlert = facts.flight.alerts[facts.flight.alerts.length - 1];
  return wireAlert !== undefined ? alertName(wireAlert) : facts.errorAlert;
}

function describeAfterHandshake(after: AfterHandshake): string {
  switch (after.event) {
    case 'alert':
      return `alert ${after.alert ?? 'unknown'}`;
    case 'reset':
      return 'the server reset the connection';
    case 'closed':
      return 'the server closed the connection';
    default:
      return after.error ?? 'the connection failed';
  }
}
