import { X509Certificate, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  UNREADABLE_EXTENDED_KEY_USAGE,
  derToPem,
  parseCertificate,
  parseSubjectAltNameString,
  pemToDer,
} from '../../../src/gather/tls/certificate.js';
import { DEFAULT_CRL_URL, createPki, type Pki } from '../../../src/lab/pki.js';
import { check as certEku } from '../../../src/checks/cert-eku.js';
import { check as certName } from '../../../src/checks/cert-name.js';
import { judgeOne } from '../../helpers/builders/checks.js';
import { HOST, tlsProbe } from '../../helpers/builders/tls.js';
import {
  NOT_A_SEQUENCE,
  OID_AUTHORITY_INFO_ACCESS,
  OID_EXTENDED_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  TRUNCATED_SEQUENCE,
  withExtensionValue,
} from './crafted-certificates.js';

let pki: Pki;

beforeAll(async () => {
  pki = await createPki();
});

describe('parseCertificate', () => {
  it('reads an RSA 2048 leaf the way Node and the DER agree', () => {
    const notBefore = new Date('2025-01-02T03:04:05Z');
    const notAfter = new Date('2030-06-07T08:09:10Z');
    const leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'], notBefore, notAfter });
    const info = parseCertificate(leaf.der);
    const node = new X509Certificate(leaf.der);

    expect(info.parseError).toBeUndefined();
    expect(info.subject).toBe('CN=sip.example.com, O=fedcheck lab');
    expect(info.subjectCN).toBe('sip.example.com');
    expect(info.issuerCN).toBe(pki.intermediate.cert.subjectCN);
    expect(info.issuer).toBe(pki.intermediate.cert.subject);
    expect(info.serialNumber).toBe(node.serialNumber);
    expect(info.fingerprintSha256).toBe(node.fingerprint256);
    expect(info.notBefore).toBe('2025-01-02T03:04:05.000Z');
    expect(info.notAfter).toBe('2030-06-07T08:09:10.000Z');
    expect(info.keyType).toBe('rsa');
    expect(info.keyBits).toBe(2048);
    expect(info.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(info.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.11');
    expect(info.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(info.isCA).toBe(false);
    expect(info.selfIssued).toBe(false);
    expect(pemToDer(info.pem)[0]?.equals(leaf.der)).toBe(true);
  });

  it('reads a 1024-bit key and a SHA-1 signature', () => {
    const info = parseCertificate(pki.issueLeaf({ commonName: 'weak', rsaBits: 1024, signatureHash: 'sha1' }).der);
    expect(info.keyBits).toBe(1024);
    expect(info.signatureAlgorithm).toBe('sha1WithRSAEncryption');
    expect(info.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.5');
  });

  it('names MD5 and RSASSA-PSS signatures', () => {
    expect(parseCertificate(pki.issueLeaf({ commonName: 'md5', signatureHash: 'md5' }).der).signatureAlgorithm).toBe(
      'md5WithRSAEncryption',
    );
    expect(parseCertificate(pki.issueLeaf({ commonName: 'pss', signatureScheme: 'pss' }).der).signatureAlgorithm).toBe(
      'RSASSA-PSS',
    );
  });

  it('reads ECDSA P-256 and P-384 keys and an ECDSA signature', () => {
    const p256 = parseCertificate(pki.issueLeaf({ commonName: 'ec', keyType: 'ec' }, 'self').der);
    expect(p256.parseError).toBeUndefined();
    expect(p256.keyType).toBe('ec');
    expect(p256.curve).toBe('prime256v1');
    expect(p256.keyBits).toBe(256);
    expect(p256.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(p256.keyUsage).toEqual(['digitalSignature']);

    const p384 = parseCertificate(pki.issueLeaf({ commonName: 'ec384', keyType: 'ec', ecCurve: 'secp384r1' }).der);
    expect(p384.keyBits).toBe(384);
    expect(p384.curve).toBe('secp384r1');
    expect(p384.signatureAlgorithm).toBe('sha256WithRSAEncryption');
  });

  it('reads an Ed25519 certificate', () => {
    const info = parseCertificate(pki.issueLeaf({ commonName: 'ed', keyType: 'ed25519' }, 'self').der);
    expect(info.parseError).toBeUndefined();
    expect(info.keyType).toBe('ed25519');
    expect(info.signatureAlgorithm).toBe('Ed25519');
    expect(info.selfIssued).toBe(true);
  });

  it('tells a missing EKU extension from a restricted one', () => {
    expect(parseCertificate(pki.issueLeaf({ commonName: 'a', extendedKeyUsage: 'none' }).der).extendedKeyUsage).toBe(
      undefined,
    );
    expect(
      parseCertificate(pki.issueLeaf({ commonName: 'a', extendedKeyUsage: ['serverAuth'] }).der).extendedKeyUsage,
    ).toEqual(['serverAuth']);
    expect(parseCertificate(pki.issueLeaf({ commonName: 'a' }).der).extendedKeyUsage).toEqual([
      'serverAuth',
      'clientAuth',
    ]);
  });

  it('reads CRL distribution points, present or absent', () => {
    expect(parseCertificate(pki.issueLeaf({ commonName: 'a' }).der).crlDistributionPoints).toEqual([DEFAULT_CRL_URL]);
    expect(
      parseCertificate(pki.issueLeaf({ commonName: 'a', crlDistributionPoint: 'http://crl.example.com/x.crl' }).der)
        .crlDistributionPoints,
    ).toEqual(['http://crl.example.com/x.crl']);
    expect(parseCertificate(pki.issueLeaf({ commonName: 'a', crlDistributionPoint: null }).der).crlDistributionPoints).toEqual(
      [],
    );
  });

  it('reads the OCSP responders of Authority Information Access, and only those', () => {
    const withOcsp = pki.issueLeaf({ commonName: 'a', ocspUrl: 'http://ocsp.example.com/' });
    expect(parseCertificate(withOcsp.der).ocspResponders).toEqual(['http://ocsp.example.com/']);
    expect(parseCertificate(pki.issueLeaf({ commonName: 'a', ocspUrl: null }).der).ocspResponders).toEqual([]);
    // caIssuers (id-ad 2) names where to download the issuer, not a responder to ask.
    const uri = (text: string): Buffer => Buffer.concat([Buffer.from([0x86, text.length]), Buffer.from(text, 'latin1')]);
    const description = (accessMethod: number, text: string): Buffer => {
      const body = Buffer.concat([Buffer.from([0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, accessMethod]), uri(text)]);
      return Buffer.concat([Buffer.from([0x30, body.length]), body]);
    };
    const both = Buffer.concat([description(2, 'http://ca.example.com/i.crt'), description(1, 'http://ocsp2.example.com/')]);
    const crafted = withExtensionValue(withOcsp.der, OID_AUTHORITY_INFO_ACCESS, Buffer.concat([Buffer.from([0x30, both.length]), both]));
    expect(parseCertificate(crafted).ocspResponders).toEqual(['http://ocsp2.example.com/']);
  });

  it('distinguishes no SAN extension (CN only) from an empty one', () => {
    const cnOnly = parseCertificate(pki.issueLeaf({ commonName: 'sip.example.com' }).der);
    expect(cnOnly.hasSanExtension).toBe(false);
    expect(cnOnly.sanDnsNames).toEqual([]);
    expect(cnOnly.subjectCN).toBe('sip.example.com');

    const empty = parseCertificate(pki.issueLeaf({ commonName: 'sip.example.com', sans: [] }).der);
    expect(empty.hasSanExtension).toBe(true);
    expect(empty.sanDnsNames).toEqual([]);
  });

  it('reads wildcard and IP SAN entries, DNS names lower-cased', () => {
    const info = parseCertificate(
      pki.issueLeaf({ commonName: 'x', sans: ['*.Example.COM', 'SIP.example.com', '192.0.2.7', '2001:DB8::1'] }).der,
    );
    expect(info.sanDnsNames).toEqual(['*.example.com', 'sip.example.com']);
    expect(info.sanIpAddresses).toEqual(['192.0.2.7', '2001:db8::1']);
  });

  it('renders names unambiguously when values hold separators', () => {
    const info = parseCertificate(pki.issueLeaf({ commonName: 'Example, Inc + "Partners"' }).der);
    expect(info.subjectCN).toBe('Example, Inc + "Partners"');
    expect(info.subject).toBe('CN=Example\\, Inc \\+ \\"Partners\\", O=fedcheck lab');
  });

  it('reads CA certificates', () => {
    expect(pki.root.cert.isCA).toBe(true);
    expect(pki.root.cert.selfIssued).toBe(true);
    expect(pki.root.cert.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(pki.intermediate.cert.isCA).toBe(true);
    expect(pki.intermediate.cert.selfIssued).toBe(false);
  });

  it('never throws on garbage, and says so', () => {
    for (const garbage of [Buffer.alloc(0), Buffer.from('hello world'), randomBytes(700), Buffer.from([0x30, 0x82, 0xff])]) {
      const info = parseCertificate(garbage);
      expect(info.parseError).toBeTruthy();
      expect(info.keyType).toBe('unknown');
      expect(info.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(info.pem).toContain('BEGIN CERTIFICATE');
    }
  });

  it('fills what it can from a truncated or padded certificate', () => {
    const leaf = pki.issueLeaf({ commonName: 'sip.example.com' });
    const truncated = parseCertificate(leaf.der.subarray(0, 200));
    expect(truncated.parseError).toBeTruthy();

    const padded = parseCertificate(Buffer.concat([leaf.der, Buffer.from([0, 0])]));
    expect(padded.parseError).toMatch(/2 unexpected bytes/);
    expect(padded.subjectCN).toBe('sip.example.com');
    expect(padded.signatureAlgorithm).toBe('sha256WithRSAEncryption');
  });

  it('reports a damaged extension and keeps the rest', () => {
    const leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'] });
    const der = Buffer.from(leaf.der);
    // id-ce-subjectAltName, then OCTET STRING header, then the GeneralNames SEQUENCE header.
    const oid = der.indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]));
    expect(oid).toBeGreaterThan(0);
    const sequenceLength = oid + 5 + 2 + 1;
    expect(der[sequenceLength - 1]).toBe(0x30);
    der[sequenceLength] = 0x7f; // claims more bytes than the extension holds

    const info = parseCertificate(der);
    expect(info.parseError).toMatch(/2\.5\.29\.17/);
    expect(info.subjectCN).toBe('sip.example.com');
    expect(info.keyBits).toBe(2048);
    expect(info.crlDistributionPoints).toEqual([DEFAULT_CRL_URL]);
  });
});

describe('parseCertificate on an extension that is present but undecodable', () => {
  it.each([
    ['truncated DER', TRUNCATED_SEQUENCE],
    ['DER of the wrong type', NOT_A_SEQUENCE],
  ])('keeps a subjectAltName extension with %s present, so the CN does not stand in for it', (_, value) => {
    const leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'] });
    const info = parseCertificate(withExtensionValue(leaf.der, OID_SUBJECT_ALT_NAME, value));
    expect(info.hasSanExtension).toBe(true);
    expect(info.sanDnsNames).toEqual([]);
    expect(info.parseError).toMatch(/^extension 2\.5\.29\.17 \(subjectAltName\) unreadable: /);
    expect(info.subjectCN).toBe('sip.example.com');
    expect(info.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
  });

  it.each([
    ['truncated DER', TRUNCATED_SEQUENCE],
    ['DER of the wrong type', NOT_A_SEQUENCE],
  ])('gives an extendedKeyUsage extension with %s a usage that allows nothing', (_, value) => {
    const leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'] });
    const info = parseCertificate(withExtensionValue(leaf.der, OID_EXTENDED_KEY_USAGE, value));
    expect(info.extendedKeyUsage).toEqual([UNREADABLE_EXTENDED_KEY_USAGE]);
    expect(info.parseError).toMatch(/^extension 2\.5\.29\.37 \(extendedKeyUsage\) unreadable: /);
    expect(info.sanDnsNames).toEqual(['sip.example.com']);
  });

  it('makes cert-eku and cert-name fail such a certificate instead of passing it', () => {
    const leaf = pki.issueLeaf({ commonName: HOST, sans: [HOST] });
    const damagedEku = parseCertificate(withExtensionValue(leaf.der, OID_EXTENDED_KEY_USAGE, TRUNCATED_SEQUENCE));
    const eku = judgeOne(certEku, tlsProbe({ chain: [damagedEku] }));
    expect(eku.status).toBe('fail');
    expect(eku.message).toContain('has an Extended Key Usage extension that could not be read');

    const damagedSan = parseCertificate(withExtensionValue(leaf.der, OID_SUBJECT_ALT_NAME, TRUNCATED_SEQUENCE));
    const name = judgeOne(certName, tlsProbe({ chain: [damagedSan] }));
    expect(name.status).toBe('fail');
    expect(name.message).toContain('has a subjectAltName extension that could not be read');
  });
});

describe('PEM helpers', () => {
  it('finds every CERTIFICATE block and ignores other blocks', () => {
    const leaf = pki.issueLeaf({ commonName: 'a' });
    const text = `junk\r\n${leaf.keyPem}${leaf.certPem.replace(/\n/g, '\r\n')}\n${pki.root.certPem}`;
    const blocks = pemToDer(text);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.equals(leaf.der)).toBe(true);
    expect(blocks[1]?.equals(pki.root.der)).toBe(true);
    expect(pemToDer('no certificates here')).toEqual([]);
  });

  it('writes 64-column PEM that round-trips', () => {
    const pem = derToPem(pki.root.der);
    const body = pem.split('\n').slice(1, -2);
    expect(body.every((line) => line.length <= 64)).toBe(true);
    expect(body.slice(0, -1).every((line) => line.length === 64)).toBe(true);
    expect(pemToDer(pem)[0]?.equals(pki.root.der)).toBe(true);
  });
});

describe('parseSubjectAltNameString', () => {
  it('respects JSON-quoted entries that contain separators', () => {
    const names = parseSubjectAltNameString(
      'DNS:a.example.com, DNS:"evil.com, DNS:b.example.com", DNS:"quote\\"d", IP Address:127.0.0.1, ' +
        'IP Address:0:0:0:0:0:0:0:1, email:x@example.com, DNS:LAST.example.com',
    );
    expect(names.dns).toEqual(['a.example.com', 'evil.com, dns:b.example.com', 'quote"d', 'last.example.com']);
    expect(names.ip).toEqual(['127.0.0.1', '::1']);
  });

  it('returns nothing for an empty rendering', () => {
    expect(parseSubjectAltNameString('')).toEqual({ dns: [], ip: [] });
  });
});
