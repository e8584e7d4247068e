// SIGTERM as a service manager sends it: a real process, a probe in flight. The exporter must stop
// accepting connections at once, still answer the request it is working on, and exit 0.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from './fake-probe.js';

const folder = mkdtempSync(join(tmpdir(), 'fedcheck-drain-'));
const script = join(folder, 'drain-child.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('./drain-child.ts', import.meta.url))],
    outfile: script,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}, 60_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Lines the child writes, and a way to wait for one. */
function lines(child: ChildProcessWithoutNullStreams): { seen: string[]; next(pattern: RegExp): Promise<string> } {
  const seen: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      seen.push(line);
      for (const waiter of waiting.filter((candidate) => candidate.pattern.test(line))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  return {
    seen,
    next: (pattern) => {
      const earlier = seen.find((line) => pattern.test(line));
      return earlier !== undefined ? Promise.resolve(earlier) : new Promise((resolve) => waiting.push({ pattern, resolve }));
    },
  };
}

function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('fedcheck serve on SIGTERM', () => {
  it('stops accepting, finishes the probe in flight, and exits 0', async () => {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      const output = lines(child);
      const port = Number((await output.next(/^listening \d+$/)).split(' ')[1]);
      expect(await connectOutcome(port)).toBe('connected');

      const inFlight = request(port, '/probe?target=ciscoexample.com');
      await output.next(/^probe started$/);
      child.kill('SIGTERM');
      expect(await output.next(/SIGTERM/)).toBe('fedcheck serve: SIGTERM: no longer accepting; finishing 1 probes in flight');
      expect(await connectOutcome(port)).toBe('ECONNREFUSED');
      expect(output.seen).not.toContain('drained');

      child.stdin.write('release\n');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('fedcheck_probe_success{domain="ciscoexample.com",role="local"} 1');
      expect(await exited).toBe(0);
      expect(output.seen).toContain('drained');
      expect(stderr).toBe('');
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  }, 40_000);
});
