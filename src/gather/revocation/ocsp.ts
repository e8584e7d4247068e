// Builds OCSP requests and reads OCSP responses with PKI.js: the responder's answer about one
// certificate, and whether the responder may give it (RFC 6960 §4.2.2.2). A pure function of the
// bytes: no clock, no network, no policy.
//
// PKI.js is large (about 25 ms to load): this module is only loaded with a dynamic import
// (loadOcsp in gather.ts), once a certificate names an OCSP responder or a server staples a
// response, so `fedcheck --version` and runs without OCSP never pay for it.
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { RevocationReading } from '../../model/revocation.js';
import { parseCertificate } from '../tls/certificate.js';
import {
  HASHES,
  hex,
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

const OID = {
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  extendedKeyUsage: '2.5.29.37',
  sha1: '1.3.14.3.2.26',
} as const;

const OCSP_RESPONSE_STATUSES: Record<number, string> = {
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

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
  const verdict = verifySignature(new Uint8Array(basic.signatureAlgorithm.toSchema().toBER()), data.tbsView, bitStringBytes(basic.signature), signer.publicKey);
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

/** Node's Buffers and PKI.js's views are never backed by a SharedArrayBuffer; PKI.js's types want that said. */
function berSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

function nameBytes(name: pkijs.RelativeDistinguishedNames): Uint8Array {
  return name.valueBeforeDecode.byteLength > 0 ? new Uint8Array(name.valueBeforeDecode) : new Uint8Array(name.toSchema().toBER());
}

/** A one-line rendering of a name for messages: the attribute values. */
function nameText(name: pkijs.RelativeDistinguishedNames): string {
  const parts = name.typesAndValues.map((attribute) => {
    const value: unknown = (attribute.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
    return typeof value === 'string' ? value : attribute.type;
  });
  return parts.length > 0 ? `"${parts.join(', ')}"` : 'an empty name';
}

/** The unsigned magnitude of an INTEGER, for comparing serials. */
function integerBytes(integer: asn1js.Integer): Uint8Array {
  return withoutLeadingZeros(integer.valueBlock.valueHexView);
}

function bitStringBytes(bits: asn1js.BitString): Uint8Array {
  return bits.valueBlock.valueHexView;
}

function digest(hash: string, data: Uint8Array): Uint8Array {
  return createHash(hash).update(data).digest();
}
