// tls-client-auth: whether the peer asks for a client certificate (mutual TLS, expected for
// federation: informational), and, with --cert/--key, whether it accepts the one presented.
import type { Finding } from '../model/findings.js';
import type { TlsProbeObservation } from '../model/observations.js';
import { RAISE_TIMEOUT_ADVICE } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { NO_PEERS_CODES, judgeEachPeer } from './shared/peers.js';
import {
  TLS_SESSION_PREREQUISITE_CODES,
  handshakeCutShort,
  presentedCertificateCutShort,
  tlsSessionUnavailable,
} from './shared/tls-session.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'tls-client-auth',
  title: 'Mutual TLS: client certificate requested and accepted',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'Reports whether the peer asks for or demands a client certificate (expected: Expressway-E and Skype for Business edges do). With --cert/--key, the handshake presenting that certificate must succeed.',
  impact:
    "Federation is mutual TLS: each edge presents its certificate to the other. If the peer rejects the certificate your edge presents, connections in that direction fail even though the peer's own certificate is fine.",
  source: 'RFC 8446 §4.3.2 and RFC 5246 §7.4.4 (CertificateRequest); Microsoft Skype for Business federation (MTLS between edges); DESIGN §2',
  remediation:
    "Make the peer trust the CA that issued the presented certificate (on Expressway-E: Maintenance > Security > Trusted CA certificate), and present a certificate with clientAuth in its Extended Key Usage.",
  codes: {
    required: { status: 'info', summary: 'The peer demands a client certificate (mutual TLS): expected.' },
    requested: { status: 'info', summary: 'The peer asks for a client certificate but continues without one.' },
    'not-requested': { status: 'info', summary: 'The peer does not ask for a client certificate: unusual for a federation edge.' },
    unknown: { status: 'info', summary: 'Whether the peer asks for a client certificate could not be determined.' },
    accepted: { status: 'pass', summary: 'The peer accepted the client certificate presented with --cert.' },
    rejected: { status: 'fail', summary: 'The peer rejected the client certificate presented with --cert.' },
    'presented-cut-short': { status: 'error', summary: "The run's --timeout cut the handshake presenting --cert short." },
    aborted: { status: 'error', summary: "The run's --timeout cut the handshake short, so whether the peer asks is unknown." },
    ...TLS_SESSION_PREREQUISITE_CODES,
    ...NO_PEERS_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function describeRequest(requested: TlsProbeObservation['clientAuth']['requested']): string {
  switch (requested) {
    case 'required':
      return 'demands a client certificate (mutual TLS)';
    case 'requested':
      return 'asks for a client certificate but continues without one';
    case 'not-requested':
      return 'does not ask for a client certificate';
    default:
      return 'may or may not ask for a client certificate (it could not be determined)';
  }
}

function judgeClientAuth(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const unavailable = tlsSessionUnavailable(probe, 'whether it asks for a client certificate could not be seen');
  const { requested, presentedCertificate } = probe.clientAuth;
  // A rejection after a handshake that failed for another reason (plain text, reset) says nothing about the certificate.
  // Whether the peer asks is read from its own handshake, so one cut short by the run's --timeout leaves it undetermined.
  if (unavailable !== undefined) {
    return handshakeCutShort(probe) ? found.error('aborted', subject, unavailable) : found.skip('no-tls-session', subject, unavailable);
  }
  const data = {
    requested,
    ...(presentedCertificate
      ? { presented: presentedCertificate.subject, accepted: presentedCertificate.accepted, ...(presentedCertificate.error ? { error: presentedCertificate.error } : {}) }
      : {}),
  };
  const request = `${subject} ${describeRequest(requested)}`;

  if (presentedCertificate) {
    if (presentedCertificateCutShort(probe)) {
      return found.error(
        'presented-cut-short',
        subject,
        `${request}; whether it accepts the client certificate ${presentedCertificate.subject} presented with --cert is not ` +
          `determined: the run's --timeout expired during that handshake${presentedCertificate.error ? ` (${presentedCertificate.error})` : ''}. ` +
          RAISE_TIMEOUT_ADVICE,
        { data },
      );
    }
    if (presentedCertificate.accepted) {
      return found.pass(
        'accepted',
        subject,
        `${request}; it accepted the client certificate ${presentedCertificate.subject} presented with --cert.`,
        { data },
      );
    }
    return found.fail(
      'rejected',
      subject,
      `${request}; it rejected the client certificate ${presentedCertificate.subject} presented with --cert${presentedCertificate.error ? `: ${presentedCertificate.error}` : ''}. ` +
        'Connections in which this certificate is the client side fail.',
      isPartner(context.target)
        ? `Their edge does not accept your certificate: make sure it is issued by a public CA and carries clientAuth in its Extended Key Usage. ` + askPartner(context.target.domain, 'trust the CA that issued it if it is private.')
        : `Add the CA that issued ${presentedCertificate.subject} to the Expressway-E's trusted CA list (Maintenance > Security > Trusted CA certificate), and check that the certificate carries clientAuth in its Extended Key Usage.`,
      { data },
    );
  }

  const why =
    requested === 'required' || requested === 'requested'
      ? ' That is expected: federation is mutual TLS, and Expressway-E and Skype for Business edges ask for the partner\'s certificate.'
      : requested === 'not-requested'
        ? " Expressway-E and Skype for Business edges normally ask for the partner's certificate (federation is mutual TLS); a device in front of the edge that terminates TLS would explain it."
        : '';
  return found.info(requested, subject, `${request}.${why} Pass --cert/--key to test that it accepts your edge's certificate.`, { data });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, found, (probe, subject) => judgeClientAuth(context, probe, subject));
  },
};
