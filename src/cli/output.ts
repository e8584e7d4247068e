import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './input.js';

/** Writes the whole report or nothing: a half-written file must never be read by a monitor. */
export async function writeReportFile(file: string, text: string): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.fedcheck-tmp-${process.pid}`);
  try {
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the directory does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot write --output ${file}: ${why}`);
  }
}

/** Resolves once the text has been handed to the OS, so exiting afterwards loses nothing. */
export function writeStream(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === '') return resolve();
    stream.write(text, () => resolve());
  });
}
