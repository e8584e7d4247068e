// Debian's `prometheus` package for the tests: promtool (lints metrics and rules, runs rule unit
// tests) and a real Prometheus server on loopback, with its storage in a private temporary folder.
// Both are optional on a developer's machine: callers skip with a visible warning.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../../src/lab/tls-endpoints.js';
import { findExecutable } from './files.js';

export const PROMTOOL = findExecutable('promtool');
export const PROMETHEUS = findExecutable('prometheus');

export const MISSING_PROMTOOL = 'promtool is not installed (apt-get install prometheus): skipping the promtool tests';
export const MISSING_PROMETHEUS = 'prometheus is not installed (apt-get install prometheus): skipping the Prometheus server tests';

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program asynchronously (a lab in this process must keep answering), with a kill timer. */
export function runTool(binary: string, args: string[], options: { input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** `promtool check metrics` on an exposition: its whole output (empty when the metrics are clean). */
export async function lintMetrics(exposition: string): Promise<ToolRun> {
  return runTool(PROMTOOL!, ['check', 'metrics'], { input: exposition });
}

export interface RunningPrometheus {
  /** "http://127.0.0.1:port" */
  url: string;
  /** Everything Prometheus logged so far (the last 64 KiB), for failure messages. */
  logs(): string;
  /** An instant query through the HTTP API; the `data.result` vector. */
  query(expression: string): Promise<PrometheusVectorSample[]>;
  stop(): Promise<void>;
}

export interface PrometheusVectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

const LOG_LIMIT = 64 * 1024;

/**
 * Starts Prometheus with `files` (prometheus.yml and whatever it refers to, by relative path)
 * in a fresh folder, its storage there too, listening on a free loopback port; resolves when
 * /-/ready answers.
 */
export async function startPrometheus(files: Record<string, string>, startTimeoutMs = 30_000): Promise<RunningPrometheus> {
  const folder = mkdtempSync(join(tmpdir(), 'fedcheck-prometheus-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  const port = await closedPort('127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS!,
    [
      `--config.file=${join(folder, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(folder, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const collect = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', kill);

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
      await Promise.race([exited, timer]);
      kill();
    }
    process.off('exit', kill);
    rmSync(folder, { recursive: true, force: true });
  };

  const query = async (expression: string): Promise<PrometheusVectorSample[]> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: PrometheusVectorSample[] } };
    if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new Error(`query ${expression}: ${body.error ?? JSON.stringify(body)}`);
    return body.data.result;
  };

  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (gone) {
      await stop();
      throw new Error(`prometheus exited before it was ready\n--- prometheus log ---\n${log}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within ${startTimeoutMs} ms\n--- prometheus log ---\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, logs: () => log, query, stop };
}
