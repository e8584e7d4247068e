// imp-tls: the IM and Presence TLS peer-authentication listener, as the Expressway-C neighbor
// zone meets it: it answers TLS 1.2+ on --imp-port with a valid certificate the run trusts.
//
// Peer authentication is mutual TLS, so a listener that ends fedcheck's handshake because
// fedcheck presented no client certificate is doing its job: the server's part of the handshake
// (version, certificate) is still judged. With --cert/--key, the listener must accept the
// certificate presented. The connection, trust and validity readings are the ones the federation
// checks make (shared/); only the wording and the fixes are IM and Presence's.
import { STATUS_RANK, worstStatus, type Finding } from '../model/findings.js';
import type { CertificateInfo, ImpObservations, TargetObservations, TlsProbeObservation } from '../model/observations.js';
import { canonicalName } from '../model/dns.js';
import { peerEndpoint } from '../model/ip.js';
import { certificateIdentity, findCertificateNameMatch } from './shared/certificate-names.js';
import { certificateLabel } from './shared/certificates.js';
import { validationPath } from '../model/chain.js';
import { judgeChain } from './shared/chain.js';
import { RAISE_TIMEOUT_ADVICE } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import {
  CERTIFICATE_MANAGEMENT,
  IMP_FQDN_PREREQUISITE_CODES,
  LISTENER_SETTINGS,
  PEER_AUTH_LISTENER,
  impFqdnAddresses,
  impFqdnWithoutAddress,
} from './shared/imp.js';
import { UNTESTED_CONNECTION_CODES, connectionVerdict, untestedConnectionMessage } from './shared/peers.js';
import {
  acceptedLegacyProtocols,
  demandedClientCertificate,
  handshakeFailurePhrase,
  isModernProtocol,
  presentedCertificateCutShort,
  serverAnsweredTls,
} from './shared/tls-session.js';
import { readTrust } from './shared/trust.js';
import { describeValidity, firstToExpire, judgeValidity, marginsNote } from './shared/validity.js';
import { listOf } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'imp-tls',
  title: 'IM and Presence TLS peer-authentication listener',
  severity: 'fail',
  roles: ['local'],
  rule:
    `With --imp-fqdn: every address of the Federation Routing IM/P FQDN answers TLS 1.2 or newer on --imp-port (5062, the "${PEER_AUTH_LISTENER}") ` +
    'with a certificate inside its validity period that validates to a trusted root (system store plus --ca). Demanding a client ' +
    'certificate is expected; with --cert/--key, the certificate presented must be accepted.',
  impact:
    'The Expressway-C neighbor zone to IM and Presence is a mutual TLS connection to this listener. When it is down, ' +
    'filtered, below TLS 1.2, or presents a certificate the Expressway-C cannot validate, or rejects the Expressway-C\'s ' +
    'certificate, IM and presence between Microsoft and IM and Presence users stop at the Expressway-C.',
  source:
    'Seed "Process Summary for Microsoft Federation" 2a (neighbor zone to the TLS Peer Authentication port, 5062 by ' +
    'default, System > Application Listeners) and 1f (Expressway as a TLS peer subject in a TLS context); RFC 8446 and ' +
    'RFC 5246 (TLS, CertificateRequest); RFC 5280 §6 (path validation)',
  remediation:
    `Check the listener's port in ${LISTENER_SETTINGS} and point the Expressway-C neighbor zone at it; give IM and Presence ` +
    'a valid cup certificate from a CA the Expressway-C trusts; make IM and Presence trust the Expressway-C certificate ' +
    '(cup-trust, TLS peer subject).',
  codes: {
    pass: { status: 'pass', summary: 'The listener answers TLS 1.2+ with a valid, trusted certificate and asks for a client certificate.' },
    'name-mismatch': { status: 'info', summary: 'Otherwise fine, but the certificate does not name the routing FQDN (matters with TLS verify mode).' },
    'certificate-unread': { status: 'info', summary: 'The listener ended the handshake before its certificate could be read.' },
    refused: { status: 'fail', summary: 'The TCP connection was refused: no listener on the port.' },
    timeout: { status: 'fail', summary: 'The TCP connection timed out: a firewall drops it, or no node uses the address.' },
    unreachable: { status: 'fail', summary: 'The network reports the address unreachable.' },
    ...UNTESTED_CONNECTION_CODES,
    'no-handshake-recorded': { status: 'error', summary: 'TCP connected but no TLS handshake was recorded.' },
    'handshake-aborted': { status: 'error', summary: "The run's --timeout expired during the TLS handshake." },
    'protocol-mismatch': { status: 'fail', summary: 'The listener shares no TLS version with a TLS 1.2+ client.' },
    plaintext: { status: 'fail', summary: 'The port answers in plain text: not the TLS peer-authentication listener.' },
    'handshake-failed': { status: 'fail', summary: 'The TLS handshake failed (reset, closed, stalled or an alert).' },
    'handshake-error': { status: 'error', summary: 'The handshake failed with an error fedcheck cannot attribute to the listener.' },
    'old-protocol': { status: 'fail', summary: 'The listener negotiated a version below TLS 1.2.' },
    'legacy-accepted': { status: 'warn', summary: 'The listener still accepts TLS 1.0 or 1.1 when offered them without anything newer.' },
    'not-peer-auth': { status: 'warn', summary: 'The listener does not ask for a client certificate: not the peer-authentication listener.' },
    'client-certificate-rejected': { status: 'fail', summary: 'The listener rejected the client certificate presented with --cert.' },
    'client-certificate-undetermined': { status: 'error', summary: "The run's --timeout cut the handshake presenting --cert short." },
    'no-certificate-sent': { status: 'fail', summary: 'The listener completed the handshake without presenting a certificate.' },
    'no-trust-verdict': { status: 'error', summary: 'No trust verdict was recorded for the certificate.' },
    'self-signed': { status: 'fail', summary: 'The cup certificate is self-signed and not a trust anchor.' },
    'private-root': { status: 'fail', summary: 'The chain ends at a self-signed root that is not a trust anchor (pass it with --ca).' },
    'untrusted-root': { status: 'fail', summary: 'The chain leads to a CA that is not a trusted root.' },
    'incomplete-chain': { status: 'fail', summary: 'The chain misses an intermediate certificate.' },
    'trust-contradiction': { status: 'error', summary: 'The trust verdict says there is no certificate, yet the listener sent one.' },
    'trust-undetermined': { status: 'error', summary: 'Whether the certificate is trusted could not be determined.' },
    expired: { status: 'fail', summary: 'A certificate of the chain has expired.' },
    'not-yet-valid': { status: 'fail', summary: 'A certificate of the chain is not valid yet.' },
    'expiring-critical': { status: 'fail', summary: 'A certificate of the chain expires within --crit-days.' },
    expiring: { status: 'warn', summary: 'A certificate of the chain expires within --warn-days.' },
    'unreadable-date': { status: 'error', summary: "A certificate's validity period could not be read." },
    ...IMP_FQDN_PREREQUISITE_CODES,
    'not-probed': { status: 'skip', summary: 'No TLS probe of the listener was recorded.' },
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

type ImpTlsVariant = keyof typeof meta.codes & string;

function run(context: CheckContext): Finding[] {
  const { target } = context;
  const imp = target.imp;
  if (!imp) return [];
  const probes = target.tls.filter((probe) => probe.purpose === 'imp');
  if (probes.length === 0) return [noProbes(target, imp)];
  return probes.map((probe) => judgeListener(context, imp, probe));
}

function noProbes(target: TargetObservations, imp: ImpObservations): Finding {
  const fqdn = canonicalName(imp.fqdn);
  const resolved = impFqdnAddresses(target, imp);
  if (resolved.addresses.length === 0) {
    return found.skip('no-address', fqdn, impFqdnWithoutAddress(target, imp, resolved, 'IM and Presence listener to connect to'));
  }
  const why = target.deadlineExceeded
    ? `the run's --timeout expired before ${listOf(resolved.addresses)} port ${imp.port} could be probed`
    : `no TLS probe of ${listOf(resolved.addresses)} port ${imp.port} was recorded`;
  return found.skip('not-probed', fqdn, `Not checked: ${why}.`);
}

/** One part of the verdict on a listener; the finding takes the worst variant and every sentence. */
interface Aspect {
  variant: ImpTlsVariant;
  sentence: string;
  /** The fix, for a warn or fail variant. */
  remediation?: string;
}

function aspectStatus(aspect: Aspect) {
  return meta.codes[aspect.variant].status;
}

function judgeListener(context: CheckContext, imp: ImpObservations, probe: TlsProbeObservation): Finding {
  const subject = peerEndpoint(probe);
  const data: Record<string, unknown> = {
    fqdn: canonicalName(imp.fqdn),
    address: probe.address,
    port: probe.port,
    connect: probe.connect.outcome,
    ...(probe.handshake ? { handshake: probe.handshake.outcome } : {}),
    ...(probe.handshake?.protocol ? { protocol: probe.handshake.protocol } : {}),
    ...(probe.handshake?.cipher ? { cipher: probe.handshake.cipher } : {}),
    clientCertificate: probe.clientAuth.requested,
  };

  const unconnected = judgeConnection(probe, subject, data);
  if (unconnected) return unconnected;
  const handshake = probe.handshake;
  if (!handshake) return found.error('no-handshake-recorded', subject, `TCP connected to ${subject}, but no TLS handshake was recorded.`, { data });
  if (!serverAnsweredTls(probe)) return judgeFailedHandshake(probe, subject, data);

  const aspects: Aspect[] = [
    ...judgeVersion(probe),
    ...judgeClientAuthentication(probe),
    ...judgeCertificate(context, imp, probe, data),
  ];
  const status = worstStatus(aspects.map(aspectStatus));
  const worst = aspects.find((aspect) => aspectStatus(aspect) === status)!;
  const negotiated = [handshake.protocol, handshake.cipher].filter(Boolean).join(', ');
  const cutShort = aspects.some((aspect) => aspect.variant === 'client-certificate-undetermined') ? ` ${RAISE_TIMEOUT_ADVICE}` : '';
  const message =
    `The IM and Presence TLS peer-authentication listener at ${subject} answers TLS${negotiated ? ` (${negotiated})` : ''}: ` +
    `${aspects.map((aspect) => aspect.sentence).join('; ')}.${cutShort}`;
  const broken = aspects.filter((aspect) => STATUS_RANK[aspectStatus(aspect)] >= STATUS_RANK.warn && aspect.remediation);
  const remediation = [...new Set(broken.map((aspect) => aspect.remediation!))].join(' ');
  return found.as(worst.variant, subject, message, { data, ...(status === 'warn' || status === 'fail' ? { remediation } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Reaching the listener

function listenerCheck(port: number): string {
  return (
    `In ${LISTENER_SETTINGS}, check the listener's port (${port} here; pass the right one with --imp-port and point the ` +
    'Expressway-C neighbor zone at it), and that the Cisco SIP Proxy service runs on the node (Cisco Unified IM and ' +
    'Presence Serviceability > Tools > Control Center - Feature Services).'
  );
}

function judgeConnection(probe: TlsProbeObservation, subject: string, data: Record<string, unknown>): Finding | undefined {
  const { durationMs, error } = probe.connect;
  const ms = Math.round(durationMs);
  const verdict = connectionVerdict(probe);
  switch (verdict) {
    case 'connected':
      return undefined;
    case 'refused':
      return found.fail(
        'refused',
        subject,
        `TCP connection to ${subject} refused: nothing listens on port ${probe.port} at ${probe.address}, so the IM and ` +
          `Presence TLS peer-authentication listener ("${PEER_AUTH_LISTENER}") is not up there, or ${probe.port} is not its port.`,
        listenerCheck(probe.port),
        { data },
      );
    case 'timeout':
      return found.fail(
        'timeout',
        subject,
        `TCP connection to ${subject} timed out after ${ms} ms: packets to port ${probe.port} are dropped, typically by a ` +
          `firewall between the Expressway-C and IM and Presence, or ${probe.address} is an address no node uses.`,
        `Allow TCP ${probe.port} from the Expressway-C to ${probe.address}. ${listenerCheck(probe.port)}`,
        { data: { ...data, durationMs: ms } },
      );
    case 'unreachable':
      return found.fail(
        'unreachable',
        subject,
        `TCP connection to ${subject} failed: the network reports ${probe.address} unreachable${error ? ` (${error})` : ''}.`,
        `Check that ${probe.address} is the IM and Presence publisher's address and is routed from the Expressway-C's network; ` +
          "if it is not the publisher's, correct the Federation Routing IM/P FQDN's A record.",
        { data },
      );
    case 'no-ipv6-route':
    case 'aborted':
    case 'local-error':
      return found.error(verdict, subject, untestedConnectionMessage(verdict, probe, subject), { data });
  }
}

function judgeFailedHandshake(probe: TlsProbeObservation, subject: string, data: Record<string, unknown>): Finding {
  const handshake = probe.handshake!;
  const phrase = handshakeFailurePhrase(probe) ?? handshake.outcome;
  switch (handshake.outcome) {
    case 'aborted':
      return found.error(
        'handshake-aborted',
        subject,
        `Not determined: the run's --timeout expired during the TLS handshake with ${subject}, so nothing is known about ` +
          `the listener. ${RAISE_TIMEOUT_ADVICE}`,
        { data },
      );
    case 'protocol-mismatch':
      return found.fail(
        'protocol-mismatch',
        subject,
        `${subject} shares no TLS version with a TLS 1.2+ client (${phrase}): the Expressway-C requires TLS 1.2 or newer ` +
          'for its neighbor zone, so the connection to IM and Presence fails.',
        'Allow TLS 1.2 on IM and Presence: on the admin CLI of every node, "set tls min-version 1.2" (and check that the ' +
          'Cisco SIP Proxy TLS context allows TLS 1.2 cipher suites).',
        { data },
      );
    case 'plaintext':
      return found.fail(
        'plaintext',
        subject,
        `${subject} answers in plain text${handshake.plaintextSample ? ` ('${handshake.plaintextSample.slice(0, 60)}')` : ''}: ` +
          `port ${probe.port} is not a TLS listener, probably the SIP TCP listener rather than "${PEER_AUTH_LISTENER}".`,
        listenerCheck(probe.port),
        { data },
      );
    case 'reset':
    case 'closed':
    case 'timeout':
    case 'alert':
      return found.fail(
        'handshake-failed',
        subject,
        `The TLS handshake with ${subject} failed: ${phrase}${handshake.error ? ` (${handshake.error})` : ''}. The ` +
          'Expressway-C neighbor zone cannot connect to IM and Presence through it.',
        `${listenerCheck(probe.port)} Check the "Default Cisco SIP Proxy Peer Auth TLS Context" (System > Security > TLS ` +
          'Context Configuration) allows TLS 1.2 cipher suites, and that no firewall inspects TLS between the Expressway-C and IM and Presence.',
        { data },
      );
    default:
      return found.error(
        'handshake-error',
        subject,
        `The TLS handshake with ${subject} failed with an error fedcheck cannot attribute to the listener: ${handshake.error ?? handshake.outcome}.`,
        { data },
      );
  }
}

// ---------------------------------------------------------------------------------------------
// The server's side of the handshake

const MIN_VERSION_FIX = 'On the admin CLI of every IM and Presence node, run "set tls min-version 1.2".';

function judgeVersion(probe: TlsProbeObservation): Aspect[] {
  const protocol = probe.handshake?.protocol;
  const aspects: Aspect[] = [];
  if (protocol === undefined) {
    // fedcheck's main handshake offers nothing below TLS 1.2, so a listener that answered it speaks 1.2 or newer.
    aspects.push({ variant: 'pass', sentence: 'it answers a TLS 1.2+ handshake (the exact version was not recorded)' });
  } else if (!isModernProtocol(protocol)) {
    aspects.push({
      variant: 'old-protocol',
      sentence: `it negotiated ${protocol}, below the TLS 1.2 the Expressway-C requires`,
      remediation: MIN_VERSION_FIX,
    });
  } else {
    aspects.push({ variant: 'pass', sentence: `it negotiates ${protocol}` });
  }
  const legacy = acceptedLegacyProtocols(probe);
  if (legacy.length > 0) {
    aspects.push({
      variant: 'legacy-accepted',
      sentence: `it still accepts ${listOf(legacy)} when a client offers only that (deprecated, RFC 8996)`,
      remediation: MIN_VERSION_FIX,
    });
  }
  return aspects;
}

function judgeClientAuthentication(probe: TlsProbeObservation): Aspect[] {
  const { requested, presentedCertificate } = probe.clientAuth;
  if (presentedCertificate) {
    if (presentedCertificateCutShort(probe)) {
      return [
        {
          variant: 'client-certificate-undetermined',
          sentence:
            `whether it accepts the client certificate ${presentedCertificate.subject} presented with --cert is not ` +
            "determined: the run's --timeout expired during that handshake",
        },
      ];
    }
    if (presentedCertificate.accepted) {
      return [{ variant: 'pass', sentence: `it accepted the client certificate ${presentedCertificate.subject} presented with --cert` }];
    }
    return [
      {
        variant: 'client-certificate-rejected',
        sentence:
          `it rejected the client certificate ${presentedCertificate.subject} presented with --cert` +
          `${presentedCertificate.error ? ` (${presentedCertificate.error})` : ''}, so a connection presenting it (the ` +
          'Expressway-C neighbor zone, if it is the Expressway-C certificate) fails',
        remediation:
          `If ${presentedCertificate.subject} is the Expressway-C certificate, make IM and Presence trust it: upload the CA ` +
          `that issued it (or the certificate itself, when self-signed) as cup-trust (${CERTIFICATE_MANAGEMENT} > Upload ` +
          'Certificate/Certificate chain), add the Expressway-C as a TLS peer subject (Cisco Unified CM IM and Presence ' +
          'Administration > System > Security > TLS Peer Subjects) and add it to the "Default Cisco SIP Proxy Peer Auth TLS ' +
          'Context" (System > Security > TLS Context Configuration), then restart the Cisco SIP Proxy service.',
      },
    ];
  }
  if (demandedClientCertificate(probe) || requested === 'required') {
    return [
      {
        variant: 'pass',
        sentence:
          'it demands a client certificate and ended the handshake when fedcheck presented none, as a peer-authentication ' +
          "listener should (pass --cert/--key with the Expressway-C certificate to test that IM and Presence accepts it)",
      },
    ];
  }
  if (requested === 'requested') {
    return [{ variant: 'pass', sentence: 'it asks for a client certificate (peer authentication)' }];
  }
  if (requested === 'not-requested') {
    return [
      {
        variant: 'not-peer-auth',
        sentence:
          `it does not ask for a client certificate, so port ${probe.port} is not a peer-authentication listener (the ` +
          'Server Auth listener, 5061 by default, does not ask); the Expressway-C neighbor zone must use the Peer Auth one',
        remediation: listenerCheck(probe.port),
      },
    ];
  }
  return [];
}

function judgeCertificate(
  context: CheckContext,
  imp: ImpObservations,
  probe: TlsProbeObservation,
  data: Record<string, unknown>,
): Aspect[] {
  const chain = probe.chain;
  const leaf = chain[0];
  if (!leaf) {
    if (probe.handshake?.outcome === 'ok') {
      return [
        {
          variant: 'no-certificate-sent',
          sentence: 'it completed the handshake without presenting a certificate, so the Expressway-C cannot authenticate it',
          remediation: `Assign IM and Presence a cup certificate (${CERTIFICATE_MANAGEMENT}) and restart the Cisco SIP Proxy service.`,
        },
      ];
    }
    return [{ variant: 'certificate-unread', sentence: 'its certificate could not be read before the handshake ended, so it was not examined' }];
  }
  data.chain = chain.map(certificateLabel);
  return [...judgeTrust(probe, leaf, data), ...judgeValidityOfChain(context, validationPath(probe).certificates, data), ...judgeNames(imp, leaf, data)];
}

const TRUST_FIX_CA =
  'Pass the root of the CA that issued the IM and Presence cup certificate to fedcheck with --ca (IM and Presence ' +
  'usually carries an internal CA); the Expressway-C must trust it too (Maintenance > Security > Trusted CA certificate).';

function judgeTrust(probe: TlsProbeObservation, leaf: CertificateInfo, data: Record<string, unknown>): Aspect[] {
  const trust = probe.trust;
  const reading = readTrust(probe);
  if (!trust || !reading) return [{ variant: 'no-trust-verdict', sentence: `no trust verdict was recorded for its certificate ${certificateLabel(leaf)}` }];
  data.trust = trust.verdict;
  data.trustDetail = trust.detail;
  const chain = validationPath(probe).certificates;
  switch (reading.kind) {
    case 'trusted':
      return [{ variant: 'pass', sentence: `its certificate ${certificateLabel(leaf)} validates to a trusted root (${trust.detail})` }];
    case 'dates-only':
      // The dates are judged with the validity of the chain.
      return [{ variant: 'pass', sentence: `its certificate ${certificateLabel(leaf)} builds a path to a trusted root` }];
    case 'self-signed':
      return [
        {
          variant: 'self-signed',
          sentence:
            `its certificate ${certificateLabel(leaf)} is self-signed and not among the trust anchors; ` +
            'IM and Presence ships with a self-signed cup certificate, which the Expressway-C must trust explicitly',
          remediation:
            'If the Expressway-C trusts this certificate (Maintenance > Security > Trusted CA certificate), pass it to ' +
            `fedcheck with --ca (download "cup" from ${CERTIFICATE_MANAGEMENT}); otherwise upload it there, or better, have ` +
            'the cup certificate signed by your internal CA and pass that CA with --ca.',
        },
      ];
    case 'private-root':
      return [
        {
          variant: 'private-root',
          sentence: `its chain ends at the self-signed root ${reading.root}, which is not among the trust anchors`,
          remediation: TRUST_FIX_CA,
        },
      ];
    case 'untrusted-root':
      return [{ variant: 'untrusted-root', sentence: `its chain leads to ${reading.root}, which is not a trusted root`, remediation: TRUST_FIX_CA }];
    case 'incomplete-chain':
      return [
        {
          variant: 'incomplete-chain',
          sentence:
            `its chain is incomplete: it sends ${chain.map(certificateLabel).join(' → ')} but not ${reading.missingIssuer}, the ` +
            'issuer of the last one, and no trust anchor issued it',
          remediation:
            `Upload the intermediate ${reading.missingIssuer} to IM and Presence as cup-trust (${CERTIFICATE_MANAGEMENT}) so that ` +
            'the cup certificate chain is complete, and make sure the Expressway-C trusts its root; if the intermediate ' +
            'belongs to your internal CA, pass it to fedcheck with --ca.',
        },
      ];
    case 'contradiction':
      return [{ variant: 'trust-contradiction', sentence: `the trust verdict says no certificate, yet it sent ${chain.length}: ${trust.detail}` }];
    case 'undetermined':
      return [{ variant: 'trust-undetermined', sentence: `whether its certificate is trusted could not be determined (${trust.detail})` }];
  }
}

function judgeValidityOfChain(context: CheckContext, chain: readonly CertificateInfo[], data: Record<string, unknown>): Aspect[] {
  const { elements, problems } = judgeChain(chain, (certificates, index, element) => judgeValidity(certificates, index, element, context));
  data.validity = elements.map(({ element, subject, notAfter, daysLeft, status }) => ({
    element,
    subject,
    notAfter,
    daysLeft: Number.isNaN(daysLeft) ? null : daysLeft,
    status,
  }));
  if (problems.length === 0) {
    return [{ variant: 'pass', sentence: `its chain is valid (first to expire: ${describeValidity(firstToExpire(elements)!, context.now)})` }];
  }
  return problems.map((element) => ({
    variant: element.problem!,
    sentence: `${describeValidity(element, context.now)}${marginsNote(element.problem, context)}`,
    remediation:
      element.element === 'leaf'
        ? `Renew the IM and Presence cup certificate (${CERTIFICATE_MANAGEMENT}: generate a CSR for "cup", have your CA ` +
          'sign it, upload it) on every node and restart the Cisco SIP Proxy service.'
        : `Replace the CA certificate ${element.subject} in the IM and Presence cup-trust store and the cup chain with ` +
          "the CA's current one, or renew the cup certificate under a current chain.",
  }));
}

function judgeNames(imp: ImpObservations, leaf: CertificateInfo, data: Record<string, unknown>): Aspect[] {
  const fqdn = canonicalName(imp.fqdn);
  const identity = certificateIdentity(leaf);
  const match = findCertificateNameMatch(fqdn, identity.names);
  data.certificateNames = identity.names;
  data.namesFqdn = match !== undefined;
  if (match) return [];
  const names = identity.names.length > 0 ? `it names ${listOf(identity.names)}` : 'it names no host';
  return [
    {
      variant: 'name-mismatch',
      sentence:
        `its certificate does not name ${fqdn} (${names}): with TLS verify mode on, the Expressway-C neighbor zone's ` +
        'peer address must be one of the names the certificate carries',
    },
  ];
}

export const check: Check = { meta, run };
