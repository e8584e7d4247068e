// `fedcheck serve` as a real process: started with a config file, ready once it logs where it
// listens (port 0 lets the system choose), stopped with SIGTERM as a service manager does.
import { spawn } from 'node:child_process';
import { BIN } from './fedcheck.js';

export interface RunningServe {
  /** "http://127.0.0.1:port" */
  url: string;
  port: number;
  /** What the exporter wrote on standard error so far. */
  stderr(): string;
  /** SIGTERM, then the exit code once the process has drained and gone. */
  stop(): Promise<number | null>;
}

const LISTENING = /listening on http:\/\/([^/\s]+):(\d+)\//;

export function startServe(args: string[], startTimeoutMs = 30_000): Promise<RunningServe> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', kill);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`fedcheck serve did not listen within ${startTimeoutMs} ms:\n${stderr}`));
    }, startTimeoutMs);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const listening = LISTENING.exec(stderr);
      if (!listening) return;
      clearTimeout(timer);
      const port = Number(listening[2]);
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const code = await exited;
          process.off('exit', kill);
          return code;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      process.off('exit', kill);
      reject(new Error(`fedcheck serve exited ${code} before listening:\n${stderr}`));
    });
  });
}
