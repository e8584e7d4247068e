// What the CRL and OCSP readers share: the certificate pair a response is read against, signature
// verification with node:crypto (synchronous, every algorithm OpenSSL knows, over the exact
// signed bytes as received), and how a reading records a problem.
import { constants, verify, type KeyObject } from 'node:crypto';
import type { RevocationReading, RevocationReadingProblem } from '../../model/revocation.js';
import { parseCertificate } from '../tls/certificate.js';
import { x509Of } from '../tls/trust.js';
import { algorithmOf, children, decodeDer, isContext, oidOf, type Asn1Node } from '../tls/der.js';

/** The certificate a response is about, and the certificate of its issuer (DER). */
export interface CertificateAndIssuer {
  certificate: Uint8Array;
  /** Absent when the issuer is unknown: the reading then says what it can, with problem no-issuer. */
  issuer?: Uint8Array;
}

export const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const RSA_PSS = '1.2.840.113549.1.1.10';

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

/** RFC 5280 §5.3.1 CRLReason (also OCSP's revocationReason); 7 is not used. */
const CRL_REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

export function reasonName(code: number): string {
  return CRL_REASONS[code] ?? `reason ${code}`;
}

export type SignatureVerdict = 'valid' | 'invalid' | 'unsupported';

/** Verifies `signature` over `data` with `key`, the algorithm given as its DER AlgorithmIdentifier. */
export function verifySignature(algorithmDer: Uint8Array, data: Uint8Array, signature: Uint8Array, key: KeyObject): SignatureVerdict {
  try {
    const algorithm = algorithmOf(decodeDer(algorithmDer));
    if (!algorithm) return 'unsupported';
    if (algorithm.oid === RSA_PSS) {
      if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return 'invalid';
      const pss = pssParameters(algorithm.parameters);
      if (!pss) return 'unsupported';
      return verify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature) ? 'valid' : 'invalid';
    }
    const known = SIGNATURES[algorithm.oid];
    if (!known) return 'unsupported';
    if (key.asymmetricKeyType !== known.key) return 'invalid';
    const valid = known.key === 'ec' ? verify(known.hash, data, { key, dsaEncoding: 'der' }, signature) : verify(known.hash, data, key, signature);
    return valid ? 'valid' : 'invalid';
  } catch {
    // OpenSSL refusing the key or the digest (MD5 in a FIPS build) is not a forged signature.
    return 'unsupported';
  }
}

/** RFC 4055 RSASSA-PSS-params: hash [0] (default SHA-1), salt length [2] (default 20). */
function pssParameters(parameters: Asn1Node | undefined): { hash: string; saltLength: number } | undefined {
  let hash = 'sha1';
  let saltLength = 20;
  for (const field of children(parameters)) {
    if (isContext(field, 0)) {
      const named = HASHES[oidOf(children(children(field)[0])[0]) ?? ''];
      if (!named) return undefined;
      hash = named;
    } else if (isContext(field, 2)) {
      const value = children(field)[0]?.value;
      if (typeof value !== 'string') return undefined;
      saltLength = [...Buffer.from(value, 'binary')].reduce((total, byte) => total * 256 + byte, 0);
    }
  }
  return { hash, saltLength };
}

export function readIssuer(der: Uint8Array): { publicKey: KeyObject; subject: string } | Error {
  try {
    const certificate = Buffer.from(der.buffer, der.byteOffset, der.length);
    return { publicKey: x509Of(certificate).publicKey, subject: parseCertificate(certificate).subject };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function withSignatureProblem(
  reading: RevocationReading,
  verdict: Exclude<SignatureVerdict, 'valid'>,
  what: string,
  signer: string,
): RevocationReading {
  return verdict === 'unsupported'
    ? withProblem(reading, 'unsupported-signature', `${what} uses an algorithm fedcheck cannot verify`)
    : withProblem(reading, 'bad-signature', `${what} does not verify with the key of ${signer}`);
}

export function withProblem(reading: RevocationReading, code: RevocationReadingProblem, detail: string): RevocationReading {
  reading.problem = { code, detail };
  return reading;
}

export function withoutLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
