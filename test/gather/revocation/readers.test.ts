// Reading CRLs and OCSP responses: every way a response can fail to be relied on, on responses
// the lab's PKI signs (src/lab/revocation.ts). Answers of openssl's own CA and responder are
// read in openssl.test.ts.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCrl } from '../../../src/gather/revocation/crl.js';
import { rereadRevocation } from '../../../src/gather/revocation/gather.js';
import { buildOcspRequest, readOcspResponse } from '../../../src/gather/revocation/ocsp.js';
import { derToPem } from '../../../src/gather/tls/certificate.js';
import { createPki, type IssuedCertificate, type Pki } from '../../../src/lab/pki.js';
import { answerOcspRequest, issueCrl, type OcspAnswer } from '../../../src/lab/revocation.js';
import type { CertificateRevocation, RevocationReading } from '../../../src/model/revocation.js';

const DAY_MS = 86_400_000;

describe('reading revocation responses', () => {
  let pki: Pki;
  let twin: Pki;
  let leaf: IssuedCertificate;
  let other: IssuedCertificate;
  const now = new Date();
  const days = (n: number) => new Date(now.getTime() + n * DAY_MS);

  beforeAll(async () => {
    pki = await createPki({ label: 'read' });
    // Same names, other keys: what a forged or misplaced response looks like.
    twin = await createPki({ label: 'read' });
    leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'] });
    other = pki.issueLeaf({ commonName: 'other.example.com', sans: ['other.example.com'] });
  });

  const pair = () => ({ certificate: leaf.der, issuer: pki.intermediate.der });

  describe('CRLs', () => {
    it('a current CRL of the issuer without the serial: good, with its dates and size', () => {
      const crl = issueCrl(pki.intermediate, { thisUpdate: days(-1), nextUpdate: days(6), revoked: [{ serialNumber: other.cert.serialNumber, revokedAt: days(-2) }] });
      const reading = readCrl(crl, pair());
      expect(reading).toEqual({
        source: 'crl',
        status: 'good',
        thisUpdate: days(-1).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
        nextUpdate: days(6).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
        entries: 1,
        signer: { kind: 'issuer', subject: pki.intermediate.cert.subject },
      });
    });

    it('the serial listed: revoked, when and why', () => {
      const crl = issueCrl(pki.intermediate, {
        thisUpdate: days(-1),
        nextUpdate: days(6),
        revoked: [{ serialNumber: leaf.cert.serialNumber, revokedAt: days(-3), reason: 'keyCompromise' }],
      });
      const reading = readCrl(crl, pair());
      expect(reading).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
      expect(reading.revokedAt?.slice(0, 10)).toBe(days(-3).toISOString().slice(0, 10));
      expect(reading.problem).toBeUndefined();
    });

    it('a CRL without nextUpdate, and one published as PEM', () => {
      const der = issueCrl(pki.intermediate, { thisUpdate: days(-1) });
      expect(readCrl(der, pair()).nextUpdate).toBeUndefined();
      const pem = Buffer.from(derToPem(der).replaceAll('CERTIFICATE', 'X509 CRL'));
      expect(readCrl(pem, pair())).toMatchObject({ status: 'good' });
      expect(readCrl(pem, pair()).problem).toBeUndefined();
    });

    it('bytes that are not a CRL', () => {
      for (const body of [Buffer.from('<html>Not Found</html>'), Buffer.alloc(0), Buffer.from([0x30, 0x82, 0xff, 0xff, 0x01]), leaf.der]) {
        expect(readCrl(body, pair()).problem?.code).toBe('malformed');
      }
    });

    it("the CRL of another CA (the root's, for a leaf of the intermediate)", () => {
      const crl = issueCrl(pki.root, { thisUpdate: days(-1), nextUpdate: days(6) });
      expect(readCrl(crl, pair()).problem?.code).toBe('wrong-issuer');
    });

    it('a CRL in the issuer’s name signed with another key', () => {
      const crl = issueCrl(twin.intermediate, { thisUpdate: days(-1), nextUpdate: days(6) });
      const reading = readCrl(crl, pair());
      expect(reading.problem?.code).toBe('bad-signature');
      expect(reading.status).toBe('good');
    });

    it('no issuer certificate: what it says, and that it cannot be checked', () => {
      const crl = issueCrl(pki.intermediate, { thisUpdate: days(-1), nextUpdate: days(6), revoked: [{ serialNumber: leaf.cert.serialNumber, revokedAt: days(-1) }] });
      const reading = readCrl(crl, { certificate: leaf.der });
      expect(reading).toMatchObject({ status: 'revoked', problem: { code: 'no-issuer' } });
    });
  });

  describe('OCSP', () => {
    const respond = (answer: OcspAnswer, overrides: { issuer?: IssuedCertificate; nextUpdate?: Date } = {}) =>
      answerOcspRequest(buildOcspRequest(pair()), {
        issuer: overrides.issuer ?? pki.intermediate,
        answer: () => answer,
        thisUpdate: days(-1),
        nextUpdate: overrides.nextUpdate ?? days(1),
      });

    it('good, signed by the issuer, with its dates', () => {
      const reading = readOcspResponse(respond({ status: 'good' }), pair());
      expect(reading).toMatchObject({ source: 'ocsp', status: 'good', signer: { kind: 'issuer', subject: pki.intermediate.cert.subject } });
      expect(reading.problem).toBeUndefined();
      expect(reading.thisUpdate?.slice(0, 10)).toBe(days(-1).toISOString().slice(0, 10));
      expect(reading.nextUpdate?.slice(0, 10)).toBe(days(1).toISOString().slice(0, 10));
      expect(reading.producedAt).toBeDefined();
    });

    it('revoked with a reason, and unknown', () => {
      expect(readOcspResponse(respond({ status: 'revoked', revokedAt: days(-5), reason: 'superseded' }), pair())).toMatchObject({
        status: 'revoked',
        reason: 'superseded',
      });
      expect(readOcspResponse(respond({ status: 'unknown' }), pair()).status).toBe('unknown');
    });

    it('a responder that answers with an error status', () => {
      const tryLater = Buffer.from(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: 3 }) }).toSchema().toBER());
      expect(readOcspResponse(tryLater, pair()).problem).toEqual({ code: 'ocsp-error', detail: 'the responder answered tryLater instead of a status' });
    });

    it('an answer about another certificate', () => {
      const aboutOther = answerOcspRequest(buildOcspRequest({ certificate: other.der, issuer: pki.intermediate.der }), {
        issuer: pki.intermediate,
        answer: () => ({ status: 'good' }),
        thisUpdate: days(-1),
      });
      expect(readOcspResponse(aboutOther, pair()).problem?.code).toBe('wrong-certificate');
    });

    it('signed by a key that is not the issuer’s', () => {
      // The twin's intermediate has the issuer's name, but the response names its own key.
      const forged = answerOcspRequest(buildOcspRequest(pair()), {
        issuer: pki.intermediate,
        signer: twin.intermediate,
        answer: () => ({ status: 'good' }),
        thisUpdate: days(-1),
      });
      expect(readOcspResponse(forged, pair()).problem?.code).toBe('unauthorized-responder');
    });

    it('a signature that does not verify', () => {
      const response = respond({ status: 'good' });
      // The last byte belongs to the signature BIT STRING at the end of the BasicOCSPResponse.
      response[response.length - 1]! ^= 0xff;
      expect(readOcspResponse(response, pair()).problem?.code).toBe('bad-signature');
    });

    it('bytes that are not an OCSP response', () => {
      for (const body of [Buffer.from('<html>Bad Gateway</html>'), Buffer.alloc(0), leaf.der]) {
        expect(readOcspResponse(body, pair()).problem?.code).toBe('malformed');
      }
    });

    it('no issuer certificate', () => {
      expect(readOcspResponse(respond({ status: 'good' }), { certificate: leaf.der }).problem?.code).toBe('no-issuer');
    });

    it('the request names the certificate by SHA-1 hashes of the issuer’s name and key, and its serial', () => {
      const request = pkijs.OCSPRequest.fromBER(new Uint8Array(buildOcspRequest(pair())));
      const [entry] = request.tbsRequest.requestList;
      expect(entry?.reqCert.hashAlgorithm.algorithmId).toBe('1.3.14.3.2.26');
      expect(Buffer.from(entry!.reqCert.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^00/, '')).toBe(leaf.cert.serialNumber);
      expect(request.tbsRequest.requestExtensions).toBeUndefined();
    });
  });

  describe('reading kept bodies again (--replay)', () => {
    it('replaces the readings of kept bodies, keeps those of bodies too large to keep, and reads stapled responses', async () => {
      const crl = issueCrl(pki.intermediate, { thisUpdate: days(-1), nextUpdate: days(6), revoked: [{ serialNumber: leaf.cert.serialNumber, revokedAt: days(-1) }] });
      const stapled = answerOcspRequest(buildOcspRequest(pair()), { issuer: pki.intermediate, answer: () => ({ status: 'good' }), thisUpdate: days(-1) });
      const outdated: RevocationReading = { source: 'crl', status: 'good' };
      const entry: CertificateRevocation = {
        fingerprintSha256: leaf.cert.fingerprintSha256,
        subject: leaf.cert.subject,
        serialNumber: leaf.cert.serialNumber,
        issuer: { source: 'chain', certificate: pki.intermediate.cert },
        crlDistributionPoints: ['http://a.example/kept.crl', 'http://a.example/large.crl'],
        ocspResponders: [],
        crls: [
          { url: 'http://a.example/kept.crl', method: 'GET', outcome: 'ok', durationMs: 1, body: crl.toString('base64'), reading: outdated },
          { url: 'http://a.example/large.crl', method: 'GET', outcome: 'ok', durationMs: 1, reading: outdated },
        ],
        ocsp: [],
        stapled: [{ address: '127.0.0.1', port: 5061, reading: { source: 'ocsp', status: 'unknown' } }],
      };
      const peers = [{ address: '127.0.0.1', port: 5061, chain: [leaf.cert, pki.intermediate.cert], stapledOcsp: stapled.toString('base64') }];
      const [reread] = (await rereadRevocation({ certificates: [entry] }, peers)).certificates;
      expect(reread?.crls[0]?.reading?.status).toBe('revoked');
      expect(reread?.crls[1]?.reading).toBe(outdated);
      expect(reread?.stapled[0]?.reading).toMatchObject({ status: 'good', signer: { kind: 'issuer' } });
    });
  });
});
