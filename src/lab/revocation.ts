// Revocation for the lab's PKI: CRLs and OCSP responses signed by a lab CA, built with PKI.js and
// signed with Node's crypto (synchronous, and the same keys pki.ts signs certificates with).
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { IssuedCertificate } from './pki.js';

export type CrlReasonName =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold';

const REASON_CODES: Record<CrlReasonName, number> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
};

export interface RevokedSerial {
  /** Hex, as CertificateInfo.serialNumber. */
  serialNumber: string;
  revokedAt: Date;
  reason?: CrlReasonName;
}

export interface CrlSpec {
  thisUpdate: Date;
  /** Omitted: a CRL that does not say when the next one comes. */
  nextUpdate?: Date;
  revoked?: RevokedSerial[];
}

export type OcspAnswer = { status: 'good' } | { status: 'unknown' } | { status: 'revoked'; revokedAt: Date; reason?: CrlReasonName };

export interface OcspResponderSpec {
  /** The CA whose certificates the responder answers for. */
  issuer: IssuedCertificate;
  /** Sign as this certificate (a delegated responder, sent in the response) rather than as the issuer. */
  signer?: IssuedCertificate;
  /** The answer for a serial (hex) of the issuer's; serials of other issuers get 'unknown'. */
  answer(serialNumber: string): OcspAnswer;
  thisUpdate: Date;
  nextUpdate?: Date;
}

const OID = {
  reasonCode: '2.5.29.21',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  rsaWithSha256: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** A DER CRL of the issuer's, listing the given serials. */
export function issueCrl(issuer: IssuedCertificate, spec: CrlSpec): Buffer {
  const issuerCertificate = pkijs.Certificate.fromBER(new Uint8Array(issuer.der));
  const key = createPrivateKey(issuer.keyPem);
  const algorithm = signatureAlgorithm(key);
  const crl = new SignableCrl({
    version: 1,
    signature: algorithm,
    issuer: issuerCertificate.subject,
    thisUpdate: new pkijs.Time({ type: 0, value: spec.thisUpdate }),
    signatureAlgorithm: algorithm,
  });
  if (spec.nextUpdate) crl.nextUpdate = new pkijs.Time({ type: 0, value: spec.nextUpdate });
  const revoked = spec.revoked ?? [];
  if (revoked.length > 0) {
    crl.revokedCertificates = revoked.map(
      (entry) =>
        new pkijs.RevokedCertificate({
          userCertificate: serialInteger(entry.serialNumber),
          revocationDate: new pkijs.Time({ type: 0, value: entry.revokedAt }),
          ...(entry.reason
            ? {
                crlEntryExtensions: new pkijs.Extensions({
                  extensions: [
                    new pkijs.Extension({
                      extnID: OID.reasonCode,
                      extnValue: new asn1js.Enumerated({ value: REASON_CODES[entry.reason] }).toBER(),
                    }),
                  ],
                }),
              }
            : {}),
        }),
    );
  }
  crl.tbsView = crl.encodedTbs();
  crl.signatureValue = new asn1js.BitString({ valueHex: signWith(key, crl.tbsView) });
  return Buffer.from(crl.toSchema(false).toBER());
}

/** PKI.js keeps the TBS encoder protected: the lab signs with Node's crypto, so it needs the bytes. */
class SignableCrl extends pkijs.CertificateRevocationList {
  encodedTbs(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.encodeTBS().toBER());
  }
}

/** The DER OCSPResponse to a DER OCSPRequest; a request that cannot be read gets malformedRequest. */
export function answerOcspRequest(requestDer: Uint8Array, spec: OcspResponderSpec): Buffer {
  let request: pkijs.OCSPRequest;
  try {
    request = pkijs.OCSPRequest.fromBER(new Uint8Array(requestDer));
  } catch {
    return Buffer.from(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: 1 }) }).toSchema().toBER());
  }
  const issuer = pkijs.Certificate.fromBER(new Uint8Array(spec.issuer.der));
  const signer = spec.signer ?? spec.issuer;
  const signerCertificate = pkijs.Certificate.fromBER(new Uint8Array(signer.der));
  const key = createPrivateKey(signer.keyPem);

  const responses = request.tbsRequest.requestList.map((entry) => {
    const certId = entry.reqCert;
    const ours = issues(certId, issuer);
    const answer: OcspAnswer = ours ? spec.answer(Buffer.from(integerMagnitude(certId.serialNumber)).toString('hex').toUpperCase()) : { status: 'unknown' };
    const single = new pkijs.SingleResponse({ certID: certId, certStatus: certStatus(answer), thisUpdate: spec.thisUpdate });
    if (spec.nextUpdate) single.nextUpdate = spec.nextUpdate;
    return single;
  });
  const data = new pkijs.ResponseData({
    responderID: new asn1js.OctetString({ valueHex: sha1(signerCertificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView) }),
    producedAt: new Date(Math.max(spec.thisUpdate.getTime(), Date.now() - 1000)),
    responses,
  });
  data.tbsView = new Uint8Array(data.toSchema(true).toBER());
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: signatureAlgorithm(key),
    signature: new asn1js.BitString({ valueHex: signWith(key, data.tbsView) }),
    ...(spec.signer ? { certs: [signerCertificate] } : {}),
  });
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OID.ocspBasic,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }),
    }),
  });
  return Buffer.from(response.toSchema().toBER());
}

function issues(certId: pkijs.CertID, issuer: pkijs.Certificate): boolean {
  const hash = certId.hashAlgorithm.algorithmId === '1.3.14.3.2.26' ? 'sha1' : certId.hashAlgorithm.algorithmId === '2.16.840.1.101.3.4.2.1' ? 'sha256' : undefined;
  if (!hash) return false;
  const nameHash = createHash(hash).update(new Uint8Array(issuer.subject.valueBeforeDecode)).digest();
  const keyHash = createHash(hash).update(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
  return nameHash.equals(certId.issuerNameHash.valueBlock.valueHexView) && keyHash.equals(certId.issuerKeyHash.valueBlock.valueHexView);
}

function certStatus(answer: OcspAnswer): asn1js.BaseBlock {
  switch (answer.status) {
    case 'good':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    case 'unknown':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
    case 'revoked': {
      const fields: asn1js.BaseBlock[] = [new asn1js.GeneralizedTime({ valueDate: answer.revokedAt })];
      if (answer.reason) {
        fields.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: REASON_CODES[answer.reason] })] }));
      }
      return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: fields });
    }
  }
}

function signatureAlgorithm(key: KeyObject): pkijs.AlgorithmIdentifier {
  if (key.asymmetricKeyType === 'rsa') return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaWithSha256, algorithmParams: new asn1js.Null() });
  if (key.asymmetricKeyType === 'ec') return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
  throw new Error(`the lab signs CRLs and OCSP responses with RSA or EC keys, not ${key.asymmetricKeyType ?? 'unknown'}`);
}

function signWith(key: KeyObject, data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sign('sha256', data, key.asymmetricKeyType === 'ec' ? { key, dsaEncoding: 'der' } : key));
}

function serialInteger(hex: string): asn1js.Integer {
  const bytes = Buffer.from(hex.replace(/[^0-9a-f]/gi, '').padStart(2, '0'), 'hex');
  // DER INTEGERs are signed: a serial whose first bit is set needs a leading zero byte.
  const positive = (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return new asn1js.Integer({ valueHex: new Uint8Array(positive) });
}

function integerMagnitude(integer: asn1js.Integer): Uint8Array {
  const bytes = integer.valueBlock.valueHexView;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function sha1(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha1').update(data).digest());
}
