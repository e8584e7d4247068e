// cert-name: the SRV target FQDN is one of the leaf certificate's identities (SAN dNSNames, or
// the CN only when there is no SAN extension). A match only through a wildcard is a warning.
import type { Finding } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import {
  certificateIdentity,
  findCertificateNameMatch,
  isWildcardName,
  matchCertificateName,
  normalizeDnsName,
  unusableWildcardReason,
} from './shared/certificate-names.js';
import {
  CERTIFICATE_PREREQUISITE_CODES,
  OID_SUBJECT_ALT_NAME,
  certificateLabel,
  judgeEachCertificate,
  parseNote,
  unreadableExtension,
} from './shared/certificates.js';
import { findingBuilder } from './shared/findings.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'cert-name',
  title: 'Certificate carries the SRV target name',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    "The SRV target FQDN is in the leaf certificate's subjectAltName dNSNames (the CN counts only when the certificate has no SAN extension; a SAN extension that cannot be decoded fails, it does not make the CN count). A match only through a wildcard is a warning: Expressway does not support wildcard certificates.",
  impact:
    "Microsoft's edge checks that the certificate names the host its SRV lookup selected; on a mismatch it refuses the connection and logs a certificate error (SEC_E_WRONG_PRINCIPAL), so federation with the domain fails.",
  msDiagnostics: '1010 (certificate trust with the federated server could not be established: SEC_E_WRONG_PRINCIPAL)',
  source: 'RFC 6125 §6 (service identity); RFC 5922 §7 (SIP domain certificates); Cisco TAC 212383 (certificate requirements for federation with Lync/Skype for Business)',
  remediation:
    'Reissue the Expressway-E certificate with the SRV target FQDN as an exact subjectAltName dNSName (not a wildcard) and install it on every peer.',
  codes: {
    pass: { status: 'pass', summary: 'The certificate names the SRV target exactly.' },
    wildcard: { status: 'warn', summary: 'The certificate covers the SRV target only through a wildcard, which Expressway does not support.' },
    mismatch: { status: 'fail', summary: 'The certificate does not name the SRV target (SEC_E_WRONG_PRINCIPAL).' },
    'san-unreadable': { status: 'fail', summary: 'The subjectAltName extension could not be decoded, so no name can be matched.' },
    ...CERTIFICATE_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

/**
 * How many of a certificate's names a mismatch shows, in its message and data: a service
 * provider's certificate carries a hundred, all in the certificate's own sanDnsNames.
 */
const NAMES_SHOWN = 10;

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map((name) => `"${name}"`).join(', ');
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}

/** Names the certificate carries that a client will not use, with why, for the failure message. */
function ignoredNames(leaf: CertificateInfo, host: string): string[] {
  const notes: string[] = [];
  if (leaf.hasSanExtension && leaf.subjectCN && matchCertificateName(host, leaf.subjectCN) !== undefined) {
    notes.push(`its CN "${leaf.subjectCN}" matches, but a CN is ignored when the certificate has a subjectAltName extension`);
  }
  const candidates = leaf.hasSanExtension ? leaf.sanDnsNames : leaf.subjectCN ? [leaf.subjectCN] : [];
  for (const name of candidates) {
    if (!isWildcardName(name)) continue;
    const reason = unusableWildcardReason(name);
    if (reason !== undefined) notes.push(`"${name}" is never honoured: ${reason}`);
  }
  if (leaf.sanIpAddresses.length > 0) {
    notes.push(`its IP address names (${leaf.sanIpAddresses.join(', ')}) do not count: Microsoft's edge checks the host name`);
  }
  return notes;
}

function judgeName(context: CheckContext, probe: TlsProbeObservation, subject: string, leaf: CertificateInfo): Finding {
  const host = normalizeDnsName(probe.host) ?? probe.host.toLowerCase();
  const identity = certificateIdentity(leaf);
  const match = findCertificateNameMatch(host, identity.names);
  const where = identity.source === 'san' ? 'subjectAltName dNSNames' : 'subject CN (the certificate has no subjectAltName extension)';
  // The matched name, not the list: the certificate in the observations has every name.
  const data = {
    host,
    source: identity.source,
    nameCount: identity.names.length,
    ...(match ? { match: match.kind, matchedName: match.certificateName } : { names: identity.names.slice(0, NAMES_SHOWN) }),
  };
  const partner = isPartner(context.target);

  const unreadable = unreadableExtension(leaf, OID_SUBJECT_ALT_NAME);
  if (leaf.hasSanExtension && unreadable !== undefined) {
    return found.fail(
      'san-unreadable',
      subject,
      `The certificate ${certificateLabel(leaf)} has a subjectAltName extension that could not be read (${unreadable}), so ` +
        `whether it names ${host} cannot be established, and its CN${leaf.subjectCN ? ` "${leaf.subjectCN}"` : ''} does not ` +
        'count while the extension is there: a client that cannot decode the extension cannot match the name and refuses ' +
        "the certificate (Microsoft's edge logs ms-diagnostics: 1010 … SEC_E_WRONG_PRINCIPAL).",
      partner
        ? askPartner(context.target.domain, `reissue their edge certificate with a well-formed subjectAltName extension carrying DNS:${host}.`)
        : `Reissue the Expressway-E certificate with a well-formed subjectAltName extension carrying DNS:${host} (and the names it should carry besides) and install it on every peer.`,
      { data: { ...data, unreadable } },
    );
  }
  if (match?.kind === 'exact') {
    return found.pass('pass', subject, `The certificate ${certificateLabel(leaf)} names ${host} exactly in its ${where}.`, { data });
  }
  if (match?.kind === 'wildcard') {
    return found.warn(
      'wildcard',
      subject,
      `The certificate ${certificateLabel(leaf)} covers ${host} only through the wildcard "${match.certificateName}" in its ${where}: TLS clients accept it, but Expressway does not support wildcard certificates.`,
      partner
        ? askPartner(context.target.domain, `add ${host} to their edge certificate as an exact subjectAltName dNSName if federation with them misbehaves.`)
        : `Reissue the Expressway-E certificate with ${host} as an exact subjectAltName dNSName (DNS:${host}) instead of relying on "${match.certificateName}".`,
      { data },
    );
  }
  const ignored = ignoredNames(leaf, host);
  return found.fail(
    'mismatch',
    subject,
    (identity.names.length === 0
      ? `The certificate ${certificateLabel(leaf)} does not name ${host}: it carries no DNS name in its ${where}`
      : `The certificate ${certificateLabel(leaf)} does not name ${host}: its ${where} ${identity.names.length === 1 ? 'is' : 'are'} ${listNames(identity.names)}`) +
      `${ignored.length > 0 ? `; ${ignored.join('; ')}` : ''}. Microsoft's edge refuses it (ms-diagnostics: 1010 … SEC_E_WRONG_PRINCIPAL).${parseNote(leaf)}`,
    partner
      ? askPartner(context.target.domain, `reissue their edge certificate with ${host} as a subjectAltName dNSName.`)
      : `Reissue the Expressway-E certificate with the subjectAltName DNS:${host} (keep the names it carries now) and install it on every peer.`,
    { data },
  );
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, found, (probe, subject, leaf) => judgeName(context, probe, subject, leaf));
  },
};
