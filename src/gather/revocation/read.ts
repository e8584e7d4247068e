// Reads CRLs and OCSP responses with PKI.js (a CRL's list of entries excepted: see crlLayout), and
// builds OCSP requests. Everything here is a pure function of bytes (the response, the
// certificate, its issuer): no clock, no network, no policy. Gather calls it when a response
// arrives and --replay calls it again on the kept bytes; whether a reading is current, and what
// revoked or unknown costs, is the check's to judge.
//
// PKI.js is large: this module is only ever loaded with a dynamic import (loadRevocationReader),
// so a run that fetches nothing, and `fedcheck --version`, never pay for it.
//
// Signatures are verified with node:crypto (synchronous, every algorithm OpenSSL knows) over the
// exact signed bytes as received; PKI.js's own verify() goes through WebCrypto, which is
// asynchronous and knows fewer of the algorithms CAs have used.
import { X509Certificate, constants, createHash, verify, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { RevocationObservations, RevocationReading, RevocationReadingProblem, RevocationSource } from '../../model/revocation.js';
import { parseCertificate, pemToDer } from '../tls/certificate.js';

/** The certificate a response is about, and the certificate of its issuer (DER). */
export interface CertificateAndIssuer {
  certificate: Uint8Array;
  /** Absent when the issuer is unknown: the reading then says what it can, with problem no-issuer. */
  issuer?: Uint8Array;
}

const OID = {
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  extendedKeyUsage: '2.5.29.37',
  reasonCode: '2.5.29.21',
  sha1: '1.3.14.3.2.26',
  rsaPss: '1.2.840.113549.1.1.10',
} as const;

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms by OID: the hash, and the key type they need. */
const SIGNATURES: Record<string, { hash: string | null; key: 'rsa' | 'ec' | 'ed25519' | 'ed448' }> = {
  '1.2.840.113549.1.1.4': { hash: 'md5', key: 'rsa' },
  '1.2.840.113549.1.1.5': { hash: 'sha1', key: 'rsa' },
  '1.3.14.3.2.29': { hash: 'sha1', key: 'rsa' },
  '1.2.840.113549.1.1.14': { hash: 'sha224', key: 'rsa' },
  '1.2.840.113549.1.1.11': { hash: 'sha256', key: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', key: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', key: 'rsa' },
  '1.2.840.10045.4.1': { hash: 'sha1', key: 'ec' },
  '1.2.840.10045.4.3.1': { hash: 'sha224', key: 'ec' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', key: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', key: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', key: 'ec' },
  '1.3.101.112': { hash: null, key: 'ed25519' },
  '1.3.101.113': { hash: null, key: 'ed448' },
};

/** RFC 5280 §5.3.1 CRLReason (also OCSP's revocationReason). */
const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  undefined, // 7 is not used
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

const OCSP_RESPONSE_STATUSES: Record<number, string> = {
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

// ---------------------------------------------------------------------------------------------
// CRLs

/** What a CRL says about one certificate: listed or not, current when, signed by its issuer or not. */
export function readCrl(body: Uint8Array, subject: CertificateAndIssuer): RevocationReading {
  const reading: RevocationReading = { source: 'crl' };
  let crl: CrlLayout;
  let issuerName: pkijs.RelativeDistinguishedNames;
  let signatureAlgorithm: pkijs.AlgorithmIdentifier;
  try {
    crl = crlLayout(derOf(body, 'X509 CRL'));
    issuerName = pkijs.RelativeDistinguishedNames.fromBER(berSource(crl.issuer));
    signatureAlgorithm = pkijs.AlgorithmIdentifier.fromBER(berSource(crl.signatureAlgorithm));
    reading.thisUpdate = pkijs.Time.fromBER(berSource(crl.thisUpdate)).value.toISOString();
    if (crl.nextUpdate) reading.nextUpdate = pkijs.Time.fromBER(berSource(crl.nextUpdate)).value.toISOString();
  } catch (error) {
    return withProblem(reading, 'malformed', `not a CRL: ${messageOf(error)}`);
  }
  reading.entries = crl.entries.length;

  let certificate: pkijs.Certificate;
  try {
    certificate = pkijs.Certificate.fromBER(berSource(subject.certificate));
  } catch (error) {
    return withProblem(reading, 'malformed', `the certificate itself cannot be read: ${messageOf(error)}`);
  }
  const entry = revocationEntry(crl, integerBytes(certificate.serialNumber));
  if (entry instanceof Error) return withProblem(reading, 'malformed', `the CRL entry for this certificate cannot be read: ${entry.message}`);
  const reason = entry ? entryReason(entry) : undefined;
  // removeFromCRL only appears in delta CRLs: the certificate is no longer on hold.
  if (entry && reason !== 'removeFromCRL') {
    reading.status = 'revoked';
    reading.revokedAt = entry.revocationDate.value.toISOString();
    if (reason) reading.reason = reason;
  } else {
    reading.status = 'good';
  }

  if (!issuerName.isEqual(certificate.issuer)) {
    return withProblem(reading, 'wrong-issuer', `the CRL is issued by ${nameText(issuerName)}, not by the certificate's issuer ${nameText(certificate.issuer)}`);
  }
  if (!subject.issuer) return withProblem(reading, 'no-issuer', "the certificate's issuer is not known, so the CRL's signature cannot be checked");
  const issuer = readIssuer(subject.issuer);
  if (issuer instanceof Error) return withProblem(reading, 'no-issuer', `the issuer certificate cannot be read: ${issuer.message}`);
  reading.signer = { kind: 'issuer', subject: issuer.subject };
  const verdict = verifySignature(signatureAlgorithm, crl.tbs, crl.signature, issuer.publicKey);
  if (verdict !== 'valid') return withSignatureProblem(reading, verdict, `the CRL's signature (${signatureAlgorithm.algorithmId})`, issuer.subject);
  return reading;
}

/**
 * The parts of a CRL (RFC 5280 §5.1), located by their DER headers. PKI.js reads each part, but
 * not the list of revoked certificates as a whole: asn1js builds an object per node, stops at
 * 10,000 nodes by default, and takes seconds and a gigabyte for the 100,000-entry CRL of a large
 * public CA. The list is walked here header by header and only the matching entry is read.
 */
interface CrlLayout {
  /** The signed bytes (the whole TBSCertList element). */
  tbs: Uint8Array;
  issuer: Uint8Array;
  thisUpdate: Uint8Array;
  nextUpdate?: Uint8Array;
  /** Each entry of revokedCertificates, and the serial number INTEGER's content within it. */
  entries: { element: Uint8Array; serial: Uint8Array }[];
  signatureAlgorithm: Uint8Array;
  /** The signature BIT STRING's bytes, without its unused-bits count. */
  signature: Uint8Array;
}

const DER = { integer: 0x02, bitString: 0x03, sequence: 0x30, utcTime: 0x17, generalizedTime: 0x18 } as const;

function crlLayout(der: Uint8Array): CrlLayout {
  const outer = expectElement(der, 0, DER.sequence, 'CertificateList');
  const [tbsElement, algorithm, signature] = elementsOf(der, outer);
  if (!tbsElement || tbsElement.tag !== DER.sequence) throw new Error('no TBSCertList');
  if (!algorithm || algorithm.tag !== DER.sequence) throw new Error('no signatureAlgorithm');
  if (!signature || signature.tag !== DER.bitString || signature.length < 1) throw new Error('no signatureValue');

  const fields = elementsOf(der, tbsElement);
  let index = 0;
  if (fields[index]?.tag === DER.integer) index++; // version
  const next = (): Element | undefined => fields[index];
  if (next()?.tag !== DER.sequence) throw new Error('no signature algorithm in the TBSCertList');
  index++;
  const issuer = next();
  if (issuer?.tag !== DER.sequence) throw new Error('no issuer');
  index++;
  const isTime = (element: Element | undefined): element is Element => element?.tag === DER.utcTime || element?.tag === DER.generalizedTime;
  const thisUpdate = next();
  if (!isTime(thisUpdate)) throw new Error('no thisUpdate');
  index++;
  const nextUpdate = isTime(next()) ? next() : undefined;
  if (nextUpdate) index++;
  const revoked = next()?.tag === DER.sequence ? next() : undefined;

  const entries = revoked
    ? elementsOf(der, revoked).map((entry) => {
        const serial = elementsOf(der, entry)[0];
        if (entry.tag !== DER.sequence || serial?.tag !== DER.integer) throw new Error('a revoked-certificate entry without a serial number');
        return { element: bytesOfElement(der, entry), serial: der.subarray(serial.contentStart, serial.end) };
      })
    : [];
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

function revocationEntry(crl: CrlLayout, serial: Uint8Array): pkijs.RevokedCertificate | Error | undefined {
  const match = crl.entries.find((entry) => sameBytes(withoutLeadingZeros(entry.serial), serial));
  if (!match) return undefined;
  try {
    return pkijs.RevokedCertificate.fromBER(berSource(match.element));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function entryReason(entry: pkijs.RevokedCertificate): string | undefined {
  const extension = entry.crlEntryExtensions?.extensions.find((candidate) => candidate.extnID === OID.reasonCode);
  if (!extension) return undefined;
  const parsed = asn1js.fromBER(berSource(extension.extnValue.valueBlock.valueHexView));
  return parsed.result instanceof asn1js.Enumerated ? reasonName(parsed.result.valueBlock.valueDec) : undefined;
}

/** A DER element's header: its tag byte and where its content lies. */
interface Element {
  tag: number;
  start: number;
  contentStart: number;
  length: number;
  end: number;
}

/** The element at `offset`, within `limit`; DER only (single-byte tags, definite lengths). */
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

function expectElement(der: Uint8Array, offset: number, tag: number, name: string): Element {
  const element = elementAt(der, offset, der.length);
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

// ---------------------------------------------------------------------------------------------
// OCSP

/** The DER OCSPRequest for one certificate: a SHA-1 CertID (what every responder understands), no nonce. */
export function buildOcspRequest(subject: Required<CertificateAndIssuer>): Uint8Array {
  const certificate = pkijs.Certificate.fromBER(berSource(subject.certificate));
  const issuer = pkijs.Certificate.fromBER(berSource(subject.issuer));
  const certId = new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: digest('sha1', nameBytes(certificate.issuer)) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: digest('sha1', bitStringBytes(issuer.subjectPublicKeyInfo.subjectPublicKey)) }),
    serialNumber: new asn1js.Integer({ valueHex: certificate.serialNumber.valueBlock.valueHexView }),
  });
  const request = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({ requestList: [new pkijs.Request({ reqCert: certId })] }),
  });
  return new Uint8Array(request.toSchema(true).toBER());
}

/** What an OCSP response says about one certificate, and whether its signer may say it. */
export function readOcspResponse(body: Uint8Array, subject: CertificateAndIssuer): RevocationReading {
  const reading: RevocationReading = { source: 'ocsp' };
  let basic: pkijs.BasicOCSPResponse;
  try {
    const response = pkijs.OCSPResponse.fromBER(berSource(body));
    const status = response.responseStatus.valueBlock.valueDec;
    if (status !== 0) {
      const name = OCSP_RESPONSE_STATUSES[status] ?? `status ${status}`;
      return withProblem(reading, 'ocsp-error', `the responder answered ${name} instead of a status`);
    }
    if (!response.responseBytes) return withProblem(reading, 'malformed', 'a successful OCSP response without a response');
    if (response.responseBytes.responseType !== OID.ocspBasic) {
      return withProblem(reading, 'malformed', `an OCSP response of type ${response.responseBytes.responseType}, not a basic response`);
    }
    basic = pkijs.BasicOCSPResponse.fromBER(berSource(response.responseBytes.response.valueBlock.valueHexView));
  } catch (error) {
    return withProblem(reading, 'malformed', `not an OCSP response: ${messageOf(error)}`);
  }
  const data = basic.tbsResponseData;
  reading.producedAt = data.producedAt.toISOString();

  let certificate: pkijs.Certificate;
  try {
    certificate = pkijs.Certificate.fromBER(berSource(subject.certificate));
  } catch (error) {
    return withProblem(reading, 'malformed', `the certificate itself cannot be read: ${messageOf(error)}`);
  }
  if (!subject.issuer) return withProblem(reading, 'no-issuer', "the certificate's issuer is not known, so the response cannot be checked");
  let issuer: pkijs.Certificate;
  let issuerKey: KeyObject;
  let issuerSubject: string;
  try {
    issuer = pkijs.Certificate.fromBER(berSource(subject.issuer));
    const read = readIssuer(subject.issuer);
    if (read instanceof Error) throw read;
    issuerKey = read.publicKey;
    issuerSubject = read.subject;
  } catch (error) {
    return withProblem(reading, 'no-issuer', `the issuer certificate cannot be read: ${messageOf(error)}`);
  }

  const single = data.responses.find((candidate) => isAbout(candidate.certID, certificate, issuer));
  if (!single) {
    return withProblem(reading, 'wrong-certificate', `none of the ${data.responses.length} answers in the response is about serial ${hex(integerBytes(certificate.serialNumber))}`);
  }
  reading.thisUpdate = single.thisUpdate.toISOString();
  if (single.nextUpdate) reading.nextUpdate = single.nextUpdate.toISOString();
  Object.assign(reading, certStatusOf(single.certStatus));

  const signer = responseSigner(basic, issuer, issuerKey, issuerSubject);
  if (signer instanceof Error) return withProblem(reading, 'unauthorized-responder', signer.message);
  reading.signer = signer.description;
  const verdict = verifySignature(basic.signatureAlgorithm, data.tbsView, bitStringBytes(basic.signature), signer.publicKey);
  if (verdict !== 'valid') return withSignatureProblem(reading, verdict, `the response's signature (${basic.signatureAlgorithm.algorithmId})`, signer.description.subject);
  return reading;
}

function isAbout(certId: pkijs.CertID, certificate: pkijs.Certificate, issuer: pkijs.Certificate): boolean {
  const hash = HASHES[certId.hashAlgorithm.algorithmId];
  if (!hash) return false;
  return (
    sameBytes(integerBytes(certId.serialNumber), integerBytes(certificate.serialNumber)) &&
    sameBytes(certId.issuerNameHash.valueBlock.valueHexView, digest(hash, nameBytes(certificate.issuer))) &&
    sameBytes(certId.issuerKeyHash.valueBlock.valueHexView, digest(hash, bitStringBytes(issuer.subjectPublicKeyInfo.subjectPublicKey)))
  );
}

function certStatusOf(status: asn1js.BaseBlock): Pick<RevocationReading, 'status' | 'revokedAt' | 'reason'> {
  switch (status.idBlock.tagNumber) {
    case 0:
      return { status: 'good' };
    case 1: {
      const fields = status instanceof asn1js.Constructed ? status.valueBlock.value : [];
      const result: Pick<RevocationReading, 'status' | 'revokedAt' | 'reason'> = { status: 'revoked' };
      const time = fields[0];
      if (time instanceof asn1js.GeneralizedTime) result.revokedAt = time.toDate().toISOString();
      const reasonField = fields[1];
      const reason = reasonField instanceof asn1js.Constructed ? reasonField.valueBlock.value[0] : undefined;
      if (reason instanceof asn1js.Enumerated) {
        const name = reasonName(reason.valueBlock.valueDec);
        if (name) result.reason = name;
      }
      return result;
    }
    default:
      return { status: 'unknown' };
  }
}

interface ResponseSigner {
  publicKey: KeyObject;
  description: NonNullable<RevocationReading['signer']>;
}

/**
 * RFC 6960 §4.2.2.2: the issuer itself, or a responder certificate in the response that the
 * issuer signed and that carries id-kp-OCSPSigning.
 */
function responseSigner(
  basic: pkijs.BasicOCSPResponse,
  issuer: pkijs.Certificate,
  issuerKey: KeyObject,
  issuerSubject: string,
): ResponseSigner | Error {
  const responderId: unknown = basic.tbsResponseData.responderID;
  const names = (certificate: pkijs.Certificate): boolean =>
    responderId instanceof pkijs.RelativeDistinguishedNames
      ? responderId.isEqual(certificate.subject)
      : responderId instanceof asn1js.OctetString &&
        sameBytes(responderId.valueBlock.valueHexView, digest('sha1', bitStringBytes(certificate.subjectPublicKeyInfo.subjectPublicKey)));
  if (names(issuer)) return { publicKey: issuerKey, description: { kind: 'issuer', subject: issuerSubject } };

  const responder = (basic.certs ?? []).find(names);
  if (!responder) return new Error(`the response is signed by ${responderText(responderId)}, which is neither the issuer ${issuerSubject} nor a responder certificate included in the response`);
  const der = new Uint8Array(responder.toSchema().toBER());
  const info = parseCertificate(Buffer.from(der));
  const description: ResponseSigner['description'] = {
    kind: 'delegated-responder',
    subject: info.subject,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
  };
  let responderKey: KeyObject;
  try {
    const x509 = new X509Certificate(der);
    if (!responder.issuer.isEqual(issuer.subject) || !x509.verify(issuerKey)) {
      return new Error(`the responder certificate ${info.subject} that signed the response was not issued by ${issuerSubject}`);
    }
    responderKey = x509.publicKey;
  } catch (error) {
    return new Error(`the responder certificate ${info.subject} cannot be checked: ${messageOf(error)}`);
  }
  const usage = responder.extensions?.find((extension) => extension.extnID === OID.extendedKeyUsage)?.parsedValue;
  if (!(usage instanceof pkijs.ExtKeyUsage) || !usage.keyPurposes.includes(OID.ocspSigning)) {
    return new Error(`the responder certificate ${info.subject} lacks the OCSPSigning extended key usage (id-kp-OCSPSigning), so ${issuerSubject} did not delegate OCSP to it`);
  }
  return { publicKey: responderKey, description };
}

function responderText(responderId: unknown): string {
  if (responderId instanceof pkijs.RelativeDistinguishedNames) return nameText(responderId);
  if (responderId instanceof asn1js.OctetString) return `the key with SHA-1 ${hex(responderId.valueBlock.valueHexView)}`;
  return 'an unreadable responder id';
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

function readIssuer(der: Uint8Array): { publicKey: KeyObject; subject: string } | Error {
  try {
    const x509 = new X509Certificate(der);
    return { publicKey: x509.publicKey, subject: parseCertificate(Buffer.from(der)).subject };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

type SignatureVerdict = 'valid' | 'invalid' | 'unsupported';

function verifySignature(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, signature: Uint8Array, key: KeyObject): SignatureVerdict {
  try {
    if (algorithm.algorithmId === OID.rsaPss) {
      if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return 'invalid';
      const params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
      const hash = HASHES[params.hashAlgorithm.algorithmId];
      if (!hash) return 'unsupported';
      const valid = verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
      return valid ? 'valid' : 'invalid';
    }
    const known = SIGNATURES[algorithm.algorithmId];
    if (!known) return 'unsupported';
    if (key.asymmetricKeyType !== known.key) return 'invalid';
    const valid =
      known.key === 'ec' ? verify(known.hash, data, { key, dsaEncoding: 'der' }, signature) : verify(known.hash, data, key, signature);
    return valid ? 'valid' : 'invalid';
  } catch {
    // OpenSSL refusing the key or the digest (MD5 in a FIPS build) is not a forged signature.
    return 'unsupported';
  }
}

function withSignatureProblem(reading: RevocationReading, verdict: Exclude<SignatureVerdict, 'valid'>, what: string, signer: string): RevocationReading {
  return verdict === 'unsupported'
    ? withProblem(reading, 'unsupported-signature', `${what} uses an algorithm fedcheck cannot verify`)
    : withProblem(reading, 'bad-signature', `${what} does not verify with the key of ${signer}`);
}

function withProblem(reading: RevocationReading, code: RevocationReadingProblem, detail: string): RevocationReading {
  reading.problem = { code, detail };
  return reading;
}

/** Accepts DER, and PEM as some CAs publish their CRLs. */
function derOf(body: Uint8Array, label: string): Uint8Array {
  const head = Buffer.from(body.subarray(0, 64)).toString('latin1');
  if (!head.includes('-----BEGIN')) return body;
  const text = Buffer.from(body).toString('latin1');
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  if (!match?.[1]) throw new Error(`PEM without a ${label} block`);
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

/** Node's Buffers and PKI.js's views are never backed by a SharedArrayBuffer; PKI.js's types want that said. */
function berSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

function nameBytes(name: pkijs.RelativeDistinguishedNames): Uint8Array {
  return name.valueBeforeDecode.byteLength > 0 ? new Uint8Array(name.valueBeforeDecode) : new Uint8Array(name.toSchema().toBER());
}

/** A one-line rendering of a name for messages: the attribute values, most specific last. */
function nameText(name: pkijs.RelativeDistinguishedNames): string {
  const parts = name.typesAndValues.map((attribute) => {
    const value: unknown = (attribute.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
    return typeof value === 'string' ? value : attribute.type;
  });
  return parts.length > 0 ? `"${parts.join(', ')}"` : 'an empty name';
}

/** The unsigned magnitude of an INTEGER (leading zero bytes dropped), for comparing serials. */
function integerBytes(integer: asn1js.Integer): Uint8Array {
  return withoutLeadingZeros(integer.valueBlock.valueHexView);
}

function withoutLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function bitStringBytes(bits: asn1js.BitString): Uint8Array {
  return bits.valueBlock.valueHexView;
}

function digest(hash: string, data: Uint8Array): Uint8Array {
  return createHash(hash).update(data).digest();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function reasonName(code: number): string | undefined {
  return CRL_REASONS[code] ?? `reason ${code}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Replay

/** What --replay needs to read kept responses again: the certificates as the peers sent them. */
export interface SentCertificates {
  chain: readonly { pem: string; fingerprintSha256: string }[];
  address: string;
  port: number;
  stapledOcsp?: string;
}

/**
 * The observations with every kept body read again by this version's reader (a report from an
 * older version is judged by today's reading of the same bytes). Bodies that were too large to
 * keep keep the reading made when they were fetched.
 */
export function rereadRevocation(revocation: RevocationObservations, peers: readonly SentCertificates[]): RevocationObservations {
  const certificates = new Map<string, Uint8Array>();
  for (const peer of peers) {
    for (const certificate of peer.chain) {
      const der = pemToDer(certificate.pem)[0];
      if (der) certificates.set(certificate.fingerprintSha256, der);
    }
  }
  return {
    certificates: revocation.certificates.map((entry) => {
      const certificate = certificates.get(entry.fingerprintSha256);
      if (!certificate) return entry;
      const issuer = entry.issuer ? pemToDer(entry.issuer.pem)[0] : undefined;
      const pair: CertificateAndIssuer = { certificate, ...(issuer ? { issuer } : {}) };
      const reread = (source: RevocationSource, read: typeof readCrl): RevocationSource =>
        source.body === undefined ? source : { ...source, reading: read(Buffer.from(source.body, 'base64'), pair) };
      const stapled = entry.stapled.map((reading) => {
        const body = peers.find((peer) => peer.address === reading.address && peer.port === reading.port && peer.chain[0]?.fingerprintSha256 === entry.fingerprintSha256)?.stapledOcsp;
        return body === undefined ? reading : { ...reading, reading: readOcspResponse(Buffer.from(body, 'base64'), pair) };
      });
      return {
        ...entry,
        crls: entry.crls.map((source) => reread(source, readCrl)),
        ocsp: entry.ocsp.map((source) => reread(source, readOcspResponse)),
        stapled,
      };
    }),
  };
}
