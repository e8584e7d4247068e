// cert-eku: the leaf's Extended Key Usage allows both serverAuth and clientAuth, because federation
// is mutual TLS and the Expressway-E presents the same certificate in both directions; and, for a
// certificate from a public CA, whether its renewal falls after public CAs stop issuing clientAuth.
import type { Finding } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { DAY_MS, wholeDaysBetween } from '../model/time.js';
import {
  CERTIFICATE_PREREQUISITE_CODES,
  OID_EXTENDED_KEY_USAGE,
  certificateLabel,
  judgeEachCertificate,
  parseNote,
  unreadableExtension,
} from './shared/certificates.js';
import { findingBuilder } from './shared/findings.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const SERVER_AUTH = ['serverauth', '1.3.6.1.5.5.7.3.1'];
const CLIENT_AUTH = ['clientauth', '1.3.6.1.5.5.7.3.2'];
const ANY_USAGE = ['anyextendedkeyusage', '2.5.29.37.0'];
/** What the parser puts in extendedKeyUsage when the extension is present but undecodable. */
const UNREADABLE_USAGE = 'unreadable';

/** Chrome Root Program policy 1.8: public CAs issue serverAuth-only TLS leaf certificates from this day. */
export const CLIENT_AUTH_SUNSET = '2027-03-15';
/** A certificate is renewed about this long before it expires. */
const RENEWAL_LEAD_DAYS = 30;
/** A renewal this close (or closer) that will lose clientAuth is a warning, not news. */
const RENEWAL_WARNING_DAYS = 90;

const MUTUAL_TLS =
  'Federation is mutual TLS: the Expressway-E is the TLS client when it connects to Microsoft and presents this same certificate, so without clientAuth outbound federation (Expressway-E → Microsoft) fails, and an Expressway before X15.4 will not even load the certificate.';
const CA_TREND =
  `Public CAs stop issuing clientAuth in TLS server certificates: the Chrome Root Program policy 1.8 requires serverAuth-only leaf certificates from ${CLIENT_AUTH_SUNSET} (earlier drafts said 2026-06-15), and several CAs stopped sooner.`;
const WAYS_OUT =
  "The ways out: on Expressway X15.4, allow the serverAuth-only certificate (xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload: On) and present a separate client certificate; on X15.5 and later, load a client certificate into Expressway's separate client certificate store; or use a client certificate from a private CA that Microsoft's edge accepts.";

const meta = {
  id: 'cert-eku',
  title: 'Certificate allows server and client authentication',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    "The leaf certificate's Extended Key Usage allows serverAuth and clientAuth (no EKU extension allows both; an EKU extension that cannot be decoded allows neither). For partners a missing clientAuth is informational: Microsoft does not need it from their edge.",
  impact:
    "Without serverAuth, Microsoft's edge rejects the certificate when it connects. Without clientAuth, the Expressway-E cannot use the certificate for the mutual TLS of federation, and will not load it. Public CAs stop issuing clientAuth in TLS server certificates between 2025 and 2027, so a routine renewal can silently break federation.",
  source:
    `RFC 5280 §4.2.1.12 (extended key usage); Cisco Expressway Certificate Creation and Use Deployment Guide (server certificates need client and server authentication); Chrome Root Program policy version 1.8 (serverAuth-only leaf certificates from public CAs from ${CLIENT_AUTH_SUNSET}; earlier drafts: 2026-06-15); Cisco Expressway X15.4 release notes (xConfiguration XCP TLS Certificate CVS EnableServerEkuUpload); Cisco Expressway X15.5 release notes (separate client certificate store)`,
  remediation:
    'Reissue the Expressway-E certificate with Extended Key Usage serverAuth and clientAuth (TLS Web Server and TLS Web Client Authentication); at renewal, use a CA product that still includes clientAuth.',
  codes: {
    pass: { status: 'pass', summary: 'The Extended Key Usage allows serverAuth and clientAuth.' },
    'no-eku': { status: 'pass', summary: 'No Extended Key Usage extension: every usage is allowed.' },
    'any-usage': { status: 'pass', summary: 'The Extended Key Usage allows any usage (anyExtendedKeyUsage).' },
    'no-server-auth': { status: 'fail', summary: 'The Extended Key Usage does not allow serverAuth.' },
    'no-client-auth': { status: 'fail', summary: 'The Extended Key Usage does not allow clientAuth, which the mutual TLS of federation needs.' },
    'renewal-after-sunset': {
      status: 'info',
      summary: `A public CA's certificate that still allows clientAuth is due for renewal after ${CLIENT_AUTH_SUNSET}: the renewed one will not.`,
    },
    'renewal-soon-after-sunset': {
      status: 'warn',
      summary: `As renewal-after-sunset, with the renewal less than ${RENEWAL_WARNING_DAYS} days away.`,
    },
    'partner-no-client-auth': { status: 'info', summary: "A partner's certificate lacks clientAuth: theirs to manage, Microsoft does not need it." },
    unreadable: { status: 'fail', summary: 'The Extended Key Usage extension could not be decoded.' },
    ...CERTIFICATE_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function allows(usages: readonly string[], wanted: readonly string[]): boolean {
  return usages.some((usage) => wanted.includes(usage.trim().toLowerCase()));
}

function judgeEku(context: CheckContext, probe: TlsProbeObservation, subject: string, leaf: CertificateInfo): Finding {
  const usages = leaf.extendedKeyUsage;
  const partner = isPartner(context.target);
  const label = certificateLabel(leaf);
  const renewalNote = partner ? '' : ` Keep clientAuth at renewal: ${CA_TREND.charAt(0).toLowerCase()}${CA_TREND.slice(1)}`;
  if (usages === undefined) {
    return found.pass(
      'no-eku',
      subject,
      `The certificate ${label} has no Extended Key Usage extension, so it may be used for both serverAuth and clientAuth.${renewalNote}`,
      { data: { extendedKeyUsage: null } },
    );
  }
  const data = { extendedKeyUsage: usages };
  const unreadable = unreadableExtension(leaf, OID_EXTENDED_KEY_USAGE);
  if (unreadable !== undefined || usages.includes(UNREADABLE_USAGE)) {
    return found.fail(
      'unreadable',
      subject,
      `The certificate ${label} has an Extended Key Usage extension that could not be read${unreadable ? ` (${unreadable})` : ''}, ` +
        'so nothing shows that it allows serverAuth and clientAuth: it is not the same as having no EKU extension, and ' +
        'strict TLS stacks (OpenSSL among them) reject a certificate whose extensions they cannot decode.',
      partner
        ? askPartner(context.target.domain, 'reissue their edge certificate with a well-formed Extended Key Usage extension listing serverAuth and clientAuth.')
        : `Reissue the Expressway-E certificate for ${probe.host} with a well-formed Extended Key Usage extension listing serverAuth and clientAuth, and install it on every peer.`,
      { data },
    );
  }
  const listed = usages.length > 0 ? usages.join(', ') : 'empty';
  if (allows(usages, ANY_USAGE)) {
    return found.pass('any-usage', subject, `The certificate ${label} allows any extended key usage (anyExtendedKeyUsage).${renewalNote}`, { data });
  }
  const server = allows(usages, SERVER_AUTH);
  const client = allows(usages, CLIENT_AUTH);
  if (server && client) {
    const sunset = partner ? undefined : renewalAfterSunset(context, probe, leaf, label, subject, data);
    return (
      sunset ??
      found.pass('pass', subject, `The certificate ${label} allows serverAuth and clientAuth, as the mutual TLS of federation needs.${renewalNote}`, { data })
    );
  }
  if (!server) {
    const clientToo = client ? '' : ` It lacks clientAuth as well. ${MUTUAL_TLS} ${CA_TREND}`;
    return found.fail(
      'no-server-auth',
      subject,
      `The certificate ${label} does not allow serverAuth (its Extended Key Usage is ${listed}): Microsoft's edge rejects it as a TLS server certificate.${clientToo}${parseNote(leaf)}`,
      partner
        ? askPartner(context.target.domain, 'reissue their edge certificate with Extended Key Usage serverAuth (and clientAuth).')
        : `Reissue the Expressway-E certificate for ${probe.host} with Extended Key Usage serverAuth and clientAuth.`,
      { data },
    );
  }
  if (partner) {
    return found.info(
      'partner-no-client-auth',
      subject,
      `The certificate ${label} of ${context.target.domain}'s edge allows serverAuth but not clientAuth (its Extended Key Usage is ${listed}). ` +
        "That is theirs to manage and Microsoft does not need it from their edge, so this is informational. The rule matters for your own Expressway-E: " +
        `${MUTUAL_TLS} ${CA_TREND}`,
      { data },
    );
  }
  return found.fail(
    'no-client-auth',
    subject,
    `The certificate ${label} allows serverAuth but not clientAuth (its Extended Key Usage is ${listed}). ${MUTUAL_TLS} ${CA_TREND}${parseNote(leaf)}`,
    `Give the Expressway-E for ${probe.host} a certificate it can present as a TLS client: reissue it with Extended Key Usage serverAuth and clientAuth while your CA still offers that, or keep this one for serverAuth and add a client certificate. ${WAYS_OUT}`,
    { data },
  );
}

/**
 * A public CA's certificate (trusted through the system store) that allows clientAuth today but is
 * renewed (RENEWAL_LEAD_DAYS before it expires) after the sunset: the renewed one will be
 * serverAuth-only. Undefined when that does not apply.
 */
function renewalAfterSunset(
  context: CheckContext,
  probe: TlsProbeObservation,
  leaf: CertificateInfo,
  label: string,
  subject: string,
  data: Record<string, unknown>,
): Finding | undefined {
  if (probe.trust?.anchor !== 'system') return undefined;
  const notAfter = Date.parse(leaf.notAfter);
  if (Number.isNaN(notAfter)) return undefined;
  const renewal = new Date(notAfter - RENEWAL_LEAD_DAYS * DAY_MS);
  if (renewal.getTime() < Date.parse(`${CLIENT_AUTH_SUNSET}T00:00:00Z`)) return undefined;
  const daysToRenewal = wholeDaysBetween(context.now, renewal);
  const renewalDay = renewal.toISOString().slice(0, 10);
  const message =
    `The certificate ${label} allows serverAuth and clientAuth today, but it is from a public CA and due for renewal around ${renewalDay} ` +
    `(${RENEWAL_LEAD_DAYS} days before it expires${daysToRenewal >= 0 ? `, in ${daysToRenewal} days` : ''}), after ${CLIENT_AUTH_SUNSET}: the renewed certificate will not carry clientAuth. ${CA_TREND} ${MUTUAL_TLS}`;
  const details = { data: { ...data, renewalDate: renewalDay, clientAuthSunset: CLIENT_AUTH_SUNSET } };
  if (daysToRenewal > RENEWAL_WARNING_DAYS) return found.info('renewal-after-sunset', subject, `${message} ${WAYS_OUT}`, details);
  return found.warn(
    'renewal-soon-after-sunset',
    subject,
    message,
    `Before renewing the certificate of ${probe.host}, plan for a serverAuth-only certificate. ${WAYS_OUT}`,
    details,
  );
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, found, (probe, subject, leaf) => judgeEku(context, probe, subject, leaf));
  },
};
