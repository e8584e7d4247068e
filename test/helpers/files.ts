import { accessSync, constants, mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

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
