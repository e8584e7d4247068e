// Files shipped beside the code (fixtures/, schema/), found the same way from the sources
// (src/…), the bundle (dist/fedcheck.js) and its chunks (dist/chunks/…).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function packageRoot(): string {
  if (root) return root;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'schema'))) return (root = folder);
    folder = dirname(folder);
  }
  throw new Error('the fedcheck installation is incomplete: package.json and schema/ were not found above the code');
}

export function packageFile(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
