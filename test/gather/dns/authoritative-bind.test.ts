// gatherAuthoritative against BIND 9 on port 53 of its own loopback addresses: a primary, a
// stale copy (lower serial, last year's SRV target and address), a server without the zone
// (REFUSED), one holding only the parent zone (a referral, no AA), one whose zone file does not
// load (SERVFAIL) and a name server that is down. Skipped, saying so, without BIND or root.
import { setMaxListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherAuthoritative } from '../../../src/gather/dns/authoritative.js';
import { ask } from '../../../src/gather/dns/ask.js';
import type { GatherSettings } from '../../../src/gather/target.js';
import { CipherProbeCache, LegacyProbeCache } from '../../../src/gather/tls/probe.js';
import { serverQuery, type AuthoritativeObservations } from '../../../src/model/authoritative.js';
import { finalRecords, sipFederationSrvName } from '../../../src/model/dns.js';
import type { DnsQueryObservation, TargetObservations } from '../../../src/model/observations.js';
import { bindAvailability, startBind, type RunningBind } from '../../helpers/bind.js';

const availability = bindAvailability();
if (!availability.available) console.warn(`${availability.reason}: skipping the BIND authoritative-server tests`);

/** Each gathering is repeated: answers from six servers at once must come out the same every time. */
const RUNS = 5;
const ZONE = 'example.test';

function zoneText(addresses: string[], options: { serial: number; target: string; address: string }): string {
  const [primary, stale, refused, referral, servfail, down] = addresses;
  return `$ORIGIN ${ZONE}.
$TTL 300
@                       IN SOA  ns1 hostmaster ${options.serial} 3600 600 1209600 300
@                       IN NS   ns1
@                       IN NS   ns2
@                       IN NS   ns3
@                       IN NS   ns4
@                       IN NS   ns5
@                       IN NS   ns6
ns1                     IN A    ${primary}
ns2                     IN A    ${stale}
ns3                     IN A    ${refused}
ns4                     IN A    ${referral}
ns5                     IN A    ${servfail}
ns6                     IN A    ${down}
_sipfederationtls._tcp  IN SRV  10 10 5061 ${options.target}.${ZONE}.
${options.target}       IN A    ${options.address}
_sipfederationtls._tcp.m365 IN SRV 100 1 5061 sipfed.online.lync.com.
_sipfederationtls._tcp.alias IN CNAME _sipfederationtls._tcp.${ZONE}.
`;
}

function parentZoneText(addresses: string[]): string {
  return `$ORIGIN test.
$TTL 300
@                       IN SOA  ns.test. hostmaster.test. 1 3600 600 1209600 300
@                       IN NS   ns.test.
ns                      IN A    ${addresses[3]}
${ZONE}.                IN NS   ns1.${ZONE}.
ns1.${ZONE}.            IN A    ${addresses[0]}
`;
}

describe.skipIf(!availability.available)('gatherAuthoritative against BIND 9', () => {
  let bind: RunningBind | undefined;
  let addresses: string[] = [];

  beforeAll(async () => {
    if (!availability.available) return;
    bind = await startBind(availability, 6, (reserved) => [
      { zones: [{ origin: ZONE, text: zoneText(reserved, { serial: 2026010102, target: 'sip', address: '192.0.2.10' }) }] },
      { zones: [{ origin: ZONE, text: zoneText(reserved, { serial: 2026010101, target: 'old-sip', address: '192.0.2.99' }) }] },
      { zones: [] },
      { zones: [{ origin: 'test', text: parentZoneText(reserved) }] },
      { zones: [{ origin: ZONE }] },
      { zones: [], listening: false },
    ]);
    addresses = bind.addresses;
  }, 60_000);

  afterAll(async () => {
    await bind?.stop();
  }, 30_000);

  function settings(timeoutMs = 2_000, signal = new AbortController().signal): GatherSettings {
    // Every question of a run listens to the one deadline signal, as in the CLI.
    setMaxListeners(0, signal);
    return {
      // The primary answers the resolver's questions too: BIND answers RD=1 questions about its own zone.
      resolvers: [{ host: addresses[0]!, port: 53 }],
      internalResolvers: [],
      signal,
      dnsTimeoutMs: timeoutMs,
      tlsTimeoutMs: timeoutMs,
      trustAnchors: [],
      sipOptions: false,
      legacyProbes: new LegacyProbeCache(),
      cipherProbes: new CipherProbeCache(),
    };
  }

  async function gather(domain: string, gatherSettings = settings()): Promise<{ target: TargetObservations; result: AuthoritativeObservations }> {
    const target: TargetObservations = { domain, role: 'local', resolvers: [`${addresses[0]}:53`], dns: [], tls: [] };
    const srvQuery = await ask(target, sipFederationSrvName(domain), 'SRV', gatherSettings.resolvers, gatherSettings);
    const result = await gatherAuthoritative(target, srvQuery, gatherSettings);
    return { target, result };
  }

  function server(result: AuthoritativeObservations, index: number) {
    const found = result.servers.find((entry) => entry.address === addresses[index]);
    if (!found) throw new Error(`no server entry for ${addresses[index]}`);
    return found;
  }

  function serial(query: DnsQueryObservation | undefined): number | undefined {
    const soa = query ? finalRecords(query, 'SOA')[0] : undefined;
    return soa?.data.serial;
  }

  it('finds the zone, its six name servers and asks each listed address directly', async () => {
    for (let run = 0; run < RUNS; run++) {
      const { target, result } = await gather(ZONE);
      expect(result.zone, bind?.logs()).toBe(ZONE);
      expect(result.nameServers).toEqual([1, 2, 3, 4, 5, 6].map((n) => `ns${n}.${ZONE}`));
      expect(result.targetHost).toBe(`sip.${ZONE}`);
      expect(result.servers.map((entry) => entry.address)).toEqual(addresses);
      expect(result.servers.map((entry) => entry.endpoint)).toEqual(addresses.map((address) => `${address}:53`));
      expect(result.servers[0]?.nameServers).toEqual([`ns1.${ZONE}`]);
      for (const entry of result.servers) {
        expect(entry.queries.map((query) => `${query.name} ${query.type}`)).toEqual([
          `${ZONE} SOA`,
          `_sipfederationtls._tcp.${ZONE} SRV`,
          `sip.${ZONE} A`,
          `sip.${ZONE} AAAA`,
        ]);
        expect(entry.queries.every((query) => query.resolver === entry.endpoint)).toBe(true);
        // Asked as a resolver iterating down the tree asks: recursion not desired (BIND echoes RD).
        for (const query of entry.queries) if (query.flags) expect(query.flags.recursionDesired).toBe(false);
      }
      // Discovery went through the resolver: the SRV answer was positive, so an SOA question found the zone.
      expect(target.dns.map((query) => `${query.name} ${query.type}`)).toContain(`_sipfederationtls._tcp.${ZONE} SOA`);
      expect(target.dns.map((query) => `${query.name} ${query.type}`)).toContain(`${ZONE} NS`);
    }
  });

  it('records the primary and the stale copy with their own serials, SRV targets and addresses', async () => {
    for (let run = 0; run < RUNS; run++) {
      const { result } = await gather(ZONE);
      const primary = server(result, 0);
      const stale = server(result, 1);
      expect(serial(serverQuery(primary, ZONE, 'SOA'))).toBe(2026010102);
      expect(serial(serverQuery(stale, ZONE, 'SOA'))).toBe(2026010101);
      for (const [entry, target] of [[primary, `sip.${ZONE}`], [stale, `old-sip.${ZONE}`]] as const) {
        const srv = serverQuery(entry, `_sipfederationtls._tcp.${ZONE}`, 'SRV');
        expect(srv?.flags?.authoritative).toBe(true);
        expect(finalRecords(srv!, 'SRV').map((record) => record.data.target)).toEqual([target]);
      }
      expect(finalRecords(serverQuery(primary, `sip.${ZONE}`, 'A')!, 'A').map((record) => record.data)).toEqual(['192.0.2.10']);
      // The stale copy does not know the new target at all.
      expect(serverQuery(stale, `sip.${ZONE}`, 'A')).toMatchObject({ rcode: 'NXDOMAIN', flags: { authoritative: true } });
    }
  });

  it('records the lame servers as they answered: REFUSED, a referral without AA, SERVFAIL', async () => {
    for (let run = 0; run < RUNS; run++) {
      const { result } = await gather(ZONE);
      for (const query of server(result, 2).queries) expect(query).toMatchObject({ rcode: 'REFUSED', flags: { authoritative: false } });
      for (const query of server(result, 3).queries) {
        expect(query).toMatchObject({ rcode: 'NOERROR', flags: { authoritative: false }, answers: [] });
        expect(query.authorities.filter((record) => record.type === 'NS').map((record) => record.name)).toEqual([ZONE]);
      }
      for (const query of server(result, 4).queries) expect(query).toMatchObject({ rcode: 'SERVFAIL' });
    }
  });

  it('records a name server that is down as connection refused, not as an answer', async () => {
    for (let run = 0; run < RUNS; run++) {
      const { result } = await gather(ZONE);
      for (const query of server(result, 5).queries) {
        expect(query.rcode).toBeUndefined();
        expect(query.error?.class).toBe('connection-refused');
      }
    }
  });

  it('takes the zone from the SOA of a negative SRV answer without asking for it again', async () => {
    for (let run = 0; run < RUNS; run++) {
      const { target, result } = await gather(`nosrv.${ZONE}`);
      expect(result.zone).toBe(ZONE);
      expect(result.targetHost).toBeUndefined();
      expect(target.dns.filter((query) => query.type === 'SOA')).toEqual([]);
      expect(server(result, 0).queries.map((query) => query.type)).toEqual(['SOA', 'SRV']);
      expect(serverQuery(server(result, 0), `_sipfederationtls._tcp.nosrv.${ZONE}`, 'SRV')?.rcode).toBe('NXDOMAIN');
    }
  });

  it('asks no target addresses when the SRV target is outside the zone (a Microsoft 365 domain)', async () => {
    const { result } = await gather(`m365.${ZONE}`);
    expect(result.zone).toBe(ZONE);
    expect(result.targetHost).toBeUndefined();
    const srv = serverQuery(server(result, 0), `_sipfederationtls._tcp.m365.${ZONE}`, 'SRV');
    expect(finalRecords(srv!, 'SRV').map((record) => record.data.target)).toEqual(['sipfed.online.lync.com']);
  });

  it('walks past an SRV name that is an alias to the zone holding the alias', async () => {
    const { result } = await gather(`alias.${ZONE}`);
    expect(result.zone).toBe(ZONE);
    const srv = serverQuery(server(result, 0), `_sipfederationtls._tcp.alias.${ZONE}`, 'SRV');
    expect(srv?.answers.map((record) => record.type)).toEqual(['CNAME', 'SRV']);
  });

  it('stops at the run deadline: the zone question ends as aborted and no server is asked', async () => {
    const controller = new AbortController();
    const target: TargetObservations = { domain: ZONE, role: 'local', resolvers: [`${addresses[0]}:53`], dns: [], tls: [] };
    const live = settings(2_000, controller.signal);
    const srvQuery = await ask(target, sipFederationSrvName(ZONE), 'SRV', live.resolvers, live);
    controller.abort();
    const result = await gatherAuthoritative(target, srvQuery, live);
    expect(result.zone).toBeUndefined();
    expect(result.servers).toEqual([]);
    expect(target.dns.filter((query) => query.type === 'SOA').map((query) => query.error?.class)).toEqual(['aborted']);
  });
});
