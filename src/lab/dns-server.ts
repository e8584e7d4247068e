// An authoritative DNS server on loopback for tests and `fedcheck demo`: serves parsed zone
// files over UDP and TCP on one port, and can misbehave on request the ways real servers and
// networks do (error rcodes, silence, forced truncation, bytes that are not DNS, a lost datagram,
// an answer with the wrong ID, a closed TCP port behind a truncated answer).
import { randomBytes, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet, Question } from 'dns-packet';
import { MAX_CNAME_HOPS, canonicalName } from '../model/dns.js';
import type { Zone, ZoneRecord } from './zone.js';
import { formatEndpoint } from '../model/ip.js';

export type DnsMisbehaviour =
  | 'servfail'
  | 'refused'
  | 'silence'
  | 'truncate'
  | 'garbage'
  | 'formerr'
  | 'nxdomain'
  /** The first UDP datagram of each question is lost; its retransmissions are answered. */
  | 'drop-first'
  /** Every answer is preceded by an NXDOMAIN with the wrong ID, which a client must ignore. */
  | 'wrong-id-first'
  /** UDP answers are truncated and the TCP retry is reset: a server whose TCP port 53 is filtered. */
  | 'truncate-tcp-reset'
  /** The zone's data without the AA bit: a resolver or cache answering in an authoritative server's place. */
  | 'no-aa';

export interface DnsMisbehaviourRule {
  /** A query name (any case, trailing dot optional), or "*" for every query. */
  name: string;
  /** Only queries of this type; every type when absent. */
  type?: string;
  behaviour: DnsMisbehaviour;
}

export interface DnsServerOptions {
  zones: Zone[];
  /** Default 127.0.0.1; "::1" works too. */
  host?: string;
  /** Default 0: an ephemeral port, the same for UDP and TCP. */
  port?: number;
  /** The first rule matching a query decides. */
  misbehave?: DnsMisbehaviourRule[];
  /** Artificial latency before every answer. */
  delayMs?: number;
}

export interface RunningDnsServer {
  host: string;
  port: number;
  /** "host:port" as observations spell resolvers ("[::1]:53" for IPv6). */
  address: string;
  /** DNS queries received so far (UDP and TCP; undecodable packets are not counted). */
  readonly queries: number;
  /** Resolves once `count` queries have been received in all: what tests wait on instead of a clock. */
  whenQueries(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Without EDNS a UDP answer is at most 512 bytes (RFC 1035 §4.2.1). */
const CLASSIC_UDP_LIMIT = 512;
const BIND_ATTEMPTS = 5;

const RCODES: Record<string, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};

const MISBEHAVIOUR_RCODES: Partial<Record<DnsMisbehaviour, string>> = {
  servfail: 'SERVFAIL',
  refused: 'REFUSED',
  formerr: 'FORMERR',
  nxdomain: 'NXDOMAIN',
};

export async function startDnsServer(options: DnsServerOptions): Promise<RunningDnsServer> {
  const authority = new Authority(options.zones);
  const host = options.host ?? '127.0.0.1';
  const family = net.isIP(host);
  if (family === 0) throw new Error(`DNS server host "${host}" is not an IP address`);
  const server = new LabDnsServer(authority, options);
  await server.listen(host, family === 6 ? 'udp6' : 'udp4', options.port ?? 0);
  return server.handle(host);
}

interface ZoneIndex {
  origin: string;
  soa?: ZoneRecord;
  /** Records by owner name, then by type. */
  names: Map<string, Map<string, ZoneRecord[]>>;
  /** Every owner name and every name between an owner and the apex (empty non-terminals). */
  existing: Set<string>;
}

interface Resolution {
  rcode: string;
  authoritative: boolean;
  answers: ZoneRecord[];
  authorities: ZoneRecord[];
}

/** The loaded zones, indexed so a lookup costs a few Map reads however many zones there are. */
class Authority {
  private readonly zones = new Map<string, ZoneIndex>();

  constructor(zones: Zone[]) {
    for (const zone of zones) {
      const origin = canonicalName(zone.origin);
      if (this.zones.has(origin)) throw new Error(`two zones have the origin "${origin}"`);
      const index: ZoneIndex = { origin, names: new Map(), existing: new Set([origin]) };
      for (const record of zone.records) {
        const name = canonicalName(record.name);
        const type = record.type.toUpperCase();
        const normalised: ZoneRecord = { ...record, name, type };
        if (type === 'SOA' && name === origin) index.soa = normalised;
        let byType = index.names.get(name);
        if (!byType) {
          byType = new Map();
          index.names.set(name, byType);
        }
        const rrset = byType.get(type);
        if (rrset) rrset.push(normalised);
        else byType.set(type, [normalised]);
        for (let ancestor = name; ancestor !== origin && ancestor !== '.'; ancestor = parentName(ancestor)) {
          index.existing.add(ancestor);
        }
      }
      this.zones.set(origin, index);
    }
  }

  /** The closest enclosing loaded zone. */
  zoneFor(name: string): ZoneIndex | undefined {
    for (let candidate = name; ; candidate = parentName(candidate)) {
      const zone = this.zones.get(candidate);
      if (zone) return zone;
      if (candidate === '.') return undefined;
    }
  }

  resolve(queryName: string, queryType: string): Resolution {
    let zone = this.zoneFor(queryName);
    if (!zone) return { rcode: 'REFUSED', authoritative: false, answers: [], authorities: [] };
    const answers: ZoneRecord[] = [];
    const visited = new Set<string>();
    let name = queryName;
    for (;;) {
      visited.add(name);
      const byType = zone.names.get(name);
      if (!byType) {
        const rcode = zone.existing.has(name) ? 'NOERROR' : 'NXDOMAIN';
        return { rcode, authoritative: true, answers, authorities: negativeAuthority(zone) };
      }
      if (queryType === 'ANY') {
        for (const rrset of byType.values()) answers.push(...rrset);
        return { rcode: 'NOERROR', authoritative: true, answers, authorities: [] };
      }
      const direct = byType.get(queryType);
      if (direct) {
        answers.push(...direct);
        return { rcode: 'NOERROR', authoritative: true, answers, authorities: [] };
      }
      const cname = byType.get('CNAME')?.[0];
      if (!cname) return { rcode: 'NOERROR', authoritative: true, answers, authorities: negativeAuthority(zone) };
      answers.push(cname);
      const target = canonicalName(String(cname.data));
      const targetZone = this.zoneFor(target);
      const hops = answers.filter((record) => record.type === 'CNAME').length;
      // Outside our zones, looping, or too long: the CNAMEs so far are the whole answer.
      if (!targetZone || visited.has(target) || hops >= MAX_CNAME_HOPS) {
        return { rcode: 'NOERROR', authoritative: true, answers, authorities: [] };
      }
      zone = targetZone;
      name = target;
    }
  }
}

function negativeAuthority(zone: ZoneIndex): ZoneRecord[] {
  if (!zone.soa) return [];
  const minimum = (zone.soa.data as { minimum?: number }).minimum ?? zone.soa.ttl;
  // RFC 2308 §3: the negative-caching TTL is the lesser of the SOA's TTL and its minimum field.
  return [{ ...zone.soa, ttl: Math.min(zone.soa.ttl, minimum) }];
}

function parentName(name: string): string {
  const dot = name.indexOf('.');
  return dot === -1 ? '.' : name.slice(dot + 1);
}

/** `decoy`, when set, goes out just before `message`. 'reset' ends a TCP connection with an RST. */
type Reply = { kind: 'answer'; message: Buffer; decoy?: Buffer } | { kind: 'silence' } | { kind: 'ignore' } | { kind: 'reset' };

class LabDnsServer {
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  private port = 0;
  private queries = 0;
  private queryWaiters: { count: number; resolve: () => void }[] = [];
  private closing: Promise<void> | undefined;
  private readonly connections = new Set<net.Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Questions whose first datagram 'drop-first' already swallowed, by client socket, ID and question. */
  private readonly dropped = new Set<string>();
  private readonly misbehaviour: { name: string; type?: string; behaviour: DnsMisbehaviour }[];

  constructor(
    private readonly authority: Authority,
    private readonly options: DnsServerOptions,
  ) {
    this.misbehaviour = (options.misbehave ?? []).map((rule) => ({
      name: rule.name === '*' ? '*' : canonicalName(rule.name),
      behaviour: rule.behaviour,
      ...(rule.type !== undefined ? { type: rule.type.toUpperCase() } : {}),
    }));
  }

  async listen(host: string, udpType: 'udp4' | 'udp6', requestedPort: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const udp = dgram.createSocket({ type: udpType });
      udp.on('message', (message, remote) => this.onDatagram(message, remote));
      try {
        await new Promise<void>((resolve, reject) => {
          udp.once('error', reject);
          udp.bind({ port: requestedPort, address: host, exclusive: true }, () => {
            udp.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        udp.close();
        throw error;
      }
      // ICMP errors about answers to vanished clients must not take the server down.
      udp.on('error', () => undefined);
      const port = udp.address().port;
      const tcp = net.createServer((socket) => this.onConnection(socket));
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen({ port, host, exclusive: true }, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        udp.close();
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (inUse && requestedPort === 0 && attempt < BIND_ATTEMPTS) continue;
        throw error;
      }
      tcp.on('error', () => undefined);
      this.udp = udp;
      this.tcp = tcp;
      this.port = port;
      return;
    }
  }

  handle(host: string): RunningDnsServer {
    const server = this;
    return {
      host,
      port: this.port,
      address: formatEndpoint(host, this.port),
      get queries() {
        return server.queries;
      },
      whenQueries: (count) => this.whenQueries(count),
      close: () => this.close(),
    };
  }

  private whenQueries(count: number): Promise<void> {
    if (this.queries >= count) return Promise.resolve();
    return new Promise((resolve) => this.queryWaiters.push({ count, resolve }));
  }

  private close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      for (const socket of this.connections) socket.destroy();
      this.connections.clear();
      const udp = this.udp;
      this.udp = undefined;
      let pending = 2;
      const done = (): void => {
        pending--;
        if (pending === 0) resolve();
      };
      if (udp) udp.close(done);
      else done();
      if (this.tcp) this.tcp.close(() => done());
      else done();
    });
    return this.closing;
  }

  private get closed(): boolean {
    return this.closing !== undefined;
  }

  private later(action: () => void): void {
    const delay = this.options.delayMs ?? 0;
    if (delay <= 0) {
      action();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) action();
    }, delay);
    this.timers.add(timer);
  }

  private onDatagram(message: Buffer, remote: dgram.RemoteInfo): void {
    if (this.closed) return;
    const reply = this.reply(message, 'udp', formatEndpoint(remote.address, remote.port));
    if (reply.kind !== 'answer') return;
    this.later(() => {
      if (reply.decoy) this.udp?.send(reply.decoy, remote.port, remote.address, () => undefined);
      this.udp?.send(reply.message, remote.port, remote.address, () => undefined);
    });
  }

  private onConnection(socket: net.Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.connections.delete(socket));
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        const reply = this.reply(message, 'tcp');
        if (reply.kind === 'reset') {
          socket.resetAndDestroy();
          return;
        }
        if (reply.kind !== 'answer') continue;
        this.later(() => {
          if (socket.destroyed || !socket.writable) return;
          if (reply.decoy) socket.write(lengthPrefixed(reply.decoy));
          socket.write(lengthPrefixed(reply.message));
        });
      }
    });
  }

  /**
   * What to send back for one message; nothing for messages that are not queries. `client` is
   * the UDP sender's "address:port" (a question is known by its socket, ID and name).
   */
  private reply(message: Buffer, transport: 'udp' | 'tcp', client = ''): Reply {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return { kind: 'ignore' };
    }
    if (query.flag_qr) return { kind: 'ignore' };
    this.queries++;
    const waiting = this.queryWaiters;
    this.queryWaiters = waiting.filter((waiter) => waiter.count > this.queries);
    for (const waiter of waiting) if (waiter.count <= this.queries) waiter.resolve();
    try {
      return this.answer(query, transport, client);
    } catch {
      // A query shaped so that our answer cannot be encoded: say so rather than stay silent.
      return { kind: 'answer', message: encodeResponse(query, 'SERVFAIL', false, [], [], undefined) };
    }
  }

  private answer(query: DecodedPacket, transport: 'udp' | 'tcp', client: string): Reply {
    const questions = query.questions ?? [];
    const opt = (query.additionals ?? []).find((record) => record.type === 'OPT') as
      | { udpPayloadSize?: number }
      | undefined;
    const opcode = (query as DecodedPacket & { opcode?: string }).opcode;
    if (opcode !== undefined && opcode !== 'QUERY') {
      return { kind: 'answer', message: encodeResponse(query, 'NOTIMP', false, [], [], opt) };
    }
    const question = questions[0];
    if (questions.length !== 1 || !question) {
      return { kind: 'answer', message: encodeResponse(query, 'FORMERR', false, [], [], opt) };
    }
    const name = canonicalName(String(question.name));
    const type = String(question.type).toUpperCase();

    const behaviour = this.misbehaviourFor(name, type);
    if (behaviour === 'silence') return { kind: 'silence' };
    if (behaviour === 'drop-first' && transport === 'udp') {
      const key = `${client} ${query.id ?? 0} ${name} ${type}`;
      if (!this.dropped.has(key)) {
        this.dropped.add(key);
        return { kind: 'silence' };
      }
    }
    if (behaviour === 'truncate-tcp-reset' && transport === 'tcp') return { kind: 'reset' };
    if (behaviour === 'garbage') return { kind: 'answer', message: garbage() };
    const forcedRcode = behaviour ? MISBEHAVIOUR_RCODES[behaviour] : undefined;
    if (forcedRcode) {
      return { kind: 'answer', message: encodeResponse(query, forcedRcode, true, [], [], opt) };
    }

    if (question.class !== undefined && question.class !== 'IN') {
      return { kind: 'answer', message: encodeResponse(query, 'REFUSED', false, [], [], opt) };
    }
    const resolution = this.authority.resolve(name, type);
    if (behaviour === 'no-aa') resolution.authoritative = false;
    const full = encodeResponse(
      query,
      resolution.rcode,
      resolution.authoritative,
      resolution.answers,
      resolution.authorities,
      opt,
    );
    // Same question, wrong ID, and a verdict that would change the findings if it were taken.
    const decoy =
      behaviour === 'wrong-id-first'
        ? encodeResponse({ ...query, id: ((query.id ?? 0) + 1) % 0x10000 }, 'NXDOMAIN', true, [], [], opt)
        : undefined;
    const withDecoy = (message: Buffer): Reply => ({ kind: 'answer', message, ...(decoy ? { decoy } : {}) });
    if (transport === 'tcp') return withDecoy(full);
    const limit = Math.max(CLASSIC_UDP_LIMIT, opt?.udpPayloadSize ?? CLASSIC_UDP_LIMIT);
    const forceTruncation = behaviour === 'truncate' || behaviour === 'truncate-tcp-reset';
    if (full.length <= limit && !forceTruncation) return withDecoy(full);
    return withDecoy(encodeResponse(query, resolution.rcode, resolution.authoritative, [], [], opt, true));
  }

  private misbehaviourFor(name: string, type: string): DnsMisbehaviour | undefined {
    return this.misbehaviour.find(
      (rule) => (rule.name === '*' || rule.name === name) && (rule.type === undefined || rule.type === type),
    )?.behaviour;
  }
}

function encodeResponse(
  query: DecodedPacket,
  rcode: string,
  authoritative: boolean,
  answers: ZoneRecord[],
  authorities: ZoneRecord[],
  opt: { udpPayloadSize?: number } | undefined,
  truncated = false,
): Buffer {
  const flags =
    (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
    (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) |
    (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) |
    (RCODES[rcode] ?? RCODES.SERVFAIL!);
  const packet: Packet = {
    type: 'response',
    id: query.id ?? 0,
    flags,
    questions: (query.questions ?? []).map((question): Question => ({ ...question })),
    answers: answers.map(toAnswer),
    authorities: authorities.map(toAnswer),
    additionals: opt ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as never] : [],
  };
  return dnsPacket.encode(packet);
}

function lengthPrefixed(message: Buffer): Buffer {
  const frame = Buffer.alloc(2 + message.length);
  frame.writeUInt16BE(message.length, 0);
  message.copy(frame, 2);
  return frame;
}

function toAnswer(record: ZoneRecord): Answer {
  // dns-packet's TXT encoder replaces strings with Buffers in the array it is given.
  const data = Array.isArray(record.data) ? [...(record.data as unknown[])] : record.data;
  return { name: record.name, type: record.type, ttl: record.ttl, class: 'IN', data } as Answer;
}

/** Bytes that are certainly not a DNS message. */
function garbage(): Buffer {
  for (let attempt = 0; attempt < 20; attempt++) {
    const bytes = randomBytes(randomInt(16, 97));
    try {
      dnsPacket.decode(bytes);
    } catch {
      return bytes;
    }
  }
  // Shorter than the 12-byte header: no decoder can read it.
  return randomBytes(7);
}
