// Hostile peers whose verdict used to depend on timing or on chance, probed again and again: each
// probe must classify the peer the same way. Each behaviour is played by the lab and by a Python
// socket server (another socket layer, another process, so other timings).
import { afterAll, describe, expect, it } from 'vitest';
import { check as tlsConnect } from '../../../src/checks/tls-connect.js';
import { check as tlsHandshake } from '../../../src/checks/tls-handshake.js';
import { RESET_DURING_HANDSHAKE } from '../../../src/gather/tls/classify.js';
import { probeTls } from '../../../src/gather/tls/probe.js';
import { startEndpoint, type EndpointBehaviour, type RunningEndpoint } from '../../../src/lab/tls-endpoints.js';
import type { TlsProbeObservation } from '../../../src/model/observations.js';
import { judgeOne } from '../../helpers/builders/index.js';
import { pythonAvailable, startPythonServer, type PythonServer } from '../../helpers/python.js';

const REPEATS = 20;

/**
 * Accepts and closes with SO_LINGER 0: the kernel completed the TCP handshake before accept(), so
 * the client sees a connection, then an RST, as from a load balancer with no healthy backend.
 */
const RESET_ON_ACCEPT = `
import socket, struct, sys, threading
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
def serve():
    while True:
        c, _ = s.accept()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
threading.Thread(target=serve, daemon=True).start()
sys.stdin.read()
`;

/**
 * Random bytes that begin with a TLS content type (20-23) but no TLS record version: the one
 * random peer in 64 that used to pass for a TLS server whose record OpenSSL rejects
 * (ERR_SSL_WRONG_VERSION_NUMBER, outcome 'error'), here on every connection.
 */
const GARBAGE_WITH_A_RECORD_TYPE = `
import os, socket, sys, threading
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
def garbage(first):
    body = bytearray(os.urandom(255))
    body[0] |= 0x80
    return bytes([first]) + bytes(body)
def talk(c, n):
    try:
        c.sendall(garbage(20 + n % 4))
        while c.recv(4096):
            c.sendall(garbage(20 + n % 4))
    except OSError:
        pass
    finally:
        c.close()
def serve():
    n = 0
    while True:
        c, _ = s.accept()
        threading.Thread(target=talk, args=(c, n), daemon=True).start()
        n += 1
threading.Thread(target=serve, daemon=True).start()
sys.stdin.read()
`;

const labPeers: RunningEndpoint[] = [];
const pythonPeers: PythonServer[] = [];

async function labPeer(behaviour: EndpointBehaviour): Promise<{ port: number }> {
  const endpoint = await startEndpoint(behaviour);
  labPeers.push(endpoint);
  return endpoint;
}

async function pythonPeer(script: string): Promise<{ port: number }> {
  const server = await startPythonServer(script);
  pythonPeers.push(server);
  return server;
}

afterAll(async () => {
  for (const server of pythonPeers) server.stop();
  await Promise.all(labPeers.map((endpoint) => endpoint.close()));
});

/** The probe, REPEATS times in turn, as the main and the TLS 1.0/1.1 connections of a real run. */
async function probeRepeatedly(port: number): Promise<TlsProbeObservation[]> {
  const observations: TlsProbeObservation[] = [];
  for (let run = 0; run < REPEATS; run++) {
    observations.push(
      await probeTls({ host: 'sip.ciscoexample.com', address: '127.0.0.1', port, purpose: 'federation', timeoutMs: 4000, trustAnchors: [], probeLegacy: true }),
    );
  }
  return observations;
}

/** What must not change from run to run: the outcomes and the words that describe them. */
function verdict(observation: TlsProbeObservation): string {
  const legacy = observation.legacyProtocols.map((probe) => `${probe.protocol} ${probe.result}: ${probe.detail ?? ''}`);
  const handshakeFinding = judgeOne(tlsHandshake, observation);
  const connectFinding = judgeOne(tlsConnect, observation);
  return [observation.connect.outcome, observation.handshake?.outcome, observation.handshake?.error, ...legacy, connectFinding.code, handshakeFinding.code].join(' | ');
}

describe('a peer that accepts TCP and resets at once', () => {
  const expectStableReset = (observations: TlsProbeObservation[]): void => {
    const verdicts = new Set(observations.map(verdict));
    expect([...verdicts]).toEqual([
      `connected | reset | ${RESET_DURING_HANDSHAKE} | TLSv1 refused: the server reset the connection | ` +
        'TLSv1.1 refused: the server reset the connection | tls-connect.pass | tls-handshake.reset',
    ]);
  };

  it(`is a reset after a connection, ${REPEATS} times out of ${REPEATS}, from the lab`, async () => {
    const { port } = await labPeer({ kind: 'reset-on-accept' });
    expectStableReset(await probeRepeatedly(port));
  });

  it.skipIf(!pythonAvailable)(`is a reset after a connection, ${REPEATS} times out of ${REPEATS}, from a Python socket closed with SO_LINGER 0`, async () => {
    const { port } = await pythonPeer(RESET_ON_ACCEPT);
    expectStableReset(await probeRepeatedly(port));
  });
});

describe('a peer that answers a ClientHello with random bytes', () => {
  const expectStablePlaintext = (observations: TlsProbeObservation[]): void => {
    const verdicts = new Set(observations.map(verdict));
    expect([...verdicts]).toEqual([
      'connected | plaintext | the server answered with something that is not TLS | ' +
        'TLSv1 error: the server answered with something that is not TLS | ' +
        'TLSv1.1 error: the server answered with something that is not TLS | tls-connect.pass | tls-handshake.plaintext',
    ]);
  };

  it(`is not TLS, ${REPEATS} times out of ${REPEATS}, from the lab`, async () => {
    const { port } = await labPeer({ kind: 'garbage' });
    expectStablePlaintext(await probeRepeatedly(port));
  });

  it.skipIf(!pythonAvailable)(`is not TLS, ${REPEATS} times out of ${REPEATS}, when its first byte is a TLS content type`, async () => {
    const { port } = await pythonPeer(GARBAGE_WITH_A_RECORD_TYPE);
    expectStablePlaintext(await probeRepeatedly(port));
  });
});
