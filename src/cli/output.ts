// Where a report goes. `--output PATH` must never destroy what PATH is: a regular file (or a path
// that does not exist yet) is replaced atomically, through any symbolic links, so a monitor never
// reads half a report; a terminal, a character device or a FIFO is written through; /dev/stdout
// and /dev/fd/N are the descriptors they name. Whatever cannot work is refused before the run
// (checkOutputTarget) and again, with the same reasons, when the report is written.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, createWriteStream, lstatSync, openSync, readlinkSync, realpathSync, rmSync, statSync, type Stats } from 'node:fs';
import { chmod, chown, open, rename } from 'node:fs/promises';
import { Socket } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError } from './input.js';

/** What a report path is on disk, and so how the report reaches it. */
type OutputTarget =
  /** A regular file, or nothing yet: a temporary file next to `path`, renamed over it. */
  | { kind: 'replace'; path: string; existing?: Stats }
  /** A terminal, a character device or a FIFO: opened and written, never replaced. */
  | { kind: 'device'; path: string; fifo: boolean }
  /** /dev/stdout, /dev/stderr: the process's own standard output or error. */
  | { kind: 'descriptor'; fd: 1 | 2 };

/** Why a path cannot take a report; the caller names the option and the path. */
class OutputRefused extends Error {}

/** The sticky bit and the others' write bit of a mode (not in Node's fs.constants on every platform). */
const STICKY = 0o1000;
const OTHERS_WRITE = 0o002;

/** As the kernel gives up (ELOOP) after 40 links. */
const MAX_SYMBOLIC_LINKS = 40;

/**
 * A path that names this process's standard output or error: /dev/fd/N and /proc/self/fd/N
 * (where /dev/stdout and /dev/stderr lead). Other numbers are refused: Node keeps descriptors of
 * its own (the event loop's, its signal pipe) that nothing may write to, and from here an
 * inherited descriptor cannot be told from one of those.
 */
function descriptorOf(path: string): 1 | 2 | undefined {
  const match = new RegExp(`^/(?:dev/fd|proc/(?:self|thread-self|${process.pid})/fd)/(\\d+)$`).exec(path);
  if (!match) return undefined;
  const fd = Number(match[1]);
  if (fd !== 1 && fd !== 2) throw new OutputRefused('fedcheck writes by descriptor only to 1 and 2 (/dev/stdout, /dev/stderr); give a file path');
  return fd;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Following a link that another user planted in a shared sticky folder such as /tmp would let
 * them point fedcheck (often run as root) at any file: refused, as the kernel's
 * fs.protected_symlinks refuses to open through such links.
 */
function refuseForeignLink(link: string, stats: Stats): void {
  const folder = lstatSync(dirname(link));
  const shared = (folder.mode & STICKY) !== 0 && (folder.mode & OTHERS_WRITE) !== 0;
  if (shared && stats.uid !== folder.uid && stats.uid !== process.geteuid?.()) {
    throw new OutputRefused(
      `it is a symbolic link in the shared folder ${dirname(link)} owned by another user (uid ${stats.uid}); give the path it points to instead`,
    );
  }
}

function targetOfType(path: string, stats: Stats): OutputTarget {
  if (stats.isFile()) return { kind: 'replace', path, existing: stats };
  if (stats.isDirectory()) throw new OutputRefused('it is a directory');
  if (stats.isFIFO()) return { kind: 'device', path, fifo: true };
  if (stats.isCharacterDevice()) return { kind: 'device', path, fifo: false };
  if (stats.isBlockDevice()) throw new OutputRefused('it is a block device (a disk); give a file, a terminal or a pipe');
  throw new OutputRefused('it is a socket');
}

/**
 * Follows the path's symbolic links to what they finally name. A link that leads nowhere (a
 * dangling link) is followed too: the report is created where it points, as `>` in a shell does,
 * and the link stays a link.
 */
function outputTarget(file: string): OutputTarget {
  let path = resolve(file);
  for (let links = 0; links <= MAX_SYMBOLIC_LINKS; links++) {
    const fd = descriptorOf(path);
    if (fd !== undefined) return { kind: 'descriptor', fd };
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { kind: 'replace', path };
      if (errorCode(error) === 'ENOTDIR') throw new OutputRefused(`a part of ${path} is not a directory`);
      throw error;
    }
    if (!stats.isSymbolicLink()) return targetOfType(path, stats);
    refuseForeignLink(path, stats);
    // Relative to the link's real folder, as the kernel resolves it ("../x" after a linked folder).
    path = resolve(realpathSync(dirname(path)), readlinkSync(path));
  }
  throw new OutputRefused('too many levels of symbolic links');
}

function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.fedcheck-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Why a file cannot be created in the folder, in words. */
function folderProblem(folder: string, error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return `the directory ${folder} does not exist`;
    case 'ENOTDIR':
      return `${folder} is not a directory`;
    case 'EACCES':
      return `the directory ${folder} is not writable (permission denied)`;
    case 'EROFS':
      return `the directory ${folder} is on a read-only file system`;
    case 'EPERM':
      return `the directory ${folder} does not allow changes (it is immutable)`;
    default:
      return `cannot create a file in ${folder} (${(error as Error).message})`;
  }
}

/**
 * A report that is replaced needs a new file in the target's folder and, when the target exists,
 * the right to write it. access() answers for root too where root is refused as well: a
 * read-only file system (EROFS) or an immutable file or folder (EPERM); it creates nothing, so
 * nothing is left behind whenever the process is stopped.
 */
function checkReplaceable(target: Extract<OutputTarget, { kind: 'replace' }>): void {
  const folder = dirname(target.path);
  if (target.existing) {
    try {
      accessSync(target.path, constants.W_OK);
    } catch (error) {
      const code = errorCode(error);
      throw new OutputRefused(code === 'EACCES' ? 'permission denied' : code === 'EPERM' ? 'it is immutable' : folderProblem(folder, error));
    }
  }
  try {
    if (!statSync(folder).isDirectory()) throw new OutputRefused(`${folder} is not a directory`);
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof OutputRefused) throw error;
    throw new OutputRefused(folderProblem(folder, error));
  }
}

function refusal(file: string, what: string, error: unknown): UsageError {
  const code = errorCode(error);
  const why =
    error instanceof OutputRefused
      ? error.message
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'ENOSPC' || code === 'EDQUOT'
          ? 'no space left on the device'
          : (error as Error).message;
  return new UsageError(`cannot write ${what} ${file}: ${why}`);
}

/** Refuses, before the run, a report path the report could not reach (`what` names the option). */
export function checkOutputTarget(file: string, what: string): void {
  try {
    const target = outputTarget(file);
    if (target.kind === 'replace') checkReplaceable(target);
  } catch (error) {
    throw refusal(file, what, error);
  }
}

/** Writes the pieces in order, waiting whenever the stream asks, so no piece piles up in memory. */
async function writeAll(stream: Writable, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (chunk === '') continue;
    if (!stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        stream.once('error', onError);
        stream.once('drain', () => {
          stream.off('error', onError);
          resolve();
        });
      });
    }
  }
}

async function endStream(stream: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

const INTERRUPTIONS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `write` with the temporary file removed if a signal ends the process meanwhile; the
 * signal is then raised again, so the process still dies of it (a shell loop stops on Ctrl-C).
 */
async function removedOnInterrupt<T>(temporary: string, write: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(temporary, { force: true });
    for (const name of INTERRUPTIONS) process.off(name, onSignal);
    process.kill(process.pid, signal);
  };
  for (const name of INTERRUPTIONS) process.on(name, onSignal);
  try {
    return await write();
  } finally {
    for (const name of INTERRUPTIONS) process.off(name, onSignal);
  }
}

/** Writes the whole report or nothing: a half-written file must never be read by a monitor. */
async function replaceFile(target: Extract<OutputTarget, { kind: 'replace' }>, chunks: Iterable<string>): Promise<void> {
  checkReplaceable(target);
  const temporary = temporaryNameFor(target.path);
  await removedOnInterrupt(temporary, async () => {
    try {
      // 'wx': never through something already at the temporary name (a link planted in /tmp).
      const stream = createWriteStream(temporary, { flags: 'wx', mode: 0o644, flush: true });
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
      await writeAll(stream, chunks);
      await endStream(stream);
      // The replaced report keeps its permissions and, where fedcheck may set it, its owner.
      if (target.existing) {
        await chmod(temporary, target.existing.mode & 0o7777);
        if (process.geteuid?.() === 0) await chown(temporary, target.existing.uid, target.existing.gid);
      }
      await rename(temporary, target.path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  });
}

/**
 * A FIFO is opened without waiting for a reader (a missing one would hang the run forever) and
 * written as a pipe; a terminal or other character device is opened as it is, never created.
 */
async function deviceStream(target: Extract<OutputTarget, { kind: 'device' }>): Promise<Writable> {
  if (!target.fifo) {
    const handle = await open(target.path, constants.O_WRONLY);
    return handle.createWriteStream();
  }
  let fd: number;
  try {
    fd = openSync(target.path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ENXIO') throw new OutputRefused('it is a FIFO that no process is reading');
    throw error;
  }
  return new Socket({ fd, readable: false, writable: true });
}

/** Writes the report where `file` leads; every problem is a UsageError naming --output and the path. */
export async function writeReportFile(file: string, chunks: Iterable<string>): Promise<void> {
  try {
    const target = outputTarget(file);
    switch (target.kind) {
      case 'replace':
        return await replaceFile(target, chunks);
      case 'descriptor':
        return await writeStream(target.fd === 1 ? process.stdout : process.stderr, chunks);
      case 'device': {
        const stream = await deviceStream(target);
        return await writeToReader(stream, chunks);
      }
    }
  } catch (error) {
    throw refusal(file, '--output', error);
  }
}

/**
 * Resolves once every piece has been handed to the OS, so exiting afterwards loses nothing. A
 * reader that stops early (`| head`) is not an error: the rest of the report is just not wanted.
 */
async function writeToReader(stream: Writable, chunks: Iterable<string>, close = true): Promise<void> {
  let closedByReader = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closedByReader = true;
  };
  stream.on('error', onError);
  try {
    await writeAll(stream, chunks);
    if (close) await endStream(stream);
    else await new Promise<void>((resolve) => stream.write('', () => resolve()));
  } catch (error) {
    if (errorCode(error) !== 'EPIPE' && !closedByReader) throw error;
  } finally {
    stream.off('error', onError);
  }
}

/** The report, help or version on standard output (or error), which stays open afterwards. */
export async function writeStream(stream: NodeJS.WriteStream, chunks: Iterable<string>): Promise<void> {
  await writeToReader(stream, chunks, false);
}
