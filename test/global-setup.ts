// The CLI and scenario tests run the built binary (bin/fedcheck.js loads dist/): build it from
// the sources first, so that `npx vitest run` alone never tests a stale bundle.
//
// Every temporary file of the run (the tests', the binary's, the servers') goes to one folder of
// its own: TMPDIR, set here before the test workers start, is inherited by them and by every
// process they spawn. Whatever is left in it at the end was not cleaned up by whoever made it:
// the run fails, naming it, and the folder is removed so the machine keeps nothing.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../scripts/build.mjs';

export default async function setup(): Promise<() => void> {
  await buildBundle();
  const folder = mkdtempSync(join(tmpdir(), 'fedcheck-suite-'));
  process.env.TMPDIR = folder;
  return () => {
    const left = readdirSync(folder);
    rmSync(folder, { recursive: true, force: true });
    if (left.length === 0) return;
    // vitest reports an error thrown here but still exits 0: the exit code is set as well.
    process.exitCode = 1;
    throw new Error(`the tests left ${left.length} entries in their temporary folder ${folder}: ${left.sort().join(', ')}`);
  };
}
