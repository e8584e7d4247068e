// npm run bench: whole-process timings, as medians of repeated runs, divided by bare `node -e 0`
// on the same machine at the same moment (the ratio is what stays comparable across machines).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/fedcheck.js');
const labScript = join(root, 'dist/lab.js');
const runs = Number(process.env.BENCH_RUNS ?? 11);

/** Runs a command to completion; returns wall ms and the peak RSS seen in /proc (Linux). */
function timeCommand(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        // the process has gone; keep the last reading
      }
    };
    const sampler = setInterval(sample, 10);
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sampler);
      const ms = performance.now() - started;
      if (code === 3) reject(new Error(`${args.join(' ')} exited 3: ${stderr}`));
      else resolve({ ms, peakMb: peakKb / 1024, code });
    });
  });
}

async function median(args, count = runs) {
  const times = [];
  for (let i = 0; i < count; i++) times.push((await timeCommand(args)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Starts a named lab in its own process and reads how to reach it. */
function startLab(name, ...rest) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [labScript, name, ...rest], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve({ ...JSON.parse(buffer.slice(0, newline)), stop: () => child.stdin.end() });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`lab ${name} exited ${code}`)));
  });
}

const rows = [];
const report = (label, ms, base, extra = '') =>
  rows.push(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms   ${(ms / base).toFixed(2).padStart(5)}x node${extra}`);

const node = await median(['-e', '0']);
rows.push(`${'node -e 0 (baseline)'.padEnd(44)} ${node.toFixed(1).padStart(8)} ms`);
report('fedcheck --version', await median([bin, '--version']), node);
report('fedcheck demo (lab in-process, 3 targets)', await median([bin, 'demo', '--json'], 5), node);

const six = await startLab('six-peers');
report(
  'one target, 6 TLS peers (lab in own process)',
  await median([bin, ...six.domains, '--resolver', six.resolver, '--ca', six.caFile, '--json'], 7),
  node,
);
six.stop();

const batchSize = Number(process.env.BENCH_BATCH ?? 500);
const batch = await startLab('batch', String(batchSize));
const domainsFile = join(tmpdir(), `fedcheck-bench-domains-${process.pid}.txt`);
writeFileSync(domainsFile, `# bench\n${batch.domains.join('\n')}\n`);
const batchRuns = [];
try {
  for (let i = 0; i < 3; i++) {
    batchRuns.push(await timeCommand([bin, '--domains-file', domainsFile, '--resolver', batch.resolver, '--ca', batch.caFile, '--json', '--timeout', '60000']));
  }
} finally {
  rmSync(domainsFile, { force: true });
}
batchRuns.sort((a, b) => a.ms - b.ms);
const middle = batchRuns[1];
report(`${batchSize} domains x 2 TLS peers (median of 3)`, middle.ms, node, `   peak RSS ${middle.peakMb.toFixed(0)} MB`);
batch.stop();

process.stdout.write(`${rows.join('\n')}\n`);
