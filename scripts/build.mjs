// Bundles the CLI into dist/ so start-up reads a few files instead of resolving hundreds of
// modules in node_modules. Code splitting keeps the lab, gathering and renderers out of the
// start-up path: `fedcheck --version` loads only the entry chunk. `node scripts/build.mjs` builds;
// the test suite's global setup (test/global-setup.ts) imports buildBundle().
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildBundle() {
  await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { fedcheck: 'src/cli/main.ts', lab: 'src/lab/serve.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    // See src/cli/string-width.ts: the same measure without ~35 ms of start-up.
    alias: { 'string-width': './src/cli/string-width.ts' },
    // Bundled CommonJS dependencies (node-forge, dns-packet) call require() for Node built-ins.
    banner: { js: "import { createRequire as __fedcheckCreateRequire } from 'node:module'; const require = __fedcheckCreateRequire(import.meta.url);" },
  });
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) await buildBundle();
