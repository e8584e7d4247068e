// cert-revocation: the certificates every peer sends can be checked for revocation, the way a
// Skype for Business edge checks them, and none is revoked.
//
// Gather fetched each CRL and asked each OCSP responder, and read what came back (signature,
// issuer, serial): see src/model/revocation.ts. This check judges those readings against the
// run's clock and decides what each situation costs.
import type { Finding } from '../model/findings.js';
import type { TlsProbeObservation } from '../model/observations.js';
import type { CertificateRevocation, RevocationReading, RevocationSource } from '../model/revocation.js';
import { RAISE_TIMEOUT_ADVICE } from './shared/deadline.js';
import { CERTIFICATE_PREREQUISITE_CODES, certificateLabel, chainElementRole, judgeEachCertificate } from './shared/certificates.js';
import { findingBuilder } from './shared/findings.js';
import { askPartner, capitalised, isPartner, listOf } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

/** A response dated this little in the future, or expired this recently, is a clock difference, not a fault. */
const CLOCK_SKEW_MS = 5 * 60_000;

const meta = {
  id: 'cert-revocation',
  title: 'Certificate revocation can be checked, and nothing is revoked',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'For the leaf and every intermediate a peer sends, at least one CRL distribution point (HTTP) or OCSP responder answers with a response signed by the issuer (or its delegated OCSP responder) that is current and does not say revoked. Revoked, or no source reachable, fails; a CRL past its nextUpdate, an OCSP answer of unknown, or a certificate with neither a CRL distribution point nor an OCSP responder warns.',
  impact:
    'A Skype for Business edge checks the revocation of the certificates it is offered and refuses the connection when a certificate is revoked or when it cannot find out: the CRL and OCSP URLs in the certificates must answer from the Internet, with current, correctly signed data.',
  source:
    'RFC 5280 §4.2.1.13 and §6.3 (CRL distribution points, CRL validation); RFC 6960 §4.2.2.2 and §3.2 (OCSP responder authorisation, response acceptance); Microsoft Skype for Business Server edge certificate requirements (certificate revocation checking)',
  remediation:
    'Keep the CRLs and OCSP responders named in the certificates reachable over HTTP from the Internet and current; replace a revoked certificate at once.',
  codes: {
    pass: { status: 'pass', summary: 'Every certificate of the chain has a current, correctly signed revocation answer, and none is revoked.' },
    revoked: { status: 'fail', summary: 'A certificate of the chain is revoked, by its CRL or its OCSP responder.' },
    unreachable: { status: 'fail', summary: 'No CRL distribution point or OCSP responder of a certificate gave a usable answer.' },
    stale: { status: 'warn', summary: 'A CRL (or OCSP response) of a certificate is past its nextUpdate.' },
    'ocsp-unknown': { status: 'warn', summary: 'An OCSP responder answered unknown for a certificate.' },
    'no-source': { status: 'warn', summary: 'A certificate has neither a CRL distribution point nor an OCSP responder.' },
    undetermined: { status: 'error', summary: "The run's --timeout expired before the revocation sources answered." },
    'issuer-unknown': {
      status: 'skip',
      summary: "A certificate's issuer is neither sent by the server nor a trust anchor, so no answer about it can be verified (see cert-trust).",
    },
    disabled: { status: 'skip', summary: 'Revocation was not checked (--no-revocation).' },
    'not-gathered': { status: 'skip', summary: 'The report has no revocation data (made by an older fedcheck).' },
    'self-signed': { status: 'skip', summary: 'The peer sends only a self-signed certificate: nothing can revoke it (see cert-trust).' },
    ...CERTIFICATE_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

type Verdict = 'revoked' | 'unreachable' | 'undetermined' | 'stale' | 'ocsp-unknown' | 'no-source' | 'issuer-unknown' | 'pass';
/** Worst first. */
const VERDICT_ORDER: readonly Verdict[] = ['revoked', 'unreachable', 'undetermined', 'stale', 'ocsp-unknown', 'no-source', 'issuer-unknown', 'pass'];

interface CertificateVerdict {
  verdict: Verdict;
  /** "the leaf CN=…", "the intermediate CN=…" */
  label: string;
  /** What the sources said, to follow "the leaf CN=…: ". */
  detail: string;
  entry: CertificateRevocation;
}

interface SourceState {
  kind: 'good' | 'revoked' | 'stale' | 'unknown' | 'unusable' | 'aborted';
  text: string;
  /** An answer came back (or, for OCSP, was not asked for only because the issuer is unknown). */
  answered: boolean;
}

function stateOfReading(name: string, reading: RevocationReading, now: Date): SourceState {
  const state = (kind: SourceState['kind'], text: string): SourceState => ({ kind, text, answered: true });
  if (reading.problem) return state('unusable', `${name}: ${reading.problem.detail}`);
  if (reading.thisUpdate && Date.parse(reading.thisUpdate) > now.getTime() + CLOCK_SKEW_MS) {
    return state('unusable', `${name}: it is dated ${reading.thisUpdate}, in the future (a clock is wrong)`);
  }
  if (reading.status === 'revoked') {
    const when = reading.revokedAt ? ` since ${reading.revokedAt.slice(0, 10)}` : '';
    return state('revoked', `${name} says revoked${reading.reason ? ` (${reading.reason})` : ''}${when}`);
  }
  if (reading.nextUpdate && Date.parse(reading.nextUpdate) + CLOCK_SKEW_MS <= now.getTime()) {
    return state('stale', `${name} is past its nextUpdate (${reading.nextUpdate})`);
  }
  if (reading.status === 'unknown') return state('unknown', `${name} answered unknown: it has no record of the certificate`);
  return state('good', `${name} says good`);
}

function fetchFailure(source: RevocationSource): string {
  switch (source.outcome) {
    case 'http-status':
      return `HTTP ${source.httpStatus ?? '?'}`;
    case 'unsupported-scheme':
      return /^ldap/i.test(source.url) ? 'an LDAP location, reachable only inside the CA owner’s network' : 'not an http: URL, which an edge does not fetch';
    case 'dns-failure':
      return `its host name does not resolve (${source.error ?? 'no address'})`;
    case 'timeout':
      return `no complete answer within ${source.durationMs} ms`;
    case 'refused':
      return 'the connection was refused';
    case 'unreachable':
      return 'the server is unreachable';
    case 'reset':
      return 'the connection was reset';
    case 'too-large':
    case 'redirect-refused':
    case 'not-asked':
    case 'error':
    default:
      return source.error ?? source.outcome;
  }
}

function stateOfSource(source: RevocationSource, now: Date): SourceState {
  const name = `${source.method === 'POST' ? 'the OCSP responder' : 'the CRL'} ${source.url}`;
  if (source.outcome === 'aborted') return { kind: 'aborted', text: `${name}: not asked before the run's --timeout expired`, answered: false };
  if (source.outcome !== 'ok') return { kind: 'unusable', text: `${name}: ${fetchFailure(source)}`, answered: source.outcome === 'not-asked' };
  if (!source.reading) return { kind: 'unusable', text: `${name}: the answer could not be read`, answered: true };
  return stateOfReading(name, source.reading, now);
}

function judgeCertificate(entry: CertificateRevocation, label: string, probe: TlsProbeObservation, now: Date): CertificateVerdict {
  const stapled = entry.stapled
    .filter((staple) => staple.address === probe.address && staple.port === probe.port)
    .map((staple) => stateOfReading('the OCSP response the server stapled', staple.reading, now));
  const states = [...entry.crls.map((source) => stateOfSource(source, now)), ...entry.ocsp.map((source) => stateOfSource(source, now)), ...stapled];
  const texts = (kind: SourceState['kind']) => states.filter((state) => state.kind === kind).map((state) => state.text);
  const verdict = (value: Verdict, detail: string): CertificateVerdict => ({ verdict: value, label, detail, entry });

  if (texts('revoked').length > 0) return verdict('revoked', `${listOf(texts('revoked'))}.`);
  if (states.length === 0) {
    return verdict('no-source', 'it has neither a CRL distribution point nor an OCSP responder, so an edge that checks revocation cannot find out whether it is revoked.');
  }
  const usable = states.filter((state) => state.kind === 'good' || state.kind === 'stale' || state.kind === 'unknown');
  if (usable.length === 0) {
    const all = listOf(states.map((state) => state.text));
    if (states.every((state) => state.kind === 'aborted')) return verdict('undetermined', `${all}.`);
    // Without the issuer an answer cannot be verified (nor an OCSP request made): that is the
    // chain's fault (cert-trust), not the CA's, once any answer came back.
    if (!entry.issuer && states.some((state) => state.answered)) {
      return verdict('issuer-unknown', `its issuer is neither sent by the server nor a trust anchor, so no answer about it can be verified (see cert-trust): ${all}.`);
    }
    return verdict('unreachable', `no revocation source gave a usable answer: ${all}.`);
  }
  const others = states.filter((state) => state.kind === 'unusable' || state.kind === 'aborted').map((state) => state.text);
  const also = others.length > 0 ? ` (Also: ${listOf(others)}.)` : '';
  if (texts('stale').length > 0) return verdict('stale', `${listOf(texts('stale'))}: an edge treats an expired CRL as no CRL.${also}`);
  if (texts('unknown').length > 0) return verdict('ocsp-unknown', `${listOf(texts('unknown'))}.${also}`);
  return verdict('pass', `${listOf(texts('good'))}.${also}`);
}

/** What Microsoft's edge does about the worst verdict, where its detail does not say so already. */
const CONSEQUENCES: Partial<Record<Verdict, string>> = {
  revoked: "Microsoft's edge checks revocation and refuses a revoked certificate: federation through this peer fails.",
  unreachable:
    "Microsoft's edge checks revocation and refuses the connection when it cannot find out, so federation through this peer fails for every edge that cannot reach these URLs either.",
  'ocsp-unknown': "An edge that checks revocation strictly treats unknown as not good and may refuse the connection.",
};

function remediationFor(context: CheckContext, probe: TlsProbeObservation, worst: CertificateVerdict): string | undefined {
  const partner = isPartner(context.target);
  const leaf = worst.label.startsWith('the leaf');
  switch (worst.verdict) {
    case 'revoked':
      return partner
        ? askPartner(context.target.domain, `replace the revoked certificate (${worst.entry.subject}) on their edge.`)
        : leaf
          ? `Replace the certificate of ${probe.host} with a newly issued one on every peer at once: every edge that checks revocation refuses the revoked one.`
          : `The intermediate ${worst.entry.subject} is revoked: get a certificate for ${probe.host} issued under a current intermediate, and send that intermediate in the chain instead.`;
    case 'unreachable':
      return partner
        ? askPartner(context.target.domain, 'make the CRL and OCSP URLs of their edge certificate answer over HTTP from the Internet.')
        : `Make the CRL distribution points and OCSP responders of ${worst.entry.subject} answer over HTTP from the Internet (for an internal CA: publish its CRL on a public HTTP URL and add that URL to the certificates it issues; for a public CA: make sure nothing between here and the CA blocks them). Check from the Internet side, not only from where fedcheck ran.`;
    case 'stale':
      return partner
        ? askPartner(context.target.domain, 'have their CA publish a current CRL.')
        : `Have the CA of ${worst.entry.subject} publish a fresh CRL at its distribution point (for an internal CA: publish the CRL now and make sure scheduled publication runs before nextUpdate).`;
    case 'ocsp-unknown':
      return partner
        ? askPartner(context.target.domain, "check their CA's OCSP responder knows their edge certificate.")
        : `Ask the CA of ${worst.entry.subject} why its OCSP responder does not know the certificate (serial ${worst.entry.serialNumber}): a certificate the CA has no record of is refused by strict clients.`;
    case 'no-source':
      return partner
        ? askPartner(context.target.domain, 'use an edge certificate with an HTTP CRL distribution point or an OCSP responder.')
        : `Reissue the certificate for ${probe.host} from a CA that includes an HTTP CRL distribution point and an OCSP responder (every public CA does; for an internal CA, publish its CRL on an HTTP URL reachable from the Internet and add that URL to the CA's CDP extension).`;
    default:
      return undefined;
  }
}

function judgeRevocation(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const revocation = context.target.revocation;
  if (!revocation) {
    return found.skip('not-gathered', subject, 'Not checked: the report has no revocation data (it was made by an older fedcheck).');
  }
  if (revocation.skipped) {
    return found.skip('disabled', subject, 'Not checked: revocation checking was turned off (--no-revocation), so no CRL or OCSP responder was asked.');
  }
  const verdicts = probe.chain.flatMap((certificate, index) => {
    if (certificate.selfIssued) return [];
    const entry = revocation.certificates.find((candidate) => candidate.fingerprintSha256 === certificate.fingerprintSha256);
    if (!entry) return [];
    return [judgeCertificate(entry, `the ${chainElementRole(probe.chain, index)} ${certificateLabel(certificate)}`, probe, context.now)];
  });
  const worst = [...verdicts].sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict))[0];
  if (!worst) {
    return found.skip('self-signed', subject, `${subject} sends only a self-signed certificate: no CA can revoke it, so there is nothing to check (see cert-trust).`);
  }
  const data = { certificates: verdicts.map((verdict) => ({ subject: verdict.entry.subject, verdict: verdict.verdict })) };
  const sentence = (verdict: CertificateVerdict): string => `${capitalised(verdict.label)}: ${verdict.detail}`;
  const rest = verdicts.filter((verdict) => verdict !== worst && verdict.verdict !== 'pass').map((verdict) => ` Also ${verdict.label}: ${verdict.detail}`);
  const consequence = CONSEQUENCES[worst.verdict];
  const message = `${sentence(worst)}${rest.join('')}${consequence ? ` ${consequence}` : ''}`;
  const remediation = remediationFor(context, probe, worst);
  switch (worst.verdict) {
    case 'pass':
      return found.pass('pass', subject, verdicts.map(sentence).join(' '), { data });
    case 'undetermined':
      return found.error('undetermined', subject, `${message} ${RAISE_TIMEOUT_ADVICE}`, { data });
    default:
      return found.as(worst.verdict, subject, message, { data, ...(remediation ? { remediation } : {}) });
  }
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, found, (probe, subject) => judgeRevocation(context, probe, subject));
  },
};
