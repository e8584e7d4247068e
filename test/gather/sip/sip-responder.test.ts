// The lab's SIP responder (src/lab/sip-responder.ts), driven by a bare TLS client, so that what
// it echoes is checked independently of fedcheck's own OPTIONS probe.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki, type IssuedCertificate, type Pki } from '../../../src/lab/pki.js';
import { sipResponder, type SipResponderOptions } from '../../../src/lab/sip-responder.js';
import { startEndpoint, type RunningEndpoint } from '../../../src/lab/tls-endpoints.js';

const EXCHANGE_TIMEOUT_MS = 5_000;

const REQUEST = [
  'OPTIONS sip:example.com SIP/2.0',
  'Via: SIP/2.0/TLS 192.0.2.99:40123;rport;branch=z9hG4bKone',
  'v: SIP/2.0/TLS proxy.example.net;branch=z9hG4bKtwo',
  'Max-Forwards: 70',
  'f: <sip:fedcheck@fedcheck.invalid>;tag=abc',
  'To: <sip:example.com>',
  'i: call-1@fedcheck',
  'CSeq: 7 OPTIONS',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

let pki: Pki;
let leaf: IssuedCertificate;
const endpoints: RunningEndpoint[] = [];

beforeAll(async () => {
  pki = await createPki();
  leaf = pki.issueLeaf({ commonName: 'sip.example.com', sans: ['sip.example.com'] });
});

afterAll(async () => {
  await Promise.all(endpoints.map((endpoint) => endpoint.close()));
});

async function responder(options: SipResponderOptions = {}): Promise<RunningEndpoint> {
  const endpoint = await startEndpoint({ kind: 'tls', certPem: pki.chainPem(leaf), keyPem: leaf.keyPem, respond: sipResponder(options) });
  endpoints.push(endpoint);
  return endpoint;
}

interface Exchange {
  received: string;
  localPort: number;
  closedByPeer: boolean;
}

/** Sends the text, collects what comes back until `enough` says so, the peer closes, or the timeout. */
function exchange(
  endpoint: RunningEndpoint,
  text: string,
  enough: (received: string) => boolean,
  timeoutMs = EXCHANGE_TIMEOUT_MS,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: endpoint.address, port: endpoint.port, rejectUnauthorized: false });
    let received = '';
    let closedByPeer = false;
    const done = (): void => {
      clearTimeout(timer);
      const localPort = socket.localPort ?? 0;
      socket.destroy();
      resolve({ received, localPort, closedByPeer });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('error', reject);
    socket.on('secureConnect', () => socket.write(text));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (enough(received)) done();
    });
    socket.on('end', () => {
      closedByPeer = true;
      done();
    });
  });
}

const responses = (text: string): number => (text.match(/\r\n\r\n/g) ?? []).length;

describe.concurrent('sipResponder', () => {
  it('answers 200 OK, echoing the dialog headers and stamping the topmost Via', async () => {
    const { received, localPort } = await exchange(await responder(), REQUEST, (text) => responses(text) >= 1);
    const lines = received.split('\r\n');
    expect(lines[0]).toBe('SIP/2.0 200 OK');
    expect(lines).toContain(`Via: SIP/2.0/TLS 192.0.2.99:40123;rport=${localPort};branch=z9hG4bKone;received=127.0.0.1`);
    expect(lines).toContain('Via: SIP/2.0/TLS proxy.example.net;branch=z9hG4bKtwo');
    expect(lines.indexOf('Via: SIP/2.0/TLS proxy.example.net;branch=z9hG4bKtwo')).toBeGreaterThan(1);
    expect(lines).toContain('From: <sip:fedcheck@fedcheck.invalid>;tag=abc');
    expect(lines.find((line) => line.startsWith('To: '))).toMatch(/^To: <sip:example\.com>;tag=[0-9a-f]{12}$/);
    expect(lines).toContain('Call-ID: call-1@fedcheck');
    expect(lines).toContain('CSeq: 7 OPTIONS');
    expect(lines).toContain('Server: fedcheck-lab');
    expect(lines.find((line) => line.startsWith('Allow: '))).toContain('OPTIONS');
    expect(received.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });

  it('keeps a To tag the request already carries', async () => {
    const tagged = REQUEST.replace('To: <sip:example.com>', 'To: <sip:example.com>;tag=xyz');
    const { received } = await exchange(await responder(), tagged, (text) => responses(text) >= 1);
    expect(received).toContain('\r\nTo: <sip:example.com>;tag=xyz\r\n');
  });

  it('answers every request sent on the connection', async () => {
    const { received } = await exchange(await responder({ status: 404, server: 'Edge/2' }), REQUEST + REQUEST, (text) => responses(text) >= 2);
    expect(received.match(/SIP\/2\.0 404 Not Found\r\n/g)).toHaveLength(2);
    expect(received.match(/Server: Edge\/2\r\n/g)).toHaveLength(2);
  });

  it('sends 100 Trying before the final response when asked', async () => {
    const { received } = await exchange(await responder({ provisional: true, status: 486, reason: 'Busy Here' }), REQUEST, (text) => responses(text) >= 2);
    expect(received.indexOf('SIP/2.0 100 Trying\r\n')).toBe(0);
    expect(received).toContain('SIP/2.0 486 Busy Here\r\n');
  });

  it('stays silent when told to', async () => {
    const endpoint = await responder({ behaviour: 'silent' });
    const { received, closedByPeer } = await exchange(endpoint, REQUEST, () => false, 600);
    expect(received).toBe('');
    expect(closedByPeer).toBe(false);
  });

  it('answers with bytes that are not SIP when told to', async () => {
    const { received } = await exchange(await responder({ behaviour: 'garbage' }), REQUEST, (text) => text.length > 0);
    expect(received.charCodeAt(0)).toBe(0);
    expect(received.startsWith('SIP/')).toBe(false);
  });

  it('closes without answering when told to', async () => {
    const { received, closedByPeer } = await exchange(await responder({ behaviour: 'close' }), REQUEST, () => false);
    expect(received).toBe('');
    expect(closedByPeer).toBe(true);
  });
});
