// Run by drain.test.ts as its own process (bundled by esbuild): an exporter whose one probe waits
// for "release" on standard input, so the test can send SIGTERM while it is in flight. It reports
// on standard output: "listening <port>", "probe started", the exporter's log lines, "drained".
import { createExporter, serveUntilSignalled } from '../../src/serve/server.js';
import { passingResult } from './fake-probe.js';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const releases: (() => void)[] = [];
const exporter = createExporter({
  probe: ({ target }) =>
    new Promise((resolve) => {
      releases.push(() => resolve(passingResult(target)));
      say('probe started');
    }),
  modules: new Map([['default', { timeoutMs: 60_000 }]]),
  defaultModule: 'default',
  targets: new Set(['ciscoexample.com']),
  log: say,
});
const { port } = await exporter.listen(0, '127.0.0.1');
process.stdin.setEncoding('utf8').on('data', (chunk: string) => {
  if (chunk.includes('release')) for (const release of releases.splice(0)) release();
});
say(`listening ${port}`);
await serveUntilSignalled(exporter, say);
say('drained');
process.stdin.destroy();
