// tls-handshake: every peer that accepts TCP completes a TLS handshake. A peer that demands a
// client certificate (gather records handshake.outcome 'client-certificate-required') answers
// correctly: federation is mutual TLS.
import type { Finding } from '../model/findings.js';
import type { TlsProbeObservation } from '../model/observations.js';
import { RAISE_TIMEOUT_ADVICE } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { NO_PEERS_CODES, connectionFailurePhrase, judgeEachPeer } from './shared/peers.js';
import { demandedClientCertificate, presentedCertificateCutShort } from './shared/tls-session.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
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
  codes: {
    pass: { status: 'pass', summary: 'The TLS handshake completed.' },
    'client-certificate-demanded': { status: 'pass', summary: 'The peer answers TLS and demands a client certificate (mutual TLS): expected.' },
    plaintext: { status: 'fail', summary: 'The port answers in plain text, not TLS.' },
    reset: { status: 'fail', summary: 'The peer accepted TCP, then reset the connection before the handshake finished (a load balancer without a healthy backend, a firewall).' },
    closed: { status: 'fail', summary: 'The peer closed the connection during the handshake without a TLS alert.' },
    timeout: { status: 'fail', summary: 'TCP connected but no TLS reply came: the handshake stalled.' },
    alert: { status: 'fail', summary: 'The peer ended the handshake with a TLS alert.' },
    'unrecognized-name': { status: 'fail', summary: 'The peer refused the SNI name (alert unrecognized_name).' },
    'protocol-mismatch': { status: 'fail', summary: 'The peer shares no TLS version with a TLS 1.2+ client (see tls-version).' },
    aborted: { status: 'error', summary: "The run's --timeout expired during the handshake." },
    'not-recorded': { status: 'error', summary: 'TCP connected but no TLS handshake was recorded.' },
    'handshake-error': { status: 'error', summary: 'The handshake failed with an error fedcheck cannot attribute to the peer.' },
    'not-connected': { status: 'skip', summary: 'The TCP connection failed, so no handshake was attempted (see tls-connect).' },
    ...NO_PEERS_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

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

function normalizeAlert(alert: string | undefined): string {
  return (alert ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function judgeHandshake(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const connectFailure = connectionFailurePhrase(probe);
  if (connectFailure !== undefined) {
    return found.skip('not-connected', subject, `The TCP connection to ${subject} ${connectFailure}, so no TLS handshake was attempted.`);
  }
  const handshake = probe.handshake;
  if (!handshake) {
    return found.error('not-recorded', subject, `TCP connected to ${subject}, but no TLS handshake was recorded.`);
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
  const fail = (variant: 'plaintext' | 'reset' | 'closed' | 'timeout' | 'alert' | 'unrecognized-name' | 'protocol-mismatch', message: string, localRemediation: string): Finding =>
    found.fail(variant, subject, message, partner ? partnerRemediation(context, subject) : localRemediation, { data });

  if (handshake.outcome === 'ok') {
    return found.pass('pass', subject, `TLS handshake with ${subject} completed${negotiated ? ` (${negotiated})` : ''} in ${ms} ms.`, { data });
  }
  if (demandedClientCertificate(probe)) {
    const presented = probe.clientAuth.presentedCertificate;
    let how = 'ended the handshake because fedcheck presented none';
    if (presented?.accepted) how += ` (it accepted the one presented with --cert, ${presented.subject})`;
    else if (presentedCertificateCutShort(probe)) how += " (the handshake presenting --cert was cut short by the run's --timeout)";
    else if (presented) how = `rejected the client certificate fedcheck presented (${presented.subject})`;
    const alert = handshake.alert ? ` with the alert ${handshake.alert}` : '';
    return found.pass(
      'client-certificate-demanded',
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
        'plaintext',
        `The port answers in plain text${shown} — it is ${plaintextListener(sample)}. Microsoft's edge expects a TLS handshake on ${subject}.`,
        `Forward TCP ${probe.port} on ${probe.address} to the Expressway-E's SIP TLS port (Configuration > Protocols > SIP: TLS mode On, TLS port ${probe.port}), not to its SIP TCP port (5060) or another service, and disable firewall SIP inspection for this traffic.`,
      );
    }
    case 'reset':
      return fail(
        'reset',
        `${subject} accepted the TCP connection, then reset it (TCP RST) before the TLS handshake finished; Microsoft's edge meets the same reset, ` +
          'so no federation connection gets through this address. That is what a load balancer or port forward with no healthy backend does ' +
          '(it completes the TCP handshake itself, then resets when it has no server to hand the connection to), as does a firewall or IPS ' +
          `that kills TLS or SIP streams, or a server that rejects the ClientHello (SNI ${probe.host}) with a reset instead of an alert.`,
        `Check what answers TCP ${probe.port} on ${probe.address}: a load balancer or port forward needs a healthy Expressway-E behind it ` +
          `(its health check on the Expressway-E's SIP TLS port ${probe.port}, the Expressway-E listening there: Configuration > Protocols > SIP, TLS mode On); ` +
          `a firewall's log shows the resets it sends, and its SIP or TLS inspection must be off for this traffic. Then ` +
          `"openssl s_client -connect ${subject} -servername ${probe.host}" from outside must show the Expressway-E's certificate.`,
      );
    case 'closed':
      return fail(
        'closed',
        `${subject} closed the connection during the TLS handshake without a TLS alert: typically a load balancer or proxy with no working backend, or a server that refuses the ClientHello silently.`,
        `Check what answers TCP ${probe.port} on ${probe.address}: it must be the Expressway-E's SIP TLS listener (or a TCP pass-through to it), not a proxy that terminates or drops the connection.`,
      );
    case 'aborted':
      return found.error(
        'aborted',
        subject,
        `Not determined: the run's --timeout expired during the TLS handshake with ${subject} (${ms} ms after TCP connected), ` +
          `so nothing is known about the peer. ${RAISE_TIMEOUT_ADVICE}`,
        { data },
      );
    case 'timeout':
      return fail(
        'timeout',
        `The TLS handshake with ${subject} stalled: TCP connected, but no TLS reply came within ${ms} ms — typically a port forward to a host that accepts TCP and never answers (a load balancer without a healthy backend, a SIP ALG holding the stream), or a listener that waits for plain SIP.`,
        `Check what accepts TCP ${probe.port} on ${probe.address}: forward it straight to the Expressway-E's SIP TLS listener and disable SIP inspection on the firewall for this traffic.`,
      );
    case 'alert': {
      const alert = normalizeAlert(handshake.alert) || 'unknown';
      return fail(
        alert === 'unrecognized_name' ? 'unrecognized-name' : 'alert',
        `${subject} ended the TLS handshake with the alert ${alert}: ${alertExplanation(alert, probe.host)}${handshake.error ? ` (${handshake.error})` : ''}.`,
        alert === 'unrecognized_name'
          ? `Configure the server to accept ${probe.host} as its TLS server name (or to ignore SNI).`
          : `Allow current TLS 1.2/1.3 cipher suites on the Expressway-E (Maintenance > Security > Ciphers, SIP TLS) and check that its server certificate and key are valid.`,
      );
    }
    case 'protocol-mismatch':
      return fail(
        'protocol-mismatch',
        `${subject} shares no TLS version with a TLS 1.2+ client: it only speaks older protocols, which Microsoft 365 refuses (tls-version has the details).`,
        'Enable TLS 1.2 (and 1.3 where available) for SIP on the Expressway-E (Maintenance > Security > Ciphers: minimum TLS version for SIP).',
      );
    default:
      return found.error(
        'handshake-error',
        subject,
        `The TLS handshake with ${subject} failed with an error fedcheck cannot attribute to the server: ${handshake.error ?? handshake.outcome}.`,
        { data },
      );
  }
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, found, (probe, subject) => judgeHandshake(context, probe, subject));
  },
};
