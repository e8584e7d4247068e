// Certificates come from untrusted servers: parsing must never throw. Node's X509Certificate
// (OpenSSL) provides the key details and the CA flag; the ASN.1 tree provides what Node 20 does not
// expose (signature algorithm, key usage bits, CRL distribution points, exact names and SAN
// entries). When one source fails the other fills in, and the failure is recorded in parseError.
import { X509Certificate, createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { CertificateInfo } from '../../model/observations.js';
import { canonicalIpAddress, formatIpAddress } from '../../model/ip.js';
import {
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_INTEGER,
  TAG_SEQUENCE,
  algorithmOf,
  bytesOf,
  children,
  decodeDerPrefix,
  decodeWrapped,
  encodeDer,
  isContext,
  isUniversal,
  oidOf,
  timeOf,
  type Asn1Node,
} from './der.js';

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSASignature',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
  '2.16.840.1.101.3.4.3.1': 'dsa-with-sha224',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-sha256',
};

const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

/** RFC 5280 KeyUsage bits, in bit order. */
const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

const PUBLIC_KEY_ALGORITHMS: Record<string, CertificateInfo['keyType']> = {
  '1.2.840.113549.1.1.1': 'rsa',
  '1.2.840.113549.1.1.10': 'rsa-pss',
  '1.2.840.10045.2.1': 'ec',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
  '1.2.840.10040.4.1': 'dsa',
};

const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

const CURVE_OIDS: Record<string, string> = {
  '1.2.840.10045.3.1.1': 'prime192v1',
  '1.3.132.0.33': 'secp224r1',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.10': 'secp256k1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
};

const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EXTENDED_KEY_USAGE = '2.5.29.37';
const OID_CRL_DISTRIBUTION_POINTS = '2.5.29.31';
const OID_AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';
const OID_ACCESS_METHOD_OCSP = '1.3.6.1.5.5.7.48.1';

const EXTENSION_NAMES: Record<string, string> = {
  [OID_SUBJECT_ALT_NAME]: 'subjectAltName',
  [OID_BASIC_CONSTRAINTS]: 'basicConstraints',
  [OID_KEY_USAGE]: 'keyUsage',
  [OID_EXTENDED_KEY_USAGE]: 'extendedKeyUsage',
  [OID_CRL_DISTRIBUTION_POINTS]: 'cRLDistributionPoints',
  [OID_AUTHORITY_INFO_ACCESS]: 'authorityInfoAccess',
};

/**
 * What extendedKeyUsage holds when the extension is present but cannot be decoded: a value that
 * is no usage, so nothing reads it as allowing serverAuth or clientAuth (an absent extension
 * would allow every usage).
 */
export const UNREADABLE_EXTENDED_KEY_USAGE = 'unreadable';

export function derToPem(der: Buffer | Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Every CERTIFICATE block of a PEM text, in order; other block types are ignored. */
export function pemToDer(pem: string): Buffer[] {
  const blocks: Buffer[] = [];
  const pattern = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (const match of pem.matchAll(pattern)) {
    const der = Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64');
    if (der.length > 0) blocks.push(der);
  }
  return blocks;
}

/** "AB:CD:…" as Node prints fingerprints; computed here so that even unparseable DER gets one. */
export function fingerprintSha256(der: Buffer | Uint8Array): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return (hex.match(/../g) ?? []).join(':');
}

/**
 * The peers of one cluster, and every probe of one peer, send the same certificates: parse each
 * distinct DER once per process. Bounded, since a batch run may meet thousands.
 */
const parsedCertificates = new Map<string, CertificateInfo>();
const PARSED_CERTIFICATES_KEPT = 4096;

/**
 * Parses one DER certificate. Never throws: on damage, parseError says what failed; an extension
 * that is present but cannot be decoded is reported there as "extension <oid> (<name>) unreadable".
 */
export function parseCertificate(der: Buffer | Uint8Array): CertificateInfo {
  const bytes = Buffer.from(der);
  const key = bytes.toString('base64');
  const known = parsedCertificates.get(key);
  if (known) return known;
  const info = parseCertificateBytes(bytes);
  if (parsedCertificates.size >= PARSED_CERTIFICATES_KEPT) parsedCertificates.clear();
  parsedCertificates.set(key, info);
  return info;
}

function parseCertificateBytes(bytes: Buffer): CertificateInfo {
  const problems: string[] = [];
  const info: CertificateInfo = {
    pem: derToPem(bytes),
    subject: '',
    issuer: '',
    serialNumber: '',
    notBefore: '',
    notAfter: '',
    fingerprintSha256: fingerprintSha256(bytes),
    sanDnsNames: [],
    sanIpAddresses: [],
    hasSanExtension: false,
    keyType: 'unknown',
    signatureAlgorithm: '',
    signatureAlgorithmOid: '',
    crlDistributionPoints: [],
    ocspResponders: [],
    isCA: false,
    selfIssued: false,
  };

  let x509: X509Certificate | undefined;
  try {
    x509 = new X509Certificate(bytes);
  } catch (error) {
    problems.push(`not a valid X.509 certificate: ${messageOf(error)}`);
  }

  let structure: CertificateStructure | undefined;
  try {
    structure = readStructure(bytes, problems);
  } catch (error) {
    problems.push(`ASN.1 structure unreadable: ${messageOf(error)}`);
  }

  if (structure) fillFromStructure(info, structure, problems);
  if (x509) fillFromX509(info, x509, structure, problems);

  if (problems.length > 0) info.parseError = problems.join('; ');
  return info;
}

interface CertificateStructure {
  serial?: Buffer;
  signatureAlgorithmOid?: string;
  issuer?: Asn1Node;
  subject?: Asn1Node;
  notBefore?: Date;
  notAfter?: Date;
  subjectPublicKeyInfo?: Asn1Node;
  extensions: Map<string, Asn1Node>;
}

function readStructure(der: Buffer, problems: string[]): CertificateStructure {
  const { node: certificate, trailingBytes } = decodeDerPrefix(der);
  if (trailingBytes > 0) problems.push(`${trailingBytes} unexpected bytes after the certificate`);
  const [tbs, signatureAlgorithm] = children(certificate);
  if (!isUniversal(tbs, TAG_SEQUENCE)) throw new Error('TBSCertificate is not a SEQUENCE');
  const fields = children(tbs);
  let index = isContext(fields[0], 0) ? 1 : 0;
  const serialNode = fields[index++];
  index++; // the TBS copy of the signature algorithm; the outer one is authoritative
  const issuer = fields[index++];
  const validity = children(fields[index++]);
  const subject = fields[index++];
  const subjectPublicKeyInfo = fields[index++];
  const extensions = new Map<string, Asn1Node>();
  for (const field of fields.slice(index)) {
    if (!isContext(field, 3)) continue;
    for (const extension of children(children(field)[0])) {
      const parts = children(extension);
      const oid = oidOf(parts[0]);
      const value = isUniversal(parts[1], TAG_BOOLEAN) ? parts[2] : parts[1];
      if (oid && value && !extensions.has(oid)) extensions.set(oid, value);
    }
  }
  return {
    serial: isUniversal(serialNode, TAG_INTEGER) ? bytesOf(serialNode) : undefined,
    signatureAlgorithmOid: algorithmOf(signatureAlgorithm)?.oid,
    issuer: isUniversal(issuer, TAG_SEQUENCE) ? issuer : undefined,
    subject: isUniversal(subject, TAG_SEQUENCE) ? subject : undefined,
    notBefore: timeOf(validity[0]),
    notAfter: timeOf(validity[1]),
    subjectPublicKeyInfo: isUniversal(subjectPublicKeyInfo, TAG_SEQUENCE) ? subjectPublicKeyInfo : undefined,
    extensions,
  };
}

function fillFromStructure(info: CertificateInfo, structure: CertificateStructure, problems: string[]): void {
  if (structure.subject) {
    const subject = readName(structure.subject);
    info.subject = subject.rendered;
    if (subject.commonName !== undefined) info.subjectCN = subject.commonName;
  }
  if (structure.issuer) {
    const issuer = readName(structure.issuer);
    info.issuer = issuer.rendered;
    if (issuer.commonName !== undefined) info.issuerCN = issuer.commonName;
  }
  if (structure.subject && structure.issuer) {
    info.selfIssued = encodeDer(structure.subject).equals(encodeDer(structure.issuer));
  }
  if (structure.serial) info.serialNumber = serialToHex(structure.serial);
  if (structure.notBefore) info.notBefore = structure.notBefore.toISOString();
  if (structure.notAfter) info.notAfter = structure.notAfter.toISOString();

  const signatureOid = structure.signatureAlgorithmOid;
  if (signatureOid) {
    info.signatureAlgorithmOid = signatureOid;
    info.signatureAlgorithm = SIGNATURE_ALGORITHMS[signatureOid] ?? signatureOid;
  } else {
    problems.push('signature algorithm unreadable');
  }

  if (structure.subjectPublicKeyInfo) fillKey(info, structure.subjectPublicKeyInfo, problems);

  // Present counts, readable or not: a client ignores the CN whenever the extension is there, so
  // an unreadable SAN must not let the CN stand in for it.
  if (structure.extensions.has(OID_SUBJECT_ALT_NAME)) info.hasSanExtension = true;
  readExtension(structure, OID_SUBJECT_ALT_NAME, problems, (value) => {
    if (!isUniversal(value, TAG_SEQUENCE)) throw new Error('GeneralNames is not a SEQUENCE');
    const names = readGeneralNames(value);
    info.sanDnsNames = names.dns;
    info.sanIpAddresses = names.ip;
  });
  readExtension(structure, OID_BASIC_CONSTRAINTS, problems, (value) => {
    const first = children(value)[0];
    info.isCA = isUniversal(first, TAG_BOOLEAN) && (bytesOf(first)?.[0] ?? 0) !== 0;
  });
  readExtension(structure, OID_KEY_USAGE, problems, (value) => {
    info.keyUsage = readKeyUsage(value);
  });
  if (structure.extensions.has(OID_EXTENDED_KEY_USAGE)) info.extendedKeyUsage = [UNREADABLE_EXTENDED_KEY_USAGE];
  readExtension(structure, OID_EXTENDED_KEY_USAGE, problems, (value) => {
    if (!isUniversal(value, TAG_SEQUENCE)) throw new Error('ExtKeyUsageSyntax is not a SEQUENCE');
    info.extendedKeyUsage = children(value).map((node) => {
      const oid = oidOf(node) ?? '?';
      return EXTENDED_KEY_USAGES[oid] ?? oid;
    });
  });
  readExtension(structure, OID_CRL_DISTRIBUTION_POINTS, problems, (value) => {
    info.crlDistributionPoints = readCrlDistributionPoints(value);
  });
  readExtension(structure, OID_AUTHORITY_INFO_ACCESS, problems, (value) => {
    info.ocspResponders = readOcspResponders(value);
  });
}

function readExtension(
  structure: CertificateStructure,
  oid: string,
  problems: string[],
  read: (value: Asn1Node) => void,
): void {
  const wrapped = structure.extensions.get(oid);
  if (!wrapped) return;
  try {
    const value = decodeWrapped(wrapped);
    if (!value) throw new Error('extension value is not an OCTET STRING');
    read(value);
  } catch (error) {
    const name = EXTENSION_NAMES[oid];
    problems.push(`extension ${oid}${name ? ` (${name})` : ''} unreadable: ${messageOf(error)}`);
  }
}

function fillKey(info: CertificateInfo, spki: Asn1Node, problems: string[]): void {
  const algorithm = algorithmOf(children(spki)[0]);
  if (algorithm) {
    info.keyType = PUBLIC_KEY_ALGORITHMS[algorithm.oid] ?? 'unknown';
    const curve = info.keyType === 'ec' ? CURVE_OIDS[oidOf(algorithm.parameters) ?? ''] : undefined;
    if (curve) {
      info.curve = curve;
      info.keyBits = CURVE_BITS[curve];
    }
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: encodeDer(spki), format: 'der', type: 'spki' });
  } catch (error) {
    problems.push(`public key unreadable: ${messageOf(error)}`);
    return;
  }
  applyKeyObject(info, key);
}

function applyKeyObject(info: CertificateInfo, key: KeyObject): void {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
      info.keyType = type;
      if (details.modulusLength !== undefined) info.keyBits = details.modulusLength;
      break;
    case 'ec':
      info.keyType = 'ec';
      if (details.namedCurve) {
        info.curve = details.namedCurve;
        const bits = CURVE_BITS[details.namedCurve];
        if (bits !== undefined) info.keyBits = bits;
      }
      break;
    // The size of the encoded public key: Ed25519 offers the strength of a 256-bit EC key.
    case 'ed25519':
      info.keyType = 'ed25519';
      info.keyBits = 256;
      break;
    case 'ed448':
      info.keyType = 'ed448';
      info.keyBits = 456;
      break;
    default:
      break;
  }
}

function fillFromX509(
  info: CertificateInfo,
  x509: X509Certificate,
  structure: CertificateStructure | undefined,
  problems: string[],
): void {
  if (!info.subject) info.subject = x509.subject.split('\n').reverse().join(', ');
  if (!info.issuer) info.issuer = x509.issuer.split('\n').reverse().join(', ');
  if (!structure) info.selfIssued = x509.subject === x509.issuer;
  if (x509.serialNumber) info.serialNumber = x509.serialNumber.toUpperCase();
  if (!info.notBefore) info.notBefore = isoFromOpenSslDate(x509.validFrom);
  if (!info.notAfter) info.notAfter = isoFromOpenSslDate(x509.validTo);
  if (!structure?.extensions.has(OID_BASIC_CONSTRAINTS)) info.isCA = x509.ca;
  if (!structure?.extensions.has(OID_SUBJECT_ALT_NAME) && x509.subjectAltName !== undefined) {
    const names = parseSubjectAltNameString(x509.subjectAltName);
    info.hasSanExtension = true;
    info.sanDnsNames = names.dns;
    info.sanIpAddresses = names.ip;
  }
  try {
    applyKeyObject(info, x509.publicKey);
  } catch (error) {
    if (info.keyType === 'unknown') problems.push(`public key unreadable: ${messageOf(error)}`);
  }
}

function isoFromOpenSslDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** Upper-case hex as Node prints serials: no DER sign-padding byte. */
function serialToHex(bytes: Buffer): string {
  const unpadded = bytes.length > 1 && bytes[0] === 0 && (bytes[1] ?? 0) >= 0x80 ? bytes.subarray(1) : bytes;
  return unpadded.toString('hex').toUpperCase();
}

export interface RenderedName {
  rendered: string;
  commonName?: string;
}

/** RFC 4514 order (most specific RDN first), values escaped so the rendering is unambiguous. */
/** A Name as one line ("CN=sip.example.com, O=Example", most specific first), and its CN. */
export function readName(name: Asn1Node): RenderedName {
  const rdns: string[] = [];
  let commonName: string | undefined;
  for (const rdn of children(name)) {
    const parts: string[] = [];
    for (const attribute of children(rdn)) {
      const [typeNode, valueNode] = children(attribute);
      const oid = oidOf(typeNode) ?? '?';
      const value = decodeDirectoryString(valueNode);
      const label = NAME_ATTRIBUTES[oid] ?? oid;
      if (label === 'CN' && value !== undefined) commonName = value;
      parts.push(`${label}=${value !== undefined ? escapeRdnValue(value) : hexValue(valueNode)}`);
    }
    rdns.push(parts.join('+'));
  }
  return { rendered: rdns.reverse().join(', '), commonName };
}

function decodeDirectoryString(node: Asn1Node | undefined): string | undefined {
  const bytes = bytesOf(node);
  if (!node || !bytes || node.tagClass !== 0) return undefined;
  switch (node.type as number) {
    case 12: // UTF8String
      return bytes.toString('utf8');
    case 19: // PrintableString
    case 22: // IA5String
    case 26: // VisibleString
      return bytes.toString('latin1');
    case 20: // TeletexString: in practice Latin-1
      return bytes.toString('latin1');
    case 30: // BMPString: UTF-16BE
      return swapBytes16(bytes).toString('utf16le');
    case 28: {
      // UniversalString: UTF-32BE
      let text = '';
      for (let offset = 0; offset + 4 <= bytes.length; offset += 4) {
        const codePoint = bytes.readUInt32BE(offset);
        text += codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\ufffd';
      }
      return text;
    }
    default:
      return undefined;
  }
}

function swapBytes16(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return copy.swap16();
}

function hexValue(node: Asn1Node | undefined): string {
  if (!node) return '#';
  try {
    return `#${encodeDer(node).toString('hex')}`;
  } catch {
    return '#';
  }
}

function escapeRdnValue(value: string): string {
  let escaped = value.replace(/[\\,+"<>;]/g, (character) => `\\${character}`);
  escaped = escaped.replace(/[\u0000-\u001f\u007f]/g, (character) =>
    `\\${character.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  );
  if (escaped.startsWith(' ') || escaped.startsWith('#')) escaped = `\\${escaped}`;
  if (escaped.endsWith(' ') && escaped.length > 1) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

interface SubjectAltNames {
  dns: string[];
  ip: string[];
}

function readGeneralNames(value: Asn1Node): SubjectAltNames {
  const names: SubjectAltNames = { dns: [], ip: [] };
  for (const generalName of children(value)) {
    const bytes = bytesOf(generalName);
    if (!bytes) continue;
    if (isContext(generalName, 2)) names.dns.push(bytes.toString('latin1').toLowerCase());
    if (isContext(generalName, 7)) {
      const address = formatIpAddress(bytes);
      if (address) names.ip.push(address);
    }
  }
  return names;
}

/**
 * Reads Node's `X509Certificate.subjectAltName` rendering ("DNS:a, IP Address:127.0.0.1").
 * Since the fix for CVE-2021-44532, entries holding a comma, quote or other special character
 * are JSON string literals ("DNS:\"a, b\""), so a naive split on ", " would be fooled.
 */
export function parseSubjectAltNameString(text: string): SubjectAltNames {
  const names: SubjectAltNames = { dns: [], ip: [] };
  let position = 0;
  while (position < text.length) {
    const colon = text.indexOf(':', position);
    if (colon < 0) break;
    const type = text.slice(position, colon);
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      const end = closingQuote(text, colon + 1);
      try {
        value = JSON.parse(text.slice(colon + 1, end + 1)) as string;
      } catch {
        value = text.slice(colon + 2, end);
      }
      next = end + 1;
    } else {
      const separator = text.indexOf(', ', colon + 1);
      next = separator < 0 ? text.length : separator;
      value = text.slice(colon + 1, next);
    }
    if (type === 'DNS') names.dns.push(value.toLowerCase());
    if (type === 'IP Address') {
      const address = canonicalIpAddress(value);
      if (address) names.ip.push(address);
    }
    position = text.startsWith(', ', next) ? next + 2 : next + 1;
  }
  return names;
}

function closingQuote(text: string, openingQuote: number): number {
  for (let index = openingQuote + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  return text.length - 1;
}

function readKeyUsage(value: Asn1Node): string[] {
  const bytes = isUniversal(value, TAG_BIT_STRING) ? bytesOf(value) : undefined;
  if (!bytes || bytes.length === 0) throw new Error('KeyUsage is not a BIT STRING');
  const bits = bytes.subarray(1);
  const usages: string[] = [];
  KEY_USAGE_BITS.forEach((name, bit) => {
    const byte = bits[bit >> 3];
    if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) usages.push(name);
  });
  return usages;
}

/** RFC 5280 §4.2.2.1: the OCSP URIs among the AccessDescriptions of Authority Information Access. */
function readOcspResponders(value: Asn1Node): string[] {
  const uris: string[] = [];
  for (const description of children(value)) {
    const [method, location] = children(description);
    const bytes = bytesOf(location);
    if (oidOf(method) === OID_ACCESS_METHOD_OCSP && isContext(location, 6) && bytes) uris.push(bytes.toString('latin1'));
  }
  return uris;
}

/** fullName URIs of every DistributionPoint (RFC 5280 §4.2.1.13). */
function readCrlDistributionPoints(value: Asn1Node): string[] {
  const uris: string[] = [];
  for (const point of children(value)) {
    const distributionPoint = children(point).find((field) => isContext(field, 0));
    const fullName = children(distributionPoint).find((field) => isContext(field, 0));
    for (const generalName of children(fullName)) {
      const bytes = bytesOf(generalName);
      if (isContext(generalName, 6) && bytes) uris.push(bytes.toString('latin1'));
    }
  }
  return uris;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
