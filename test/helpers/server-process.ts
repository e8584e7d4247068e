// Servers the project did not write (Kamailio, nginx, openssl's OCSP responder), run in the
// foreground for a test: found on PATH or in the sbin folders, started in their own process
// group, considered up once their port accepts a TCP connection, and stopped with the whole group
// (servers that fork leave workers behind otherwise). Their output is kept for failure messages.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { closedPort } from '../../src/lab/tls-endpoints.js';

const LOG_LIMIT = 64 * 1024;
const STOP_TIMEOUT_MS = 5_000;
const PORT_ATTEMPTS = 3;

export interface ServerProcessOptions {
  /** For messages: "nginx", "openssl ocsp". */
  name: string;
  binary: string;
  args: string[];
  cwd?: string;
  /** Where the server will listen, to know when it is up. */
  address: string;
  port: number;
  /** Default 20 s: a loaded CI machine. */
  startTimeoutMs?: number;
  /**
   * The server is up once its log says so, rather than once its port accepts a connection:
   * `openssl ocsp` stops answering after a connection that closes without a request.
   */
  readyWhen?: (log: string) => boolean;
  /** The log shows the port was taken (another process won the race for it). */
  portTaken?: (log: string) => boolean;
  /** Runs after stop, e.g. removing the server's folder. */
  cleanUp?: () => void;
}

export interface ServerProcess {
  address: string;
  port: number;
  /** What the server printed so far (the last 64 KiB). */
  logs(): string;
  stop(): Promise<void>;
}

export class PortTakenError extends Error {}

/**
 * Starts a server on a free port: `configure` gets the port and returns how to run the server
 * there. A port taken between our probe and the server's bind is retried with another one.
 */
export async function startOnFreePort(
  address: string,
  configure: (port: number) => Omit<ServerProcessOptions, 'address' | 'port'>,
): Promise<ServerProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await closedPort(address);
    try {
      return await startServerProcess({ ...configure(port), address, port });
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) break;
    }
  }
  throw lastError;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(options.binary, options.args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
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
    killGroup();
    process.off('exit', killGroup);
    options.cleanUp?.();
  };

  try {
    const ready = options.readyWhen ? () => Promise.resolve(options.readyWhen!(log)) : () => accepts(options.address, options.port);
    await waitUntilReady(options, ready, exited);
  } catch (error) {
    await stop();
    const message = `${error instanceof Error ? error.message : String(error)}\n--- ${options.name} log ---\n${log}`;
    throw options.portTaken?.(log) ? new PortTakenError(message) : new Error(message);
  }
  return { address: options.address, port: options.port, logs: () => log, stop };
}

/** Polls until the server is ready, exits, or the time is up. */
async function waitUntilReady(options: ServerProcessOptions, ready: () => Promise<boolean>, exited: Promise<void>): Promise<void> {
  const { name, address, port } = options;
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${name} exited before listening`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not listen on ${address}:${port} within ${timeoutMs} ms`);
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
