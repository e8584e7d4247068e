// --output never destroys what it writes to: devices, FIFOs and standard output are written
// through, links are followed and their target replaced atomically, and a path that cannot take a
// report is refused before any network work. Every case runs the real binary on real files made
// in a temporary folder (never on the machine's own /dev/null or /dev/stdout).
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type RunResult } from '../../src/model/findings.js';
import { runFedcheck, startFedcheck } from '../helpers/fedcheck.js';

const SAVED_REPORT = fileURLToPath(new URL('../report/fixtures/replay-ipv6-and-gcc-high.json', import.meta.url));
/** The fixture's verdict: CRITICAL. */
const SAVED_REPORT_EXIT = 2;
const isRoot = process.getuid?.() === 0;

const folder = mkdtempSync(join(tmpdir(), 'fedcheck-output-'));
/** Undone in afterAll even when a test fails half-way (an immutable folder cannot be removed). */
const undo: (() => void)[] = [];
afterAll(() => {
  for (const step of undo.reverse()) step();
  rmSync(folder, { recursive: true, force: true });
});

let caseNumber = 0;
function caseFolder(): string {
  const path = join(folder, `case-${++caseNumber}`);
  mkdirSync(path);
  return path;
}

function replayTo(output: string, extra: string[] = []) {
  return runFedcheck(['--replay', SAVED_REPORT, '--json', '--output', output, ...extra]);
}

function savedReportJudged(text: string): RunResult {
  const result = JSON.parse(text) as RunResult;
  expect(result.schemaVersion).toBe(SCHEMA_VERSION);
  expect(result.targets.map((target) => target.domain)).toEqual(['ciscoexample.com', 'gov-partner.example']);
  return result;
}

function run(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

describe('--output writes through what is not a regular file', () => {
  it.skipIf(!isRoot)('writes to a character device and leaves it a device (mknod null c 1 3)', async () => {
    const device = join(caseFolder(), 'null');
    expect(run('mknod', [device, 'c', '1', '3'])).toBe(true);
    const before = statSync(device);
    const result = await replayTo(device);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(SAVED_REPORT_EXIT);
    const after = lstatSync(device);
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
    expect(readdirSync(join(device, '..'))).toEqual(['null']);
  });

  it('writes to a FIFO its reader reads, and leaves it a FIFO', async () => {
    const fifo = join(caseFolder(), 'report.fifo');
    expect(run('mkfifo', [fifo])).toBe(true);
    // The reader is open before fedcheck starts; a writer end held here keeps it from seeing
    // end-of-file before fedcheck opens the FIFO, and is closed once fedcheck has exited.
    const reader = new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
    const holder = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    let received = '';
    reader.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const ended = new Promise((resolve) => reader.on('end', resolve));
    const result = await replayTo(fifo);
    closeSync(holder);
    await ended;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(SAVED_REPORT_EXIT);
    savedReportJudged(received);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses, with exit 3, a FIFO that no process reads, rather than waiting forever', async () => {
    const fifo = join(caseFolder(), 'unread.fifo');
    expect(run('mkfifo', [fifo])).toBe(true);
    const result = await replayTo(fifo);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^fedcheck: cannot write --output .*unread\.fifo: it is a FIFO that no process is reading\n$/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('writes to its own standard output through a link to /proc/self/fd/1 (what /dev/stdout is), which stays a link', async () => {
    const stdoutLink = join(caseFolder(), 'stdout');
    symlinkSync('/proc/self/fd/1', stdoutLink);
    const result = await replayTo(stdoutLink);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(SAVED_REPORT_EXIT);
    savedReportJudged(result.stdout);
    expect(lstatSync(stdoutLink).isSymbolicLink()).toBe(true);
    expect(readlinkSync(stdoutLink)).toBe('/proc/self/fd/1');
  });

  it('refuses a descriptor other than standard output and error (Node keeps descriptors of its own)', async () => {
    const result = await replayTo('/dev/fd/7');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot write --output \/dev\/fd\/7: fedcheck writes by descriptor only to 1 and 2/);
  });
});

describe('--output replaces a regular file atomically, through links', () => {
  it('follows a link to a regular file: the target is replaced (new inode, same mode), the link stays a link', async () => {
    const here = caseFolder();
    const elsewhere = caseFolder();
    const target = join(elsewhere, 'report.json');
    writeFileSync(target, 'the previous report\n');
    chmodSync(target, 0o640);
    const before = statSync(target);
    const link = join(here, 'latest.json');
    symlinkSync(target, link);
    const result = await replayTo(link);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(SAVED_REPORT_EXIT);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    savedReportJudged(readFileSync(target, 'utf8'));
    const after = statSync(target);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o7777).toBe(0o640);
    // The temporary file lived in the target's folder and is gone.
    expect(readdirSync(elsewhere)).toEqual(['report.json']);
    expect(readdirSync(here)).toEqual(['latest.json']);
  });

  it('follows a dangling link: the report is created where it points, and the link stays a link', async () => {
    const here = caseFolder();
    const link = join(here, 'latest.json');
    symlinkSync('reports-2025.json', link);
    const result = await replayTo(link);
    expect(result.code).toBe(SAVED_REPORT_EXIT);
    expect(readlinkSync(link)).toBe('reports-2025.json');
    savedReportJudged(readFileSync(join(here, 'reports-2025.json'), 'utf8'));
    expect(readdirSync(here).sort()).toEqual(['latest.json', 'reports-2025.json']);
  });

  it.skipIf(!isRoot)('will not follow a link another user planted in a shared sticky folder (as fs.protected_symlinks)', async () => {
    const shared = caseFolder();
    chmodSync(shared, 0o1777);
    const victim = join(caseFolder(), 'precious.conf');
    writeFileSync(victim, 'keep me\n');
    const link = join(shared, 'report.json');
    symlinkSync(victim, link);
    lchownSync(link, 65534, 65534);
    const result = await replayTo(link);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/symbolic link in the shared folder .* owned by another user \(uid 65534\)/);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
  });
});

describe('--output that cannot take a report: exit 3 before any network work', () => {
  /** A resolver that never answers and counts what reaches it: a run that started would ask it. */
  let resolver: UdpSocket;
  let questions = 0;
  beforeAll(async () => {
    resolver = createSocket('udp4').on('message', () => questions++);
    await new Promise<void>((resolve) => resolver.bind(0, '127.0.0.1', resolve));
  });
  afterAll(() => resolver?.close());

  async function refusedBeforeNetwork(output: string, reason: RegExp): Promise<void> {
    const asked = questions;
    const result = await runFedcheck(['ciscoexample.com', '--resolver', `127.0.0.1:${resolver.address().port}`, '--timeout', '2000', '--json', '--output', output]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(reason);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(questions - asked).toBe(0);
  }

  it('refuses a directory', async () => {
    const directory = caseFolder();
    await refusedBeforeNetwork(directory, /cannot write --output .*: it is a directory$/m);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('refuses a dangling link into a folder that does not exist', async () => {
    const link = join(caseFolder(), 'latest.json');
    symlinkSync('missing-folder/report.json', link);
    await refusedBeforeNetwork(link, /the directory .*missing-folder does not exist/);
  });

  it.skipIf(isRoot)('refuses a folder without write permission (not root)', async () => {
    const locked = caseFolder();
    chmodSync(locked, 0o555);
    undo.push(() => chmodSync(locked, 0o755));
    await refusedBeforeNetwork(join(locked, 'report.json'), /is not writable \(permission denied\)/);
  });

  // Root passes permission bits; what stops root is an immutable folder or a read-only file system.
  it.runIf(isRoot)('refuses an immutable folder (chattr +i), which stops root too', async (context) => {
    const locked = caseFolder();
    if (!run('chattr', ['+i', locked])) {
      console.warn('chattr +i is not available on this file system: the immutable-folder case is not tested');
      context.skip();
    }
    undo.push(() => run('chattr', ['-i', locked]));
    await refusedBeforeNetwork(join(locked, 'report.json'), /does not allow changes \(it is immutable\)/);
    expect(readdirSync(locked)).toEqual([]);
  });

  it.runIf(isRoot)('refuses an immutable report file (chattr +i), which rename would otherwise fail on after the run', async (context) => {
    const report = join(caseFolder(), 'report.json');
    writeFileSync(report, 'the previous report\n');
    if (!run('chattr', ['+i', report])) {
      console.warn('chattr +i is not available on this file system: the immutable-file case is not tested');
      context.skip();
    }
    undo.push(() => run('chattr', ['-i', report]));
    await refusedBeforeNetwork(report, /cannot write --output .*report\.json: it is immutable$/m);
    expect(readFileSync(report, 'utf8')).toBe('the previous report\n');
  });

  it.runIf(isRoot)('refuses a folder on a read-only file system (a read-only bind mount), which stops root too', async (context) => {
    const mounted = caseFolder();
    if (!run('mount', ['--bind', mounted, mounted])) {
      console.warn('mount --bind is not permitted here: the read-only file system case is not tested');
      context.skip();
    }
    undo.push(() => run('umount', [mounted]));
    expect(run('mount', ['-o', 'remount,ro,bind', mounted])).toBe(true);
    await refusedBeforeNetwork(join(mounted, 'report.json'), /is on a read-only file system/);
  });
});

describe('an interrupted write', () => {
  it('leaves no temporary file and the previous report untouched when SIGINT arrives mid-write', async () => {
    // Big enough that writing it takes a while: 150 copies of the saved report's targets.
    const saved = JSON.parse(readFileSync(SAVED_REPORT, 'utf8')) as RunResult;
    const many = { ...saved, targets: Array.from({ length: 150 }, () => saved.targets).flat() };
    const input = join(caseFolder(), 'many.json');
    writeFileSync(input, JSON.stringify(many));
    const here = caseFolder();
    const report = join(here, 'report.json');
    writeFileSync(report, 'the previous report\n');

    let temporarySeen: string | undefined;
    let startedRun: ReturnType<typeof startFedcheck> | undefined;
    // Stopped (SIGSTOP) the moment its temporary file appears, the process is certainly
    // mid-write; SIGINT is then delivered when it continues.
    const watcher = watch(here, (_event, name) => {
      if (temporarySeen || !startedRun || !name?.includes('.fedcheck-tmp-') || !existsSync(join(here, name))) return;
      startedRun.child.kill('SIGSTOP');
      // Still there once stopped: the write had not finished.
      if (existsSync(join(here, name))) temporarySeen = name;
      startedRun.child.kill('SIGINT');
      startedRun.child.kill('SIGCONT');
    });
    try {
      startedRun = startFedcheck(['--replay', input, '--json', '--output', report], { killAfterMs: 60_000 });
      const result = await startedRun.done;
      expect(temporarySeen, 'the temporary file was seen mid-write').toBeDefined();
      expect(result.signal).toBe('SIGINT');
      expect(readdirSync(here)).toEqual(['report.json']);
      expect(readFileSync(report, 'utf8')).toBe('the previous report\n');
    } finally {
      watcher.close();
    }
  }, 60_000);
});
