// UDP loses datagrams, and a resolver's socket can receive what it did not ask for. The client
// sends each question again at growing intervals inside its budget, takes an answer to any copy,
// and ignores everything that is not the answer to its question from the server it asked. Lost
// and forged datagrams are played by the lab server, by hand-driven peers, and by a lossy proxy
// in front of dnsmasq; every behaviour is repeated, since loss is what makes verdicts flap.
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UDP_TRIES, jitteredSendTimes, queryDns, udpSendTimes } from '../../../src/gather/dns/client.js';
import { startDnsServer, type DnsMisbehaviour, type RunningDnsServer } from '../../../src/lab/dns-server.js';
import { loadZoneFile } from '../../../src/lab/zone.js';
import { describeOutcome, tcpRetryRefused } from '../../../src/model/dns.js';
import type { DnsQueryObservation, DnsQueryType } from '../../../src/model/observations.js';
import { dnsmasqBinary, startDnsmasq, type RunningDnsmasq } from '../../helpers/dnsmasq.js';
import { runFedcheck } from '../../helpers/fedcheck.js';
import { respond, startRawPeer } from './raw-server.js';

const zonesDir = fileURLToPath(new URL('../../../fixtures/zones/', import.meta.url));
const LOCAL = '127.0.0.1';
const ROUNDS = 5;

/** The questions of one federation lookup in the test zone, and the answer each must get. */
const QUESTIONS: { name: string; type: DnsQueryType; data: unknown }[] = [
  { name: '_sipfederationtls._tcp.example.test', type: 'SRV', data: { priority: 10, weight: 50, port: 5061, target: 'sip.example.test' } },
  { name: 'sip.example.test', type: 'A', data: '127.0.0.2' },
  { name: 'sip.example.test', type: 'AAAA', data: '::1' },
];

function ask(server: { host: string; port: number }, name: string, type: DnsQueryType, timeoutMs = 2000): Promise<DnsQueryObservation> {
  return queryDns({ name, type, resolver: { host: server.host, port: server.port }, timeoutMs });
}

/** Every question of QUESTIONS, ROUNDS times, all at once: each on a socket of its own. */
function askRepeatedly(server: { host: string; port: number }): Promise<DnsQueryObservation[]> {
  const rounds = Array.from({ length: ROUNDS }, () => QUESTIONS);
  return Promise.all(rounds.flat().map((question) => ask(server, question.name, question.type)));
}

function expectAnswered(results: DnsQueryObservation[]): void {
  results.forEach((result, index) => {
    const question = QUESTIONS[index % QUESTIONS.length]!;
    expect(result.error, `${question.name} ${question.type}`).toBeUndefined();
    expect(result.rcode).toBe('NOERROR');
    expect(result.answers.map((record) => record.data)).toEqual([question.data]);
  });
}

describe('udpSendTimes', () => {
  it('sends three copies with doubling waits, the last wait ending with the budget', () => {
    expect(UDP_TRIES).toBe(3);
    expect(udpSendTimes(2000)).toEqual([0, 286, 857]);
    expect(udpSendTimes(700)).toEqual([0, 100, 300]);
    const [first, second, third] = udpSendTimes(7000);
    expect([second! - first!, third! - second!, 7000 - third!]).toEqual([1000, 2000, 4000]);
  });

  it('moves each copy by up to a quarter of its time, keeping the copies in order inside the budget', () => {
    const times = udpSendTimes(2000);
    expect(jitteredSendTimes(times, () => 0)).toEqual([0, 215, 643]);
    expect(jitteredSendTimes(times, () => 0.5)).toEqual(times);
    const latest = jitteredSendTimes(times, () => 0.999_999);
    expect(latest).toEqual([0, 357, 1071]);
    expect(latest[1]!).toBeLessThan(jitteredSendTimes(times, () => 0)[2]!);
  });

  it('copes with a budget of nothing', () => {
    expect(udpSendTimes(0)).toEqual([0, 0, 0]);
    expect(udpSendTimes(-5)).toEqual([0, 0, 0]);
  });
});

describe('against the lab server misbehaving', () => {
  const servers: RunningDnsServer[] = [];
  const start = async (behaviour: DnsMisbehaviour, name = '*'): Promise<RunningDnsServer> => {
    const server = await startDnsServer({
      zones: [await loadZoneFile(`${zonesDir}test-example.zone`, { variables: { PORT: 5061 } })],
      misbehave: [{ name, behaviour }],
    });
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it(`answers every question whose first datagram is lost, from a later copy (${ROUNDS} rounds)`, async () => {
    const server = await start('drop-first');
    const results = await askRepeatedly(server);
    expectAnswered(results);
    // The first copy of each was certainly lost; a slow machine may have sent the third as well.
    expect(results.every((result) => (result.udpTries ?? 0) >= 2)).toBe(true);
    expect(server.queries).toBeGreaterThanOrEqual(2 * results.length);
  });

  it(`ignores an NXDOMAIN with the wrong ID in front of every answer (${ROUNDS} rounds)`, async () => {
    const server = await start('wrong-id-first');
    expectAnswered(await askRepeatedly(server));
  });

  it(`tells a reset TCP retry after a truncated answer from a server that is not there (${ROUNDS} times)`, async () => {
    const server = await start('truncate-tcp-reset', 'sip.example.test');
    const results = await Promise.all(Array.from({ length: ROUNDS }, () => ask(server, 'sip.example.test', 'A')));
    for (const result of results) {
      expect(result).toMatchObject({ transport: 'tcp', retriedOverTcp: true, error: { class: 'connection-refused' } });
      expect(tcpRetryRefused(result)).toBe(true);
      expect(describeOutcome(result)).toContain(`${server.address} answered over UDP with the truncated flag (TC) set`);
    }
  });
});

describe('against hand-driven peers', () => {
  it('takes a late answer to the first copy, after the third went out', async () => {
    const copies: DecodedPacket[] = [];
    let answerFirst: (() => void) | undefined;
    const peer = await startRawPeer({
      udp: (query, send) => {
        copies.push(query);
        if (copies.length === 1) answerFirst = () => send(respond(query, [{ name: 'a.test', type: 'A', ttl: 5, data: '192.0.2.1' }]));
        if (copies.length === UDP_TRIES) answerFirst?.();
      },
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 700 });
      expect(result.error).toBeUndefined();
      expect(result.answers).toEqual([{ name: 'a.test', type: 'A', ttl: 5, data: '192.0.2.1' }]);
      expect(result.udpTries).toBe(UDP_TRIES);
      // The same question, the same ID: the copies are one question, not three.
      expect(new Set(copies.map((copy) => copy.id)).size).toBe(1);
      expect(copies.map((copy) => copy.questions)).toEqual(copies.map(() => copies[0]!.questions));
    } finally {
      await peer.close();
    }
  });

  it(`ignores a forged answer from another port, and waits for the server's (${ROUNDS} times)`, async () => {
    const server = dgram.createSocket('udp4');
    const forger = dgram.createSocket('udp4');
    let forgeriesSent = 0;
    server.on('message', (message, client) => {
      const query = dnsPacket.decode(message);
      const forged = respond(query, [{ name: 'a.test', type: 'A', ttl: 5, data: '203.0.113.66' }]);
      // The forgery leaves first and carries the right ID and question: only its source port is wrong.
      forger.send(forged, client.port, client.address, () => {
        forgeriesSent++;
        server.send(respond(query, [{ name: 'a.test', type: 'A', ttl: 5, data: '192.0.2.1' }]), client.port, client.address);
      });
    });
    await Promise.all([
      new Promise<void>((resolve) => server.bind(0, LOCAL, resolve)),
      new Promise<void>((resolve) => forger.bind(0, LOCAL, resolve)),
    ]);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: server.address().port }, timeoutMs: 2000 });
        expect(result.answers.map((record) => record.data)).toEqual(['192.0.2.1']);
      }
      expect(forgeriesSent).toBe(ROUNDS);
    } finally {
      server.close();
      forger.close();
    }
  });
});

interface LossyProxy {
  port: number;
  /** Datagrams swallowed so far: one per question. */
  readonly dropped: number;
  close(): void;
}

/**
 * A UDP relay in front of a DNS server that loses the first datagram of each question (known by
 * the client's address and port and the query bytes, ID included) and relays everything else.
 */
async function startLossyProxy(upstreamPort: number): Promise<LossyProxy> {
  const front = dgram.createSocket('udp4');
  const upstreams = new Map<string, dgram.Socket>();
  const seen = new Set<string>();
  let dropped = 0;
  front.on('message', (message, client) => {
    const clientKey = `${client.address}:${client.port}`;
    const questionKey = `${clientKey} ${message.toString('hex')}`;
    if (!seen.has(questionKey)) {
      seen.add(questionKey);
      dropped++;
      return;
    }
    let upstream = upstreams.get(clientKey);
    if (!upstream) {
      upstream = dgram.createSocket('udp4');
      upstream.on('message', (answer) => front.send(answer, client.port, client.address));
      upstreams.set(clientKey, upstream);
    }
    upstream.send(message, upstreamPort, LOCAL);
  });
  await new Promise<void>((resolve) => front.bind(0, LOCAL, resolve));
  return {
    port: front.address().port,
    get dropped() {
      return dropped;
    },
    close() {
      front.close();
      for (const upstream of upstreams.values()) upstream.close();
    },
  };
}

describe.skipIf(!dnsmasqBinary)('dnsmasq behind a proxy that loses the first datagram of each question', () => {
  let dnsmasq: RunningDnsmasq;
  let proxy: LossyProxy;

  beforeAll(async () => {
    dnsmasq = await startDnsmasq(
      dnsmasqBinary!,
      [
        '--srv-host=_sipfederationtls._tcp.example.test,sip.example.test,5061,10,50',
        '--host-record=sip.example.test,127.0.0.2,::1',
        '--srv-host=_sipfederationtls._tcp.ciscoexample.com,sip.ciscoexample.com,5061,10,10',
        '--host-record=sip.ciscoexample.com,127.0.0.1',
        '--local=/example.test/',
        '--local=/ciscoexample.com/',
      ],
      'sip.example.test',
    );
    proxy = await startLossyProxy(dnsmasq.port);
  }, 30_000);

  afterAll(() => {
    proxy?.close();
    dnsmasq?.stop();
  });

  it(`answers every question from a copy after the lost first one (${ROUNDS} rounds)`, async () => {
    const droppedBefore = proxy.dropped;
    const results = await askRepeatedly({ host: LOCAL, port: proxy.port });
    expectAnswered(results);
    expect(results.every((result) => (result.udpTries ?? 0) >= 2)).toBe(true);
    expect(proxy.dropped - droppedBefore).toBe(results.length);
  });

  it('gives the same DNS verdicts through the lossy proxy as without it', async () => {
    const args = ['ciscoexample.com', '--timeout', '6000', '--json'];
    const [direct, lossy] = await Promise.all([
      runFedcheck([...args, '--resolver', `${LOCAL}:${dnsmasq.port}`]),
      runFedcheck([...args, '--resolver', `${LOCAL}:${proxy.port}`]),
    ]);
    const dnsCodes = (run: typeof direct): string[] =>
      (run.json?.targets[0]?.findings ?? []).filter((finding) => finding.check.startsWith('srv-')).map((finding) => finding.code);
    expect(dnsCodes(direct)).toContain('srv-present.pass');
    expect(dnsCodes(direct)).toContain('srv-target-address.pass');
    expect(dnsCodes(lossy)).toEqual(dnsCodes(direct));
    const lossyQueries = lossy.json?.targets[0]?.observations.dns ?? [];
    expect(lossyQueries.length).toBeGreaterThanOrEqual(3);
    expect(lossyQueries.every((query) => query.error === undefined && (query.udpTries ?? 0) >= 2)).toBe(true);
  });
});
