import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { classifySocketError, queryDns } from '../../../src/gather/dns/client.js';
import { dnsOutcome, finalRecords, unresolvedCnameTarget } from '../../../src/model/dns.js';
import type { DnsQueryObservation } from '../../../src/model/observations.js';
import { startDnsServer, type RunningDnsServer } from '../../../src/lab/dns-server.js';
import { loadZoneFile, type Zone } from '../../../src/lab/zone.js';
import { freeUdpPort, frame, ipv6LoopbackAvailable, respond, startRawPeer } from './raw-server.js';

const zonesDir = fileURLToPath(new URL('../../../fixtures/zones/', import.meta.url));
const LOCAL = '127.0.0.1';

/** 100 A records at one name: about 3 KB, more than any UDP answer may carry. */
const bigZone: Zone = {
  origin: 'big.test',
  records: Array.from({ length: 100 }, (_, i) => ({
    name: 'many.big.test',
    type: 'A',
    ttl: 60,
    data: `127.0.1.${i + 1}`,
  })),
};

let server: RunningDnsServer;

beforeAll(async () => {
  server = await startDnsServer({
    zones: [
      await loadZoneFile(`${zonesDir}test-example.zone`, { variables: { PORT: 5061 } }),
      await loadZoneFile(`${zonesDir}test-reverse.zone`),
      bigZone,
    ],
    misbehave: [
      { name: 'servfail.example.test', behaviour: 'servfail' },
      { name: 'silent.example.test', behaviour: 'silence' },
      { name: 'garbage.example.test', behaviour: 'garbage' },
      { name: 'sip.example.test', type: 'TXT', behaviour: 'truncate' },
      { name: 'formerr.example.test', behaviour: 'formerr' },
    ],
  });
});

afterAll(async () => {
  await server?.close();
});

function ask(name: string, type: DnsQueryObservation['type'], timeoutMs = 2000, signal?: AbortSignal) {
  return queryDns({ name, type, resolver: { host: server.host, port: server.port }, timeoutMs, signal });
}

describe('queryDns against the lab server', () => {
  it('reads an A answer with rcode, flags, TTL, transport and a rounded duration', async () => {
    const result = await ask('SIP.Example.Test.', 'A');
    expect(result).toMatchObject({
      name: 'sip.example.test',
      type: 'A',
      resolver: `127.0.0.1:${server.port}`,
      transport: 'udp',
      retriedOverTcp: false,
      rcode: 'NOERROR',
      answers: [{ name: 'sip.example.test', type: 'A', ttl: 300, data: '127.0.0.2' }],
      authorities: [],
    });
    expect(result.flags).toEqual({
      authoritative: true,
      truncated: false,
      recursionDesired: true,
      recursionAvailable: false,
      authenticData: false,
      checkingDisabled: false,
    });
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThan(0);
    expect(Math.round(result.durationMs * 10) / 10).toBe(result.durationMs);
  });

  it('asks with recursion not desired (RD=0) when told to, as an authoritative server is asked', async () => {
    const result = await queryDns({
      name: 'sip.example.test',
      type: 'A',
      resolver: { host: server.host, port: server.port },
      timeoutMs: 2000,
      recursionDesired: false,
    });
    // The server echoes the query's RD bit in its response (RFC 1035 §4.1.1).
    expect(result.flags?.recursionDesired).toBe(false);
    expect(result.answers.map((record) => record.data)).toEqual(['127.0.0.2']);
  });

  it('reads AAAA answers', async () => {
    const result = await ask('sip.example.test', 'AAAA');
    expect(result.answers).toEqual([{ name: 'sip.example.test', type: 'AAAA', ttl: 300, data: '::1' }]);
  });

  it('reads SRV data with the target canonical, and keeps a "." target', async () => {
    const srv = await ask('_sipfederationtls._tcp.example.test', 'SRV');
    expect(srv.answers).toEqual([
      {
        name: '_sipfederationtls._tcp.example.test',
        type: 'SRV',
        ttl: 3600,
        data: { priority: 10, weight: 50, port: 5061, target: 'sip.example.test' },
      },
    ]);
    const unavailable = await ask('unavailable._tcp.example.test', 'SRV');
    expect(unavailable.answers[0]).toMatchObject({ type: 'SRV', data: { target: '.', port: 0 } });
  });

  it('records a CNAME chain in front of the final answer', async () => {
    const result = await ask('alias2.example.test', 'A');
    expect(result.answers.map((record) => `${record.name} ${record.type} ${String(record.data)}`)).toEqual([
      'alias2.example.test CNAME alias.example.test',
      'alias.example.test CNAME sip.example.test',
      'sip.example.test A 127.0.0.2',
    ]);
    expect(finalRecords(result, 'A').map((record) => record.data)).toEqual(['127.0.0.2']);
  });

  it('answers a CNAME leading out of the zones with the CNAME alone', async () => {
    const result = await ask('outside.example.test', 'A');
    expect(result.rcode).toBe('NOERROR');
    expect(result.answers).toEqual([
      { name: 'outside.example.test', type: 'CNAME', ttl: 3600, data: 'sip.elsewhere.test' },
    ]);
    expect(unresolvedCnameTarget(result)).toBe('sip.elsewhere.test');
  });

  it('survives a CNAME loop', async () => {
    const result = await ask('loop1.example.test', 'A');
    expect(result.rcode).toBe('NOERROR');
    expect(result.answers.map((record) => record.name)).toEqual(['loop1.example.test', 'loop2.example.test']);
  });

  it('reads PTR and TXT records', async () => {
    const ptr = await ask('2.0.0.127.in-addr.arpa', 'PTR');
    expect(ptr.answers).toEqual([{ name: '2.0.0.127.in-addr.arpa', type: 'PTR', ttl: 600, data: 'sip.example.test' }]);
    const txt = await ask('txt.example.test', 'TXT');
    expect(txt.answers).toEqual([
      { name: 'txt.example.test', type: 'TXT', ttl: 3600, data: ['v=spf1 -all', 'second; string'] },
    ]);
  });

  it('tells NXDOMAIN from NODATA, both with the SOA in authority', async () => {
    const nxdomain = await ask('nothing.example.test', 'A');
    expect(nxdomain.rcode).toBe('NXDOMAIN');
    expect(nxdomain.answers).toEqual([]);
    expect(nxdomain.authorities).toEqual([
      {
        name: 'example.test',
        type: 'SOA',
        ttl: 300,
        data: {
          mname: 'ns1.example.test',
          rname: 'hostmaster.example.test',
          serial: 2024010101,
          refresh: 3600,
          retry: 900,
          expire: 604800,
          minimum: 300,
        },
      },
    ]);
    expect(dnsOutcome(nxdomain)).toBe('nxdomain');

    const nodata = await ask('ns1.example.test', 'AAAA');
    expect(nodata.rcode).toBe('NOERROR');
    expect(nodata.answers).toEqual([]);
    expect(nodata.authorities[0]?.type).toBe('SOA');
    expect(dnsOutcome(nodata)).toBe('nodata');
  });

  it('records SERVFAIL, FORMERR and REFUSED rcodes', async () => {
    expect((await ask('servfail.example.test', 'SRV')).rcode).toBe('SERVFAIL');
    expect((await ask('formerr.example.test', 'A')).rcode).toBe('FORMERR');
    const refused = await ask('example.org', 'A');
    expect(refused.rcode).toBe('REFUSED');
    expect(refused.flags?.authoritative).toBe(false);
    expect(dnsOutcome(refused)).toBe('refused');
  });

  it('resolves a silent server as a timeout when its own timer fires, not before', async () => {
    const arrived = server.whenQueries(server.queries + 1);
    stopClock();
    try {
      let settled = false;
      const pending = ask('silent.example.test', 'A', 300).finally(() => (settled = true));
      await arrived;
      await vi.advanceTimersByTimeAsync(299);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const result = await pending;
      expect(result.error).toEqual({ class: 'timeout', message: 'no response within 300 ms (3 queries sent)' });
      expect(result.udpTries).toBe(3);
      expect(result.rcode).toBeUndefined();
      expect(result.answers).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('retries a truncated answer over TCP and records the full answer', async () => {
    const result = await ask('many.big.test', 'A');
    expect(result.transport).toBe('tcp');
    expect(result.retriedOverTcp).toBe(true);
    expect(result.flags?.truncated).toBe(false);
    expect(result.answers).toHaveLength(100);
    expect(result.answers[99]).toEqual({ name: 'many.big.test', type: 'A', ttl: 60, data: '127.0.1.100' });
  });

  it('retries over TCP when the server truncates even a small answer', async () => {
    const result = await ask('sip.example.test', 'TXT');
    expect(result).toMatchObject({ transport: 'tcp', retriedOverTcp: true, rcode: 'NOERROR' });
    expect(result.authorities[0]?.type).toBe('SOA');
  });

  it('classes bytes that are not DNS as malformed', async () => {
    const result = await ask('garbage.example.test', 'A', 300);
    expect(result.error?.class).toBe('malformed');
    expect(result.error?.message).toMatch(/not a valid DNS message/);
    expect(dnsOutcome(result)).toBe('malformed');
  });

  it('resolves with "aborted", sending nothing, when the deadline has already passed', async () => {
    const before = server.queries;
    stopClock();
    try {
      // The clock is stopped: only a path that waits on no timer can resolve.
      const result = await ask('sip.example.test', 'A', 2000, AbortSignal.abort());
      expect(result.error?.class).toBe('aborted');
      expect(result.error?.message).toMatch(/before the query was sent/);
    } finally {
      vi.useRealTimers();
    }
    expect(server.queries).toBe(before);
  });

  it('resolves as cut short by the deadline once it passes while waiting, without waiting for its own timer', async () => {
    const controller = new AbortController();
    const arrived = server.whenQueries(server.queries + 1);
    stopClock();
    try {
      const pending = ask('silent.example.test', 'A', 10_000, controller.signal);
      await arrived;
      controller.abort();
      // The clock is stopped, so the 10 s timer cannot be what ends the query.
      const result = await pending;
      // Sent, then cut short: the run's doing, not the resolver's (udpTries tells it from "never sent").
      expect(result.error?.class).toBe('aborted');
      expect(result.error?.message).toMatch(/^the run deadline ended the wait \d+ ms after the query was sent$/);
      expect(result.udpTries).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves no socket or timer behind after many queries', async () => {
    // The deadline is pulled the moment the query arrives: it has been sent, so it ends as a timeout.
    const aborted = new AbortController();
    const deadlinePeer = await startRawPeer({ udp: () => aborted.abort() });
    const before = countHandles();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        ask(i % 3 === 0 ? 'many.big.test' : i % 3 === 1 ? 'sip.example.test' : 'nothing.example.test', 'A'),
      ),
    );
    expect(results.every((result) => result.error === undefined)).toBe(true);
    const closedPort = await freeUdpPort();
    const failures = await Promise.all([
      ask('silent.example.test', 'A', 150),
      ask('garbage.example.test', 'A', 150),
      queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: deadlinePeer.port }, timeoutMs: 5000, signal: aborted.signal }),
      queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: closedPort }, timeoutMs: 1000 }),
    ]);
    expect(failures.map((result) => result.error?.class)).toEqual(['timeout', 'malformed', 'aborted', 'connection-refused']);
    await settle(() => countHandles() <= before);
    expect(countHandles()).toBeLessThanOrEqual(before);
    await deadlinePeer.close();
  });
});

describe('queryDns failure classes and hostile peers', () => {
  it('classes a closed UDP port as connection-refused', async () => {
    const port = await freeUdpPort();
    const result = await queryDns({ name: 'example.test', type: 'A', resolver: { host: LOCAL, port }, timeoutMs: 2000 });
    expect(result.error?.class).toBe('connection-refused');
    expect(dnsOutcome(result)).toBe('connection-refused');
  });

  it('ignores stray datagrams and answers for other questions, and takes the right one', async () => {
    const peer = await startRawPeer({
      udp: (query, send) => {
        const answer = [{ name: 'a.test', type: 'A' as const, ttl: 5, data: '192.0.2.1' }];
        send(respond(query, [{ ...answer[0]!, data: '192.0.2.65' }], { id: (query.id! + 1) % 0x10000 }));
        send(respond(query, [{ ...answer[0]!, data: '192.0.2.66' }], { questionName: 'b.test' }));
        send(dnsPacket.encode({ type: 'query', id: query.id, questions: query.questions }));
        setTimeout(() => send(respond(query, answer)), 20);
      },
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(result.error).toBeUndefined();
      expect(result.answers).toEqual([{ name: 'a.test', type: 'A', ttl: 5, data: '192.0.2.1' }]);
    } finally {
      await peer.close();
    }
  });

  it('times out (not malformed) when only answers for other queries arrive', async () => {
    const peer = await startRawPeer({
      udp: (query, send) => send(respond(query, [], { id: (query.id! + 7) % 0x10000 })),
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 300 });
      expect(result.error?.class).toBe('timeout');
    } finally {
      await peer.close();
    }
  });

  it('keeps waiting after garbage and uses a valid answer that follows', async () => {
    const peer = await startRawPeer({
      udp: (query, send) => {
        send(Buffer.from('this is not dns'));
        setTimeout(() => send(respond(query, [{ name: 'a.test', type: 'A', ttl: 5, data: '192.0.2.9' }])), 20);
      },
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(result.error).toBeUndefined();
      expect(result.answers[0]).toMatchObject({ data: '192.0.2.9' });
    } finally {
      await peer.close();
    }
  });

  it('accepts an error response without a question section', async () => {
    const peer = await startRawPeer({
      udp: (query, send) => send(respond(query, [], { questions: false, flags: 1 /* FORMERR */ })),
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(result.rcode).toBe('FORMERR');
    } finally {
      await peer.close();
    }
  });

  it('asks again without EDNS when a server that does not know it answers FORMERR (RFC 6891 §7)', async () => {
    const seen: boolean[] = [];
    const peer = await startRawPeer({
      udp: (query, send) => {
        const withEdns = (query.additionals ?? []).some((record) => record.type === 'OPT');
        seen.push(withEdns);
        if (withEdns) send(respond(query, [], { flags: 1 /* FORMERR */ }));
        else send(respond(query, [{ name: 'a.test', type: 'A', ttl: 5, data: '192.0.2.7' }]));
      },
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(seen).toEqual([true, false]);
      expect(result.rcode).toBe('NOERROR');
      expect(result.answers).toEqual([{ name: 'a.test', type: 'A', ttl: 5, data: '192.0.2.7' }]);
    } finally {
      await peer.close();
    }
  });

  it('records record types it does not model as OTHER with a printable rendering', async () => {
    const peer = await startRawPeer({
      udp: (query, send) =>
        send(
          respond(query, [
            { name: 'a.test', type: 'MX', ttl: 5, data: { preference: 10, exchange: 'Mail.A.Test' } },
            { name: 'a.test', type: 'TXT', ttl: 5, data: 'hello' },
          ]),
        ),
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'TXT', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(result.answers).toEqual([
        { name: 'a.test', type: 'OTHER', ttl: 5, rrtype: 'MX', data: '10 mail.a.test' },
        { name: 'a.test', type: 'TXT', ttl: 5, data: ['hello'] },
      ]);
    } finally {
      await peer.close();
    }
  });

  it('reads an EDNS extended rcode', async () => {
    const peer = await startRawPeer({
      udp: (query, send) =>
        send(
          dnsPacket.encode({
            type: 'response',
            id: query.id,
            questions: query.questions,
            additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 1, flags: 0, options: [] } as never],
          }),
        ),
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(result.rcode).toBe('BADVERS');
      expect(dnsOutcome(result)).toBe('other-rcode');
    } finally {
      await peer.close();
    }
  });

  it('classes socket errors it cannot provoke on loopback', () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(classifySocketError(error('EHOSTUNREACH'))).toBe('unreachable');
    expect(classifySocketError(error('ENETUNREACH'))).toBe('unreachable');
    expect(classifySocketError(error('EAFNOSUPPORT'))).toBe('unreachable');
    expect(classifySocketError(error('ECONNRESET'))).toBe('connection-refused');
    expect(classifySocketError(error('EPIPE'))).toBe('connection-refused');
    expect(classifySocketError(error('ETIMEDOUT'))).toBe('timeout');
    expect(classifySocketError(error('EPERM'))).toBe('other');
    expect(classifySocketError('not an error')).toBe('other');
  });

  it('reassembles a TCP answer that arrives in small pieces', async () => {
    const answers = Array.from({ length: 60 }, (_, i) => ({ name: 'a.test', type: 'A' as const, ttl: 5, data: `192.0.2.${i}` }));
    const peer = await startRawPeer({
      udp: (query, send) => send(respond(query, [], { flags: dnsPacket.TRUNCATED_RESPONSE })),
      tcp: (socket, query) => {
        const bytes = frame(respond(query, answers));
        let offset = 0;
        const writeNext = (): void => {
          if (offset >= bytes.length || socket.destroyed) return;
          socket.write(bytes.subarray(offset, offset + 97));
          offset += 97;
          setTimeout(writeNext, 2);
        };
        writeNext();
      },
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 3000 });
      expect(result.error).toBeUndefined();
      expect(result.transport).toBe('tcp');
      expect(result.answers).toHaveLength(60);
    } finally {
      await peer.close();
    }
  });

  it('classes a TCP server that hangs up mid-message as malformed', async () => {
    const peer = await startRawPeer({
      udp: (query, send) => send(respond(query, [], { flags: dnsPacket.TRUNCATED_RESPONSE })),
      tcp: (socket, query) => {
        const bytes = frame(respond(query, [{ name: 'a.test', type: 'A', ttl: 5, data: '192.0.2.1' }]));
        socket.end(bytes.subarray(0, 10));
      },
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(result.error?.class).toBe('malformed');
      expect(result.error?.message).toMatch(/closed the TCP connection/);
      expect(result.retriedOverTcp).toBe(true);
    } finally {
      await peer.close();
    }
  });

  it('reports a TCP server that hangs up without answering', async () => {
    const peer = await startRawPeer({
      udp: (query, send) => send(respond(query, [], { flags: dnsPacket.TRUNCATED_RESPONSE })),
      tcp: (socket) => socket.end(),
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(result.error?.class).toBe('other');
      expect(result.error?.message).toMatch(/without answering/);
    } finally {
      await peer.close();
    }
  });

  it('classes a refused TCP retry as connection-refused', async () => {
    const peer = await startRawPeer({
      udp: (query, send) => send(respond(query, [], { flags: dnsPacket.TRUNCATED_RESPONSE })),
    });
    try {
      const result = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 2000 });
      expect(result.error?.class).toBe('connection-refused');
      expect(result.transport).toBe('tcp');
    } finally {
      await peer.close();
    }
  });

  it('times out a TCP retry that never answers within the same overall timeout', async () => {
    let udpQueryArrived: (sendTruncated: () => void) => void = () => undefined;
    const udpQuery = new Promise<() => void>((resolve) => (udpQueryArrived = resolve));
    let tcpQueryArrived: () => void = () => undefined;
    const tcpQuery = new Promise<void>((resolve) => (tcpQueryArrived = resolve));
    const peer = await startRawPeer({
      udp: (query, send) => udpQueryArrived(() => send(respond(query, [], { flags: dnsPacket.TRUNCATED_RESPONSE }))),
      tcp: () => tcpQueryArrived(),
    });
    stopClock();
    try {
      let settled = false;
      const pending = queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: peer.port }, timeoutMs: 300 }).finally(
        () => (settled = true),
      );
      const sendTruncated = await udpQuery;
      // 200 ms of the budget go by before the truncated answer; the TCP retry has the 100 left.
      await vi.advanceTimersByTimeAsync(200);
      sendTruncated();
      await tcpQuery;
      await vi.advanceTimersByTimeAsync(99);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const result = await pending;
      expect(result.error?.class).toBe('timeout');
      expect(result.error?.message).toMatch(/TCP/);
    } finally {
      vi.useRealTimers();
      await peer.close();
    }
  });

  it('refuses names and resolvers it cannot put on the wire, without touching the network', async () => {
    const longLabel = await queryDns({
      name: `${'x'.repeat(64)}.test`,
      type: 'A',
      resolver: { host: LOCAL, port: 53 },
      timeoutMs: 1000,
    });
    expect(longLabel.error).toMatchObject({ class: 'other' });
    expect(longLabel.error?.message).toMatch(/63 bytes/);
    const emptyLabel = await queryDns({ name: 'a..test', type: 'A', resolver: { host: LOCAL, port: 53 }, timeoutMs: 1000 });
    expect(emptyLabel.error?.message).toMatch(/empty label/);
    const hostname = await queryDns({ name: 'a.test', type: 'A', resolver: { host: 'dns.example', port: 53 }, timeoutMs: 1000 });
    expect(hostname.error?.message).toMatch(/not an IP address/);
    const badPort = await queryDns({ name: 'a.test', type: 'A', resolver: { host: LOCAL, port: 70000 }, timeoutMs: 1000 });
    expect(badPort.error?.message).toMatch(/not a valid port/);
  });
});

const ipv6 = await ipv6LoopbackAvailable();

describe('queryDns over IPv6 loopback', () => {
  it.skipIf(!ipv6)(ipv6 ? 'asks a server on [::1]' : 'asks a server on [::1] (skipped: this machine has no ::1)', async () => {
    const v6 = await startDnsServer({
      host: '::1',
      zones: [await loadZoneFile(`${zonesDir}test-example.zone`, { variables: { PORT: 5061 } }), bigZone],
    });
    try {
      const result = await queryDns({ name: 'sip.example.test', type: 'AAAA', resolver: { host: '::1', port: v6.port }, timeoutMs: 2000 });
      expect(result.resolver).toBe(`[::1]:${v6.port}`);
      expect(result.answers[0]).toMatchObject({ type: 'AAAA', data: '::1' });
      const big = await queryDns({ name: 'many.big.test', type: 'A', resolver: { host: '::1', port: v6.port }, timeoutMs: 2000 });
      expect(big).toMatchObject({ transport: 'tcp', retriedOverTcp: true });
      expect(big.answers).toHaveLength(100);
      const port = await freeUdpPort('::1');
      const refused = await queryDns({ name: 'a.test', type: 'A', resolver: { host: '::1', port }, timeoutMs: 2000 });
      expect(refused.error?.class).toBe('connection-refused');
    } finally {
      await v6.close();
    }
  });
});

/** Stops the clock of setTimeout: only the test moves it, so no assertion depends on this machine's speed. */
function stopClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
}

function countHandles(): number {
  return process
    .getActiveResourcesInfo()
    .filter((kind) => kind === 'UDPWrap' || kind === 'TCPSocketWrap' || kind === 'Timeout').length;
}

async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
