// dnsmasq on loopback, answering from its command line: a DNS server the project did not write.
// CI installs it (dnsmasq-base); where it is missing, dnsmasqBinary is undefined and the tests
// that need it skip, saying so.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { queryDns } from '../../src/gather/dns/client.js';
import { findExecutable } from './files.js';

export const dnsmasqBinary = findExecutable('dnsmasq');
if (!dnsmasqBinary) console.warn('dnsmasq is not installed (apt-get install dnsmasq-base): skipping the dnsmasq tests');

export interface RunningDnsmasq {
  port: number;
  stop(): void;
}

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * Starts dnsmasq on 127.0.0.1 with these options (--srv-host=…, --host-record=…, --local=/…/),
 * reading no system files, and resolves once `readyName` (an A record among them) answers.
 */
export async function startDnsmasq(binary: string, records: string[], readyName: string): Promise<RunningDnsmasq> {
  const port = await freeUdpPort();
  const child: ChildProcess = spawn(
    binary,
    ['--keep-in-foreground', '--no-daemon', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts', ...records],
    { stdio: 'ignore' },
  );
  // Ready when it answers: poll rather than guess how long a loaded machine takes to start it.
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = await queryDns({ name: readyName, type: 'A', resolver: { host: '127.0.0.1', port }, timeoutMs: 200 });
    if (probe.rcode === 'NOERROR') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, stop: () => child.kill() };
}
