// `node dist/lab.js`: a lab in its own process writes its root certificate to the temporary
// folder for fedcheck's --ca, and removes it however it is stopped.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const LAB_SCRIPT = fileURLToPath(new URL('../../dist/lab.js', import.meta.url));
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('a lab in its own process', () => {
  it.each(['SIGINT', 'SIGTERM', 'stdin closed'] as const)('leaves nothing in the temporary folder when stopped by %s', async (how) => {
    // A folder of its own as TMPDIR, so "nothing left" is exact.
    const folder = mkdtempSync(join(tmpdir(), 'fedcheck-lab-serve-'));
    folders.push(folder);
    const child = spawn(process.execPath, [LAB_SCRIPT, 'six-peers'], { env: { ...process.env, TMPDIR: folder }, stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const started = await new Promise<{ caFile: string }>((resolve, reject) => {
      let buffer = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        if (buffer.includes('\n')) resolve(JSON.parse(buffer.slice(0, buffer.indexOf('\n'))) as { caFile: string });
      });
      child.on('exit', (code) => reject(new Error(`the lab exited (${code}) before it said where it is`)));
    });
    expect(started.caFile).toBe(join(folder, basename(started.caFile)));
    expect(existsSync(started.caFile)).toBe(true);
    if (how === 'stdin closed') child.stdin.end();
    else child.kill(how);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(readdirSync(folder)).toEqual([]);
  }, 60_000);
});
