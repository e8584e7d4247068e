// sip-options: with --sip-options, a SIP OPTIONS request sent over TLS to every federation peer
// gets a SIP response. Any status code proves that a SIP stack, not some other service or a
// middlebox, answers behind the TLS listener; silence, non-SIP bytes or a hang-up do not.
import type { Finding } from '../model/findings.js';
import type { SipOptionsObservation, TlsProbeObservation } from '../model/observations.js';
import { peerEndpoint } from '../model/ip.js';
import { RAISE_TIMEOUT_ADVICE } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { connectionFailurePhrase, federationProbes } from './shared/peers.js';
import {
  TLS_SESSION_PREREQUISITE_CODES,
  demandedClientCertificate,
  presentedCertificateCutShort,
  tlsSessionUnavailable,
} from './shared/tls-session.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'sip-options',
  title: 'SIP OPTIONS over TLS gets a SIP response',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'With --sip-options: a SIP OPTIONS request sent over a TLS connection to every federation peer gets a SIP response. Any status code counts: it proves a SIP stack answers behind the TLS listener.',
  impact:
    "A TLS listener that is not the Expressway-E's SIP stack (another service behind the port forward, a TLS-terminating proxy, a firewall SIP ALG holding the stream) completes the handshake and then never answers SIP: Microsoft's edge times out and its users see federation fail with no trace on the Expressway-E.",
  source: 'RFC 3261 §11 (OPTIONS) and §18 (SIP over TLS); Cisco Expressway SIP configuration (Configuration > Protocols > SIP); DESIGN §2 (sip-options)',
  remediation:
    "Forward the SRV port straight to the Expressway-E's SIP TLS listener (Configuration > Protocols > SIP: TLS mode On), not to another device or service, and disable SIP inspection (SIP ALG) on the firewall for this traffic.",
  codes: {
    pass: { status: 'pass', summary: 'The peer answered OPTIONS with a SIP response (any status code).' },
    'no-response': { status: 'fail', summary: 'TLS is accepted but no SIP response came: no SIP stack answers behind the listener.' },
    'not-sip': { status: 'fail', summary: 'The peer answered OPTIONS with bytes that are not SIP.' },
    closed: { status: 'fail', summary: 'The peer closed the connection without a SIP response.' },
    'certificate-rejected': { status: 'skip', summary: 'The peer rejected the client certificate presented, so the request was never read (see tls-client-auth).' },
    'client-certificate-needed': { status: 'skip', summary: 'The peer demands a client certificate and none was presented: pass --cert/--key.' },
    ...TLS_SESSION_PREREQUISITE_CODES,
    'not-recorded': { status: 'skip', summary: 'No SIP OPTIONS exchange was recorded for the peer.' },
    'handshake-failed': { status: 'error', summary: "The OPTIONS request's own TLS handshake failed, although the TLS probe's had succeeded." },
    'undetermined-close': { status: 'error', summary: "The peer hung up, and whether it refuses the --cert certificate is unknown (the run's --timeout cut that short)." },
    'local-error': { status: 'error', summary: "The exchange failed on this machine's side or was cut short." },
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

type Outcome = SipOptionsObservation['outcome'];

function sipData(sip: SipOptionsObservation): Record<string, unknown> {
  return {
    outcome: sip.outcome,
    ...(sip.statusCode !== undefined ? { statusCode: sip.statusCode } : {}),
    ...(sip.statusLine !== undefined ? { statusLine: sip.statusLine } : {}),
    ...(sip.server !== undefined ? { server: sip.server } : {}),
    ...(sip.userAgent !== undefined ? { userAgent: sip.userAgent } : {}),
    ...(sip.rttMs !== undefined ? { rttMs: Math.round(sip.rttMs) } : {}),
    ...(sip.error !== undefined ? { error: sip.error } : {}),
  };
}

/** "SIP/2.0 200 OK" → "200 OK"; the code alone when the line is missing. */
function statusText(sip: SipOptionsObservation): string {
  const line = sip.statusLine?.replace(/^SIP\/2\.0\s+/i, '').trim();
  return line || String(sip.statusCode ?? 'a status');
}

function identification(sip: SipOptionsObservation): string {
  const parts = [
    ...(sip.server !== undefined ? [`Server: ${sip.server}`] : []),
    ...(sip.userAgent !== undefined ? [`User-Agent: ${sip.userAgent}`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/** What a status class, or a code worth naming, says about the SIP stack that sent it. */
function statusMeaning(code: number, domain: string): string {
  if (code < 200) {
    return ' Only a provisional response came within the timeout and no final one: a SIP stack is there, but it did not finish the transaction (a proxy waiting on its next hop does this).';
  }
  if (code < 300) return '';
  if (code < 400) {
    return ' A redirect still proves that: the server asks to be reached elsewhere (RFC 3261 §21.3), which a federation edge should not need to do.';
  }
  switch (code) {
    case 404:
      return ` A 404 still proves that: it found no route for sip:${domain}. On an Expressway-E that typically means no search rule matches the domain (towards the Expressway-C and IM and Presence), or the domain is missing from Configuration > Domains.`;
    case 403:
      return ' A 403 still proves that: it understood the request and refuses it (RFC 3261 §21.4.4).';
    case 405:
      return ' A 405 still proves that: it does not allow OPTIONS (RFC 3261 §21.4.6).';
    case 408:
    case 503:
    case 504:
      return ` A ${code} still proves that; from a proxy it usually means the request was forwarded and the next hop did not answer (RFC 3261 §21.4.9, §21.5.4, §21.5.5).`;
    default:
      return ` A ${code} still proves that (RFC 3261 §21: ${code < 500 ? 'the request was refused or could not be served there' : code < 600 ? 'the server failed to process it' : 'a global failure'}).`;
  }
}

function judgeResponse(context: CheckContext, sip: SipOptionsObservation, subject: string): Finding {
  const rtt = sip.rttMs !== undefined ? ` in ${Math.round(sip.rttMs)} ms` : '';
  const code = sip.statusCode ?? 0;
  return found.pass(
    'pass',
    subject,
    `${subject} answered SIP OPTIONS over TLS with ${statusText(sip)}${rtt}${identification(sip)}: a SIP stack is listening.${statusMeaning(code, context.target.domain)}`,
    { data: sipData(sip) },
  );
}

function failRemediation(context: CheckContext, probe: TlsProbeObservation, outcome: Outcome): string {
  if (isPartner(context.target)) {
    return askPartner(
      context.target.domain,
      `make ${probe.address} port ${probe.port} reach their edge's SIP TLS listener (not another service or a firewall SIP ALG): your Expressway-E gets no SIP answer there either.`,
    );
  }
  const forward =
    `Forward TCP ${probe.port} on ${probe.address} straight to the Expressway-E's SIP TLS listener, not to another device or service; ` +
    `on the Expressway-E, set SIP TLS mode On with TLS port ${probe.port} (Configuration > Protocols > SIP)`;
  switch (outcome) {
    case 'not-sip':
      return `${forward}.`;
    case 'closed':
      return `${forward}, and check its event log (Status > Logs > Event Log) for the connection from fedcheck's address being rejected.`;
    default:
      return `${forward}, and disable SIP inspection (SIP ALG) on the firewall for this traffic: an ALG cannot read TLS and may hold or drop the stream.`;
  }
}

function judgeNoResponse(context: CheckContext, probe: TlsProbeObservation, sip: SipOptionsObservation, subject: string): Finding {
  const detail = sip.error ? ` (${sip.error})` : '';
  const fail = (variant: 'no-response' | 'not-sip' | 'closed', message: string): Finding =>
    found.fail(variant, subject, message, failRemediation(context, probe, sip.outcome), { data: sipData(sip) });
  switch (sip.outcome) {
    case 'timeout':
      return fail(
        'no-response',
        `${subject} completed the TLS handshake but sent no SIP response to OPTIONS${detail}. Something accepts TLS there without a SIP stack answering behind it: ` +
          "a port forward to another service, a TLS-terminating proxy or load balancer with no SIP backend, a firewall SIP ALG holding the stream, or an Expressway-E whose SIP TLS mode is off.",
      );
    case 'not-sip':
      return fail(
        'not-sip',
        `${subject} answered SIP OPTIONS with bytes that are not SIP${detail}: the port is forwarded to something other than the Expressway-E's SIP stack.`,
      );
    default:
      return fail(
        'closed',
        `${subject} closed the connection without a SIP response to OPTIONS${detail}: typically a TLS-terminating proxy or load balancer with no SIP backend, a firewall that drops SIP it cannot inspect, or an edge that refuses connections from this address.`,
      );
  }
}

/** The TLS probe saw the peer demand a client certificate and refuse (or not get) ours. */
function refusedClientCertificate(probe: TlsProbeObservation): boolean {
  const presented = probe.clientAuth.presentedCertificate;
  return presented ? !presented.accepted : demandedClientCertificate(probe);
}

function judgeNotSent(probe: TlsProbeObservation, sip: SipOptionsObservation, subject: string): Finding {
  const data = { data: sipData(sip) };
  const why = sip.error ? ` (${sip.error})` : '';
  const presented = probe.clientAuth.presentedCertificate;
  if (presented && !presented.accepted && !presentedCertificateCutShort(probe)) {
    return found.skip(
      'certificate-rejected',
      subject,
      `Not checked: ${subject} rejected the client certificate fedcheck presented (${presented.subject}), so the OPTIONS request was never read${why}; tls-client-auth has the details.`,
      data,
    );
  }
  // The OPTIONS exchange is a handshake of its own, and SipOptionsObservation has no verdict on a
  // demanded client certificate: a demand seen only there (the probe's handshake ended before the
  // server objected) is read from its error text.
  if (!presented && (demandedClientCertificate(probe) || /certificate_required/.test(sip.error ?? ''))) {
    return found.skip(
      'client-certificate-needed',
      subject,
      `Not checked: ${subject} demands a client certificate (mutual TLS) and fedcheck presented none, so the OPTIONS request was never read${why}. ` +
        "Run again with --cert and --key (your Expressway-E's certificate and key, or another certificate the peer trusts) to test SIP over mutual TLS.",
      { ...data, remediation: 'Pass --cert <certificate.pem> --key <key.pem> with a certificate the peer trusts.' },
    );
  }
  const unavailable = tlsSessionUnavailable(probe, 'no SIP request could be sent');
  if (unavailable !== undefined) {
    const explainer = connectionFailurePhrase(probe) !== undefined ? 'tls-connect' : 'tls-handshake';
    return found.skip('no-tls-session', subject, `Not checked: ${unavailable} ${explainer} has the details.`, data);
  }
  return found.error(
    'handshake-failed',
    subject,
    `Could not test ${subject}: the TLS handshake for the OPTIONS request failed${why}, although the TLS probe's own handshake had succeeded. Run again; if it persists, the edge may limit connections per source address.`,
    data,
  );
}

function judgeClosedUnexplained(probe: TlsProbeObservation, sip: SipOptionsObservation, subject: string): Finding {
  const presented = probe.clientAuth.presentedCertificate;
  return found.error(
    'undetermined-close',
    subject,
    `Not determined: ${subject} closed the connection without a SIP response to OPTIONS${sip.error ? ` (${sip.error})` : ''}, ` +
      `which a peer that refuses the client certificate presented with --cert${presented ? ` (${presented.subject})` : ''} also does, ` +
      "and whether it refuses it is unknown: the run's --timeout cut the TLS probe's handshake with that certificate short. " +
      RAISE_TIMEOUT_ADVICE,
    { data: sipData(sip) },
  );
}

function judgeError(probe: TlsProbeObservation, sip: SipOptionsObservation, subject: string): Finding {
  const data = { data: sipData(sip) };
  const connectFailure = connectionFailurePhrase(probe);
  if (connectFailure !== undefined) {
    return found.skip('no-tls-session', subject, `Not checked: the TCP connection to ${subject} ${connectFailure}, so no SIP request could be sent; tls-connect has the details.`, data);
  }
  return found.error(
    'local-error',
    subject,
    `Could not test ${subject}: the SIP OPTIONS exchange failed on this machine's side or was cut short (${sip.error ?? 'unknown error'}), which says nothing about the peer.`,
    data,
  );
}

function judgeSipOptions(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const sip = probe.sipOptions;
  if (sip === undefined) {
    const unavailable = tlsSessionUnavailable(probe, 'no SIP request was sent');
    if (unavailable !== undefined) return found.skip('no-tls-session', subject, `Not checked: ${unavailable}`);
    const why = context.target.deadlineExceeded ? " (the run's --timeout expired first)" : '';
    return found.skip('not-recorded', subject, `Not checked: no SIP OPTIONS exchange with ${subject} was recorded${why}.`);
  }
  switch (sip.outcome) {
    case 'response':
      return judgeResponse(context, sip, subject);
    case 'closed':
      // A server that refuses our client certificate after a TLS 1.3 handshake may just hang up;
      // when the run's --timeout cut the probe's --cert handshake short, whether it did is unknown.
      if (presentedCertificateCutShort(probe)) return judgeClosedUnexplained(probe, sip, subject);
      return refusedClientCertificate(probe) ? judgeNotSent(probe, sip, subject) : judgeNoResponse(context, probe, sip, subject);
    case 'timeout':
    case 'not-sip':
      return judgeNoResponse(context, probe, sip, subject);
    case 'not-sent':
      return judgeNotSent(probe, sip, subject);
    default:
      return judgeError(probe, sip, subject);
  }
}

export const check: Check = {
  meta,
  run(context) {
    // The request is only made with --sip-options, on peers that were probed; without it there is nothing to judge.
    const probes = federationProbes(context.target);
    if (!probes.some((probe) => probe.sipOptions !== undefined)) return [];
    return probes.map((probe) => judgeSipOptions(context, probe, peerEndpoint(probe)));
  },
};
