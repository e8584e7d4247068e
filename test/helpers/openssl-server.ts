// `openssl s_server` as a TLS peer fedcheck did not write: the certificate, cipher list and
// protocol versions chosen per test, optionally stapling a fixed OCSP response.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './files.js';
import { startOnFreePort, type ServerProcess } from './server-process.js';

export interface OpensslServerOptions {
  /** The leaf, PEM. */
  certPem: string;
  keyPem: string;
  /** Intermediates to send after the leaf, PEM. */
  chainPem?: string;
  /** TLS 1.2 and older cipher list (OpenSSL names); default OpenSSL's. */
  cipher?: string;
  /** Default true; false disables TLS 1.3. */
  tls13?: boolean;
  /** The server's cipher order wins over the client's. */
  serverPreference?: boolean;
  /** A DER OCSP response to staple when the client asks for one. */
  stapledOcsp?: Buffer;
}

export function opensslBinary(): string | undefined {
  return findExecutable('openssl');
}

export function startOpensslServer(binary: string, options: OpensslServerOptions): Promise<ServerProcess> {
  return startOnFreePort('127.0.0.1', (port) => {
    const folder = mkdtempSync(join(tmpdir(), 'fedcheck-s-server-'));
    const file = (name: string, content: string | Buffer): string => {
      const path = join(folder, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    return {
      name: 'openssl s_server',
      binary,
      args: [
        's_server',
        '-accept', `127.0.0.1:${port}`,
        '-cert', file('leaf.pem', options.certPem),
        '-key', file('key.pem', options.keyPem),
        ...(options.chainPem ? ['-cert_chain', file('chain.pem', options.chainPem)] : []),
        ...(options.cipher ? ['-cipher', options.cipher] : []),
        ...(options.tls13 === false ? ['-no_tls1_3'] : []),
        ...(options.serverPreference ? ['-serverpref'] : []),
        ...(options.stapledOcsp ? ['-status_file', file('ocsp.der', options.stapledOcsp)] : []),
        // Quiet also ignores the end of its (empty) standard input, which would otherwise stop it.
        '-quiet',
      ],
      portTaken: (log) => /Address already in use|bind/i.test(log),
      cleanUp: () => rmSync(folder, { recursive: true, force: true }),
    };
  });
}
