// npm run bench: whole-process timings, as medians of repeated runs, divided by bare `node -e 0`
// on the same machine at the same moment (the ratio is what stays comparable across machines),
// and a service provider's batch: 5,000 domains whose edges present 50 certificates of 100 names,
// in every output format, with the peak memory and the report's size, held to the targets.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/fedcheck.js');
const labScript = join(root, 'dist/lab.js');
const runs = Number(process.env.BENCH_RUNS ?? 11);

/** The target of issue 10: one target with six TLS peers in at most this many times `node -e 0`. */
const MAX_SIX_PEER_RATIO = 3;
/** The targets of issue 12: a provider's batch at most this many times the 500-domain time… */
const MAX_BATCH_RATIO = 12;
/** …in at most this much memory, whatever the format… */
const MAX_PEAK_RSS_MB = 300;
/** …and a JSON report at most this big. */
const MAX_JSON_MB = 50;

/** Runs a command to completion; returns wall ms and the peak RSS seen in /proc (Linux). */
function timeCommand(args, env = process.env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
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

/**
 * Medians of `args` and of `node -e 0`, their runs alternated so that both see the machine in the
 * same state: a shared machine's speed drifts over minutes, and the ratio is what is judged.
 */
async function pairedWithNode(args, count, env = process.env) {
  const baseline = [];
  const measured = [];
  for (let i = 0; i < count; i++) {
    baseline.push((await timeCommand(['-e', '0'], env)).ms);
    measured.push((await timeCommand(args, env)).ms);
  }
  const middle = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  return { node: middle(baseline), ms: middle(measured) };
}

async function median(args, count = runs, env = process.env) {
  const times = [];
  for (let i = 0; i < count; i++) times.push((await timeCommand(args, env)).ms);
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

/** A --domains-file for a lab's domains. */
const temporaryFiles = [];
process.on('exit', () => {
  for (const file of temporaryFiles) rmSync(file, { force: true });
});

function domainsFileFor(lab, name) {
  const file = join(tmpdir(), `fedcheck-bench-${name}-${process.pid}.txt`);
  temporaryFiles.push(file);
  writeFileSync(file, `# bench\n${lab.domains.join('\n')}\n`);
  return file;
}

const rows = [];
const verdicts = [];
const report = (label, ms, base, extra = '') =>
  rows.push(`${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms   ${(ms / base).toFixed(2).padStart(5)}x node${extra}`);
const verdict = (ok, text) => verdicts.push(`${ok ? 'met    ' : 'MISSED '} ${text}`);

const node = await median(['-e', '0']);
rows.push(`${'node -e 0 (baseline)'.padEnd(48)} ${node.toFixed(1).padStart(8)} ms`);
report('fedcheck --version', await median([bin, '--version']), node);
report('fedcheck demo (lab in-process, 3 targets)', await median([bin, 'demo', '--json'], 5), node);

const six = await startLab('six-peers');
const sixPeersArgs = [bin, ...six.domains, '--resolver', six.resolver, '--ca', six.caFile, '--json'];
const sixPeers = await pairedWithNode(sixPeersArgs, runs);
report('one target, 6 TLS peers (lab in own process)', sixPeers.ms, sixPeers.node, `   (node -e 0 alternated with it: ${sixPeers.node.toFixed(1)} ms)`);
const sixPeerRatio = sixPeers.ms / sixPeers.node;
verdict(sixPeerRatio <= MAX_SIX_PEER_RATIO, `6 TLS peers in at most ${MAX_SIX_PEER_RATIO}x node -e 0: ${sixPeerRatio.toFixed(2)}x`);
// NODE_EXTRA_CA_CERTS makes every Node process read and parse that bundle before it runs any
// code: tens of milliseconds added to the baseline and to fedcheck alike, so the ratio depends on
// it. Where it is set, the same two lines without it show the other side.
if (process.env.NODE_EXTRA_CA_CERTS) {
  const { NODE_EXTRA_CA_CERTS: _extra, ...withoutExtra } = process.env;
  const bare = await pairedWithNode(sixPeersArgs, runs, withoutExtra);
  report('6 TLS peers, without NODE_EXTRA_CA_CERTS', bare.ms, bare.node, `   (node -e 0 without it: ${bare.node.toFixed(1)} ms)`);
  rows.push(`  NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS} costs every node process ${(sixPeers.node - bare.node).toFixed(0)} ms here`);
}
six.stop();

// BENCH_QUICK=1: the start-up lines only, without the batch and provider labs (minutes).
if (process.env.BENCH_QUICK === '1') {
  process.stdout.write(`${rows.join('\n')}\n\n${verdicts.join('\n')}\n`);
  process.exit(0);
}

const batchSize = Number(process.env.BENCH_BATCH ?? 500);
const batch = await startLab('batch', String(batchSize));
const batchFile = domainsFileFor(batch, 'batch');
const batchRuns = [];
for (let i = 0; i < 3; i++) {
  batchRuns.push(await timeCommand([bin, '--domains-file', batchFile, '--resolver', batch.resolver, '--ca', batch.caFile, '--json', '--timeout', '60000']));
}
batchRuns.sort((a, b) => a.ms - b.ms);
const batchTime = batchRuns[1];
report(`${batchSize} domains x 2 TLS peers (median of 3)`, batchTime.ms, node, `   peak RSS ${batchTime.peakMb.toFixed(0)} MB`);
batch.stop();

// A service provider: every domain's two peers are two shared edges presenting, chosen by SNI,
// one of 50 certificates that each name 100 of the domains.
const providerSize = Number(process.env.BENCH_PROVIDER ?? 5000);
const provider = await startLab('provider', String(providerSize));
const providerFile = domainsFileFor(provider, 'provider');
const output = join(tmpdir(), `fedcheck-bench-report-${process.pid}`);
for (const format of ['json', 'human', 'html', 'junit', 'nagios', 'prometheus']) {
  const args = [bin, '--domains-file', providerFile, '--resolver', provider.resolver, '--ca', provider.caFile, '--format', format, '--output', output, '--timeout', '600000'];
  const run = await timeCommand(args);
  const sizeMb = statSync(output).size / 1e6;
  rmSync(output, { force: true });
  report(`${providerSize} domains (50 certs x 100 names), ${format}`, run.ms, node, `   peak RSS ${run.peakMb.toFixed(0)} MB, report ${sizeMb.toFixed(1)} MB`);
  verdict(run.peakMb < MAX_PEAK_RSS_MB, `peak RSS under ${MAX_PEAK_RSS_MB} MB with --format ${format}: ${run.peakMb.toFixed(0)} MB`);
  if (format === 'json') {
    const ratio = run.ms / batchTime.ms;
    verdict(ratio <= MAX_BATCH_RATIO, `${providerSize} domains in at most ${MAX_BATCH_RATIO}x the ${batchSize}-domain time: ${ratio.toFixed(1)}x`);
    verdict(sizeMb < MAX_JSON_MB, `JSON report under ${MAX_JSON_MB} MB: ${sizeMb.toFixed(1)} MB`);
  }
}
provider.stop();

process.stdout.write(`${rows.join('\n')}\n\n${verdicts.join('\n')}\n`);
