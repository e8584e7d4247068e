// What the TLS handshake of a probe established, as the checks after tls-handshake read it:
// whether the server answered TLS (a demanded client certificate counts: gather decides that
// and records handshake.outcome 'client-certificate-required'), whether the run's --timeout cut
// it short, and why there is no session or certificate to examine.
import type { TlsProbeObservation } from '../../model/observations.js';
import type { CodeTable } from '../types.js';
import { RAISE_TIMEOUT_ADVICE } from './deadline.js';
import { peerEndpoint } from '../../model/ip.js';
import { connectionFailurePhrase } from './peers.js';

/** The protocol versions Microsoft 365 and the Expressway-C accept. */
const MODERN_PROTOCOLS = new Set(['TLSv1.2', 'TLSv1.3']);

export function isModernProtocol(protocol: string): boolean {
  return MODERN_PROTOCOLS.has(protocol);
}

/** The legacy versions (TLS 1.0, 1.1) the peer completed a handshake at when offered TLS 1.0/1.1 without anything newer. */
export function acceptedLegacyProtocols(probe: TlsProbeObservation): string[] {
  return probe.legacyProtocols.filter((legacy) => legacy.result === 'accepted').map((legacy) => legacy.protocol);
}

/** The server answered TLS and ended the handshake only because it demands a client certificate (gather's verdict). */
export function demandedClientCertificate(probe: TlsProbeObservation): boolean {
  return probe.handshake?.outcome === 'client-certificate-required';
}

/**
 * True when the run's --timeout, not the peer, ended the handshake: nothing is known about the
 * peer, so no check may judge it on this probe.
 */
export function handshakeCutShort(probe: TlsProbeObservation): boolean {
  return probe.handshake?.outcome === 'aborted';
}

/** True when the handshake presenting --cert was ended by the run's --timeout rather than answered. */
export function presentedCertificateCutShort(probe: TlsProbeObservation): boolean {
  return probe.clientAuth.presentedCertificate?.cutShort === true;
}

/** True when the server spoke TLS through to the end of its part of the handshake. */
export function serverAnsweredTls(probe: TlsProbeObservation): boolean {
  return probe.handshake?.outcome === 'ok' || demandedClientCertificate(probe);
}

/** A short phrase for a handshake that did not get through, or undefined when it did. */
export function handshakeFailurePhrase(probe: TlsProbeObservation): string | undefined {
  const handshake = probe.handshake;
  if (!handshake) return 'no TLS handshake was recorded';
  if (serverAnsweredTls(probe)) return undefined;
  switch (handshake.outcome) {
    case 'plaintext':
      return 'the port answers in plain text';
    case 'reset':
      return 'the connection was reset';
    case 'closed':
      return 'the server closed the connection';
    case 'timeout':
      return `no TLS reply within ${Math.round(handshake.durationMs)} ms`;
    case 'aborted':
      return "the run's --timeout expired during the handshake";
    case 'alert':
      return `TLS alert ${handshake.alert ?? 'received'}`;
    case 'protocol-mismatch':
      return 'no protocol version in common at TLS 1.2 or newer';
    default:
      return handshake.error ?? 'handshake error';
  }
}

/** The skip variant of a check that needs the TLS session with the peer (tlsSessionUnavailable). */
export const TLS_SESSION_PREREQUISITE_CODES = {
  'no-tls-session': { status: 'skip', summary: 'The TCP connection or the TLS handshake failed (see tls-connect, tls-handshake).' },
} satisfies CodeTable;

/**
 * Why there is no TLS session to examine, as a full sentence ending in the consequence, or
 * undefined when the server answered TLS (a demand for a client certificate counts as answered).
 */
export function tlsSessionUnavailable(probe: TlsProbeObservation, consequence: string): string | undefined {
  const subject = peerEndpoint(probe);
  const connectFailure = connectionFailurePhrase(probe);
  if (connectFailure !== undefined) return `The TCP connection to ${subject} ${connectFailure}, so ${consequence}.`;
  if (handshakeCutShort(probe)) {
    return (
      `The TLS handshake with ${subject} was cut short: the run's --timeout expired during it, so ${consequence} ` +
      `(nothing is known about the peer). ${RAISE_TIMEOUT_ADVICE}`
    );
  }
  const handshakeFailure = handshakeFailurePhrase(probe);
  if (handshakeFailure !== undefined) return `TLS handshake with ${subject} failed (${handshakeFailure}), so ${consequence}.`;
  return undefined;
}

/**
 * Why the peer's certificate is not available, or undefined when it is. A server sends its
 * certificate before asking for the client's, so a failed handshake can still have one.
 */
export function certificateUnavailable(
  probe: TlsProbeObservation,
  consequence = 'the certificate could not be examined',
): string | undefined {
  if (probe.chain.length > 0) return undefined;
  return (
    tlsSessionUnavailable(probe, consequence) ??
    `${peerEndpoint(probe)} sent no certificate in the TLS handshake, so ${consequence}.`
  );
}
