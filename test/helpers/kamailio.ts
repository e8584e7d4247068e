// Runs Debian's Kamailio (packages kamailio and kamailio-tls-modules) on loopback for the tests:
// a real SIP server fedcheck did not write. The configuration is written from the templates in
// fixtures/kamailio/ with a free port and lab-generated certificate paths; everything Kamailio
// writes (config, pid file, runtime dir) lives in a private temporary folder, so it runs as any
// user without setup. The process runs in the foreground in its own process group, and stop()
// ends that group (Kamailio forks its workers).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable } from './files.js';
import { startOnFreePort, type ServerProcess } from './server-process.js';

export type KamailioAvailability = { available: true; binary: string } | { available: false; reason: string };

export interface KamailioOptions {
  /** Server certificate chain, leaf first. */
  certPem: string;
  keyPem: string;
  /** Trust anchor for client certificates; required with requireClientCertificate. */
  caPem?: string;
  /** Demand a client certificate that chains to caPem (mutual TLS). */
  requireClientCertificate?: boolean;
  /** Default 127.0.0.1. */
  address?: string;
  /** How long Kamailio may take to accept connections; default 20 s (a loaded CI machine). */
  startTimeoutMs?: number;
}

export type RunningKamailio = ServerProcess;

const TEMPLATES = fileURLToPath(new URL('../../fixtures/kamailio/', import.meta.url));

/** Whether Kamailio and its TLS module are installed, and if not, why the tests skip. */
export function kamailioAvailability(): KamailioAvailability {
  const binary = findExecutable('kamailio');
  if (!binary) {
    return { available: false, reason: 'kamailio is not installed (apt-get install kamailio kamailio-tls-modules)' };
  }
  const modulePath = defaultModulePath(binary);
  if (modulePath && !existsSync(join(modulePath, 'tls.so'))) {
    return { available: false, reason: `Kamailio's TLS module is not installed in ${modulePath} (apt-get install kamailio-tls-modules)` };
  }
  return { available: true, binary };
}

/** Starts Kamailio on a free loopback port and resolves once that port accepts connections. */
export function startKamailio(binary: string, options: KamailioOptions): Promise<RunningKamailio> {
  return startOnFreePort(options.address ?? '127.0.0.1', (port) => {
    const address = options.address ?? '127.0.0.1';
    const folder = mkdtempSync(join(tmpdir(), 'fedcheck-kamailio-'));
    const file = (name: string, content: string): string => {
      const path = join(folder, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    const tlsConfig = file(
      'tls.cfg',
      fill(readFileSync(join(TEMPLATES, 'tls.cfg'), 'utf8'), {
        CERTIFICATE: file('server-chain.pem', options.certPem),
        PRIVATE_KEY: file('server-key.pem', options.keyPem),
        CA_LIST: file('client-ca.pem', options.caPem ?? options.certPem),
        VERIFY_CLIENT: options.requireClientCertificate ? 'yes' : 'no',
      }),
    );
    const config = file(
      'kamailio.cfg',
      fill(readFileSync(join(TEMPLATES, 'kamailio.cfg'), 'utf8'), { ADDRESS: address, PORT: String(port), TLS_CONFIG: tlsConfig }),
    );
    return {
      name: 'kamailio',
      binary,
      args: ['-DD', '-E', '-f', config, '-Y', folder, '-P', join(folder, 'kamailio.pid'), '-w', folder, '-m', '32', '-M', '4'],
      ...(options.startTimeoutMs ? { startTimeoutMs: options.startTimeoutMs } : {}),
      portTaken: (log) => /Address already in use/i.test(log),
      cleanUp: () => rmSync(folder, { recursive: true, force: true }),
    };
  });
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/@@([A-Z_]+)@@/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${placeholder} in a Kamailio template`);
    return value;
  });
}

/** The module directory compiled into Kamailio, read from its help text ("-L path … (default: …)"). */
function defaultModulePath(binary: string): string | undefined {
  const help = spawnSync(binary, ['-h'], { encoding: 'utf8', timeout: 5_000 });
  const text = `${help.stdout ?? ''}${help.stderr ?? ''}`;
  return /Modules search path \(default: ([^)]+)\)/.exec(text)?.[1]?.trim();
}
