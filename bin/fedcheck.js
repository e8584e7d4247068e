#!/usr/bin/env node
// Thin launcher: the CLI lives in the bundle that `npm run build` (run by `npm ci`) writes.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/fedcheck.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('fedcheck: not built yet: run `npm run build` (or `npm ci`) first\n');
  process.exit(3);
}
await import(bundle.href);
