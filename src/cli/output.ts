import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError } from './input.js';

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

/** Writes the whole report or nothing: a half-written file must never be read by a monitor. */
export async function writeReportFile(file: string, chunks: Iterable<string>): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.fedcheck-tmp-${process.pid}`);
  try {
    const stream = createWriteStream(temporary, { mode: 0o644 });
    const opened = new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    await opened;
    await writeAll(stream, chunks);
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the directory does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot write --output ${file}: ${why}`);
  }
}

/**
 * Resolves once every piece has been handed to the OS, so exiting afterwards loses nothing. A
 * reader that stops early (`| head`) is not an error: the rest of the report is just not wanted.
 */
export async function writeStream(stream: NodeJS.WriteStream, chunks: Iterable<string>): Promise<void> {
  let closedByReader = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closedByReader = true;
  };
  stream.on('error', onError);
  try {
    await writeAll(stream, chunks);
    await new Promise<void>((resolve) => stream.write('', () => resolve()));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE' && !closedByReader) throw error;
  } finally {
    stream.off('error', onError);
  }
}
