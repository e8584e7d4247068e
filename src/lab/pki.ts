// A throw-away PKI for the lab and the tests: a root, an intermediate and leaves made to order,
// including the broken ones the checks must catch (SHA-1/MD5 signatures, 1024-bit keys, missing
// EKU or SAN, expired). node-forge cannot create ECDSA or Ed25519 certificates, so every
// certificate is encoded here with node-forge's ASN.1 module and signed by Node's crypto, which
// signs with any key type (RSA PKCS#1 v1.5 and PSS, ECDSA, Ed25519) natively and quickly.
import {
  constants,
  createHash,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import type forge from 'node-forge';
import { asn1, bytesOf, children, decodeDer, derToPem, encodeDer, parseCertificate, type Asn1Node } from '../gather/index.js';
import { parseIpAddress } from '../model/ip.js';
import type { CertificateInfo } from '../model/observations.js';
import { DAY_MS } from '../model/time.js';

export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
  der: Buffer;
  /** The certificate as fedcheck's own parser reads it. */
  cert: CertificateInfo;
}

export type LeafKeyType = 'rsa' | 'ec' | 'ed25519';

export interface LeafSpec {
  commonName: string;
  /** DNS names (IP literals become iPAddress entries); [] = an empty SAN extension; undefined = none. */
  sans?: string[];
  /** Default: one day before the PKI's clock. */
  notBefore?: Date;
  /** Default: 365 days after the PKI's clock. */
  notAfter?: Date;
  /** Default 'rsa'. */
  keyType?: LeafKeyType;
  /** Default 2048. */
  rsaBits?: number;
  /** Default 'prime256v1'. */
  ecCurve?: 'prime256v1' | 'secp384r1' | 'secp521r1';
  /** Hash of the issuer's signature; default 'sha256'. Ignored for Ed25519 signatures. */
  signatureHash?: 'sha256' | 'sha384' | 'sha1' | 'md5';
  /** RSA issuers only: PKCS#1 v1.5 (default) or RSASSA-PSS. */
  signatureScheme?: 'pkcs1' | 'pss';
  /** Default ['serverAuth', 'clientAuth'] (what federation needs); 'none' omits the extension. */
  extendedKeyUsage?: ('serverAuth' | 'clientAuth')[] | 'none';
  /** undefined = the PKI's leaf CRL URL (else a lab URL that resolves nowhere); null = no CRL distribution point extension. */
  crlDistributionPoint?: string | null;
  /** An OCSP responder in Authority Information Access; undefined = the PKI's (if any); null = none. */
  ocspUrl?: string | null;
}

/** Where the PKI's CAs publish revocation: leaves and the intermediate name these URLs. */
export interface PkiRevocationUrls {
  /** The intermediate's CRL, named by every leaf that does not say otherwise. */
  leafCrlUrl?: string;
  /** The root's CRL, named by the intermediate. */
  intermediateCrlUrl?: string;
  /** The intermediate's OCSP responder, named by every leaf that does not say otherwise. */
  ocspUrl?: string;
}

export type LeafIssuer = 'intermediate' | 'root' | 'self';

export interface Pki {
  /** The clock the default validity periods are computed from. */
  now: Date;
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
  issueLeaf(spec: LeafSpec, issuer?: LeafIssuer): IssuedCertificate;
  /** Leaf + intermediate: what a correctly configured server sends. */
  chainPem(leaf: IssuedCertificate): string;
  /** Leaf + intermediate + root. */
  fullChainPem(leaf: IssuedCertificate): string;
  /**
   * The root's name and key certified by an older CA, expired a month ago: the cross-certificate
   * servers kept sending after the old root's end (the AddTrust pattern). Beside a valid path to
   * the root it is on no path. Made on first use.
   */
  expiredCrossCertificate(): IssuedCertificate;
}

export const DEFAULT_CRL_URL = 'http://crl.lab.invalid/fedcheck-lab.crl';

const OID = {
  rsaWithMd5: '1.2.840.113549.1.1.4',
  rsaWithSha1: '1.2.840.113549.1.1.5',
  rsaWithSha256: '1.2.840.113549.1.1.11',
  rsaWithSha384: '1.2.840.113549.1.1.12',
  rsaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ed25519: '1.3.101.112',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocsp: '1.3.6.1.5.5.7.48.1',
} as const;

const KEY_USAGE_BIT = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

interface Issuer {
  name: Asn1Node;
  keys: KeyPair;
  keyIdentifier: Buffer;
}

// Leaf keys are shared within a process: tests rarely care which key a leaf has, and RSA key
// generation dominates the cost of a PKI. CA keys are generated per PKI (unless the caller gives
// them) so that two PKIs never verify each other's signatures.
const leafKeyCache = new Map<string, KeyPair>();

function leafKeys(spec: LeafSpec): KeyPair {
  const keyType = spec.keyType ?? 'rsa';
  const cacheKey =
    keyType === 'rsa' ? `rsa-${spec.rsaBits ?? 2048}` : keyType === 'ec' ? `ec-${spec.ecCurve ?? 'prime256v1'}` : keyType;
  let keys = leafKeyCache.get(cacheKey);
  if (!keys) {
    if (keyType === 'rsa') keys = generateKeyPairSync('rsa', { modulusLength: spec.rsaBits ?? 2048 });
    else if (keyType === 'ec') keys = generateKeyPairSync('ec', { namedCurve: spec.ecCurve ?? 'prime256v1' });
    else keys = generateKeyPairSync('ed25519');
    leafKeyCache.set(cacheKey, keys);
  }
  return keys;
}

const generateKeyPairAsync = promisify(generateKeyPair);

async function warmDefaultLeafKey(): Promise<void> {
  if (!leafKeyCache.has('rsa-2048')) leafKeyCache.set('rsa-2048', await rsaKeyPair(2048));
}

async function rsaKeyPair(bits: number): Promise<KeyPair> {
  return generateKeyPairAsync('rsa', { modulusLength: bits });
}

/** The key pairs of a PKI's two CAs. */
export interface CaKeys {
  root: KeyPair;
  intermediate: KeyPair;
}

/** New key pairs for a PKI's CAs, made on the thread pool. */
export async function generateCaKeys(): Promise<CaKeys> {
  const [root, intermediate] = await Promise.all([rsaKeyPair(2048), rsaKeyPair(2048)]);
  return { root, intermediate };
}

export interface PkiOptions {
  now?: Date;
  label?: string;
  revocation?: PkiRevocationUrls;
  /**
   * The CAs' keys instead of new ones: for a caller that makes many PKIs one after another and
   * never lets two of them meet (a test file running lab after lab), where key generation would
   * be most of the cost of each. Two PKIs with the same CA keys verify each other's signatures.
   */
  caKeys?: CaKeys;
}

export async function createPki(options: PkiOptions = {}): Promise<Pki> {
  const urls = options.revocation ?? {};
  const now = options.now ?? new Date();
  const label = options.label ?? randomBytes(3).toString('hex');
  // The default RSA leaf key is made alongside the CA keys, on the thread pool, rather than on
  // the main thread at the first issueLeaf.
  const [{ root: rootKeys, intermediate: intermediateKeys }] = await Promise.all([options.caKeys ?? generateCaKeys(), warmDefaultLeafKey()]);

  const { certificate: root, issuer: rootIssuer } = issueCa(`fedcheck lab root ${label}`, rootKeys, now, 3650);
  const { certificate: intermediate, issuer: intermediateIssuer } = issueCa(
    `fedcheck lab intermediate ${label}`,
    intermediateKeys,
    now,
    1825,
    rootIssuer,
    urls.intermediateCrlUrl,
  );

  let crossCertificate: IssuedCertificate | undefined;
  return {
    now,
    root,
    intermediate,
    issueLeaf(spec, issuerChoice = 'intermediate') {
      const keys = leafKeys(spec);
      const subject = encodeName(spec.commonName);
      const ownKeyIdentifier = keyIdentifier(keys.publicKey);
      const issuer: Issuer =
        issuerChoice === 'root'
          ? rootIssuer
          : issuerChoice === 'intermediate'
            ? intermediateIssuer
            : { name: subject, keys, keyIdentifier: ownKeyIdentifier };
      return issue({
        subject,
        keys,
        issuer,
        notBefore: spec.notBefore ?? new Date(now.getTime() - DAY_MS),
        notAfter: spec.notAfter ?? new Date(now.getTime() + 365 * DAY_MS),
        extensions: leafExtensions(spec, keys.publicKey, ownKeyIdentifier, issuerChoice === 'self' ? undefined : issuer, urls),
        signatureHash: spec.signatureHash ?? 'sha256',
        signatureScheme: spec.signatureScheme ?? 'pkcs1',
      });
    },
    chainPem(leaf) {
      return leaf.certPem + intermediate.certPem;
    },
    fullChainPem(leaf) {
      return leaf.certPem + intermediate.certPem + root.certPem;
    },
    expiredCrossCertificate() {
      crossCertificate ??= issueExpiredCrossCertificate(rootIssuer, label, now);
      return crossCertificate;
    },
  };
}

/** The root (no parent: self-signed) or the intermediate under it, valid from a day before `now`. */
function issueCa(
  commonName: string,
  keys: KeyPair,
  now: Date,
  lifetimeDays: number,
  parent?: Issuer,
  crlUrl?: string,
): { certificate: IssuedCertificate; issuer: Issuer } {
  const name = encodeName(commonName);
  const ownKeyIdentifier = keyIdentifier(keys.publicKey);
  const issuer: Issuer = { name, keys, keyIdentifier: ownKeyIdentifier };
  const certificate = issue({
    subject: name,
    keys,
    issuer: parent ?? issuer,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + lifetimeDays * DAY_MS),
    // The intermediate signs leaves only (path length 0); the root's constraints are open.
    extensions: [
      ...caExtensions(ownKeyIdentifier, parent?.keyIdentifier, parent ? 0 : undefined),
      ...(crlUrl ? [crlDistributionPoints(crlUrl)] : []),
    ],
    signatureHash: 'sha256',
    signatureScheme: 'pkcs1',
  });
  return { certificate, issuer };
}

/** `subject`'s name and key under a retired root of its own, valid for ten years until 30 days before `now`. */
function issueExpiredCrossCertificate(subject: Issuer, label: string, now: Date): IssuedCertificate {
  const oldRoot = encodeName(`fedcheck lab retired root ${label}`);
  const oldKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return issue({
    subject: subject.name,
    keys: subject.keys,
    issuer: { name: oldRoot, keys: oldKeys, keyIdentifier: keyIdentifier(oldKeys.publicKey) },
    notBefore: new Date(now.getTime() - 3680 * DAY_MS),
    notAfter: new Date(now.getTime() - 30 * DAY_MS),
    extensions: caExtensions(subject.keyIdentifier, keyIdentifier(oldKeys.publicKey)),
    signatureHash: 'sha256',
    signatureScheme: 'pkcs1',
  });
}

interface IssueRequest {
  subject: Asn1Node;
  keys: KeyPair;
  issuer: Issuer;
  notBefore: Date;
  notAfter: Date;
  extensions: Asn1Node[];
  signatureHash: NonNullable<LeafSpec['signatureHash']>;
  signatureScheme: NonNullable<LeafSpec['signatureScheme']>;
}

function issue(request: IssueRequest): IssuedCertificate {
  const signer = request.issuer.keys.privateKey;
  const algorithm = signatureAlgorithm(signer, request.signatureHash, request.signatureScheme);
  const tbs = sequence([
    context(0, [integer(Buffer.from([2]))]),
    integer(serialNumber()),
    algorithm.identifier(),
    request.issuer.name,
    sequence([time(request.notBefore), time(request.notAfter)]),
    request.subject,
    decodeDer(request.keys.publicKey.export({ type: 'spki', format: 'der' })),
    context(3, [sequence(request.extensions)]),
  ]);
  const tbsDer = encodeDer(tbs);
  const signature = algorithm.sign(tbsDer);
  const certificate = sequence([tbs, algorithm.identifier(), bitString(Buffer.concat([Buffer.from([0]), signature]))]);
  const der = encodeDer(certificate);
  return {
    certPem: derToPem(der),
    keyPem: request.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    der,
    cert: parseCertificate(der),
  };
}

interface SignatureAlgorithm {
  identifier(): Asn1Node;
  sign(data: Buffer): Buffer;
}

function signatureAlgorithm(
  key: KeyObject,
  hash: IssueRequest['signatureHash'],
  scheme: IssueRequest['signatureScheme'],
): SignatureAlgorithm {
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      if (scheme === 'pss') {
        if (hash !== 'sha256' && hash !== 'sha384') throw new Error(`RSASSA-PSS with ${hash} is not supported by the lab`);
        const hashOid = hash === 'sha256' ? OID.sha256 : OID.sha384;
        const saltLength = hash === 'sha256' ? 32 : 48;
        const hashIdentifier = (): Asn1Node => sequence([oid(hashOid), nullValue()]);
        return {
          identifier: () =>
            sequence([
              oid(OID.rsaPss),
              sequence([
                context(0, [hashIdentifier()]),
                context(1, [sequence([oid(OID.mgf1), hashIdentifier()])]),
                context(2, [integer(Buffer.from([saltLength]))]),
              ]),
            ]),
          sign: (data) => sign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }),
        };
      }
      const rsaOids = { sha256: OID.rsaWithSha256, sha384: OID.rsaWithSha384, sha1: OID.rsaWithSha1, md5: OID.rsaWithMd5 };
      return { identifier: () => sequence([oid(rsaOids[hash]), nullValue()]), sign: (data) => sign(hash, data, key) };
    }
    case 'ec': {
      const ecdsaOids: Partial<Record<IssueRequest['signatureHash'], string>> = {
        sha256: OID.ecdsaWithSha256,
        sha384: OID.ecdsaWithSha384,
        sha1: OID.ecdsaWithSha1,
      };
      const ecdsaOid = ecdsaOids[hash];
      if (!ecdsaOid) throw new Error(`ECDSA with ${hash} has no standard OID`);
      // RFC 5758: ECDSA AlgorithmIdentifiers have no parameters at all (not even NULL).
      return { identifier: () => sequence([oid(ecdsaOid)]), sign: (data) => sign(hash, data, key) };
    }
    case 'ed25519':
      return { identifier: () => sequence([oid(OID.ed25519)]), sign: (data) => sign(null, data, key) };
    default:
      throw new Error(`the lab cannot sign with a ${key.asymmetricKeyType ?? 'unknown'} key`);
  }
}

function caExtensions(ownKeyIdentifier: Buffer, issuerKeyIdentifier: Buffer | undefined, pathLength?: number): Asn1Node[] {
  const constraints: Asn1Node[] = [boolean(true)];
  if (pathLength !== undefined) constraints.push(integer(Buffer.from([pathLength])));
  const extensions = [
    extension(OID.basicConstraints, true, sequence(constraints)),
    extension(OID.keyUsage, true, keyUsage([KEY_USAGE_BIT.keyCertSign, KEY_USAGE_BIT.cRLSign])),
    extension(OID.subjectKeyIdentifier, false, octetString(ownKeyIdentifier)),
  ];
  if (issuerKeyIdentifier) extensions.push(authorityKeyIdentifier(issuerKeyIdentifier));
  return extensions;
}

function leafExtensions(
  spec: LeafSpec,
  publicKey: KeyObject,
  ownKeyIdentifier: Buffer,
  issuer: Issuer | undefined,
  urls: PkiRevocationUrls,
): Asn1Node[] {
  const usageBits: number[] =
    publicKey.asymmetricKeyType === 'rsa'
      ? [KEY_USAGE_BIT.digitalSignature, KEY_USAGE_BIT.keyEncipherment]
      : [KEY_USAGE_BIT.digitalSignature];
  const extensions = [
    extension(OID.basicConstraints, true, sequence([])),
    extension(OID.keyUsage, true, keyUsage(usageBits)),
    extension(OID.subjectKeyIdentifier, false, octetString(ownKeyIdentifier)),
  ];
  if (issuer) extensions.push(authorityKeyIdentifier(issuer.keyIdentifier));
  const extendedKeyUsage = spec.extendedKeyUsage ?? ['serverAuth', 'clientAuth'];
  if (extendedKeyUsage !== 'none') {
    extensions.push(
      extension(OID.extendedKeyUsage, false, sequence(extendedKeyUsage.map((usage) => oid(OID[usage])))),
    );
  }
  if (spec.sans !== undefined) {
    extensions.push(extension(OID.subjectAltName, false, sequence(spec.sans.map(generalName))));
  }
  const crlUrl = spec.crlDistributionPoint === undefined ? (urls.leafCrlUrl ?? DEFAULT_CRL_URL) : spec.crlDistributionPoint;
  if (crlUrl !== null) extensions.push(crlDistributionPoints(crlUrl));
  const ocspUrl = spec.ocspUrl === undefined ? urls.ocspUrl : spec.ocspUrl;
  if (ocspUrl) {
    const accessDescription = sequence([oid(OID.ocsp), primitiveContext(6, Buffer.from(ocspUrl, 'latin1'))]);
    extensions.push(extension(OID.authorityInfoAccess, false, sequence([accessDescription])));
  }
  return extensions;
}

function crlDistributionPoints(url: string): Asn1Node {
  const fullName = context(0, [primitiveContext(6, Buffer.from(url, 'latin1'))]);
  return extension(OID.crlDistributionPoints, false, sequence([sequence([context(0, [fullName])])]));
}

/** An IP literal becomes an iPAddress entry, anything else a dNSName. */
function generalName(name: string): Asn1Node {
  const address = parseIpAddress(name);
  return address ? primitiveContext(7, Buffer.from(address.bytes)) : primitiveContext(2, Buffer.from(name, 'latin1'));
}

function authorityKeyIdentifier(issuerKeyIdentifier: Buffer): Asn1Node {
  return extension(OID.authorityKeyIdentifier, false, sequence([primitiveContext(0, issuerKeyIdentifier)]));
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const subjectPublicKey = bytesOf(children(decodeDer(spki))[1]);
  if (!subjectPublicKey) throw new Error('Node exported an SPKI without a subjectPublicKey');
  // The first content byte of a BIT STRING counts its unused bits; it is not part of the key.
  return createHash('sha1').update(subjectPublicKey.subarray(1)).digest();
}

function keyUsage(bits: number[]): Asn1Node {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  // DER: the trailing zero bits after the last set bit are declared unused.
  const unusedBits = 7 - (highest & 7);
  return bitString(Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

function encodeName(commonName: string): Asn1Node {
  const attribute = (type: string, value: string): Asn1Node =>
    set([sequence([oid(type), universal(asn1.Type.UTF8, Buffer.from(value, 'utf8'))])]);
  return sequence([attribute(OID.organization, 'fedcheck lab'), attribute(OID.commonName, commonName)]);
}

function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes;
}

function extension(extensionOid: string, critical: boolean, value: Asn1Node): Asn1Node {
  const fields = [oid(extensionOid)];
  if (critical) fields.push(boolean(true));
  fields.push(octetString(encodeDer(value)));
  return sequence(fields);
}

function time(date: Date): Asn1Node {
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050
    ? universal(asn1.Type.UTCTIME, Buffer.from(asn1.dateToUtcTime(date), 'binary'))
    : universal(asn1.Type.GENERALIZEDTIME, Buffer.from(asn1.dateToGeneralizedTime(date), 'binary'));
}

function universal(type: forge.asn1.Type, value: Buffer): Asn1Node {
  return asn1.create(asn1.Class.UNIVERSAL, type, false, value.toString('binary'));
}

function sequence(items: Asn1Node[]): Asn1Node {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function set(items: Asn1Node[]): Asn1Node {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
}

function context(tag: number, items: Asn1Node[]): Asn1Node {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);
}

function primitiveContext(tag: number, value: Buffer): Asn1Node {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, value.toString('binary'));
}

function oid(dotted: string): Asn1Node {
  return universal(asn1.Type.OID, Buffer.from(asn1.oidToDer(dotted).getBytes(), 'binary'));
}

function integer(bytes: Buffer): Asn1Node {
  return universal(asn1.Type.INTEGER, bytes);
}

function boolean(value: boolean): Asn1Node {
  return universal(asn1.Type.BOOLEAN, Buffer.from([value ? 0xff : 0]));
}

function nullValue(): Asn1Node {
  return universal(asn1.Type.NULL, Buffer.alloc(0));
}

function octetString(value: Buffer): Asn1Node {
  return universal(asn1.Type.OCTETSTRING, value);
}

function bitString(value: Buffer): Asn1Node {
  return universal(asn1.Type.BITSTRING, value);
}
