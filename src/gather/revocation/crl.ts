// Reads a CRL against one certificate: listed or not (and why), current when, issued and signed by
// the certificate's issuer or not. A pure function of the bytes: no clock, no network, no policy.
//
// A large public CA's CRL has 100,000 entries and more. PKI.js (on asn1js) cannot read those:
// asn1js stops at 10,000 nodes by default, and without that limit takes seconds and a gigabyte
// for one. So the CRL is walked here by DER headers, each entry's serial compared in place, and
// only the small parts (issuer, dates, algorithm, the matching entry) are decoded, with the same
// ASN.1 layer that reads certificates (der.ts).
import type { RevocationReading } from '../../model/revocation.js';
import { readName } from '../tls/certificate.js';
import { bytesOf, children, decodeDer, oidOf, timeOf, type Asn1Node } from '../tls/der.js';
import {
  messageOf,
  readIssuer,
  reasonName,
  sameBytes,
  verifySignature,
  withProblem,
  withSignatureProblem,
  withoutLeadingZeros,
  type CertificateAndIssuer,
} from './reading.js';

const REASON_CODE = '2.5.29.21';

export function readCrl(body: Uint8Array, subject: CertificateAndIssuer): RevocationReading {
  const reading: RevocationReading = { source: 'crl' };
  let crl: CrlLayout;
  let thisUpdate: Date | undefined;
  try {
    crl = crlLayout(pemOrDer(body));
    thisUpdate = timeOf(decodeDer(crl.thisUpdate));
    if (!thisUpdate) throw new Error('its thisUpdate is not a valid time');
    reading.thisUpdate = thisUpdate.toISOString();
    if (crl.nextUpdate) {
      const nextUpdate = timeOf(decodeDer(crl.nextUpdate));
      if (!nextUpdate) throw new Error('its nextUpdate is not a valid time');
      reading.nextUpdate = nextUpdate.toISOString();
    }
  } catch (error) {
    return withProblem(reading, 'malformed', `not a CRL: ${messageOf(error)}`);
  }
  reading.entries = crl.entries.length;

  let certificate: CertificateLayout;
  try {
    certificate = certificateLayout(subject.certificate);
  } catch (error) {
    return withProblem(reading, 'malformed', `the certificate itself cannot be read: ${messageOf(error)}`);
  }
  const serial = withoutLeadingZeros(certificate.serial);
  const match = crl.entries.find((entry) => sameBytes(withoutLeadingZeros(entry.serial), serial));
  if (match) {
    const entry = readEntry(match.element);
    if (entry instanceof Error) return withProblem(reading, 'malformed', `the CRL entry for this certificate cannot be read: ${entry.message}`);
    // removeFromCRL only appears in delta CRLs: the certificate is no longer on hold.
    if (entry.reason !== 'removeFromCRL') {
      reading.status = 'revoked';
      if (entry.revokedAt) reading.revokedAt = entry.revokedAt.toISOString();
      if (entry.reason) reading.reason = entry.reason;
    }
  }
  reading.status ??= 'good';

  if (!sameName(crl.issuer, certificate.issuer)) {
    return withProblem(reading, 'wrong-issuer', `the CRL is issued by ${nameText(crl.issuer)}, not by the certificate's issuer ${nameText(certificate.issuer)}`);
  }
  if (!subject.issuer) return withProblem(reading, 'no-issuer', "the certificate's issuer is not known, so the CRL's signature cannot be checked");
  const issuer = readIssuer(subject.issuer);
  if (issuer instanceof Error) return withProblem(reading, 'no-issuer', `the issuer certificate cannot be read: ${issuer.message}`);
  reading.signer = { kind: 'issuer', subject: issuer.subject };
  const verdict = verifySignature(crl.signatureAlgorithm, crl.tbs, crl.signature, issuer.publicKey);
  if (verdict !== 'valid') {
    const algorithm = oidOf(children(decodeDer(crl.signatureAlgorithm))[0]) ?? 'unknown';
    return withSignatureProblem(reading, verdict, `the CRL's signature (${algorithm})`, issuer.subject);
  }
  return reading;
}

/** The parts of a CRL (RFC 5280 §5.1), located by their DER headers. */
interface CrlLayout {
  /** The signed bytes (the whole TBSCertList element). */
  tbs: Uint8Array;
  issuer: Uint8Array;
  thisUpdate: Uint8Array;
  nextUpdate?: Uint8Array;
  /** Each entry of revokedCertificates, and its serial number INTEGER's content. */
  entries: { element: Uint8Array; serial: Uint8Array }[];
  signatureAlgorithm: Uint8Array;
  /** The signature BIT STRING's bytes, without its unused-bits count. */
  signature: Uint8Array;
}

const TAG = { integer: 0x02, bitString: 0x03, sequence: 0x30, utcTime: 0x17, generalizedTime: 0x18, version: 0xa0 } as const;

function crlLayout(der: Uint8Array): CrlLayout {
  const [tbsElement, algorithm, signature] = elementsOf(der, expectElement(der, TAG.sequence, 'CertificateList'));
  if (tbsElement?.tag !== TAG.sequence) throw new Error('no TBSCertList');
  if (algorithm?.tag !== TAG.sequence) throw new Error('no signatureAlgorithm');
  if (signature?.tag !== TAG.bitString || signature.length < 1) throw new Error('no signatureValue');

  const fields = elementsOf(der, tbsElement);
  let index = fields[0]?.tag === TAG.integer ? 1 : 0; // version
  const take = (accept: (tag: number) => boolean, name?: string): Element | undefined => {
    const field = fields[index];
    if (field && accept(field.tag)) {
      index++;
      return field;
    }
    if (name) throw new Error(`no ${name}`);
    return undefined;
  };
  const isTime = (tag: number): boolean => tag === TAG.utcTime || tag === TAG.generalizedTime;
  take((tag) => tag === TAG.sequence, 'signature algorithm in the TBSCertList');
  const issuer = take((tag) => tag === TAG.sequence, 'issuer')!;
  const thisUpdate = take(isTime, 'thisUpdate')!;
  const nextUpdate = take(isTime);
  const revoked = take((tag) => tag === TAG.sequence);

  const entries = (revoked ? elementsOf(der, revoked) : []).map((entry) => {
    const serial = entry.tag === TAG.sequence ? elementsOf(der, entry)[0] : undefined;
    if (serial?.tag !== TAG.integer) throw new Error('a revoked-certificate entry without a serial number');
    return { element: bytesOfElement(der, entry), serial: der.subarray(serial.contentStart, serial.end) };
  });
  return {
    tbs: bytesOfElement(der, tbsElement),
    issuer: bytesOfElement(der, issuer),
    thisUpdate: bytesOfElement(der, thisUpdate),
    ...(nextUpdate ? { nextUpdate: bytesOfElement(der, nextUpdate) } : {}),
    entries,
    signatureAlgorithm: bytesOfElement(der, algorithm),
    signature: der.subarray(signature.contentStart + 1, signature.end),
  };
}

/** The serial and issuer Name of an X.509 certificate (RFC 5280 §4.1). */
interface CertificateLayout {
  serial: Uint8Array;
  issuer: Uint8Array;
}

function certificateLayout(der: Uint8Array): CertificateLayout {
  const [tbs] = elementsOf(der, expectElement(der, TAG.sequence, 'Certificate'));
  if (tbs?.tag !== TAG.sequence) throw new Error('no TBSCertificate');
  const fields = elementsOf(der, tbs);
  const start = fields[0]?.tag === TAG.version ? 1 : 0;
  const [serial, , issuer] = fields.slice(start);
  if (serial?.tag !== TAG.integer || issuer?.tag !== TAG.sequence) throw new Error('no serial number or issuer');
  return { serial: der.subarray(serial.contentStart, serial.end), issuer: bytesOfElement(der, issuer) };
}

/** revokedCertificates entry: userCertificate, revocationDate, crlEntryExtensions (reasonCode). */
function readEntry(element: Uint8Array): { revokedAt?: Date; reason?: string } | Error {
  try {
    const [, time, extensions] = children(decodeDer(element));
    const entry: { revokedAt?: Date; reason?: string } = {};
    const revokedAt = timeOf(time);
    if (revokedAt) entry.revokedAt = revokedAt;
    for (const extension of children(extensions)) {
      const parts = children(extension);
      if (oidOf(parts[0]) !== REASON_CODE) continue;
      const value = bytesOf(parts[parts.length - 1]);
      const reason = value ? bytesOf(decodeDer(value)) : undefined;
      if (reason && reason.length > 0) entry.reason = reasonName(reason.readUIntBE(0, Math.min(reason.length, 6)));
    }
    return entry;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * RFC 5280 §7.1 asks for names to be compared, not their encodings: the same bytes, or the same
 * attributes and values once decoded (a CA may write PrintableString in one and UTF8String in the other).
 */
function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (sameBytes(a, b)) return true;
  try {
    return readName(decodeDer(a)).rendered.toLowerCase() === readName(decodeDer(b)).rendered.toLowerCase();
  } catch {
    return false;
  }
}

function nameText(name: Uint8Array): string {
  try {
    return `"${readName(decodeDer(name) as Asn1Node).rendered}"`;
  } catch {
    return 'an unreadable name';
  }
}

/** DER, or PEM as some CAs publish their CRLs. */
function pemOrDer(body: Uint8Array): Uint8Array {
  const head = Buffer.from(body.subarray(0, 64)).toString('latin1');
  if (!head.includes('-----BEGIN')) return body;
  const match = /-----BEGIN X509 CRL-----([A-Za-z0-9+/=\s]+)-----END X509 CRL-----/.exec(Buffer.from(body).toString('latin1'));
  if (!match?.[1]) throw new Error('PEM without an X509 CRL block');
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

// ---------------------------------------------------------------------------------------------
// DER headers

/** A DER element: its tag byte and where its content lies. */
interface Element {
  tag: number;
  start: number;
  contentStart: number;
  length: number;
  end: number;
}

/** The element at `offset`, within `limit`: DER only (single-byte tags, definite lengths). */
function elementAt(der: Uint8Array, offset: number, limit: number): Element {
  if (offset + 2 > limit) throw new Error('truncated DER');
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('a multi-byte tag, which no CRL uses');
  let length = der[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new Error('an indefinite or oversized length, which DER does not allow');
    if (contentStart + octets > limit) throw new Error('truncated DER');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[contentStart + i]!;
    contentStart += octets;
  }
  const end = contentStart + length;
  if (end > limit) throw new Error('an element longer than what contains it');
  return { tag, start: offset, contentStart, length, end };
}

function expectElement(der: Uint8Array, tag: number, name: string): Element {
  const element = elementAt(der, 0, der.length);
  if (element.tag !== tag) throw new Error(`no ${name}`);
  return element;
}

function elementsOf(der: Uint8Array, parent: Element): Element[] {
  const elements: Element[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const element = elementAt(der, offset, parent.end);
    elements.push(element);
    offset = element.end;
  }
  return elements;
}

function bytesOfElement(der: Uint8Array, element: Element): Uint8Array {
  return der.subarray(element.start, element.end);
}
