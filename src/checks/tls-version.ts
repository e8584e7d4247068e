// tls-version: the peer negotiates TLS 1.2 or newer and no longer accepts TLS 1.0/1.1.
//
// A legacy probe that ended in 'error' is a failure of fedcheck's own client (OpenSSL refusing
// to offer TLS 1.0/1.1 at all), not the server's answer: it never changes the status; the message
// only notes that the version was not tested.
import type { Finding } from '../model/findings.js';
import type { LegacyProtocolProbe, TlsProbeObservation } from '../model/observations.js';
import { RAISE_TIMEOUT_ADVICE } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { NO_PEERS_CODES, connectionFailurePhrase, judgeEachPeer } from './shared/peers.js';
import {
  acceptedLegacyProtocols,
  handshakeCutShort,
  handshakeFailurePhrase,
  isModernProtocol,
  serverAnsweredTls,
} from './shared/tls-session.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'tls-version',
  title: 'TLS 1.2 or newer on every federation edge address',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule: 'Every peer negotiates TLS 1.2 or newer; still accepting TLS 1.0 or 1.1 when offered is a warning.',
  impact:
    'Microsoft 365 refuses TLS older than 1.2 for federation since 2018 (and Skype for Business Server can be set to do the same): a peer limited to TLS 1.0/1.1 cannot federate with it. Accepting TLS 1.0/1.1 besides 1.2 works but leaves deprecated protocols open (RFC 8996).',
  source: 'RFC 8996 (TLS 1.0 and 1.1 deprecated); Microsoft 365 TLS 1.0/1.1 deprecation (2018); DESIGN §2',
  remediation:
    'Set the SIP minimum TLS version on the Expressway-E to TLS 1.2 (Maintenance > Security > Ciphers) and make sure TLS 1.2 cipher suites are enabled.',
  codes: {
    pass: { status: 'pass', summary: 'The peer negotiates TLS 1.2 or newer and refuses TLS 1.0 and 1.1.' },
    'legacy-accepted': { status: 'warn', summary: 'The peer negotiates TLS 1.2+ but still accepts TLS 1.0 or 1.1 when offered them without anything newer.' },
    'old-protocol': { status: 'fail', summary: 'The peer negotiated a version below TLS 1.2.' },
    'no-modern-protocol': { status: 'fail', summary: 'The peer refuses a TLS 1.2+ handshake (it speaks only older versions).' },
    aborted: { status: 'error', summary: "The run's --timeout expired during the handshake, so the version is unknown." },
    'not-connected': { status: 'skip', summary: 'The TCP connection failed (see tls-connect).' },
    'no-handshake': { status: 'skip', summary: 'The TLS handshake failed, so no version was negotiated (see tls-handshake).' },
    'not-recorded': { status: 'skip', summary: 'The peer ended the handshake (it demands a client certificate) before the version was recorded.' },
    ...NO_PEERS_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function legacyNote(legacy: LegacyProtocolProbe[]): string {
  const refused = legacy.filter((probe) => probe.result === 'refused').map((probe) => probe.protocol);
  const untestable = legacy.filter((probe) => probe.result === 'error');
  const notes: string[] = [];
  if (refused.length > 0) notes.push(`it refuses ${refused.join(' and ')}`);
  for (const probe of untestable) {
    notes.push(
      `${probe.protocol} was not tested: fedcheck's own TLS client could not offer it${probe.detail ? ` (${probe.detail})` : ''}, which says nothing about the server`,
    );
  }
  return notes.length > 0 ? ` ${notes.map((note) => `${note.charAt(0).toUpperCase()}${note.slice(1)}.`).join(' ')}` : '';
}

function judgeVersion(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const connectFailure = connectionFailurePhrase(probe);
  if (connectFailure !== undefined) {
    return found.skip('not-connected', subject, `The TCP connection to ${subject} ${connectFailure}, so the TLS version could not be read.`);
  }
  const legacyAccepted = acceptedLegacyProtocols(probe);
  const protocol = probe.handshake?.protocol;
  const data = { ...(protocol ? { protocol } : {}), legacyAccepted };
  const note = legacyNote(probe.legacyProtocols);
  const partner = isPartner(context.target);
  const partnerRemediation = askPartner(context.target.domain, 'enable TLS 1.2 and disable TLS 1.0 and 1.1 for SIP federation on their edge.');
  const enableModern = partner
    ? partnerRemediation
    : 'Enable TLS 1.2 (and 1.3 where available) for SIP on the Expressway-E: set its SIP minimum TLS version to TLS 1.2 ' +
      '(Maintenance > Security > Ciphers) and make sure TLS 1.2 cipher suites are enabled.';

  if (handshakeCutShort(probe)) {
    const legacyOnly =
      legacyAccepted.length > 0
        ? ` It did complete ${legacyAccepted.join(' and ')} handshakes when offered nothing newer (deprecated, RFC 8996).`
        : '';
    return found.error(
      'aborted',
      subject,
      `Not determined: the run's --timeout expired during the TLS 1.2+ handshake with ${subject}, so the version it ` +
        `negotiates is unknown. ${RAISE_TIMEOUT_ADVICE}${legacyOnly}${note}`,
      { data },
    );
  }
  if (probe.handshake?.outcome === 'protocol-mismatch' || (!serverAnsweredTls(probe) && legacyAccepted.length > 0)) {
    const only = legacyAccepted.length > 0 ? ` but completed one at ${legacyAccepted.join(' and ')}` : '';
    return found.fail(
      'no-modern-protocol',
      subject,
      `${subject} does not negotiate TLS 1.2 or newer: it refused the TLS 1.2+ handshake (${handshakeFailurePhrase(probe) ?? 'no common version'})${only}. ` +
        `Microsoft 365 refuses TLS below 1.2, so federation with it fails.${note}`,
      enableModern,
      { data },
    );
  }
  if (!serverAnsweredTls(probe)) {
    return found.skip(
      'no-handshake',
      subject,
      `TLS handshake with ${subject} failed (${handshakeFailurePhrase(probe)}), so the TLS version could not be read.`,
      { data },
    );
  }
  if (!protocol) {
    return found.skip(
      'not-recorded',
      subject,
      `${subject} ended the handshake (it demands a client certificate) before the negotiated TLS version was recorded, so it could not be read.${note}`,
      { data },
    );
  }
  if (!isModernProtocol(protocol)) {
    return found.fail(
      'old-protocol',
      subject,
      `${subject} negotiated ${protocol}: Microsoft 365 refuses TLS below 1.2, so federation with it fails.${note}`,
      enableModern,
      { data },
    );
  }
  if (legacyAccepted.length > 0) {
    return found.warn(
      'legacy-accepted',
      subject,
      `${subject} negotiates ${protocol} but still accepts ${legacyAccepted.join(' and ')} when a client offers only that: deprecated protocols (RFC 8996) left open.${note}`,
      partner
        ? partnerRemediation
        : 'Set the SIP minimum TLS version on the Expressway-E to TLS 1.2 (Maintenance > Security > Ciphers) so that TLS 1.0 and 1.1 are refused.',
      { data },
    );
  }
  return found.pass('pass', subject, `${subject} negotiates ${protocol}.${note}`, { data });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, found, (probe, subject) => judgeVersion(context, probe, subject));
  },
};
