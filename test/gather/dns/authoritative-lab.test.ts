// gatherAuthoritative against the lab's own name servers on port 53 of 127.53.x.y: the lab
// resolver leads to them through the zone's NS records and glue, as the Internet's resolvers do.
// Covers what BIND cannot be made to do on demand: a name server that never answers.
import { setMaxListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherAuthoritative } from '../../../src/gather/dns/authoritative.js';
import { ask } from '../../../src/gather/dns/ask.js';
import type { GatherSettings } from '../../../src/gather/target.js';
import { CipherProbeCache, LegacyProbeCache } from '../../../src/gather/tls/probe.js';
import { startDnsServer, type RunningDnsServer } from '../../../src/lab/dns-server.js';
import { startNameServers, type RunningNameServers } from '../../../src/lab/name-servers.js';
import { parseZone } from '../../../src/lab/zone.js';
import { serverQuery, type AuthoritativeObservations } from '../../../src/model/authoritative.js';
import { finalRecords, sipFederationSrvName, wasSent } from '../../../src/model/dns.js';
import type { TargetObservations } from '../../../src/model/observations.js';

const root = process.getuid?.() === 0;
if (!root) console.warn('the lab name servers listen on port 53, which needs root: skipping their tests');

const ZONE = 'lab.test';
const RUNS = 5;

function zone(serial: number, target: string) {
  return `$ORIGIN ${ZONE}.
$TTL 300
@ SOA ns1 hostmaster ${serial} 3600 600 1209600 300
@ NS ns1
@ NS ns2
@ NS ns3
@ NS ns4
@ NS ns5
ns1 A {{NS1}}
ns2 A {{NS2}}
ns3 A {{NS3}}
ns4 A {{NS4}}
ns5 A {{NS5}}
_sipfederationtls._tcp SRV 10 10 5061 ${target}.${ZONE}.
${target} A 192.0.2.10
`;
}

describe.skipIf(!root)('gatherAuthoritative against the lab name servers', () => {
  let nameServers: RunningNameServers;
  let resolver: RunningDnsServer;

  beforeAll(async () => {
    const current = zone(2, 'sip');
    const stale = zone(1, 'old-sip');
    nameServers = await startNameServers(
      [
        { name: 'NS1' },
        { name: 'NS2', zones: [stale] },
        { name: 'NS3', behaviour: 'refused' },
        { name: 'NS4', behaviour: 'down' },
        { name: 'NS5', behaviour: 'silent' },
      ],
      async (addresses) => {
        const fill = (text: string) => parseZone(text, { variables: addresses });
        return [[fill(current)], [fill(stale)], [], [], []];
      },
    );
    resolver = await startDnsServer({ zones: [parseZone(current, { variables: nameServers.addresses })] });
  }, 30_000);

  afterAll(async () => {
    await Promise.all([nameServers?.close(), resolver?.close()]);
  });

  function settings(signal: AbortSignal, dnsTimeoutMs = 1_000): GatherSettings {
    setMaxListeners(0, signal);
    return {
      resolvers: [{ host: resolver.host, port: resolver.port }],
      internalResolvers: [],
      signal,
      dnsTimeoutMs,
      tlsTimeoutMs: dnsTimeoutMs,
      trustAnchors: [],
      sipOptions: false,
      legacyProbes: new LegacyProbeCache(),
      cipherProbes: new CipherProbeCache(),
    };
  }

  async function gather(gatherSettings: GatherSettings): Promise<AuthoritativeObservations> {
    const target: TargetObservations = { domain: ZONE, role: 'local', resolvers: [resolver.address], dns: [], tls: [] };
    const srvQuery = await ask(target, sipFederationSrvName(ZONE), 'SRV', gatherSettings.resolvers, gatherSettings);
    return gatherAuthoritative(target, srvQuery, gatherSettings);
  }

  function entry(result: AuthoritativeObservations, name: string) {
    const found = result.servers.find((server) => server.address === nameServers.addresses[name]);
    if (!found) throw new Error(`no entry for ${name}`);
    return found;
  }

  it('reaches every server through the NS glue and records each one as it answered', async () => {
    for (let run = 0; run < RUNS; run++) {
      const result = await gather(settings(new AbortController().signal));
      expect(result.zone).toBe(ZONE);
      expect(result.servers).toHaveLength(5);
      const srvTarget = (name: string) =>
        finalRecords(serverQuery(entry(result, name), `_sipfederationtls._tcp.${ZONE}`, 'SRV')!, 'SRV').map((record) => record.data.target);
      expect(srvTarget('NS1')).toEqual([`sip.${ZONE}`]);
      expect(srvTarget('NS2')).toEqual([`old-sip.${ZONE}`]);
      expect(entry(result, 'NS3').queries.map((query) => query.rcode)).toEqual(['REFUSED', 'REFUSED', 'REFUSED', 'REFUSED']);
      expect(entry(result, 'NS4').queries.map((query) => query.error?.class)).toEqual(Array(4).fill('connection-refused'));
      expect(entry(result, 'NS5').queries.map((query) => query.error?.class)).toEqual(Array(4).fill('timeout'));
    }
  }, 30_000);

  it('ends the questions to a silent server at the run deadline, not at their own timeout', async () => {
    const controller = new AbortController();
    // A 60 s question timeout: only the deadline can end the silent server's questions in time.
    const silent = nameServers.servers.NS5!;
    const before = silent.queries;
    const pending = gather(settings(controller.signal, 60_000));
    await silent.whenQueries(before + 4);
    controller.abort();
    const result = await pending;
    const questions = entry(result, 'NS5').queries;
    expect(questions.map((query) => query.error?.class)).toEqual(Array(4).fill('aborted'));
    expect(questions.every((query) => wasSent(query))).toBe(true);
    expect(questions.every((query) => /deadline/.test(query.error?.message ?? ''))).toBe(true);
  });
});
