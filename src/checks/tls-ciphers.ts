// tls-ciphers: the peer accepts the TLS 1.2 cipher suites the Microsoft edge offers.
//
// All of Microsoft's suites authenticate the server with RSA: a peer whose certificate has an EC
// key can complete none of them, however many suites it has enabled.
import type { Finding } from '../model/findings.js';
import type { TlsProbeObservation } from '../model/observations.js';
import { MICROSOFT_CIPHER_SUITES, microsoftSuite } from '../model/ciphers.js';
import { RAISE_TIMEOUT_ADVICE } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { NO_PEERS_CODES, judgeEachPeer } from './shared/peers.js';
import { peerEndpoint } from '../model/ip.js';
import { serverAnsweredTls } from './shared/tls-session.js';
import { askPartner, isPartner, listOf } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const DIRECT_ROUTING = MICROSOFT_CIPHER_SUITES.filter((suite) => suite.directRouting).map((suite) => suite.name);

const meta = {
  id: 'tls-ciphers',
  title: 'Cipher suites the Microsoft edge offers',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'Every peer (and the IM and Presence listener) accepts at least one of the eight TLS 1.2 cipher suites Microsoft documents for Microsoft 365 / Teams SIP, and one of the four ECDHE suites with AES-GCM or a SHA-2 MAC among them; accepting only the TLS_RSA_ suites (no forward secrecy) or the SHA-1 CBC suites is a warning.',
  impact:
    "Microsoft's edge offers only these suites. A peer that accepts none of them fails every TLS handshake with Microsoft, and federation is down. All eight are RSA suites, so an Expressway-E whose only certificate has an EC (ECDSA) key matches none of them. A peer left with only the TLS_RSA_ or SHA-1 CBC suites still federates, with suites Microsoft dropped for Direct Routing in April 2022.",
  source:
    'Microsoft 365 encryption technical reference (TLS cipher suites of Microsoft 365 / Teams SIP); Microsoft Teams Direct Routing: cipher suites accepted since April 2022; Microsoft 365 retired TLS 1.0/1.1 (October 2020) and 3DES (2019)',
  remediation:
    'Enable TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 and TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 for SIP TLS on the peer (Expressway: Maintenance > Security > Ciphers, SIP TLS ciphers) and serve an RSA certificate of 2048 bits or more.',
  codes: {
    pass: { status: 'pass', summary: 'The peer accepts one of the four ECDHE suites with AES-GCM or a SHA-2 MAC that Microsoft offers.' },
    'weak-only': { status: 'warn', summary: "Of Microsoft's suites the peer accepts only TLS_RSA_ suites (no forward secrecy) or SHA-1 CBC suites." },
    'ec-key': { status: 'fail', summary: "The peer accepts none of Microsoft's suites: its certificate has an EC key, and all of them are RSA suites." },
    none: { status: 'fail', summary: "The peer accepts none of Microsoft's TLS 1.2 suites." },
    undetermined: { status: 'error', summary: 'The cipher probes could not finish (connection failures or the run deadline).' },
    'not-probed': { status: 'skip', summary: 'No cipher probe was made: the TLS handshake failed (see tls-handshake), or the report predates them.' },
    ...NO_PEERS_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function judgeCiphers(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const probes = probe.ciphers;
  const role = probe.purpose === 'imp' ? 'The IM and Presence listener' : 'The peer';
  if (!probes || !serverAnsweredTls(probe)) {
    return found.skip(
      'not-probed',
      subject,
      probes ? `Not judged: the TLS handshake with ${subject} did not complete (see tls-handshake).` : `Not checked: no cipher suite probe of ${subject} was recorded (the handshake failed, or the report was made by an older fedcheck).`,
    );
  }
  // What the verdict rests on; the refusals and the handshake count stay in the observation.
  const { refused: _refused, handshakes: _handshakes, ...verdictData } = probes;
  const data = { ...verdictData, tls13: probe.handshake?.protocol === 'TLSv1.3' };
  const tls13 = data.tls13 ? ' It also accepts TLS 1.3.' : '';
  const partner = isPartner(context.target);
  const accepted = probes.accepted.map((name) => microsoftSuite(name)).filter((suite) => suite !== undefined);
  const strong = accepted.find((suite) => suite.directRouting);
  if (strong) {
    const first = probes.microsoftPick === strong.name ? `picks ${strong.name}` : `picks ${probes.microsoftPick} first and accepts ${strong.name}`;
    return found.pass('pass', subject, `${role} ${subject} ${first} when offered Microsoft's suites in Microsoft's order: an ECDHE suite Direct Routing accepts too.${tls13}`, { data });
  }
  if (probes.error && accepted.length === 0) {
    return found.error(
      'undetermined',
      subject,
      `Which of Microsoft's cipher suites ${subject} accepts could not be determined: ${probes.error}.${/deadline/.test(probes.error) ? ` ${RAISE_TIMEOUT_ADVICE}` : ''}`,
      { data },
    );
  }
  if (accepted.length > 0) {
    const reasons = accepted.map((suite) => `${suite.name} (${suite.forwardSecret ? 'SHA-1 CBC' : 'no forward secrecy'})`);
    return found.warn(
      'weak-only',
      subject,
      `Of the ${MICROSOFT_CIPHER_SUITES.length} cipher suites Microsoft offers, ${subject} accepts only ${listOf(reasons)}. ` +
        `Federation works for now, on suites Microsoft dropped for Direct Routing in April 2022, which keeps only the four ECDHE suites with AES-GCM or a SHA-2 MAC.${tls13}`,
      partner
        ? askPartner(context.target.domain, `enable ${DIRECT_ROUTING.slice(0, 2).join(' and ')} on their edge.`)
        : `Enable ${DIRECT_ROUTING.slice(0, 2).join(' and ')} in the SIP TLS cipher list of ${probe.host} (Expressway: Maintenance > Security > Ciphers) on every peer.`,
      { data },
    );
  }
  const leaf = probe.chain[0];
  let other = probes.otherPick ? ` Offered every suite OpenSSL knows, it picked ${probes.otherPick}.` : ' It refused every TLS 1.2 suite OpenSSL knows too.';
  if (!probes.otherPick && data.tls13) {
    other = ' It refuses every TLS 1.2 handshake and speaks only TLS 1.3, while Microsoft documents these TLS 1.2 suites for SIP.';
  }
  const tls13Note = probes.otherPick ? tls13 : '';
  if (leaf?.keyType === 'ec') {
    return found.fail(
      'ec-key',
      subject,
      `${role} ${subject} accepts none of the cipher suites Microsoft offers: its certificate has an EC key (${leaf.curve ?? 'ECDSA'}), and every one of Microsoft's suites is an RSA suite (TLS_ECDHE_RSA_ or TLS_RSA_), so Microsoft's edge cannot complete a handshake with it.${other}${tls13Note}`,
      partner
        ? askPartner(context.target.domain, 'serve an RSA certificate (2048 bits or more) on their edge, alongside or instead of the ECDSA one.')
        : `Install an RSA certificate (2048 bits or more) for ${probe.host} on every peer, alongside or instead of the ECDSA one, and enable ${DIRECT_ROUTING.slice(0, 2).join(' and ')}.`,
      { data },
    );
  }
  return found.fail(
    'none',
    subject,
    `${role} ${subject} accepts none of the TLS 1.2 cipher suites Microsoft offers (${listOf(MICROSOFT_CIPHER_SUITES.map((suite) => suite.name))}), so Microsoft's edge cannot complete a handshake with it.${other}${tls13Note}`,
    partner
      ? askPartner(context.target.domain, `enable ${DIRECT_ROUTING.slice(0, 2).join(' and ')} on their edge.`)
      : `Enable ${DIRECT_ROUTING.slice(0, 2).join(' and ')} in the SIP TLS cipher list of ${probe.host} (Expressway: Maintenance > Security > Ciphers) on every peer.`,
    { data },
  );
}

export const check: Check = {
  meta,
  run(context) {
    const federation = judgeEachPeer(context, found, (probe, subject) => judgeCiphers(context, probe, subject));
    const imp = context.target.tls.filter((probe) => probe.purpose === 'imp').map((probe) => judgeCiphers(context, probe, peerEndpoint(probe)));
    return [...federation, ...imp];
  },
};
