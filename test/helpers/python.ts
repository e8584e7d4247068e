// Tiny Python socket servers: peers that behave as real networks and middleboxes do, written
// without Node's socket layer (a listener that never accepts, a close with SO_LINGER 0). Where
// python3 is missing, pythonAvailable is false and the tests that need it skip, saying so.
import { spawn, spawnSync } from 'node:child_process';

export const pythonAvailable = spawnSync('python3', ['--version']).status === 0;
if (!pythonAvailable) console.warn('python3 not found: skipping the tests against Python socket servers');

export interface PythonServer {
  port: number;
  stop(): void;
}

/**
 * Runs `script`, which must print the port it listens on as its first line, and serve until its
 * stdin closes.
 */
export async function startPythonServer(script: string): Promise<PythonServer> {
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim().split('\n')[0])));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`python3 exited ${code} before printing its port`)));
  });
  return {
    port,
    stop: () => {
      child.stdin.end();
      child.kill();
    },
  };
}
