import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

let directory: string | undefined;

/** This test file's temporary folder, made on first use. */
function temporaryFolder(): string {
  directory ??= mkdtempSync(join(tmpdir(), 'fedcheck-test-'));
  return directory;
}

/** Removes this test file's temporary folder: test/setup-file.ts does after every file's tests. */
export function removeTemporaryFolder(): void {
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
}

/** A file in this test file's temporary folder, removed after the file's tests. */
export async function writeTemporaryFile(name: string, content: string): Promise<string> {
  const path = temporaryPath(name);
  await writeFile(path, content);
  return path;
}

/** A fresh path in this test file's temporary folder, removed after the file's tests. */
export function temporaryPath(name: string): string {
  return join(temporaryFolder(), `${Math.random().toString(36).slice(2)}-${name}`);
}

/** Where servers live that are not always on a user's PATH. */
const SEARCH_PATH = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** An installed program (Kamailio, promtool, Prometheus), by PATH and the sbin folders. */
export function findExecutable(name: string): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCH_PATH];
  for (const directory of directories) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
