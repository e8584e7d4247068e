// Runs Debian's Kamailio (packages kamailio and kamailio-tls-modules) on loopback for the tests:
// a real SIP server fedcheck did not write. The configuration is written from the templates in
// fixtures/kamailio/ with a free port and lab-generated certificate paths; everything Kamailio
// writes (config, pid file, runtime dir) lives in a private temporary folder, so it runs as any
// user without setup. The process runs in the foreground in its own process group, and stop()
// ends that group (Kamailio forks its workers).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from '../../src/lab/tls-endpoints.js';
import { findExecutable } from './files.js';

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

export interface RunningKamailio {
  address: string;
  port: number;
  /** What Kamailio logged on stderr so far (the last 64 KiB): for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

const TEMPLATES = fileURLToPath(new URL('../../fixtures/kamailio/', import.meta.url));
const LOG_LIMIT = 64 * 1024;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;

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
export async function startKamailio(binary: string, options: KamailioOptions): Promise<RunningKamailio> {
  let lastError: unknown;
  // A free port can be taken between our probe and Kamailio's bind: try another one.
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(binary, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) break;
    }
  }
  throw lastError;
}

class PortTakenError extends Error {}

async function startOnce(binary: string, options: KamailioOptions): Promise<RunningKamailio> {
  const address = options.address ?? '127.0.0.1';
  const port = await closedPort(address);
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

  const child = spawn(
    binary,
    ['-DD', '-E', '-f', config, '-Y', folder, '-P', join(folder, 'kamailio.pid'), '-w', folder, '-m', '32', '-M', '4'],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const collect = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => collect(Buffer.from(`\nspawn failed: ${error.message}\n`)));
  const killGroup = (): void => signalGroup(child, 'SIGKILL');
  process.once('exit', killGroup);

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, 'SIGTERM');
      const timer = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
      await Promise.race([exited, timer]);
    }
    // Workers that outlived their parent are in the same group.
    killGroup();
    process.off('exit', killGroup);
    rmSync(folder, { recursive: true, force: true });
  };

  try {
    await waitForListener(address, port, exited, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    await stop();
    const message = `${error instanceof Error ? error.message : String(error)}\n--- kamailio log ---\n${log}`;
    throw /Address already in use/i.test(log) ? new PortTakenError(message) : new Error(message);
  }
  return { address, port, logs: () => log, stop };
}

/** Polls with TCP connects until the port accepts, Kamailio exits, or the time is up. */
async function waitForListener(address: string, port: number, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error('kamailio exited before listening');
    if (await accepts(address, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`kamailio did not listen on ${address}:${port} within ${timeoutMs} ms`);
}

function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (result: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), 1_000);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
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
