import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const directory = mkdtempSync(join(tmpdir(), 'fedcheck-test-'));

/** A file in this test process's temporary folder (the OS cleans tmp; tests never share one). */
export async function writeTemporaryFile(name: string, content: string): Promise<string> {
  const path = join(directory, `${process.pid}-${Math.random().toString(36).slice(2)}-${name}`);
  await writeFile(path, content);
  return path;
}

export function temporaryPath(name: string): string {
  return join(directory, `${process.pid}-${Math.random().toString(36).slice(2)}-${name}`);
}
