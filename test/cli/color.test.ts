// When the human report is coloured: as the chalk ecosystem decides (supports-color), on a real
// pseudo-terminal (util-linux `script`) and into a pipe, with --color/--no-color over everything.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, runFedcheck } from '../helpers/fedcheck.js';

const SAVED_REPORT = fileURLToPath(new URL('../report/fixtures/replay-ipv6-and-gcc-high.json', import.meta.url));
const ANSI = /\u001b\[/;
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasScript) console.warn('util-linux `script` is missing: the colour tests on a pseudo-terminal are skipped');

/** What else makes supports-color decide: cleared, so the machine running the tests does not. */
const NEUTRAL: NodeJS.ProcessEnv = {
  CI: undefined,
  GITHUB_ACTIONS: undefined,
  TF_BUILD: undefined,
  AGENT_NAME: undefined,
  COLORTERM: undefined,
  TERM_PROGRAM: undefined,
  TEAMCITY_VERSION: undefined,
  TERM: 'xterm-256color',
};

function quoted(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The replayed report's human output, with stdout a pseudo-terminal. */
async function onTerminal(env: NodeJS.ProcessEnv, args: string[] = []): Promise<string> {
  const command = [process.execPath, BIN, '--replay', SAVED_REPORT, ...args].map(quoted).join(' ');
  const run = await runScript(['-qec', command, '/dev/null'], { ...NEUTRAL, ...env });
  expect(run.code).toBe(2);
  expect(run.stdout).toMatch(/Local SIP domain ciscoexample\.com/);
  return run.stdout;
}

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', args, { env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout });
    });
  });
}

async function intoPipe(env: NodeJS.ProcessEnv, args: string[] = []): Promise<string> {
  const run = await runFedcheck(['--replay', SAVED_REPORT, ...args], { env: { ...NEUTRAL, ...env } });
  expect(run.code).toBe(2);
  return run.stdout;
}

describe.skipIf(!hasScript)('colour on a terminal', () => {
  it.each<[string, NodeJS.ProcessEnv, string[], boolean]>([
    ['by default', {}, [], true],
    ['not with NO_COLOR', { NO_COLOR: '1' }, [], false],
    ['not with FORCE_COLOR=0', { FORCE_COLOR: '0' }, [], false],
    ['not with TERM=dumb', { TERM: 'dumb' }, [], false],
    ['with TERM=dumb when FORCE_COLOR=1 forces it', { TERM: 'dumb', FORCE_COLOR: '1' }, [], true],
    ['not with --no-color, whatever FORCE_COLOR says', { FORCE_COLOR: '3' }, ['--no-color'], false],
  ])('%s', async (_label, env, args, coloured) => {
    const output = await onTerminal(env, args);
    if (coloured) expect(output).toMatch(ANSI);
    else expect(output).not.toMatch(ANSI);
  });
});

describe('colour into a pipe', () => {
  it.each<[string, NodeJS.ProcessEnv, string[], boolean]>([
    ['with FORCE_COLOR=1', { FORCE_COLOR: '1' }, [], true],
    ['with FORCE_COLOR=1 over NO_COLOR, as in Node', { FORCE_COLOR: '1', NO_COLOR: '1' }, [], true],
  ])('%s', async (_label, env, args, coloured) => {
    const output = await intoPipe(env, args);
    if (coloured) expect(output).toMatch(ANSI);
    else expect(output).not.toMatch(ANSI);
  });
});
