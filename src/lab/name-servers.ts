// The authoritative name servers of a lab's zones, as the Internet has them: each on port 53 of
// an address of its own (127.53.0-127.x; the BIND test harness uses 127.53.128-254.x), because
// fedcheck asks authoritative servers where real ones listen. Each can serve the lab's zones,
// a stale copy of them, nothing at all (REFUSED: a lame delegation), or be down. Port 53 needs
// root (tests and CI run as root).
import { randomInt } from 'node:crypto';
import { startDnsServer, type DnsMisbehaviour, type RunningDnsServer } from './dns-server.js';
import type { Zone } from './zone.js';

export type LabNameServerBehaviour =
  /** Serves its zones (the lab's, or its own `zones`). */
  | 'serve'
  /** Has no zone: answers REFUSED, as a server still listed in the NS set after a move does. */
  | 'refused'
  /** Its address answers nothing (ICMP port unreachable): a name server that is down. */
  | 'down'
  /** Receives queries and never answers: a name server behind a firewall that drops DNS. */
  | 'silent'
  /** Answers from its zones without the AA bit: a resolver or cache listed as a name server. */
  | 'not-authoritative';

export interface LabNameServerSpec {
  /** Placeholder name in the zone files: {{NAME}} is the server's address (its glue). */
  name: string;
  /** Zone files this server serves instead of the lab's (a stale copy); relative to fixtures/zones/ or inline. */
  zones?: string[];
  behaviour?: LabNameServerBehaviour;
}

export interface RunningNameServers {
  /** Placeholder name → address, for the zone files and the scenario's expectations. */
  addresses: Record<string, string>;
  /** Placeholder name → the running server (none for a server that is down). */
  servers: Record<string, RunningDnsServer>;
  close(): Promise<void>;
}

export const LAB_NAME_SERVER_PORT = 53;

const MISBEHAVIOUR: Partial<Record<LabNameServerBehaviour, DnsMisbehaviour>> = {
  silent: 'silence',
  'not-authoritative': 'no-aa',
};
const START_ATTEMPTS = 10;

/**
 * Picks an address per server, then starts them. `loadZones` gets the addresses first (the zones
 * carry them as glue) and returns, per server, what it serves. An address another process holds
 * makes the whole set start again on fresh addresses, so the glue always matches.
 */
export async function startNameServers(
  specs: readonly LabNameServerSpec[],
  loadZones: (addresses: Record<string, string>) => Promise<Zone[][]>,
): Promise<RunningNameServers> {
  for (let attempt = 1; ; attempt++) {
    const addresses = Object.fromEntries(specs.map((spec) => [spec.name, labNameServerAddress()]));
    const zonesByServer = await loadZones(addresses);
    const started: RunningDnsServer[] = [];
    const servers: Record<string, RunningDnsServer> = {};
    try {
      for (const [index, spec] of specs.entries()) {
        const behaviour = spec.behaviour ?? 'serve';
        if (behaviour === 'down') continue;
        const server = await startDnsServer({
          zones: behaviour === 'refused' ? [] : (zonesByServer[index] ?? []),
            host: addresses[spec.name]!,
            port: LAB_NAME_SERVER_PORT,
            ...(MISBEHAVIOUR[behaviour] ? { misbehave: [{ name: '*', behaviour: MISBEHAVIOUR[behaviour] }] } : {}),
        });
        started.push(server);
        servers[spec.name] = server;
      }
      return {
        addresses,
        servers,
        close: async () => {
          await Promise.all(started.map((server) => server.close()));
        },
      };
    } catch (error) {
      await Promise.all(started.map((server) => server.close()));
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

function labNameServerAddress(): string {
  return `127.53.${randomInt(0, 128)}.${randomInt(1, 255)}`;
}
