// Runs the built binary as a user would: a subprocess, so the lab (in this process) and the tool
// talk over real sockets. Asynchronous on purpose: spawnSync would freeze the lab's event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../src/model/findings.js';
import { resultFromDocument, type SavedDocument } from '../../src/report/json.js';

export const BIN = fileURLToPath(new URL('../../bin/fedcheck.js', import.meta.url));

export interface FedcheckRun {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** The parsed stdout, when it is a JSON report, as fedcheck holds a result in memory (chains of certificates). */
  json?: RunResult;
  /** The parsed stdout exactly as written (chains of certificate keys): what the schema describes. */
  document?: unknown;
}

export interface FedcheckOptions {
  env?: NodeJS.ProcessEnv;
  killAfterMs?: number;
  cwd?: string;
}

/** The running process (to signal it) and its outcome. */
export function startFedcheck(args: string[], options: FedcheckOptions = {}): { child: ChildProcess; done: Promise<FedcheckRun> } {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise<FedcheckRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A hung tool must fail the test, not the whole suite.
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      let document: unknown;
      try {
        document = JSON.parse(stdout);
      } catch {
        document = undefined;
      }
      const isReport = typeof document === 'object' && document !== null && Array.isArray((document as SavedDocument).targets);
      const json = isReport ? resultFromDocument(document as SavedDocument) : undefined;
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started, ...(document !== undefined ? { document } : {}), ...(json ? { json } : {}) });
    });
  });
  return { child, done };
}

export function runFedcheck(args: string[], options: FedcheckOptions = {}): Promise<FedcheckRun> {
  return startFedcheck(args, options).done;
}
