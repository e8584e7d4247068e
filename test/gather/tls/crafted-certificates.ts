// Certificates damaged on purpose, for the parser and the checks that read what it makes of them.
// A real certificate from the lab is decoded, one extension's extnValue is replaced, and the tree
// is encoded again; the signature no longer matches, which parsing never checks.
import { children, decodeDer, encodeDer, isContext, oidOf } from '../../../src/gather/tls/der.js';

export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_EXTENDED_KEY_USAGE = '2.5.29.37';
export const OID_AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';

/** DER that does not decode: a SEQUENCE header claiming 5 bytes, followed by 3. */
export const TRUNCATED_SEQUENCE = Buffer.from([0x30, 0x05, 0x82, 0x01, 0x61]);
/** DER that decodes, but as an INTEGER where the extension needs a SEQUENCE. */
export const NOT_A_SEQUENCE = Buffer.from([0x02, 0x01, 0x05]);

/** The certificate with the extnValue (the OCTET STRING contents) of extension `oid` replaced. */
export function withExtensionValue(der: Buffer, oid: string, value: Buffer): Buffer {
  const certificate = decodeDer(der);
  const tbs = children(certificate)[0];
  const extensionsField = children(tbs).find((field) => isContext(field, 3));
  const extension = children(children(extensionsField)[0]).find((candidate) => oidOf(children(candidate)[0]) === oid);
  const extnValue = children(extension).at(-1);
  if (!extnValue) throw new Error(`the certificate has no extension ${oid}`);
  extnValue.value = value.toString('binary');
  return encodeDer(certificate);
}
