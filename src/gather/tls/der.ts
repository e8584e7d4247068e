// Small, defensive readers over node-forge's ASN.1 tree. node-forge's `asn1` module decodes any
// DER (its certificate parser does not: it throws on non-RSA keys), so certificates are read
// here structurally and every accessor tolerates a node of the wrong shape by returning
// undefined instead of throwing.
import type forge from 'node-forge';
import { asn1, forgeUtil } from './forge-asn1.js';

export type Asn1Node = forge.asn1.Asn1;

export const UNIVERSAL = 0x00;
export const CONTEXT_SPECIFIC = 0x80;

export const TAG_BOOLEAN = 1;
export const TAG_INTEGER = 2;
export const TAG_BIT_STRING = 3;
export const TAG_OCTET_STRING = 4;
export const TAG_OID = 6;
export const TAG_SEQUENCE = 16;
export const TAG_UTC_TIME = 23;
export const TAG_GENERALIZED_TIME = 24;

interface FromDerOptions {
  strict: boolean;
  parseAllBytes: boolean;
  decodeBitStrings: boolean;
}

/**
 * Decodes DER bytes. BIT STRING contents are kept as raw bytes: guessing that they hold nested
 * ASN.1 (node-forge's default) misreads key-usage bits and signatures.
 */
export function decodeDer(bytes: Buffer | Uint8Array): Asn1Node {
  const buffer = forgeUtil.createBuffer(Buffer.from(bytes).toString('binary'));
  const options: FromDerOptions = { strict: true, parseAllBytes: true, decodeBitStrings: false };
  // The published typings only declare the boolean form of the second parameter.
  return (asn1.fromDer as unknown as (input: forge.util.ByteBuffer, options: FromDerOptions) => Asn1Node)(
    buffer,
    options,
  );
}

/** Decodes the first DER element and counts the bytes after it (tolerated, but worth reporting). */
export function decodeDerPrefix(bytes: Buffer | Uint8Array): { node: Asn1Node; trailingBytes: number } {
  const buffer = forgeUtil.createBuffer(Buffer.from(bytes).toString('binary'));
  const options: FromDerOptions = { strict: true, parseAllBytes: false, decodeBitStrings: false };
  const node = (asn1.fromDer as unknown as (input: forge.util.ByteBuffer, options: FromDerOptions) => Asn1Node)(
    buffer,
    options,
  );
  return { node, trailingBytes: buffer.length() };
}

export function encodeDer(node: Asn1Node): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

export function children(node: Asn1Node | undefined): Asn1Node[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

export function bytesOf(node: Asn1Node | undefined): Buffer | undefined {
  return node && typeof node.value === 'string' ? Buffer.from(node.value, 'binary') : undefined;
}

export function isUniversal(node: Asn1Node | undefined, tag: number): node is Asn1Node {
  return node !== undefined && node.tagClass === UNIVERSAL && node.type === tag;
}

export function isContext(node: Asn1Node | undefined, tag: number): node is Asn1Node {
  return node !== undefined && node.tagClass === CONTEXT_SPECIFIC && node.type === tag;
}

export function oidOf(node: Asn1Node | undefined): string | undefined {
  if (!isUniversal(node, TAG_OID) || typeof node.value !== 'string') return undefined;
  try {
    return asn1.derToOid(node.value);
  } catch {
    return undefined;
  }
}

export function timeOf(node: Asn1Node | undefined): Date | undefined {
  const text = node?.value;
  if (!node || typeof text !== 'string' || node.tagClass !== UNIVERSAL) return undefined;
  let date: Date | undefined;
  try {
    if (node.type === TAG_UTC_TIME) date = asn1.utcTimeToDate(text);
    else if (node.type === TAG_GENERALIZED_TIME) date = asn1.generalizedTimeToDate(text);
  } catch {
    return undefined;
  }
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** Decodes the DER held inside an OCTET STRING (an extension's extnValue). */
export function decodeWrapped(node: Asn1Node | undefined): Asn1Node | undefined {
  const inner = bytesOf(node);
  if (!inner) return undefined;
  return decodeDer(inner);
}

export interface AlgorithmIdentifier {
  oid: string;
  parameters?: Asn1Node;
}

export function algorithmOf(node: Asn1Node | undefined): AlgorithmIdentifier | undefined {
  const [oidNode, parameters] = children(node);
  const oid = oidOf(oidNode);
  return oid ? { oid, parameters } : undefined;
}
