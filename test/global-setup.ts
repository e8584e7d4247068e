// The CLI and scenario tests run the built binary (bin/fedcheck.js loads dist/): build it from
// the sources first, so that `npx vitest run` alone never tests a stale bundle.
import { buildBundle } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await buildBundle();
}
