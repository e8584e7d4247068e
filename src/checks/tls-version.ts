// tls-version: the peer negotiates TLS 1.2 or newer and no longer accepts TLS 1.0/1.1.
//
// A legacy probe that ended in 'error' is a failure of fedcheck's own client (OpenSSL refusing
// to offer TLS 1.0/1.1 at all), not the server's answer: it never changes the status; the message
// only notes that the version was not tested.
import type { Finding } from '../model/findings.js';
import type { LegacyProtocolProbe, TlsProbeObservation } from '../model/observations.js';
import { askPartner, isPartner } from './support.js';
import type { Check, CheckContext, CheckMeta } from './types.js';
import { connectionFailurePhrase, judgeEachPeer, tlsFinding } from './tls-connect.js';
import {
  RUN_AGAIN_WITH_LONGER_TIMEOUT,
  handshakeCutShort,
  handshakeFailurePhrase,
  serverAnsweredTls,
} from './tls-handshake.js';

const MODERN_PROTOCOLS = new Set(['TLSv1.2', 'TLSv1.3']);

const meta: CheckMeta = {
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
};

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
    return tlsFinding(meta, 'skip', subject, `The TCP connection to ${subject} ${connectFailure}, so the TLS version could not be read.`);
  }
  const legacyAccepted = probe.legacyProtocols.filter((legacy) => legacy.result === 'accepted').map((legacy) => legacy.protocol);
  const protocol = probe.handshake?.protocol;
  const data = { ...(protocol ? { protocol } : {}), legacyAccepted };
  const note = legacyNote(probe.legacyProtocols);
  const partner = isPartner(context.target);
  const remediation = partner
    ? askPartner(context.target.domain, 'enable TLS 1.2 and disable TLS 1.0 and 1.1 for SIP federation on their edge.')
    : undefined;

  if (handshakeCutShort(probe)) {
    const legacyOnly =
      legacyAccepted.length > 0
        ? ` It did complete ${legacyAccepted.join(' and ')} handshakes when offered only that (deprecated, RFC 8996).`
        : '';
    return tlsFinding(
      meta,
      'error',
      subject,
      `Not determined: the run's --timeout expired during the TLS 1.2+ handshake with ${subject}, so the version it ` +
        `negotiates is unknown. ${RUN_AGAIN_WITH_LONGER_TIMEOUT}${legacyOnly}${note}`,
      { data },
    );
  }
  if (probe.handshake?.outcome === 'protocol-mismatch' || (!serverAnsweredTls(probe) && legacyAccepted.length > 0)) {
    const only = legacyAccepted.length > 0 ? ` but completed one at ${legacyAccepted.join(' and ')}` : '';
    return tlsFinding(
      meta,
      'fail',
      subject,
      `${subject} does not negotiate TLS 1.2 or newer: it refused the TLS 1.2+ handshake (${handshakeFailurePhrase(probe) ?? 'no common version'})${only}. ` +
        `Microsoft 365 refuses TLS below 1.2, so federation with it fails.${note}`,
      { data, ...(remediation ? { remediation } : {}) },
    );
  }
  if (!serverAnsweredTls(probe)) {
    return tlsFinding(
      meta,
      'skip',
      subject,
      `TLS handshake with ${subject} failed (${handshakeFailurePhrase(probe)}), so the TLS version could not be read.`,
      { data },
    );
  }
  if (!protocol) {
    return tlsFinding(
      meta,
      'skip',
      subject,
      `${subject} ended the handshake (it demands a client certificate) before the negotiated TLS version was recorded, so it could not be read.${note}`,
      { data },
    );
  }
  if (!MODERN_PROTOCOLS.has(protocol)) {
    return tlsFinding(
      meta,
      'fail',
      subject,
      `${subject} negotiated ${protocol}: Microsoft 365 refuses TLS below 1.2, so federation with it fails.${note}`,
      { data, ...(remediation ? { remediation } : {}) },
    );
  }
  if (legacyAccepted.length > 0) {
    return tlsFinding(
      meta,
      'warn',
      subject,
      `${subject} negotiates ${protocol} but still accepts ${legacyAccepted.join(' and ')} when a client offers only that: deprecated protocols (RFC 8996) left open.${note}`,
      {
        data,
        remediation:
          remediation ??
          'Set the SIP minimum TLS version on the Expressway-E to TLS 1.2 (Maintenance > Security > Ciphers) so that TLS 1.0 and 1.1 are refused.',
      },
    );
  }
  return tlsFinding(meta, 'pass', subject, `${subject} negotiates ${protocol}.${note}`, { data });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, meta, (probe, subject) => judgeVersion(context, probe, subject));
  },
};
