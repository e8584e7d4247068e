// A peer whose SYNs vanish (a firewall that drops instead of rejecting) must end as a connect
// timeout within the probe's bound. On loopback the kernel drops SYNs for a listener whose accept
// queue is full; Node always accepts, so a tiny Python listener that never calls accept() plays it.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTls } from '../../../src/gather/tls/probe.js';
import { pythonAvailable, startPythonServer, type PythonServer } from '../../helpers/python.js';

const LISTENER = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
s.listen(0)
print(s.getsockname()[1], flush=True)
sys.stdin.read()
`;

/** Connects until the kernel stops completing handshakes for the listener: its queue is full. */
async function fillAcceptQueue(port: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    sockets.push(socket);
    if (!connected) break;
  }
  return sockets;
}

describe.skipIf(!pythonAvailable)('a peer that drops packets', () => {
  let listener: PythonServer;
  let port: number;
  let fillers: net.Socket[] = [];

  beforeAll(async () => {
    listener = await startPythonServer(LISTENER);
    port = listener.port;
    fillers = await fillAcceptQueue(port);
  });

  afterAll(() => {
    for (const socket of fillers) socket.destroy();
    listener?.stop();
  });

  it('is a connect timeout ended by the probe\'s own bound, with no handshake and no legacy verdicts', async () => {
    const observation = await probeTls({
      host: 'sip.ciscoexample.com',
      address: '127.0.0.1',
      port,
      purpose: 'federation',
      timeoutMs: 1500,
      trustAnchors: [],
      probeLegacy: true,
    });
    // The kernel retries a dropped SYN for minutes: this message is the probe's own timer.
    expect(observation.connect).toMatchObject({ outcome: 'timeout', error: 'no TCP connection within 1500 ms' });
    expect(observation.handshake).toBeUndefined();
    expect(observation.legacyProtocols.every((probe) => probe.result !== 'accepted')).toBe(true);
  });
});
