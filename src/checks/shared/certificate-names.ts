// Hostname ↔ certificate name matching as a TLS client that follows RFC 6125 does it: exact
// names, and wildcards only as the whole left-most label, covering exactly one label. Pure: no
// I/O, and never throws on whatever names a remote certificate carries.
import { domainToASCII } from 'node:url';
import type { CertificateInfo } from '../../model/observations.js';

export type NameMatchKind = 'exact' | 'wildcard';

export interface CertificateNameMatch {
  kind: NameMatchKind;
  /** The certificate's name that matched, as the certificate carries it. */
  certificateName: string;
}

export interface CertificateIdentity {
  /** The names a client matches against: the SAN dNSNames, or the CN when there is no SAN extension. */
  names: readonly string[];
  /** Where the names come from. */
  source: 'san' | 'cn';
}

const WILDCARD_LABEL = '*';

/**
 * Lower-case A-label form without the trailing dot, or undefined when the text is not a usable
 * DNS name (empty labels, characters IDNA rejects). U-labels are converted to A-labels so that a
 * certificate or a host written in Unicode compares equal to its punycode form.
 */
export function normalizeDnsName(name: string): string | undefined {
  const withoutRoot = name.endsWith('.') ? name.slice(0, -1) : name;
  if (withoutRoot === '') return undefined;
  const labels = withoutRoot.split('.');
  const normalized: string[] = [];
  for (const label of labels) {
    if (label === '') return undefined;
    if (label === WILDCARD_LABEL) {
      normalized.push(label);
      continue;
    }
    // domainToASCII rejects a label with "*" or spaces by returning "", which is what we want.
    const ascii = domainToASCII(label);
    if (ascii === '' || ascii.includes('.')) return undefined;
    normalized.push(ascii.toLowerCase());
  }
  return normalized.join('.');
}

/** True for any name containing "*", whether or not it is a wildcard a client would honour. */
export function isWildcardName(name: string): boolean {
  return name.includes('*');
}

/**
 * Why a wildcard name can never match anything, or undefined when it is a usable wildcard
 * ("*.example.com"). Partial-label wildcards ("f*.example.com"), wildcards below the left-most
 * label and wildcards directly under a top-level domain are refused, as browsers and Schannel do.
 */
export function unusableWildcardReason(name: string): string | undefined {
  const normalized = normalizeDnsName(name.replace(/\*/g, 'x'));
  if (normalized === undefined) return 'it is not a valid DNS name';
  const labels = name.replace(/\.$/, '').split('.');
  const starLabels = labels.filter((label) => label.includes('*'));
  if (starLabels.length === 0) return undefined;
  if (starLabels.length > 1 || labels.slice(1).some((label) => label.includes('*'))) {
    return 'a wildcard is only honoured in the left-most label';
  }
  if (labels[0] !== WILDCARD_LABEL) return 'a wildcard must be the whole left-most label ("*.example.com"), not part of it';
  if (labels.length < 3) return 'a wildcard directly under a top-level domain is never honoured';
  return undefined;
}

/** Lower-case letters, digits, dots and hyphens: already a name's normal form, but for a trailing dot. */
const PLAIN_NAME = /^[a-z0-9.-]+$/;

/** How one certificate name matches the host, or undefined when it does not. Case-insensitive. */
export function matchCertificateName(host: string, certificateName: string): NameMatchKind | undefined {
  const wanted = normalizeDnsName(host);
  if (wanted === undefined || isWildcardName(wanted)) return undefined;
  return matchNormalizedHost(wanted, certificateName);
}

/** matchCertificateName for a host already normalised (and not a wildcard). */
function matchNormalizedHost(wanted: string, certificateName: string): NameMatchKind | undefined {
  if (!isWildcardName(certificateName)) {
    // A service provider's certificate names a hundred domains and every peer of each is matched
    // against all of them: a plain name is compared as it is, without normalising it first.
    if (PLAIN_NAME.test(certificateName)) return (certificateName.endsWith('.') ? certificateName.slice(0, -1) : certificateName) === wanted ? 'exact' : undefined;
    return normalizeDnsName(certificateName) === wanted ? 'exact' : undefined;
  }
  if (unusableWildcardReason(certificateName) !== undefined) return undefined;
  const pattern = normalizeDnsName(certificateName);
  if (pattern === undefined) return undefined;
  const patternParent = pattern.slice(WILDCARD_LABEL.length + 1);
  const dot = wanted.indexOf('.');
  // The "*" stands for exactly one non-empty label: never the bare parent, never two labels.
  if (dot <= 0) return undefined;
  return wanted.slice(dot + 1) === patternParent ? 'wildcard' : undefined;
}

/** The best match among a certificate's names: an exact name wins over a wildcard. */
export function findCertificateNameMatch(
  host: string,
  certificateNames: readonly string[],
): CertificateNameMatch | undefined {
  const wanted = normalizeDnsName(host);
  if (wanted === undefined || isWildcardName(wanted)) return undefined;
  let wildcard: CertificateNameMatch | undefined;
  for (const certificateName of certificateNames) {
    const kind = matchNormalizedHost(wanted, certificateName);
    if (kind === 'exact') return { kind, certificateName };
    if (kind === 'wildcard') wildcard ??= { kind, certificateName };
  }
  return wildcard;
}

/** RFC 6125 §6.4.4: the CN is an identity only when the certificate has no subjectAltName extension. */
export function certificateIdentity(certificate: CertificateInfo): CertificateIdentity {
  // The certificate's own list, not a copy: a service provider's certificate names a hundred
  // domains, and every peer of every one of them is judged against it.
  if (certificate.hasSanExtension) return { names: certificate.sanDnsNames, source: 'san' };
  return { names: certificate.subjectCN ? [certificate.subjectCN] : [], source: 'cn' };
}
