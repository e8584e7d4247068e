// Entry point. Keeps start-up light: yargs and the argument checks load at once, everything
// else (gathering, the lab, renderers, the spinner) only when the command needs it.
import { parseCommandLine, type Command, type OutputSettings } from './args.js';
import { UsageError } from './input.js';
import { writeReportFile, writeStream } from './output.js';
import { VERSION } from '../version.js';
import type { RunResult } from '../model/findings.js';

/**
 * --color and --no-color decide; then FORCE_COLOR, over NO_COLOR as in Node itself; then chalk's
 * rules (supports-color): only on a terminal, not with TERM=dumb, FORCE_COLOR=0 never and
 * FORCE_COLOR=1..3 even into a pipe.
 */
async function useColor(output: OutputSettings): Promise<boolean> {
  if (output.format !== 'human' || output.file) return false;
  if (output.color !== undefined) return output.color;
  if (process.env.FORCE_COLOR === undefined && process.env.NO_COLOR) return false;
  const { supportsColor } = await import('chalk');
  return supportsColor !== false;
}

/** The human report's width: COLUMNS when set (as for ls), else the terminal's, else the renderer's default. */
function reportWidth(): number | undefined {
  const columns = Number(process.env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  return process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : undefined;
}

async function emit(result: RunResult, output: OutputSettings): Promise<number> {
  const { loadRenderer } = await import('../report/index.js');
  const { exitCodeFor } = await import('../checks/index.js');
  const width = output.file ? undefined : reportWidth();
  const renderer = await loadRenderer(output.format);
  const chunks = renderer.chunks(result, { color: await useColor(output), verbose: output.verbose, ...(width ? { width } : {}) });
  if (output.file) await writeReportFile(output.file, chunks);
  else await writeStream(process.stdout, chunks);
  // A report run with --strict stays strict when replayed: exit code and Nagios state agree.
  return exitCodeFor(result.status, output.strict || result.options.strict === true);
}

/** Progress on stderr, only when a person is watching it. */
async function progress(total: number, label: string) {
  // A terminal that reports no width (some pty-based runners, `docker exec -t`) would make
  // ora's line arithmetic divide by zero and loop: no spinner there.
  if (!process.stderr.isTTY || !(process.stderr.columns > 0)) return undefined;
  const { default: ora } = await import('ora');
  const spinner = ora({ text: label, stream: process.stderr }).start();
  return {
    update(done: number, domain: string) {
      spinner.text = `${label} ${done}/${total} (${domain})`;
    },
    stop() {
      spinner.stop();
    },
  };
}

/**
 * --timeout bounds the whole process, start-up and argument checks included: performance.now()
 * counts from process start, so on its clock the deadline is the timeout itself.
 */
function processDeadline(timeoutMs: number): number {
  return timeoutMs;
}

/** Only the human report with --verbose shows what a passing finding says; other outputs keep a pass brief. */
function keepsPassDetails(output: OutputSettings): boolean {
  return output.format === 'human' && output.verbose;
}

/** From this many targets a run is a batch whose results fill the heap until the report is written. */
const BATCH_TARGETS = 100;

/**
 * V8 lets its heap grow to about twice what survives a full collection before it collects again,
 * which a batch pays for in resident memory: 5,000 domains peaked at 300–340 MB. Growing it by
 * half instead keeps that batch near 220 MB, for a few percent more time collecting. Small runs
 * never reach a full collection and are left as they are.
 */
async function keepBatchHeapTight(targets: number): Promise<void> {
  if (targets < BATCH_TARGETS) return;
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--heap-growing-percent=50');
}

/** The result with what changed since `baseline` (--baseline), when there is one. */
async function comparedWithBaseline(result: RunResult, baseline: RunResult | undefined): Promise<RunResult> {
  if (!baseline) return result;
  const { withChanges } = await import('../pipeline/drift.js');
  return withChanges(result, baseline);
}

async function execute(command: Command): Promise<number> {
  switch (command.kind) {
    case 'help':
      await writeStream(process.stdout, [`${command.text}\n`]);
      return 0;
    case 'version':
      await writeStream(process.stdout, [`${VERSION}\n`]);
      return 0;
    case 'explain': {
      const { explain, checksReferenceMarkdown } = await import('./explain.js');
      await writeStream(process.stdout, [command.markdown ? checksReferenceMarkdown() : explain(command.checkId)]);
      return 0;
    }
    case 'replay': {
      const { replay } = await import('./replay.js');
      const result = await replay(command.file, command.thresholds, command.output.strict, keepsPassDetails(command.output));
      return emit(await comparedWithBaseline(result, command.baseline), command.output);
    }
    case 'serve': {
      const { serve } = await import('../serve/command.js');
      return serve(command.settings);
    }
    case 'demo': {
      const { runDemo } = await import('./demo.js');
      const spinner = await progress(0, 'Starting the demo lab…');
      try {
        const result = await runDemo(
          { timeoutMs: command.timeoutMs, sipOptions: command.sipOptions },
          { deadline: processDeadline(command.timeoutMs), keepPassDetails: keepsPassDetails(command.output) },
        );
        spinner?.stop();
        await emit(result, command.output);
        // The demo's mistakes are deliberate: a completed demo is a success.
        return 0;
      } finally {
        spinner?.stop();
      }
    }
    case 'check': {
      // A file nobody named can redirect the report, add trust anchors and switch checks off:
      // say which (on stderr, so JSON and Nagios output stay clean).
      if (command.implicitConfig) process.stderr.write(`fedcheck: using the config file ${command.implicitConfig} from the working directory (--no-config ignores it)\n`);
      const { runChecks } = await import('../pipeline/run.js');
      const total = command.options.domains.length + command.options.partners.length;
      await keepBatchHeapTight(total);
      const spinner = await progress(total, `Checking ${total === 1 ? 'one domain' : `${total} domains`}…`);
      try {
        const result = await runChecks(command.options, {
          deadline: processDeadline(command.options.timeoutMs),
          onTargetDone: (done, _total, domain) => spinner?.update(done, domain),
          keepPassDetails: keepsPassDetails(command.output),
        });
        spinner?.stop();
        return await emit(await comparedWithBaseline(result, command.baseline), command.output);
      } finally {
        spinner?.stop();
      }
    }
  }
}

/** Whether the command line asks for Nagios output, read without trusting the rest of it. */
function wantsNagios(argv: string[]): boolean {
  return argv.some((arg, index) => arg === '--format=nagios' || (arg === '--format' && argv[index + 1] === 'nagios'));
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await execute(await parseCommandLine(argv));
  } catch (error) {
    const message =
      error instanceof UsageError ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
    const detail = !(error instanceof UsageError) && process.env.FEDCHECK_DEBUG ? (error as Error).stack : message;
    process.stderr.write(`fedcheck: ${detail}\n`);
    // Nagios reads the plugin's state from stdout: without this line it shows "(null)".
    if (wantsNagios(argv) || (error instanceof UsageError && error.nagios)) await writeStream(process.stdout, [`FEDCHECK UNKNOWN - ${message.replace(/\|/g, '/')}\n`]);
    return 3;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// A socket a remote peer keeps half-open must not keep a finished run alive.
setTimeout(() => process.exit(code), 500).unref();
