// A DNS stub client on dns-packet, so observations keep what Node's resolver hides: rcodes,
// flags, every TTL, the CNAMEs in front of an answer and the SOA behind a negative answer.
// One question per call: UDP first (sent again, as stub resolvers do, when no answer comes), TCP
// when the answer is truncated, all inside one timeout.
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet, RecordType } from 'dns-packet';
import { canonicalName } from '../../model/dns.js';
import type {
  DnsErrorClass,
  DnsFlags,
  DnsQueryObservation,
  DnsQueryType,
  ResolverAddress,
} from '../../model/observations.js';
import { toDnsRecord } from './records.js';
import { formatEndpoint } from '../../model/ip.js';
import { describeError, socketErrorKind } from '../socket-errors.js';

export interface DnsQueryRequest {
  /** Any case, with or without the trailing dot; recorded canonical. */
  name: string;
  type: DnsQueryType;
  resolver: ResolverAddress;
  /** Bounds the whole exchange, including a TCP retry. */
  timeoutMs: number;
  /** The run deadline: when it fires, the query resolves at once. */
  signal?: AbortSignal;
  /**
   * Default true: ask a resolver to resolve. False (RD=0) asks an authoritative server what it
   * holds itself, as a resolver iterating down the tree does.
   */
  recursionDesired?: boolean;
}

/** The UDP payload size we advertise: the DNS flag day 2020 recommendation, safe from fragmentation. */
export const EDNS_UDP_PAYLOAD_SIZE = 1232;

/** How many times one question goes out over UDP to one resolver (dig's default +tries=3). */
export const UDP_TRIES = 3;

/**
 * When each UDP copy of a question leaves, in ms after the first. The waits double, as glibc's
 * stub resolver and nslookup back off, but all of them fit in the question's own budget (dig
 * waits its full +timeout per try instead, which would take a run's whole --timeout on one dead
 * resolver): with 2000 ms the copies leave at 0, 286 and 857 ms (before jitteredSendTimes), and the
 * last has 1143 ms. The copies share the socket, the ID and the question, so an answer to any of
 * them counts, however late; only then does the caller move on to the next resolver.
 */
export function udpSendTimes(budgetMs: number, tries = UDP_TRIES): number[] {
  const unit = Math.max(0, budgetMs) / (2 ** tries - 1);
  return Array.from({ length: tries }, (_, index) => Math.round(unit * (2 ** index - 1)));
}

/**
 * Each retransmission moved by up to a quarter of its time either way (`random` in [0, 1)): a
 * batch starts a thousand questions in the same instant, and copies that all left on the same
 * tick would reach the server in one burst, overflowing its receive buffer as the first copies
 * did. A quarter keeps the copies in order and the last one well inside the budget.
 */
export function jitteredSendTimes(times: readonly number[], random: () => number = Math.random): number[] {
  return times.map((at) => Math.round(at * (0.75 + random() / 2)));
}

/** Resolves with what happened on the wire; never rejects. */
export async function queryDns(request: DnsQueryRequest): Promise<DnsQueryObservation> {
  const started = performance.now();
  const first = await exchange(request, true);
  // RFC 6891 §7: a server that does not know EDNS answers FORMERR without an OPT record; ask
  // again without it, within what is left of the same timeout.
  if (first.rcode !== 'FORMERR' || first.ednsInResponse) return first.observation;
  const remaining = request.timeoutMs - (performance.now() - started);
  if (remaining <= 0) return first.observation;
  const second = await exchange({ ...request, timeoutMs: remaining }, false);
  return { ...second.observation, durationMs: Math.round((performance.now() - started) * 10) / 10 };
}

interface ExchangeResult {
  observation: DnsQueryObservation;
  rcode?: string;
  /** Whether the response carried an OPT record (the server speaks EDNS). */
  ednsInResponse: boolean;
}

function exchange(request: DnsQueryRequest, edns: boolean): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    try {
      new DnsExchange(request, edns, resolve).start();
    } catch (error) {
      resolve({
        ednsInResponse: false,
        observation: {
          name: canonicalName(request.name),
          type: request.type,
          resolver: formatEndpoint(request.resolver.host, request.resolver.port),
          transport: 'udp',
          retriedOverTcp: false,
          udpTries: 0,
          answers: [],
          authorities: [],
          durationMs: 0,
          error: { class: 'other', message: `query could not be started: ${describeError(error)}` },
        },
      });
    }
  });
}

/** Why a name cannot be put in a query, or undefined when it can. */
export function invalidQueryName(name: string): string | undefined {
  if (name === '.') return undefined;
  if (Buffer.byteLength(name) > 253) return 'name longer than 253 bytes';
  for (const label of name.split('.')) {
    if (label.length === 0) return 'empty label';
    if (Buffer.byteLength(label) > 63) return `label "${label.slice(0, 20)}…" longer than 63 bytes`;
  }
  return undefined;
}

class DnsExchange {
  private readonly name: string;
  private readonly resolverText: string;
  private readonly started = performance.now();
  private readonly id = randomInt(0, 0x10000);
  private readonly query: Buffer;
  private udpSocket: dgram.Socket | undefined;
  private tcpSocket: net.Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly retransmissions: NodeJS.Timeout[] = [];
  private udpTries = 0;
  private finished = false;
  private transport: 'udp' | 'tcp' = 'udp';
  private undecodableSeen: string | undefined;
  private ednsInResponse = false;
  private readonly onAbort = (): void => {
    if (this.udpTries === 0) {
      this.fail('aborted', 'the run deadline expired before the query was sent');
      return;
    }
    // Not the resolver's doing: the run's --timeout ended the wait (udpTries > 0 says it was sent).
    const elapsed = Math.round(performance.now() - this.started);
    const where = this.transport === 'tcp' ? ' (during the TCP retry after a truncated UDP answer)' : '';
    this.fail('aborted', `the run deadline ended the wait ${elapsed} ms after the query was sent${where}`);
  };

  constructor(
    private readonly request: DnsQueryRequest,
    edns: boolean,
    private readonly resolve: (result: ExchangeResult) => void,
  ) {
    this.name = canonicalName(request.name);
    this.resolverText = formatEndpoint(request.resolver.host, request.resolver.port);
    const packet: Packet = {
      type: 'query',
      id: this.id,
      flags: request.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
      questions: [{ type: request.type as RecordType, name: this.name, class: 'IN' }],
      ...(edns
        ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_PAYLOAD_SIZE, flags: 0, options: [] } as never] }
        : {}),
    };
    this.query = invalidQueryName(this.name) === undefined ? dnsPacket.encode(packet) : Buffer.alloc(0);
  }

  start(): void {
    const { host, port } = this.request.resolver;
    if (this.request.signal?.aborted) {
      this.fail('aborted', 'the run deadline expired before the query was sent');
      return;
    }
    const nameProblem = invalidQueryName(this.name);
    if (nameProblem) {
      this.fail('other', `cannot ask for "${this.request.name}": ${nameProblem}`);
      return;
    }
    const family = net.isIP(host);
    if (family === 0) {
      this.fail('other', `resolver host "${host}" is not an IP address`);
      return;
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      this.fail('other', `resolver port ${port} is not a valid port`);
      return;
    }
    this.request.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.timer = setTimeout(() => this.failTimeout(), Math.max(0, this.request.timeoutMs));

    try {
      this.sendOverUdp(family === 6 ? 'udp6' : 'udp4');
    } catch (error) {
      this.fail('other', `query could not be sent: ${describeError(error)}`);
    }
  }

  private sendOverUdp(socketType: 'udp4' | 'udp6'): void {
    const { host, port } = this.request.resolver;
    const socket = dgram.createSocket({ type: socketType });
    this.udpSocket = socket;
    socket.on('error', (error) => this.failSocket(error));
    socket.on('message', (message) => this.onUdpMessage(message));
    // A connected socket is what makes the kernel report ICMP port unreachable as ECONNREFUSED,
    // and it drops datagrams from any other address or port: a spoofed answer never reaches us.
    socket.connect(port, host, (error?: Error) => {
      if (this.finished) return;
      if (error) {
        this.failSocket(error);
        return;
      }
      const [, ...later] = jitteredSendTimes(udpSendTimes(this.request.timeoutMs));
      this.sendUdpCopy(socket);
      for (const at of later) this.retransmissions.push(setTimeout(() => this.sendUdpCopy(socket), at));
    });
  }

  /** One more copy of the same datagram on the same socket, unless an answer already came. */
  private sendUdpCopy(socket: dgram.Socket): void {
    if (this.finished || this.transport !== 'udp' || this.udpSocket !== socket) return;
    this.udpTries++;
    socket.send(this.query, (sendError) => {
      if (sendError) this.failSocket(sendError);
    });
  }

  private stopRetransmitting(): void {
    for (const timer of this.retransmissions) clearTimeout(timer);
    this.retransmissions.length = 0;
  }

  private onUdpMessage(message: Buffer): void {
    if (this.finished || this.transport !== 'udp') return;
    const response = this.matchResponse(message);
    if (!response) return;
    if (response.flag_tc) {
      this.retryOverTcp();
      return;
    }
    this.succeed(response);
  }

  private retryOverTcp(): void {
    this.transport = 'tcp';
    this.stopRetransmitting();
    this.closeUdp();
    // The truncated UDP answer said nothing usable, so garbage seen before it is no longer news.
    this.undecodableSeen = undefined;
    const { host, port } = this.request.resolver;
    const socket = net.connect({ host, port });
    this.tcpSocket = socket;
    socket.setNoDelay(true);
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('connect', () => {
      const frame = Buffer.alloc(2 + this.query.length);
      frame.writeUInt16BE(this.query.length, 0);
      this.query.copy(frame, 2);
      socket.write(frame);
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.finished) return;
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (!this.finished && buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        const response = this.matchResponse(message);
        if (response) this.succeed(response);
      }
    });
    socket.on('error', (error) => this.failSocket(error));
    socket.on('close', () => {
      if (this.finished) return;
      if (buffered.length > 0) {
        const received = Math.max(0, buffered.length - 2);
        const expected = buffered.length >= 2 ? `${buffered.readUInt16BE(0)}` : 'an unknown number of';
        this.fail(
          'malformed',
          `the server closed the TCP connection in the middle of a message (${received} of ${expected} bytes)`,
        );
      } else if (this.undecodableSeen) {
        this.fail('malformed', this.undecodableSeen);
      } else {
        this.fail('other', 'the server closed the TCP connection without answering');
      }
    });
  }

  /** The response to our question, or undefined for anything else (noted when undecodable). */
  private matchResponse(message: Buffer): DecodedPacket | undefined {
    let response: DecodedPacket;
    try {
      response = dnsPacket.decode(message);
    } catch (error) {
      this.undecodableSeen = `the response is not a valid DNS message (${message.length} bytes: ${describeError(error)})`;
      return undefined;
    }
    if (!response.flag_qr || response.id !== this.id) return undefined;
    const questions = response.questions ?? [];
    if (questions.length === 0) {
      // Error responses (FORMERR, NOTIMP, …) may legitimately carry no question section.
      return rcodeOf(response) === 'NOERROR' ? undefined : response;
    }
    const question = questions[0];
    if (
      questions.length !== 1 ||
      !question ||
      canonicalName(String(question.name)) !== this.name ||
      String(question.type).toUpperCase() !== this.request.type
    ) {
      return undefined;
    }
    return response;
  }

  private succeed(response: DecodedPacket): void {
    const answers = (response.answers ?? []).filter((record) => record.type !== 'OPT').map(toDnsRecord);
    const authorities = (response.authorities ?? []).filter((record) => record.type !== 'OPT').map(toDnsRecord);
    this.ednsInResponse = (response.additionals ?? []).some((record) => record.type === 'OPT');
    this.finish({
      rcode: rcodeOf(response),
      flags: flagsOf(response),
      answers,
      authorities,
    });
  }

  private failTimeout(): void {
    if (this.undecodableSeen) {
      this.fail('malformed', this.undecodableSeen);
      return;
    }
    const where =
      this.transport === 'tcp'
        ? ' (TCP retry after a truncated UDP answer)'
        : ` (${this.udpTries} ${this.udpTries === 1 ? 'query' : 'queries'} sent)`;
    this.fail('timeout', `no response within ${this.request.timeoutMs} ms${where}`);
  }

  private failSocket(error: unknown): void {
    const errorClass = classifySocketError(error);
    const prefix = this.transport === 'tcp' ? 'TCP: ' : '';
    this.fail(errorClass, `${prefix}${describeError(error)}`);
  }

  private fail(errorClass: DnsErrorClass, message: string): void {
    this.finish({ answers: [], authorities: [], error: { class: errorClass, message } });
  }

  private finish(
    outcome: Pick<DnsQueryObservation, 'answers' | 'authorities'> &
      Partial<Pick<DnsQueryObservation, 'rcode' | 'flags' | 'error'>>,
  ): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.stopRetransmitting();
    this.request.signal?.removeEventListener('abort', this.onAbort);
    this.closeUdp();
    if (this.tcpSocket) {
      this.tcpSocket.destroy();
      this.tcpSocket = undefined;
    }
    const observation: DnsQueryObservation = {
      name: this.name,
      type: this.request.type,
      resolver: this.resolverText,
      transport: this.transport,
      retriedOverTcp: this.transport === 'tcp',
      udpTries: this.udpTries,
      ...(outcome.rcode !== undefined ? { rcode: outcome.rcode } : {}),
      ...(outcome.flags !== undefined ? { flags: outcome.flags } : {}),
      answers: outcome.answers,
      authorities: outcome.authorities,
      durationMs: Math.round((performance.now() - this.started) * 10) / 10,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    };
    this.resolve({ observation, ...(outcome.rcode !== undefined ? { rcode: outcome.rcode } : {}), ednsInResponse: this.ednsInResponse });
  }

  private closeUdp(): void {
    const socket = this.udpSocket;
    if (!socket) return;
    this.udpSocket = undefined;
    try {
      socket.close();
    } catch {
      // Already closed by an earlier error: nothing left to release.
    }
  }
}

function rcodeOf(response: DecodedPacket): string {
  const base = (response as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR';
  const opt = (response.additionals ?? []).find((record) => record.type === 'OPT') as
    | { extendedRcode?: number }
    | undefined;
  const extended = opt?.extendedRcode ?? 0;
  if (extended === 0) return base;
  // EDNS extends the 4-bit header rcode with 8 more bits (RFC 6891 §6.1.3).
  const full = (extended << 4) | ((response.flags ?? 0) & 0xf);
  return full === 16 ? 'BADVERS' : `RCODE_${full}`;
}

/**
 * The header flags, as one of 64 objects shared by every exchange with the same flags: a batch of
 * thousands of domains keeps tens of thousands of exchanges until the report is written.
 */
const sharedFlags = new Map<number, DnsFlags>();

function flagsOf(response: DecodedPacket): DnsFlags {
  const flags = [response.flag_aa, response.flag_tc, response.flag_rd, response.flag_ra, response.flag_ad, response.flag_cd];
  const bits = flags.reduce((sum, set, index) => (set ? sum | (1 << index) : sum), 0);
  let shared = sharedFlags.get(bits);
  if (shared === undefined) {
    const [authoritative, truncated, recursionDesired, recursionAvailable, authenticData, checkingDisabled] = flags.map(Boolean) as [
      boolean, boolean, boolean, boolean, boolean, boolean,
    ];
    shared = { authoritative, truncated, recursionDesired, recursionAvailable, authenticData, checkingDisabled };
    sharedFlags.set(bits, shared);
  }
  return shared;
}

export function classifySocketError(error: unknown): DnsErrorClass {
  switch (socketErrorKind(error)) {
    case 'refused':
    case 'reset': // a TCP RST, and how Windows reports ICMP port unreachable on UDP
      return 'connection-refused';
    case 'unreachable':
      return 'unreachable';
    case 'timeout':
      return 'timeout';
    default:
      return 'other';
  }
}
