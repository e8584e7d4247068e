// Files the user points fedcheck at (--ca, --cert/--key, --domains-file, and the same keys in a
// config file). Every problem is a UsageError naming the file; `what` says which option or key.
import { readFileSync } from 'node:fs';
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

/** Every PEM certificate in the file; none is an error. */
export function readCaFile(file: string, what = '--ca file'): string[] {
  const certificates = readTextFile(file, what).match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new UsageError(`${what} ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return certificates;
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
