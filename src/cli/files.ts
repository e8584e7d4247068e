// Files the user points fedcheck at (--ca, --cert/--key, --domains-file, and the same keys in a
// config file). Every problem is a UsageError naming the file; `what` says which option or key.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ClientCertificate } from '../model/options.js';
import { UsageError, normaliseDomain } from './input.js';

export function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot read ${what} ${file}: ${why}`);
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every PEM certificate in the file; none, or one that is not a certificate, is an error. */
export function readCaFile(file: string, what = '--ca file'): string[] {
  const certificates = readTextFile(file, what).match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new UsageError(`${what} ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new UsageError(`${what} ${file}: certificate ${index + 1} is not a valid X.509 certificate (${(error as Error).message})`);
    }
  });
  return certificates;
}

/**
 * The client certificate and its key, checked to belong together now: a mismatch found in the
 * handshake would be reported against every peer as if they had rejected it.
 */
export function readClientCertificate(certFile: string, keyFile: string, what: { cert: string; key: string }): ClientCertificate {
  return matchedClientCertificate(
    { file: certFile, pem: readCertificatePem(certFile, what.cert) },
    { file: keyFile, pem: readPrivateKeyPem(keyFile, what.key) },
    what,
  );
}

/** The certificate and key as read, once they are known to parse and belong together. */
export function matchedClientCertificate(
  cert: { file: string; pem: string },
  privateKey: { file: string; pem: string },
  what: { cert: string; key: string },
): ClientCertificate {
  const { file: certFile, pem: certPem } = cert;
  const { file: keyFile, pem: keyPem } = privateKey;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certPem);
  } catch (error) {
    throw new UsageError(`${what.cert} ${certFile} is not a valid X.509 certificate (${(error as Error).message})`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    const message = (error as Error).message;
    const encrypted = /passphrase|encrypted/i.test(message) || keyPem.includes('ENCRYPTED');
    throw new UsageError(
      encrypted
        ? `${what.key} ${keyFile} is encrypted: give an unencrypted key (openssl pkey -in ${keyFile} -out key.pem)`
        : `${what.key} ${keyFile} is not a readable private key (${message})`,
    );
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new UsageError(`${what.key} ${keyFile} is not the private key of ${what.cert} ${certFile}`);
  }
  return { certFile, certPem, keyPem };
}

export function readCertificatePem(file: string, what: string): string {
  const pem = readTextFile(file, what);
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${what} ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}

export function readPrivateKeyPem(file: string, what: string): string {
  const pem = readTextFile(file, what);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new UsageError(`${what} ${file} holds no PEM private key (-----BEGIN PRIVATE KEY-----)`);
  return pem;
}

/** One domain per line, `#` comments; a bad line is named by its number. */
export function readDomainsFile(file: string, what = '--domains-file'): string[] {
  const domains: string[] = [];
  readTextFile(file, what)
    .split(/\r?\n/)
    .forEach((line, index) => {
      const entry = line.replace(/#.*/, '').trim();
      if (entry === '') return;
      try {
        domains.push(normaliseDomain(entry));
      } catch (error) {
        throw new UsageError(`${file}: line ${index + 1}: ${(error as Error).message}`);
      }
    });
  return domains;
}
