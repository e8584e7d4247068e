// Hand-driven DNS peers for the client's edge cases: each test decides byte by byte what the
// "server" sends, which the well-behaved lab server cannot do.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';

export interface RawPeer {
  port: number;
  close(): Promise<void>;
}

export interface RawPeerHandlers {
  udp?: (query: DecodedPacket, send: (message: Buffer) => void) => void;
  /** When absent, nothing listens on TCP at the UDP port. */
  tcp?: (socket: net.Socket, query: DecodedPacket) => void;
}

/**
 * UDP and TCP on one port: the UDP port is the kernel's choice, and another test file may hold
 * that TCP port already, so a taken TCP port means starting over on a new one.
 */
export async function startRawPeer(handlers: RawPeerHandlers, host = '127.0.0.1'): Promise<RawPeer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRawPeerOnce(handlers, host);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}

async function startRawPeerOnce(handlers: RawPeerHandlers, host: string): Promise<RawPeer> {
  const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  udp.on('error', () => undefined);
  udp.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    handlers.udp?.(query, (reply) => udp.send(reply, remote.port, remote.address));
  });
  await new Promise<void>((resolve) => udp.bind(0, host, resolve));
  const port = udp.address().port;
  const sockets = new Set<net.Socket>();
  let tcp: net.Server | undefined;
  if (handlers.tcp) {
    const onTcp = handlers.tcp;
    tcp = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          onTcp(socket, dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
          buffered = Buffer.alloc(0);
        }
      });
    });
    const server = tcp;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    } catch (error) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      throw error;
    }
  }
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if (tcp) await new Promise<void>((resolve) => tcp!.close(() => resolve()));
    },
  };
}

/** A response to `query` with the given answers (and any header tweaks). */
export function respond(
  query: DecodedPacket,
  answers: Answer[],
  tweak: { id?: number; flags?: number; questionName?: string; questions?: boolean } = {},
): Buffer {
  const question = query.questions![0]!;
  return dnsPacket.encode({
    type: 'response',
    id: tweak.id ?? query.id,
    flags: tweak.flags ?? dnsPacket.AUTHORITATIVE_ANSWER,
    questions: tweak.questions === false ? [] : [{ ...question, name: tweak.questionName ?? question.name }],
    answers,
  });
}

export function frame(message: Buffer): Buffer {
  const framed = Buffer.alloc(2 + message.length);
  framed.writeUInt16BE(message.length, 0);
  message.copy(framed, 2);
  return framed;
}

/** A port nothing listens on: bound, then released. */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function ipv6LoopbackAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp6');
    socket.once('error', () => {
      try {
        socket.close();
      } catch {
        // Never bound: nothing to release.
      }
      resolve(false);
    });
    socket.bind(0, '::1', () => {
      socket.close();
      resolve(true);
    });
  });
}
