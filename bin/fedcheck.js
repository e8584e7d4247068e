#!/usr/bin/env node
// Thin launcher: the CLI lives in the bundle that `npm run build` (run by `npm ci`) writes.
import { existsSync } from 'node:fs';
import module from 'node:module';

const bundle = new URL('../dist/fedcheck.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('fedcheck: not built yet: run `npm run build` (or `npm ci`) first\n');
  process.exit(3);
}
// Node 22.1 and later keep the bundle's compiled code on disk between runs (about a tenth of a
// check's start-up is compiling it); Node 20 has no such cache and skips this.
module.enableCompileCache?.();
await import(bundle.href);
