// tls-handshake: every peer that accepts TCP completes a TLS handshake. This file also holds the
// prerequisite readings later checks use to skip with a reason: no TLS session, no certificate.
import type { Finding } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { askPartner, isPartner } from './support.js';
import type { Check, CheckContext, CheckMeta } from './types.js';
import { connectionFailurePhrase, judgeEachPeer, peerSubject, tlsFinding } from './tls-connect.js';

/** TLS alerts a server sends when it wanted a client certificate and got none it accepts. */
const CLIENT_CERTIFICATE_ALERTS = new Set([
  'certificate_required',
  'handshake_failure',
  'bad_certificate',
  'certificate_unknown',
  'unknown_ca',
  'access_denied',
]);

/**
 * True when the server answered TLS and ended the handshake only because it demands mutual TLS.
 * A certificate-related alert after the server asked for a required client certificate counts:
 * the server sends its CertificateRequest after cipher and version are agreed, so by then only
 * the client certificate can be what it objects to.
 */
export function demandedClientCertificate(probe: TlsProbeObservation): boolean {
  const handshake = probe.handshake;
  if (!handshake) return false;
  if (handshake.outcome === 'client-certificate-required') return true;
  return (
    handshake.outcome === 'alert' &&
    probe.clientAuth.requested === 'required' &&
    CLIENT_CERTIFICATE_ALERTS.has(normalizeAlert(handshake.alert))
  );
}

function normalizeAlert(alert: string | undefined): string {
  return (alert ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
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

/** The advice of every check whose answer the run's --timeout cut off: its last sentence. */
export const RUN_AGAIN_WITH_LONGER_TIMEOUT = 'Run again with a longer --timeout.';

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

/**
 * Why there is no TLS session to examine, as a full sentence ending in the consequence, or
 * undefined when the server answered TLS (a demand for a client certificate counts as answered).
 */
export function tlsSessionUnavailable(probe: TlsProbeObservation, consequence: string): string | undefined {
  const subject = peerSubject(probe);
  const connectFailure = connectionFailurePhrase(probe);
  if (connectFailure !== undefined) return `The TCP connection to ${subject} ${connectFailure}, so ${consequence}.`;
  if (handshakeCutShort(probe)) {
    return (
      `The TLS handshake with ${subject} was cut short: the run's --timeout expired during it, so ${consequence} ` +
      `(nothing is known about the peer). ${RUN_AGAIN_WITH_LONGER_TIMEOUT}`
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
    `${peerSubject(probe)} sent no certificate in the TLS handshake, so ${consequence}.`
  );
}

/**
 * One finding per federation peer for a certificate check: skipped with the reason when the peer
 * sent no certificate, otherwise judged on its leaf (chain[0]) and chain.
 */
export function judgeEachCertificate(
  context: CheckContext,
  meta: CheckMeta,
  judge: (probe: TlsProbeObservation, subject: string, leaf: CertificateInfo) => Finding,
): Finding[] {
  return judgeEachPeer(context, meta, (probe, subject) => {
    const leaf = probe.chain[0];
    const unavailable = certificateUnavailable(probe);
    if (leaf === undefined || unavailable !== undefined) {
      return tlsFinding(meta, 'skip', subject, unavailable ?? `${subject} sent no certificate, so there is nothing to examine.`);
    }
    return judge(probe, subject, leaf);
  });
}

export type ChainElementRole = 'leaf' | 'intermediate' | 'root';

/** The leaf is first; a self-issued certificate after it is the root the server chose to send. */
export function chainElementRole(chain: readonly CertificateInfo[], index: number): ChainElementRole {
  if (index === 0) return 'leaf';
  return chain[index]?.selfIssued ? 'root' : 'intermediate';
}

/** "the leaf CN=sip.example.com", "the intermediate CN=Example CA", for messages. */
export function describeChainElement(chain: readonly CertificateInfo[], index: number): string {
  const certificate = chain[index];
  return `the ${chainElementRole(chain, index)} ${certificate ? certificateLabel(certificate) : `#${index}`}`;
}

export function certificateLabel(certificate: CertificateInfo): string {
  return certificate.subject || (certificate.subjectCN ? `CN=${certificate.subjectCN}` : `serial ${certificate.serialNumber}`);
}

export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_EXTENDED_KEY_USAGE = '2.5.29.37';

/**
 * The parser's note on an extension the certificate carries but that could not be decoded
 * ("extension 2.5.29.17 (subjectAltName) unreadable: …"), or undefined. Such an extension is not
 * absent: judging the certificate as if it were would pass what a strict client rejects.
 */
export function unreadableExtension(certificate: CertificateInfo, oid: string): string | undefined {
  return certificate.parseError?.split('; ').find((problem) => problem.startsWith(`extension ${oid} `));
}

/** A sentence to append when the parser could not read everything, since a missing field may be why a rule failed. */
export function parseNote(certificate: CertificateInfo): string {
  return certificate.parseError ? ` (Part of the certificate could not be parsed: ${certificate.parseError}.)` : '';
}

const meta: CheckMeta = {
  id: 'tls-handshake',
  title: 'TLS handshake with every federation edge address',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'Every address that accepts TCP on the SRV port completes a TLS handshake. A server that demands a client certificate is answering correctly: federation is mutual TLS.',
  impact:
    "Microsoft's edge speaks only SIP over mutual TLS to federation partners. A port that answers in plain text, resets, stalls or sends an alert fails the connection before any SIP is exchanged: the Expressway-E logs nothing and Microsoft's users cannot reach the domain.",
  source: 'RFC 5246 and RFC 8446 (TLS); RFC 3261 §26.3.1 (SIP over TLS); Cisco IM and Presence federation with Microsoft (seed: "federation is based on TLS throughout")',
  remediation:
    "Forward the SRV port to the Expressway-E's SIP TLS listener (Configuration > Protocols > SIP: TLS mode On), not to its SIP TCP port or another device, and exempt the TLS traffic from firewall SIP inspection (ALG).",
};

const SAMPLE_LENGTH = 60;

/** The first line of what the server sent, quoted; " …" marks that more followed. */
function quoteSample(sample: string): string {
  const firstLine = sample.split(/\\r\\n|\\n|\r?\n/)[0] ?? '';
  const shown = firstLine.length > SAMPLE_LENGTH ? firstLine.slice(0, SAMPLE_LENGTH) : firstLine;
  return `'${shown}${shown.length < sample.length ? ' …' : ''}'`;
}

function plaintextListener(sample: string): string {
  if (/^SIP\/2\.0/i.test(sample)) return 'a SIP listener over plain TCP (a SIP TCP port, or a firewall SIP ALG answering), not TLS';
  if (/^HTTP\/\d/i.test(sample)) return 'a web server, not a SIP TLS listener';
  if (/^SSH-/.test(sample)) return 'an SSH server, not a SIP TLS listener';
  return 'a TCP listener, not TLS';
}

function alertExplanation(alert: string, host: string): string {
  switch (alert) {
    case 'handshake_failure':
    case 'insufficient_security':
      return 'no cipher suite, group or signature algorithm in common with a current TLS 1.2+ client: the server\'s cipher list is too narrow or too old';
    case 'unrecognized_name':
      return `the server does not accept the SNI name ${host}`;
    case 'protocol_version':
      return 'no protocol version in common (see tls-version)';
    case 'internal_error':
      return 'the server failed internally, often because its certificate or private key is unusable';
    default:
      return 'the server refused the handshake';
  }
}

function partnerRemediation(context: CheckContext, subject: string): string {
  return askPartner(context.target.domain, `make ${subject} complete a TLS 1.2+ handshake on their edge's SIP TLS listener: your Expressway-E cannot connect through it either.`);
}

function judgeHandshake(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const connectFailure = connectionFailurePhrase(probe);
  if (connectFailure !== undefined) {
    return tlsFinding(meta, 'skip', subject, `The TCP connection to ${subject} ${connectFailure}, so no TLS handshake was attempted.`);
  }
  const handshake = probe.handshake;
  if (!handshake) {
    return tlsFinding(meta, 'error', subject, `TCP connected to ${subject}, but no TLS handshake was recorded.`);
  }
  const ms = Math.round(handshake.durationMs);
  const data = {
    outcome: handshake.outcome,
    durationMs: ms,
    ...(handshake.protocol ? { protocol: handshake.protocol } : {}),
    ...(handshake.cipher ? { cipher: handshake.cipher } : {}),
    ...(handshake.alert ? { alert: handshake.alert } : {}),
  };
  const partner = isPartner(context.target);
  const negotiated = [handshake.protocol, handshake.cipher].filter(Boolean).join(', ');
  const fail = (message: string, localRemediation: string): Finding =>
    tlsFinding(meta, 'fail', subject, message, {
      data,
      remediation: partner ? partnerRemediation(context, subject) : localRemediation,
    });

  if (handshake.outcome === 'ok') {
    return tlsFinding(meta, 'pass', subject, `TLS handshake with ${subject} completed${negotiated ? ` (${negotiated})` : ''} in ${ms} ms.`, { data });
  }
  if (demandedClientCertificate(probe)) {
    const presented = probe.clientAuth.presentedCertificate;
    let how = 'ended the handshake because fedcheck presented none';
    if (presented?.accepted) how += ` (it accepted the one presented with --cert, ${presented.subject})`;
    else if (presentedCertificateCutShort(probe)) how += " (the handshake presenting --cert was cut short by the run's --timeout)";
    else if (presented) how = `rejected the client certificate fedcheck presented (${presented.subject})`;
    const alert = handshake.outcome === 'alert' && handshake.alert ? ` with the alert ${handshake.alert}` : '';
    return tlsFinding(
      meta,
      'pass',
      subject,
      `${subject} answers TLS${negotiated ? ` (${negotiated})` : ''} and demands a client certificate: it ${how}${alert}. ` +
        'That is expected: federation is mutual TLS (tls-client-auth has the details).',
      { data },
    );
  }
  switch (handshake.outcome) {
    case 'plaintext': {
      const sample = handshake.plaintextSample ?? '';
      const shown = sample ? `: ${quoteSample(sample)}` : '';
      return fail(
        `The port answers in plain text${shown} — it is ${plaintextListener(sample)}. Microsoft's edge expects a TLS handshake on ${subject}.`,
        `Forward TCP ${probe.port} on ${probe.address} to the Expressway-E's SIP TLS port (Configuration > Protocols > SIP: TLS mode On, TLS port ${probe.port}), not to its SIP TCP port (5060) or another service, and disable firewall SIP inspection for this traffic.`,
      );
    }
    case 'reset':
      return fail(
        `The connection to ${subject} was reset during the TLS handshake${handshake.error ? ` (${handshake.error})` : ''}: typically a firewall or IPS that inspects and kills the TLS/SIP stream, or a server that refuses the ClientHello (SNI ${probe.host}, cipher suites) with a reset instead of an alert.`,
        `Check the firewall in front of ${probe.address} for SIP or TLS inspection on port ${probe.port} and disable it for this traffic; check the Expressway-E's event log for TLS errors from fedcheck's address.`,
      );
    case 'closed':
      return fail(
        `${subject} closed the connection during the TLS handshake without a TLS alert: typically a load balancer or proxy with no working backend, or a server that refuses the ClientHello silently.`,
        `Check what answers TCP ${probe.port} on ${probe.address}: it must be the Expressway-E's SIP TLS listener (or a TCP pass-through to it), not a proxy that terminates or drops the connection.`,
      );
    case 'aborted':
      return tlsFinding(
        meta,
        'error',
        subject,
        `Not determined: the run's --timeout expired during the TLS handshake with ${subject} (${ms} ms after TCP connected), ` +
          `so nothing is known about the peer. ${RUN_AGAIN_WITH_LONGER_TIMEOUT}`,
        { data },
      );
    case 'timeout':
      return fail(
        `The TLS handshake with ${subject} stalled: TCP connected, but no TLS reply came within ${ms} ms — typically a port forward to a host that accepts TCP and never answers (a load balancer without a healthy backend, a SIP ALG holding the stream), or a listener that waits for plain SIP.`,
        `Check what accepts TCP ${probe.port} on ${probe.address}: forward it straight to the Expressway-E's SIP TLS listener and disable SIP inspection on the firewall for this traffic.`,
      );
    case 'alert': {
      const alert = normalizeAlert(handshake.alert) || 'unknown';
      return fail(
        `${subject} ended the TLS handshake with the alert ${alert}: ${alertExplanation(alert, probe.host)}${handshake.error ? ` (${handshake.error})` : ''}.`,
        alert === 'unrecognized_name'
          ? `Configure the server to accept ${probe.host} as its TLS server name (or to ignore SNI).`
          : `Allow current TLS 1.2/1.3 cipher suites on the Expressway-E (Maintenance > Security > Ciphers, SIP TLS) and check that its server certificate and key are valid.`,
      );
    }
    case 'protocol-mismatch':
      return fail(
        `${subject} shares no TLS version with a TLS 1.2+ client: it only speaks older protocols, which Microsoft 365 refuses (tls-version has the details).`,
        'Enable TLS 1.2 (and 1.3 where available) for SIP on the Expressway-E (Maintenance > Security > Ciphers: minimum TLS version for SIP).',
      );
    default:
      return tlsFinding(
        meta,
        'error',
        subject,
        `The TLS handshake with ${subject} failed with an error fedcheck cannot attribute to the server: ${handshake.error ?? handshake.outcome}.`,
        { data },
      );
  }
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, meta, (probe, subject) => judgeHandshake(context, probe, subject));
  },
};
