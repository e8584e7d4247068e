// Runs ISC BIND 9 (named, Debian package bind9) as a set of authoritative name servers on port 53
// of distinct loopback addresses, for the tests: real servers fedcheck did not write, answering
// the way the Internet's do. One named process serves every address, one view per address
// (match-destinations), so each address can hold its own copy of a zone: the current one, a
// stale one, none at all (REFUSED), only the parent zone (a referral without AA), or a zone whose
// file does not load (SERVFAIL).
//
// BIND listens only on addresses configured on an interface, so each server address is added to
// the loopback interface for the run (`ip addr add 127.53.x.y/32 dev lo`) and removed at stop:
// that needs root, which the tests have (port 53 needs it anyway). Adding an address is also the
// reservation: `ip` refuses one that is already there, so parallel test files never collide.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { queryDns } from '../../src/gather/dns/client.js';
import { findExecutable } from './files.js';

export type BindAvailability =
  | { available: true; named: string; ip: string }
  | { available: false; reason: string };

export interface BindZone {
  /** The apex, without the trailing dot. */
  origin: string;
  /** Master-file text; undefined for a zone whose file is missing, which named answers SERVFAIL for. */
  text?: string;
}

export interface BindServerSpec {
  /** The zones this address is authoritative for; none makes it answer REFUSED (recursion is off). */
  zones: BindZone[];
  /** false: the address exists but nothing listens on it (a name server that is down). */
  listening?: boolean;
}

export interface RunningBind {
  /** One per server spec, in order. */
  addresses: string[];
  /** What named logged so far (the last 64 KiB): for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

const LOG_LIMIT = 64 * 1024;
const STOP_TIMEOUT_MS = 5_000;
const ADDRESS_ATTEMPTS = 50;

/** Whether named can run here as the tests need it, and if not, why the tests skip. */
export function bindAvailability(): BindAvailability {
  const named = findExecutable('named');
  if (!named) return { available: false, reason: 'BIND 9 is not installed (apt-get install bind9)' };
  const ip = findExecutable('ip');
  if (!ip) return { available: false, reason: 'the ip command is missing (apt-get install iproute2)' };
  if (process.getuid?.() !== 0) {
    return { available: false, reason: 'BIND on port 53 of extra loopback addresses needs root' };
  }
  // Root without CAP_NET_ADMIN (some containers) cannot add loopback addresses: find out now.
  try {
    releaseLoopbackAddresses(ip, reserveLoopbackAddresses(ip, 1));
  } catch (error) {
    return { available: false, reason: `cannot add a loopback address for BIND (${error instanceof Error ? error.message : String(error)})` };
  }
  return { available: true, named, ip };
}

/**
 * Starts named with one view per server. `build` receives the addresses first, so zone texts can
 * carry them as glue; it returns the servers in the same order.
 */
export async function startBind(
  availability: Extract<BindAvailability, { available: true }>,
  count: number,
  build: (addresses: string[]) => BindServerSpec[],
  options: { startTimeoutMs?: number } = {},
): Promise<RunningBind> {
  const addresses = reserveLoopbackAddresses(availability.ip, count);
  const folder = mkdtempSync(join(tmpdir(), 'fedcheck-bind-'));
  let child: ChildProcess | undefined;
  let log = '';
  let released = false;
  const release = (): void => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (!released) releaseLoopbackAddresses(availability.ip, addresses);
    released = true;
  };
  process.once('exit', release);
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())]);
    }
    release();
    process.off('exit', release);
    rmSync(folder, { recursive: true, force: true });
  };

  try {
    const servers = build(addresses);
    if (servers.length !== count) throw new Error(`startBind: ${count} addresses but ${servers.length} servers`);
    const listening = addresses.filter((_, index) => servers[index]?.listening !== false);
    const config = namedConf(folder, addresses, listening, servers);
    writeFileSync(join(folder, 'named.conf'), config);
    child = spawn(availability.named, ['-g', '-n', '1', '-c', join(folder, 'named.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => collect(Buffer.from(`\nspawn failed: ${error.message}\n`)));
    await waitUntilAnswering(child, listening, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- named log ---\n${log}`);
  }
  return { addresses, logs: () => log, stop };
}

function namedConf(folder: string, addresses: string[], listening: string[], servers: BindServerSpec[]): string {
  const views = servers.flatMap((server, index) => {
    if (server.listening === false) return [];
    const zones = server.zones.map((zone) => {
      const file = join(folder, `server${index}-${zone.origin}.zone`);
      // A zone without text points at a file that does not exist: named keeps running and
      // answers SERVFAIL for the zone, as it does for a primary whose file is broken.
      if (zone.text !== undefined) writeFileSync(file, zone.text);
      return `  zone "${zone.origin}" { type primary; file "${file}"; };`;
    });
    return [`view "server${index}" {`, `  match-destinations { ${addresses[index]}; };`, ...zones, '};'].join('\n');
  });
  return [
    'options {',
    `  directory "${folder}";`,
    `  pid-file "${join(folder, 'named.pid')}";`,
    `  session-keyfile "${join(folder, 'session.key')}";`,
    `  listen-on port 53 { ${listening.map((address) => `${address};`).join(' ')} };`,
    '  listen-on-v6 { none; };',
    '  recursion no;',
    '  dnssec-validation no;',
    '  notify no;',
    '  allow-transfer { none; };',
    '};',
    'controls { };',
    ...views,
    '',
  ].join('\n');
}

/** Polls every address until it answers something (even REFUSED), named exits, or time is up. */
async function waitUntilAnswering(child: ChildProcess, addresses: string[], timeoutMs: number): Promise<void> {
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(addresses);
  while (pending.size > 0) {
    if (exited) throw new Error('named exited before answering');
    if (Date.now() > deadline) throw new Error(`named did not answer on ${[...pending].join(', ')} within ${timeoutMs} ms`);
    for (const address of [...pending]) {
      const probe = await queryDns({ name: '.', type: 'SOA', resolver: { host: address, port: 53 }, timeoutMs: 300 });
      if (probe.rcode !== undefined) pending.delete(address);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Adds `count` free 127.53.128-254.x addresses to the loopback interface and returns them. */
function reserveLoopbackAddresses(ip: string, count: number): string[] {
  const reserved: string[] = [];
  for (let attempt = 0; reserved.length < count; attempt++) {
    if (attempt >= ADDRESS_ATTEMPTS) {
      releaseLoopbackAddresses(ip, reserved);
      throw new Error(`no free loopback address after ${ADDRESS_ATTEMPTS} attempts`);
    }
    const address = `127.53.${randomInt(128, 255)}.${randomInt(1, 255)}`;
    const added = spawnSync(ip, ['-4', 'addr', 'add', `${address}/32`, 'dev', 'lo'], { encoding: 'utf8' });
    if (added.status === 0) {
      reserved.push(address);
      continue;
    }
    if (!/exists/i.test(added.stderr ?? '')) {
      releaseLoopbackAddresses(ip, reserved);
      throw new Error(`ip addr add ${address}/32 dev lo failed: ${(added.stderr ?? '').trim() || `exit ${added.status}`}`);
    }
  }
  return reserved;
}

function releaseLoopbackAddresses(ip: string, addresses: readonly string[]): void {
  for (const address of addresses) spawnSync(ip, ['-4', 'addr', 'del', `${address}/32`, 'dev', 'lo']);
}
