// One TLS probe of one address: the socket side. Its connections (main, TLS 1.0/1.1, presenting
// --cert) record what they saw as ConnectionFacts; classify.ts turns those into the observation.
//
// Every connection runs over a tap (a Duplex between the TCP socket and Node's TLS layer) that
// records what the server sent. That is how a plaintext banner is recognised and sampled, how a
// reset is told apart from an orderly close, and how the server's flight is read from the wire
// (see transcript.ts): the chain as sent, even when the handshake then fails because the server
// demands a client certificate (TLS 1.2), and whether a CertificateRequest was sent at all.
//
// Mutual TLS, as servers actually behave:
// - TLS 1.2: the server's CertificateRequest is in the clear; without a certificate a demanding
//   server answers our empty Certificate with an alert (handshake_failure) or hangs up.
// - TLS 1.3: our side completes the handshake before the server has judged our (empty)
//   Certificate; the verdict, a certificate_required alert or a hang-up, arrives afterwards. So
//   when the server asked for a certificate, the probe listens for SETTLE_MS after 'secureConnect'
//   before calling the handshake good. Servers that did not ask cost no wait.
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { CertificateInfo, TcpConnectOutcome, TlsProbeObservation } from '../../model/observations.js';
import { parseCertificate } from './certificate.js';
import { alertFromError, flightIsFinal, holdsServerHello, readServerFlight, type ServerFlight } from './transcript.js';
import { describeError, socketErrorKind } from '../socket-errors.js';
import { abandonHandshake, closePolitely } from './close.js';
import type { CipherSuiteProbes } from '../../model/ciphers.js';
import { EVERY_TLS12_SUITE, probeCipherSuites } from './ciphers.js';
import {
  freshConnectionFacts,
  observeProbe,
  RUN_DEADLINE_REACHED,
  type AfterHandshake,
  type ConnectionFacts,
  type HandshakeEnding,
  type LegacyConnection,
  type LegacyProtocol,
} from './classify.js';

export interface TlsProbeRequest {
  /** SNI and the name being verified (the SRV target); never resolved. */
  host: string;
  /** IPv4 or IPv6 literal to connect to. */
  address: string;
  port: number;
  purpose: 'federation' | 'imp';
  /** Bound for connect + handshake of one connection. */
  timeoutMs: number;
  /** The run deadline: aborting ends every connection at once. */
  signal?: AbortSignal;
  /** Extra PEM CA certificates (--ca); the system store is always included. */
  trustAnchors: string[];
  clientCertificate?: { certPem: string; keyPem: string };
  /** Also try TLS 1.0 and TLS 1.1 (probeLegacyProtocols). */
  probeLegacy: boolean;
  /**
   * Shares the TLS 1.0/1.1 probes of one address and port within a run: which versions a
   * listener accepts does not depend on the name asked for, and a hosting provider's edge serves
   * hundreds of partner domains on the same few addresses.
   */
  legacyProbes?: LegacyProbeCache;
  /** Also find which of Microsoft's TLS 1.2 cipher suites the listener accepts (ciphers.ts). */
  probeCiphers?: boolean;
  /** Shares those eliminations per address and port, as legacyProbes does. */
  cipherProbes?: CipherProbeCache;
  /**
   * Called once the main handshake has shown the server's certificates (and any stapled OCSP
   * response, base64), before the listener's other probes end: revocation starts then.
   */
  onCertificates?: (chain: CertificateInfo[], stapledOcsp: string | undefined) => void;
}

/**
 * Probes of this run that depend only on the listener, not on the name asked for, by address and
 * port: a hosting provider's edge serves hundreds of partner domains on the same few addresses.
 */
class ListenerProbes<T> {
  private readonly probes = new Map<string, Promise<T>>();

  probe(address: string, port: number, start: () => Promise<T>): Promise<T> {
    const key = `${address}|${port}`;
    let probes = this.probes.get(key);
    if (!probes) {
      probes = start();
      this.probes.set(key, probes);
    }
    return probes;
  }
}

/** The TLS 1.0/1.1 probes already made (or under way) in this run. */
export class LegacyProbeCache extends ListenerProbes<LegacyConnection[]> {}

/** The cipher-suite eliminations already made (or under way) in this run. */
export class CipherProbeCache extends ListenerProbes<CipherSuiteProbes> {}

/** How long to listen after a completed handshake for the server's verdict on our certificate. */
const SETTLE_MS = 300;

/** Enough for any real server flight; beyond this the bytes are only counted. */
const CAPTURE_LIMIT = 256 * 1024;
const SAMPLE_BYTES = 96;

/**
 * Node's default suites at security level 0: a diagnostic client must still complete the
 * handshake with a server whose key or DH group is weak, so the checks can say so.
 */
const MAIN_CIPHERS = `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0`;
/** OpenSSL 3 refuses TLS 1.0/1.1 (MD5-SHA1 signatures) above security level 0. */
const LEGACY_CIPHERS = 'DEFAULT@SECLEVEL=0';

export async function probeTls(request: TlsProbeRequest): Promise<TlsProbeObservation> {
  // One listener on the run's signal per probe (not one per connection), relayed to this
  // probe's connections: the run signal is shared by every probe in flight.
  const local = new AbortController();
  const relay = (): void => local.abort();
  if (request.signal?.aborted) local.abort();
  else request.signal?.addEventListener('abort', relay, { once: true });
  try {
    return await probe(request, local.signal);
  } catch (error) {
    // Defensive: nothing above should throw, but a probe must never reject.
    return {
      host: request.host,
      address: request.address,
      port: request.port,
      family: net.isIPv6(request.address) ? 6 : 4,
      purpose: request.purpose,
      connect: { outcome: 'error', durationMs: 0, error: `internal error: ${describeError(error)}` },
      chain: [],
      legacyProtocols: [],
      clientAuth: { requested: 'unknown' },
    };
  } finally {
    request.signal?.removeEventListener('abort', relay);
  }
}

async function probe(request: TlsProbeRequest, signal: AbortSignal): Promise<TlsProbeObservation> {
  const base = {
    address: request.address,
    port: request.port,
    servername: net.isIP(request.host) ? undefined : request.host,
    timeoutMs: request.timeoutMs,
    signal,
  };

  let mainChain: CertificateInfo[] | undefined;
  const main = runConnection({
    ...base,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ciphers: MAIN_CIPHERS,
    settleMs: SETTLE_MS,
    requestOcsp: true,
    ...(request.onCertificates
      ? {
          onCertificates: (chain: Buffer[], stapledOcsp: Buffer | undefined) => {
            mainChain = chain.map((der) => parseCertificate(der));
            request.onCertificates?.(mainChain, stapledOcsp?.length ? stapledOcsp.toString('base64') : undefined);
          },
        }
      : {}),
  });
  const startLegacy = (): Promise<LegacyConnection[]> =>
    probeLegacyProtocols(
      (minVersion, maxVersion) => runConnection({ ...base, minVersion, maxVersion, ciphers: LEGACY_CIPHERS, settleMs: 0 }),
      async () => {
        const { protocol } = (await main).flight;
        return protocol === 'TLSv1.2' || protocol === 'TLSv1.3';
      },
    );
  const legacy = !request.probeLegacy
    ? Promise.resolve([])
    : request.legacyProbes
      ? request.legacyProbes.probe(request.address, request.port, startLegacy)
      : startLegacy();
  const presented = request.clientCertificate
    ? runConnection({
        ...base,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        ciphers: MAIN_CIPHERS,
        clientCertificate: request.clientCertificate,
        settleMs: SETTLE_MS,
      })
    : undefined;

  // TLS 1.2 only, and only as far as the ServerHello, which names the suite by its number. A
  // suite outside Microsoft's list (the last probe, offering every suite) gets its name from
  // OpenSSL, which tells it once the handshake is complete.
  const startCiphers = (): Promise<CipherSuiteProbes> =>
    probeCipherSuites((ciphers) =>
      runConnection({
        ...base,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        ciphers,
        settleMs: 0,
        stopAfterServerHello: ciphers !== EVERY_TLS12_SUITE,
      }),
    );
  const ciphers = request.probeCiphers
    ? request.cipherProbes
      ? request.cipherProbes.probe(request.address, request.port, startCiphers)
      : startCiphers()
    : undefined;

  const [mainFacts, presentedFacts, legacyFacts, cipherSuites] = await Promise.all([main, presented, legacy, ciphers]);
  return observeProbe(
    request,
    {
      main: mainFacts,
      legacy: legacyFacts,
      ...(request.clientCertificate && presentedFacts
        ? { presented: { certPem: request.clientCertificate.certPem, facts: presentedFacts } }
        : {}),
      ...(cipherSuites ? { ciphers: cipherSuites } : {}),
      ...(mainChain ? { mainChain } : {}),
    },
    request.trustAnchors,
    new Date(),
  );
}

/**
 * Which of TLS 1.0 and 1.1 the server accepts. Offered both, a server answers with the highest
 * version it speaks, so one connection settles both for a server that speaks neither (nearly
 * every edge today) or only TLS 1.0. TLS 1.0 is offered alone when the server chose TLS 1.1
 * (which says nothing about 1.0), and when it answered the pair with no ServerHello while
 * `speaksModernTls` says it did not answer TLS 1.2 or 1.3 either: some old TLS 1.0-only servers
 * hang up on a ClientHello that announces TLS 1.1.
 */
export async function probeLegacyProtocols(
  connect: (minVersion: LegacyProtocol, maxVersion: LegacyProtocol) => Promise<ConnectionFacts>,
  speaksModernTls: () => Promise<boolean>,
): Promise<LegacyConnection[]> {
  const both = ['TLSv1', 'TLSv1.1'] as const;
  const together = await connect('TLSv1', 'TLSv1.1');
  // Our own library refusing the range says nothing about the server: ask about each on its own.
  if (together.ending === 'local-error') {
    const [tls10, tls11] = await Promise.all([connect('TLSv1', 'TLSv1'), connect('TLSv1.1', 'TLSv1.1')]);
    return [
      { protocol: 'TLSv1', offered: ['TLSv1'], facts: tls10 },
      { protocol: 'TLSv1.1', offered: ['TLSv1.1'], facts: tls11 },
    ];
  }
  const chosen = together.protocol ?? together.flight.protocol;
  // A stall (timeout) or the deadline is not a hang-up: asking again would only wait as long again.
  const hungUp = together.connect.outcome === 'connected' && (together.ending === 'closed' || together.ending === 'error') && !together.flight.notTls;
  if (chosen === 'TLSv1.1' || (chosen === undefined && hungUp && !(await speaksModernTls()))) {
    return [
      { protocol: 'TLSv1', offered: ['TLSv1'], facts: await connect('TLSv1', 'TLSv1') },
      { protocol: 'TLSv1.1', offered: both, facts: together },
    ];
  }
  return both.map((protocol) => ({ protocol, offered: both, facts: together }));
}

// ---------------------------------------------------------------------------------------------
// One connection, recorded as facts; classify.ts turns facts into observations.

const secureContexts = new Map<string, tls.SecureContext>();

/**
 * A run makes several connections per peer (main, TLS 1.0/1.1, cipher suites, --cert) with the
 * same few settings: each context is built once. None holds a trust store: the chain is judged
 * by our own path building (trust.ts), and Node's store of about 140 roots would cost some 35 ms
 * to build at the first context of the process, only for a verdict nothing reads.
 */
function secureContextFor(plan: ConnectionPlan): tls.SecureContext {
  const key = JSON.stringify([plan.minVersion, plan.maxVersion, plan.ciphers, plan.clientCertificate ?? null]);
  let context = secureContexts.get(key);
  if (!context) {
    context = tls.createSecureContext({
      minVersion: plan.minVersion,
      maxVersion: plan.maxVersion,
      ciphers: plan.ciphers,
      ca: [],
      ...(plan.clientCertificate ? { cert: plan.clientCertificate.certPem, key: plan.clientCertificate.keyPem } : {}),
    });
    secureContexts.set(key, context);
  }
  return context;
}

interface ConnectionPlan {
  address: string;
  port: number;
  servername: string | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  minVersion: tls.SecureVersion;
  maxVersion: tls.SecureVersion;
  ciphers: string;
  clientCertificate?: { certPem: string; keyPem: string };
  /** Listen this long after 'secureConnect' when the server asked for a client certificate. */
  settleMs: number;
  /** Ask for a stapled OCSP response (status_request) and record it. */
  requestOcsp?: boolean;
  /** Told the certificates (DER, as sent) and the stapled OCSP response as soon as the handshake completes. */
  onCertificates?: (chain: Buffer[], stapledOcsp: Buffer | undefined) => void;
  /**
   * End the handshake as soon as the ServerHello has arrived, before our TLS library reads what
   * follows it: a cipher-suite probe needs only the suite, and skips the key exchange, the
   * certificate checks and our second flight.
   */
  stopAfterServerHello?: boolean;
}

/** Sits between the TCP socket and TLS, keeping a copy of what the server sent. */
class TappedConnection extends Duplex {
  readonly inbound: Buffer[] = [];
  inboundBytes = 0;
  capturedBytes = 0;
  outboundBytes = 0;
  rawEnded = false;
  rawError: NodeJS.ErrnoException | undefined;
  /** Set when the tap let go of the TCP socket after the ServerHello (stopAfterServerHello). */
  released = false;

  constructor(
    private readonly raw: net.Socket,
    stopAfterServerHello = false,
  ) {
    super();
    const onData = (chunk: Buffer): void => {
      this.inboundBytes += chunk.length;
      if (this.capturedBytes < CAPTURE_LIMIT) {
        const kept = chunk.subarray(0, CAPTURE_LIMIT - this.capturedBytes);
        this.inbound.push(kept);
        this.capturedBytes += kept.length;
      }
      if (stopAfterServerHello && holdsServerHello(this.captured())) {
        // Our TLS library never sees the flight: the TCP socket is the caller's to end.
        this.released = true;
        raw.off('data', onData);
        raw.pause();
        this.emit('server-hello');
        return;
      }
      if (!this.push(chunk)) raw.pause();
    };
    raw.on('data', onData);
    raw.on('end', () => {
      this.rawEnded = true;
      this.push(null);
    });
    raw.on('error', (error: NodeJS.ErrnoException) => {
      this.rawError = error;
      this.destroy(error);
    });
    raw.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.outboundBytes += chunk.length;
    this.raw.write(chunk, (error?: Error | null) => {
      // A write that meets the peer's reset (EPIPE, ECONNRESET) reaches the TLS layer through this
      // callback before the raw socket's 'error' event: note it first, or the reset would pass
      // for an error of our own.
      if (error) this.rawError ??= error as NodeJS.ErrnoException;
      callback(error);
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.raw.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.released) this.raw.destroy();
    callback(error);
  }

  captured(): Buffer {
    return Buffer.concat(this.inbound);
  }
}

function runConnection(plan: ConnectionPlan): Promise<ConnectionFacts> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let connectedAt: number | undefined;
    let raw: net.Socket | undefined;
    let tap: TappedConnection | undefined;
    let secure: tls.TLSSocket | undefined;
    let deadline: NodeJS.Timeout | undefined;
    let settle: NodeJS.Timeout | undefined;
    let finished = false;
    const keylog: string[] = [];
    // The flight as read at 'secureConnect', with how many bytes had arrived: read again at the end only if it can have changed.
    let flightAtHandshake: { flight: ServerFlight; bytes: number } | undefined;
    const facts = freshConnectionFacts({ outcome: 'error', durationMs: 0 });
    const elapsed = (since: number): number => Math.round(performance.now() - since);

    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      clearTimeout(settle);
      plan.signal?.removeEventListener('abort', onAbort);
      if (tap) {
        const inbound = tap.captured();
        facts.flight =
          flightAtHandshake && (flightAtHandshake.bytes === tap.capturedBytes || flightIsFinal(flightAtHandshake.flight))
            ? flightAtHandshake.flight
            : readServerFlight(inbound, keylog);
        facts.inboundSample = inbound.subarray(0, SAMPLE_BYTES);
        facts.inboundBytes = tap.inboundBytes;
        facts.outboundBytes = tap.outboundBytes;
        facts.rawEnded = tap.rawEnded;
        facts.rawReset = socketErrorKind(tap.rawError) === 'reset';
      }
      const destroyAll = (): void => {
        secure?.destroy();
        tap?.destroy();
        if (!tap?.released) raw?.destroy();
      };
      // After a good handshake, close politely (close_notify, and time for our Finished to
      // leave) so the server logs a completed connection rather than a failed handshake.
      const healthy = facts.ending === 'secure' && (facts.afterHandshake?.event ?? 'quiet') === 'quiet';
      if (secure && healthy && !plan.signal?.aborted) {
        closePolitely(secure, destroyAll);
      } else {
        destroyAll();
        if (tap?.released && raw) abandonHandshake(raw);
      }
      resolve(facts);
    };

    const endHandshake = (ending: HandshakeEnding, error?: unknown): void => {
      if (finished || facts.ending) return;
      facts.ending = ending;
      if (connectedAt !== undefined) facts.handshakeMs = elapsed(connectedAt);
      if (error !== undefined) recordError(facts, error);
      finish();
    };

    const afterHandshake = (event: AfterHandshake['event'], error?: unknown): void => {
      if (finished || facts.afterHandshake) return;
      facts.afterHandshake = { event };
      if (error !== undefined) {
        const alert = alertFromError(error);
        if (alert) facts.afterHandshake = { event: 'alert', alert };
        else if (socketErrorKind(tap?.rawError) === 'reset') facts.afterHandshake = { event: 'reset' };
        facts.afterHandshake.error = describeError(error);
      }
      finish();
    };

    function onAbort(): void {
      if (connectedAt === undefined) {
        facts.connect = { outcome: 'aborted', durationMs: elapsed(startedAt), error: RUN_DEADLINE_REACHED };
        finish();
      } else if (!facts.ending) {
        endHandshake('aborted');
      } else {
        finish();
      }
    }

    function onTimeout(): void {
      if (connectedAt === undefined) {
        facts.connect = {
          outcome: 'timeout',
          durationMs: elapsed(startedAt),
          error: `no TCP connection within ${plan.timeoutMs} ms`,
        };
        finish();
      } else {
        endHandshake('timeout');
      }
    }

    if (plan.signal?.aborted) {
      facts.connect = { outcome: 'aborted', durationMs: 0, error: RUN_DEADLINE_REACHED };
      resolve(facts);
      return;
    }
    plan.signal?.addEventListener('abort', onAbort, { once: true });
    deadline = setTimeout(onTimeout, plan.timeoutMs);

    const onConnectError = (error: NodeJS.ErrnoException): void => {
      if (finished) return;
      if (socketErrorKind(error) === 'reset') {
        // A reset reported by connect() did connect: a SYN answered by a reset is ECONNREFUSED,
        // so the peer completed the TCP handshake and reset the connection at once, before Node
        // saw 'connect' (a firewall or a load balancer without a healthy backend). A moment later
        // the same peer's reset meets our ClientHello instead; both are recorded alike, so the
        // verdict does not depend on which came first.
        connectedAt = performance.now();
        facts.connect = { outcome: 'connected', durationMs: elapsed(startedAt) };
        facts.rawReset = true;
        endHandshake('error', error);
        return;
      }
      facts.connect = { outcome: connectOutcome(error), durationMs: elapsed(startedAt), error: describeError(error) };
      finish();
    };

    try {
      raw = net.connect({ host: plan.address, port: plan.port });
    } catch (error) {
      facts.connect = { outcome: 'error', durationMs: elapsed(startedAt), error: describeError(error) };
      finish();
      return;
    }
    raw.on('error', onConnectError);
    raw.once('connect', () => {
      if (finished || !raw) return;
      connectedAt = performance.now();
      facts.connect = { outcome: 'connected', durationMs: elapsed(startedAt) };
      raw.off('error', onConnectError);
      raw.on('error', () => undefined);
      tap = new TappedConnection(raw, plan.stopAfterServerHello);
      tap.on('error', () => undefined);
      tap.once('server-hello', () => endHandshake('server-hello'));
      try {
        secure = tls.connect({
          socket: tap,
          ...(plan.servername ? { servername: plan.servername } : {}),
          rejectUnauthorized: false,
          secureContext: secureContextFor(plan),
          ...(plan.requestOcsp ? { requestOCSP: true } : {}),
        });
      } catch (error) {
        endHandshake('local-error', error);
        return;
      }
      const socket = secure;
      socket.on('keylog', (line: Buffer) => keylog.push(line.toString('latin1')));
      if (plan.requestOcsp) socket.once('OCSPResponse', (response: Buffer) => (facts.stapledOcsp = response));
      socket.on('error', (error: Error) => {
        if (facts.ending === 'secure') afterHandshake('error', error);
        else endHandshake('error', error);
      });
      socket.on('close', () => {
        if (facts.ending === 'secure') afterHandshake(socketErrorKind(tap?.rawError) === 'reset' ? 'reset' : 'closed');
        else endHandshake('closed');
      });
      socket.on('end', () => {
        if (facts.ending === 'secure') afterHandshake('closed');
      });
      socket.once('secureConnect', () => {
        if (finished) return;
        facts.ending = 'secure';
        facts.handshakeMs = elapsed(connectedAt ?? startedAt);
        clearTimeout(deadline);
        try {
          facts.protocol = socket.getProtocol() ?? undefined;
          const cipher = socket.getCipher() as tls.CipherNameAndProtocol | undefined;
          if (cipher) facts.cipher = cipher.standardName ?? cipher.name;
          const flight = readServerFlight(tap?.captured() ?? Buffer.alloc(0), keylog);
          flightAtHandshake = { flight, bytes: tap?.capturedBytes ?? 0 };
          if (!flight.certificates?.length) facts.peerChain = peerChain(socket);
          const chain = flight.certificates?.length ? flight.certificates : facts.peerChain;
          if (chain.length > 0) tellCertificates(plan, chain, facts.stapledOcsp);
          if (plan.settleMs > 0 && (flight.certificateRequested || !flight.complete)) {
            socket.resume();
            settle = setTimeout(() => afterHandshake('quiet'), plan.settleMs);
            return;
          }
        } catch {
          // Whatever the socket could still tell us is recorded; the probe must not crash here.
        }
        finish();
      });
    });
  });
}

/** The listener's work goes on whatever the one told does with the certificates. */
function tellCertificates(plan: ConnectionPlan, chain: Buffer[], stapledOcsp: Buffer | undefined): void {
  try {
    plan.onCertificates?.(chain, stapledOcsp);
  } catch {
    // Only an early start is lost: whoever was told asks again with the finished observation.
  }
}

/** The fallback chain: getPeerCertificate(true), called once, walked until a fingerprint repeats. */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  try {
    let certificate: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
    while (certificate?.raw && !seen.has(certificate.fingerprint256)) {
      seen.add(certificate.fingerprint256);
      chain.push(Buffer.from(certificate.raw));
      certificate = certificate.issuerCertificate;
    }
  } catch {
    // A socket torn down under us has no peer certificate; the wire copy is the primary source.
  }
  return chain;
}

function recordError(facts: ConnectionFacts, error: unknown): void {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  facts.error = { ...(code ? { code } : {}), message: describeError(error) };
  const alert = alertFromError(error);
  if (alert) facts.errorAlert = alert;
}

/** A failed TCP connect, as the observation records it. */
function connectOutcome(error: unknown): TcpConnectOutcome {
  switch (socketErrorKind(error)) {
    case 'refused':
      return 'refused';
    case 'timeout':
      return 'timeout';
    case 'unreachable':
      return 'unreachable';
    default:
      return 'error';
  }
}
