import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet } from 'dns-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryDns } from '../../src/gather/dns/client.js';
import { startDnsServer, type DnsServerOptions, type RunningDnsServer } from '../../src/lab/dns-server.js';
import { parseZone, type Zone } from '../../src/lab/zone.js';
import type { DnsQueryType } from '../../src/model/observations.js';

const EXAMPLE = parseZone(
  `
$ORIGIN example.test.
$TTL 3600
@        SOA ns1 hostmaster 1 3600 600 86400 120
         NS  ns1
ns1      A   127.0.0.1
sip      A   127.0.0.2
deep.sub A   127.0.0.3
alias    CNAME sip
to-other CNAME host.other.test.
dangling CNAME missing
c1 CNAME c2
c2 CNAME c3
c3 CNAME c4
c4 CNAME c5
c5 CNAME c6
c6 CNAME c7
c7 CNAME c8
c8 CNAME c9
c9 CNAME c10
c10 CNAME c11
c11 A 127.0.0.11
`,
);

const OTHER = parseZone('$TTL 60\n@ SOA ns.other.test. h.other.test. 1 1 1 1 30\nhost AAAA 2001:db8::1', {
  origin: 'other.test',
});

/** 30 A records: about 800 bytes, above the classic 512-byte UDP limit but within EDNS's 1232. */
const MEDIUM: Zone = {
  origin: 'medium.test',
  records: Array.from({ length: 30 }, (_, i) => ({ name: 'm.medium.test', type: 'A', ttl: 5, data: `10.0.0.${i}` })),
};

const servers: RunningDnsServer[] = [];

async function start(options: Partial<DnsServerOptions> = {}): Promise<RunningDnsServer> {
  const server = await startDnsServer({ zones: [EXAMPLE, OTHER, MEDIUM], ...options });
  servers.push(server);
  return server;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function ask(server: RunningDnsServer, name: string, type: DnsQueryType, timeoutMs = 2000) {
  return queryDns({ name, type, resolver: { host: server.host, port: server.port }, timeoutMs });
}

function encodeQuery(name: string, type: string, extra: Partial<Packet> = {}): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as never, class: 'IN' }],
    ...extra,
  });
}

const withEdns: Partial<Packet> = {
  additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as never],
};

/** One datagram out, the first datagram back (undefined when none arrives in time). */
async function udpExchange(server: RunningDnsServer, message: Buffer, waitMs = 2000): Promise<Buffer | undefined> {
  const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
  try {
    return await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      socket.on('error', () => undefined);
      socket.on('message', (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.send(message, server.port, server.host);
    });
  } finally {
    socket.close();
  }
}

/** One UDP socket for several datagrams, keeping every reply: for misbehaviours that answer twice or not at all. */
async function udpClient(server: RunningDnsServer): Promise<{ send: (message: Buffer) => Promise<void>; replies: Buffer[]; close: () => void }> {
  const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
  const replies: Buffer[] = [];
  socket.on('message', (reply) => replies.push(reply));
  await new Promise<void>((resolve) => socket.bind(0, server.host, resolve));
  return {
    send: (message) => new Promise((resolve) => socket.send(message, server.port, server.host, () => resolve())),
    replies,
    close: () => socket.close(),
  };
}

/** Writes raw bytes on one TCP connection and collects whole framed replies. */
async function tcpExchange(
  server: RunningDnsServer,
  bytes: Buffer,
  expected: number,
  waitMs = 2000,
): Promise<{ replies: Buffer[]; socket: net.Socket }> {
  const socket = net.connect(server.port, server.host);
  socket.on('error', () => undefined);
  const replies: Buffer[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    let buffered = Buffer.alloc(0);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        replies.push(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
        buffered = buffered.subarray(2 + buffered.readUInt16BE(0));
      }
      if (replies.length >= expected) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { replies, socket };
}

function framed(message: Buffer): Buffer {
  const frame = Buffer.alloc(2 + message.length);
  frame.writeUInt16BE(message.length, 0);
  message.copy(frame, 2);
  return frame;
}

function decode(message: Buffer | undefined): DecodedPacket & { rcode?: string } {
  if (!message) throw new Error('no reply');
  return dnsPacket.decode(message) as DecodedPacket & { rcode?: string };
}

describe('authoritative answers', () => {
  let server: RunningDnsServer;
  beforeAll(async () => {
    server = await startDnsServer({ zones: [EXAMPLE, OTHER, MEDIUM] });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reports where it listens', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
  });

  it('answers with AA set and echoes the question as asked', async () => {
    const reply = decode(await udpExchange(server, encodeQuery('SIP.example.TEST', 'A')));
    expect(reply.id).toBe(4242);
    expect(reply.flag_aa).toBe(true);
    expect(reply.flag_rd).toBe(true);
    expect(reply.questions).toEqual([{ name: 'SIP.example.TEST', type: 'A', class: 'IN' }]);
    expect(reply.answers?.map((record) => ('data' in record ? record.data : undefined))).toEqual(['127.0.0.2']);
  });

  it('answers an empty non-terminal with NODATA, not NXDOMAIN', async () => {
    const result = await ask(server, 'sub.example.test', 'A');
    expect(result.rcode).toBe('NOERROR');
    expect(result.answers).toEqual([]);
    expect(result.authorities).toMatchObject([{ type: 'SOA', name: 'example.test', ttl: 120 }]);
  });

  it('returns only the CNAME when the CNAME itself is asked for', async () => {
    const result = await ask(server, 'alias.example.test', 'CNAME');
    expect(result.answers).toEqual([{ name: 'alias.example.test', type: 'CNAME', ttl: 3600, data: 'sip.example.test' }]);
  });

  it('chases a CNAME into another loaded zone', async () => {
    const result = await ask(server, 'to-other.example.test', 'AAAA');
    expect(result.answers.map((record) => `${record.type} ${String(record.data)}`)).toEqual([
      'CNAME host.other.test',
      'AAAA 2001:db8::1',
    ]);
  });

  it('answers NXDOMAIN with the chain when a CNAME points at a missing name, SOA from the final zone', async () => {
    const result = await ask(server, 'dangling.example.test', 'A');
    expect(result.rcode).toBe('NXDOMAIN');
    expect(result.answers).toMatchObject([{ type: 'CNAME', data: 'missing.example.test' }]);
    expect(result.authorities).toMatchObject([{ type: 'SOA', name: 'example.test' }]);
    const crossZone = await ask(server, 'to-other.example.test', 'A');
    expect(crossZone.rcode).toBe('NOERROR');
    expect(crossZone.authorities).toMatchObject([{ type: 'SOA', name: 'other.test', ttl: 30 }]);
  });

  it('stops chasing after 8 CNAME hops', async () => {
    const result = await ask(server, 'c1.example.test', 'A');
    expect(result.rcode).toBe('NOERROR');
    expect(result.answers).toHaveLength(8);
    expect(result.answers.every((record) => record.type === 'CNAME')).toBe(true);
    const shorter = await ask(server, 'c4.example.test', 'A');
    expect(shorter.answers.at(-1)).toMatchObject({ type: 'A', data: '127.0.0.11' });
  });

  it('answers ANY with every record at the name', async () => {
    const reply = decode(await udpExchange(server, encodeQuery('example.test', 'ANY', withEdns)));
    expect(reply.answers?.map((record) => record.type).sort()).toEqual(['NS', 'SOA']);
  });

  it('refuses names outside its zones without AA', async () => {
    const reply = decode(await udpExchange(server, encodeQuery('example.org', 'A')));
    expect(reply.rcode).toBe('REFUSED');
    expect(reply.flag_aa).toBe(false);
  });

  it('refuses classes other than IN', async () => {
    const query = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'sip.example.test', type: 'A', class: 'CH' }] });
    expect(decode(await udpExchange(server, query)).rcode).toBe('REFUSED');
  });

  it('answers NOTIMP to other opcodes and FORMERR to several questions', async () => {
    const status = encodeQuery('sip.example.test', 'A', { flags: 2 << 11 });
    expect(decode(await udpExchange(server, status)).rcode).toBe('NOTIMP');
    const two = dnsPacket.encode({
      type: 'query',
      id: 2,
      questions: [
        { name: 'sip.example.test', type: 'A' },
        { name: 'ns1.example.test', type: 'A' },
      ],
    });
    expect(decode(await udpExchange(server, two)).rcode).toBe('FORMERR');
  });

  it('truncates UDP answers over 512 bytes without EDNS, and over the EDNS size with it', async () => {
    const classic = decode(await udpExchange(server, encodeQuery('m.medium.test', 'A')));
    expect(classic.flag_tc).toBe(true);
    expect(classic.answers).toEqual([]);
    const edns = decode(await udpExchange(server, encodeQuery('m.medium.test', 'A', withEdns)));
    expect(edns.flag_tc).toBe(false);
    expect(edns.answers).toHaveLength(30);
    expect(edns.additionals?.[0]).toMatchObject({ type: 'OPT', udpPayloadSize: 1232 });
  });

  it('serves full answers over TCP, several queries on one connection', async () => {
    const bytes = Buffer.concat([framed(encodeQuery('m.medium.test', 'A')), framed(encodeQuery('sip.example.test', 'A'))]);
    const { replies, socket } = await tcpExchange(server, bytes, 2);
    socket.destroy();
    expect(replies).toHaveLength(2);
    expect(decode(replies[0]).answers).toHaveLength(30);
    expect(decode(replies[1]).answers).toHaveLength(1);
  });

  it('ignores garbage and responses, keeps serving, and counts only queries', async () => {
    const before = server.queries;
    expect(await udpExchange(server, Buffer.from('definitely not dns'), 200)).toBeUndefined();
    const response = dnsPacket.encode({ type: 'response', id: 9, questions: [{ name: 'sip.example.test', type: 'A' }] });
    expect(await udpExchange(server, response, 200)).toBeUndefined();
    const garbageTcp = await tcpExchange(server, Buffer.concat([framed(Buffer.from([1, 2, 3])), framed(encodeQuery('sip.example.test', 'A'))]), 1);
    garbageTcp.socket.destroy();
    expect(garbageTcp.replies).toHaveLength(1);
    expect((await ask(server, 'sip.example.test', 'A')).rcode).toBe('NOERROR');
    expect(server.queries - before).toBe(2);
  });

  it('tells a waiting test when a number of queries has arrived', async () => {
    const before = server.queries;
    await server.whenQueries(before);
    let arrived = false;
    const second = server.whenQueries(before + 2).then(() => (arrived = true));
    await ask(server, 'sip.example.test', 'A');
    expect(arrived).toBe(false);
    await ask(server, 'sip.example.test', 'AAAA');
    await second;
    expect(server.queries).toBe(before + 2);
  });

  it('survives clients that disconnect in the middle of a TCP message', async () => {
    const before = server.queries;
    for (let i = 0; i < 5; i++) {
      const socket = net.connect(server.port, server.host);
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      socket.write(framed(encodeQuery('m.medium.test', 'A')).subarray(0, 9));
      socket.destroy();
    }
    const socket = net.connect(server.port, server.host);
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      socket.write(framed(encodeQuery('m.medium.test', 'A')));
      socket.destroy();
    });
    // The one whole query (sent by a client already gone) is read before the next question.
    await server.whenQueries(before + 1);
    expect((await ask(server, 'm.medium.test', 'A')).answers).toHaveLength(30);
    expect(server.queries).toBe(before + 2);
  });
});

describe('misbehaviour', () => {
  it('answers the chosen rcode for one name and type only', async () => {
    const server = await start({
      misbehave: [
        { name: 'SIP.example.test.', type: 'aaaa', behaviour: 'servfail' },
        { name: 'ns1.example.test', behaviour: 'refused' },
        { name: 'alias.example.test', behaviour: 'formerr' },
        { name: 'sip.example.test', type: 'TXT', behaviour: 'nxdomain' },
      ],
    });
    expect((await ask(server, 'sip.example.test', 'AAAA')).rcode).toBe('SERVFAIL');
    expect((await ask(server, 'sip.example.test', 'A')).rcode).toBe('NOERROR');
    expect((await ask(server, 'sip.example.test', 'TXT')).rcode).toBe('NXDOMAIN');
    expect((await ask(server, 'ns1.example.test', 'A')).rcode).toBe('REFUSED');
    expect((await ask(server, 'alias.example.test', 'A')).rcode).toBe('FORMERR');
  });

  it('applies a "*" rule to every query', async () => {
    const server = await start({ misbehave: [{ name: '*', behaviour: 'servfail' }] });
    expect((await ask(server, 'sip.example.test', 'A')).rcode).toBe('SERVFAIL');
    expect((await ask(server, 'nothing.other.test', 'SRV')).rcode).toBe('SERVFAIL');
  });

  it('answers from the zone without the AA bit, as a resolver standing in for the server would', async () => {
    const server = await start({ misbehave: [{ name: '*', behaviour: 'no-aa' }] });
    const answer = await ask(server, 'sip.example.test', 'A');
    expect(answer).toMatchObject({ rcode: 'NOERROR', flags: { authoritative: false } });
    expect(answer.answers.map((record) => record.data)).toEqual(['127.0.0.2']);
    expect(await ask(server, 'missing.example.test', 'A')).toMatchObject({ rcode: 'NXDOMAIN', flags: { authoritative: false } });
  });

  it('answers an alias with the CNAME alone, as BIND does for an alias into another of its zones', async () => {
    const server = await start({ misbehave: [{ name: 'to-other.example.test', behaviour: 'cname-only' }] });
    const answer = await ask(server, 'to-other.example.test', 'AAAA');
    expect(answer).toMatchObject({ rcode: 'NOERROR', flags: { authoritative: true } });
    expect(answer.answers.map((record) => `${record.type} ${String(record.data)}`)).toEqual(['CNAME host.other.test']);
    expect((await ask(server, 'host.other.test', 'AAAA')).answers.map((record) => record.data)).toEqual(['2001:db8::1']);
  });

  it('stays silent on UDP and on TCP', async () => {
    const server = await start({ misbehave: [{ name: 'sip.example.test', behaviour: 'silence' }] });
    expect(await udpExchange(server, encodeQuery('sip.example.test', 'A'), 300)).toBeUndefined();
    const { replies, socket } = await tcpExchange(server, framed(encodeQuery('sip.example.test', 'A')), 1, 300);
    expect(replies).toEqual([]);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
    expect(server.queries).toBe(2);
  });

  it('sends bytes that are not DNS, over UDP and TCP', async () => {
    const server = await start({ misbehave: [{ name: 'sip.example.test', behaviour: 'garbage' }] });
    const udpReply = await udpExchange(server, encodeQuery('sip.example.test', 'A'));
    expect(udpReply).toBeInstanceOf(Buffer);
    expect(() => dnsPacket.decode(udpReply!)).toThrow();
    const { replies, socket } = await tcpExchange(server, framed(encodeQuery('sip.example.test', 'A')), 1);
    socket.destroy();
    expect(replies).toHaveLength(1);
    expect(() => dnsPacket.decode(replies[0]!)).toThrow();
  });

  it('forces truncation on UDP while TCP answers in full', async () => {
    const server = await start({ misbehave: [{ name: 'sip.example.test', behaviour: 'truncate' }] });
    const udp = decode(await udpExchange(server, encodeQuery('sip.example.test', 'A', withEdns)));
    expect(udp.flag_tc).toBe(true);
    expect(udp.answers).toEqual([]);
    const { replies, socket } = await tcpExchange(server, framed(encodeQuery('sip.example.test', 'A')), 1);
    socket.destroy();
    expect(decode(replies[0]).flag_tc).toBe(false);
    expect(decode(replies[0]).answers).toHaveLength(1);
  });

  it('loses the first UDP datagram of each question, answers its copies and TCP', async () => {
    const server = await start({ misbehave: [{ name: '*', behaviour: 'drop-first' }] });
    const { send, replies, close } = await udpClient(server);
    try {
      // The first copy is lost; once the second is answered, a third copy is answered too.
      await send(encodeQuery('sip.example.test', 'A'));
      await server.whenQueries(1);
      await send(encodeQuery('sip.example.test', 'A'));
      await send(encodeQuery('sip.example.test', 'A'));
      // Another ID from the same socket is another question: its first copy is lost as well.
      await send(encodeQuery('sip.example.test', 'A', { id: 7 }));
      await send(encodeQuery('sip.example.test', 'A', { id: 7 }));
      await vi.waitFor(() => expect(replies).toHaveLength(3));
      expect(replies.map((reply) => decode(reply).id)).toEqual([4242, 4242, 7]);
    } finally {
      close();
    }
    const { replies: tcpReplies, socket: tcp } = await tcpExchange(server, framed(encodeQuery('sip.example.test', 'A')), 1);
    tcp.destroy();
    expect(tcpReplies).toHaveLength(1);
  });

  it('sends an NXDOMAIN with the wrong ID before every answer, over UDP and TCP', async () => {
    const server = await start({ misbehave: [{ name: '*', behaviour: 'wrong-id-first' }] });
    const { send, replies, close } = await udpClient(server);
    try {
      await send(encodeQuery('sip.example.test', 'A'));
      await vi.waitFor(() => expect(replies).toHaveLength(2));
    } finally {
      close();
    }
    const { replies: tcpReplies, socket: tcp } = await tcpExchange(server, framed(encodeQuery('sip.example.test', 'A')), 2);
    tcp.destroy();
    for (const [decoy, answer] of [replies, tcpReplies]) {
      expect(decode(decoy)).toMatchObject({ id: 4243, rcode: 'NXDOMAIN', answers: [] });
      expect(decode(answer)).toMatchObject({ id: 4242, rcode: 'NOERROR' });
      expect(decode(answer).answers).toHaveLength(1);
    }
  });

  it('truncates on UDP and resets the TCP connection that asks', async () => {
    const server = await start({ misbehave: [{ name: 'sip.example.test', behaviour: 'truncate-tcp-reset' }] });
    expect(decode(await udpExchange(server, encodeQuery('sip.example.test', 'A'))).flag_tc).toBe(true);
    const errors: string[] = [];
    const socket = net.connect(server.port, server.host);
    socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    socket.on('connect', () => socket.write(framed(encodeQuery('sip.example.test', 'A'))));
    await new Promise((resolve) => socket.on('close', resolve));
    expect(errors).toEqual(['ECONNRESET']);
  });

  it('delays every answer by delayMs', async () => {
    const server = await start({ delayMs: 200 });
    const started = performance.now();
    const result = await ask(server, 'sip.example.test', 'A');
    expect(result.rcode).toBe('NOERROR');
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });
});

describe('lifecycle', () => {
  it('loads 500 zones and answers from each', async () => {
    const zones = Array.from({ length: 500 }, (_, i) =>
      parseZone('$TTL 60\n@ SOA ns1 hostmaster 1 1 1 1 1\n_sipfederationtls._tcp SRV 0 0 {{PORT}} sip\nsip A 127.0.0.1', {
        origin: `domain${i}.test`,
        variables: { PORT: 10_000 + i },
      }),
    );
    const server = await start({ zones });
    const sample = Array.from({ length: 50 }, (_, k) => k * 10 + (k % 10));
    const results = await Promise.all(sample.map((i) => ask(server, `_sipfederationtls._tcp.domain${i}.test`, 'SRV')));
    results.forEach((result, k) => {
      expect(result.answers).toEqual([
        {
          name: `_sipfederationtls._tcp.domain${sample[k]}.test`,
          type: 'SRV',
          ttl: 60,
          data: { priority: 0, weight: 0, port: 10_000 + sample[k]!, target: `sip.domain${sample[k]}.test` },
        },
      ]);
    });
    expect((await ask(server, 'nothing.domain499.test', 'A')).rcode).toBe('NXDOMAIN');
    expect((await ask(server, 'domain500.test', 'A')).rcode).toBe('REFUSED');
  });

  it('closes open TCP connections and stops answering', async () => {
    const server = await start();
    const socket = net.connect(server.port, server.host);
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await server.close();
    await closed;
    await server.close();
    const after = await ask(server, 'sip.example.test', 'A', 500);
    expect(after.error).toBeDefined();
  });

  it('retries on a new port when TCP cannot have the UDP port', async () => {
    const listen = net.Server.prototype.listen;
    let failures = 1;
    const spy = vi.spyOn(net.Server.prototype, 'listen').mockImplementation(function (this: net.Server, ...args: unknown[]) {
      if (failures-- > 0) {
        process.nextTick(() => this.emit('error', Object.assign(new Error('address in use'), { code: 'EADDRINUSE' })));
        return this;
      }
      return (listen as (...a: unknown[]) => net.Server).apply(this, args);
    });
    let server: RunningDnsServer;
    try {
      server = await start();
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    const { replies, socket } = await tcpExchange(server, framed(encodeQuery('sip.example.test', 'A')), 1);
    socket.destroy();
    expect(replies).toHaveLength(1);
  });

  it('fails, releasing the UDP port, when a fixed port is taken on TCP', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startDnsServer({ zones: [EXAMPLE], port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const probe = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.bind(port, '127.0.0.1', () => resolve());
      });
      probe.close();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('rejects two zones with one origin and a host that is not an IP address', async () => {
    await expect(startDnsServer({ zones: [EXAMPLE, EXAMPLE] })).rejects.toThrow(/two zones have the origin "example.test"/);
    await expect(startDnsServer({ zones: [EXAMPLE], host: 'localhost' })).rejects.toThrow(/not an IP address/);
  });
});
