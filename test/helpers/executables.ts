// Finds the servers the tests run that the project did not write (Kamailio, BIND): on PATH, or
// in the sbin folders Debian installs daemons to, which a non-login PATH often lacks.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SEARCH_PATH = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

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
