// Asks every authoritative server of the zone holding `_sipfederationtls._tcp.<domain>` directly,
// the way each Microsoft edge's own resolver eventually does: the zone (its SOA owner), its NS
// set and the name servers' addresses come from the configured resolvers; then each server
// address is asked, with recursion not desired, for the zone's SOA, the SRV record and the
// selected target's A/AAAA. Discovery questions are recorded on the target like every other
// resolver question; the direct exchanges are recorded per server.
import {
  AUTHORITATIVE_DNS_PORT,
  MAX_AUTHORITATIVE_SERVERS,
  authoritativeQuestions,
  isAtOrBelow,
  parentDomain,
  zoneApexFrom,
  type AuthoritativeObservations,
  type AuthoritativeServerObservation,
} from '../../model/authoritative.js';
import {
  canonicalName,
  dnsOutcome,
  finalRecords,
  isDefinitive,
  lookupAddresses,
  selectSrvRecord,
  sipFederationSrvName,
  srvRecords,
} from '../../model/dns.js';
import { formatEndpoint } from '../../model/ip.js';
import type { DnsQueryObservation, TargetObservations } from '../../model/observations.js';
import type { GatherSettings } from '../target.js';
import { ask, resolveHost } from './ask.js';
import { queryDns } from './client.js';

/**
 * Everything the authoritative servers of the federation SRV record's zone say. `srvQuery` is
 * the SRV question already asked of the resolvers: a negative answer names the zone already.
 */
export async function gatherAuthoritative(
  target: TargetObservations,
  srvQuery: DnsQueryObservation,
  settings: GatherSettings,
): Promise<AuthoritativeObservations> {
  const name = sipFederationSrvName(target.domain);
  const observations: AuthoritativeObservations = { name, nameServers: [], servers: [] };
  const zone = zoneApexFrom(srvQuery) ?? (await findZone(target, name, settings));
  if (zone === undefined) return observations;
  observations.zone = zone;

  const selected = selectSrvRecord(srvRecords(srvQuery))?.selected.target;
  if (selected !== undefined && selected !== '.' && isAtOrBelow(selected, zone)) {
    observations.targetHost = canonicalName(selected);
  }

  const nsQuery = await ask(target, zone, 'NS', settings.resolvers, settings);
  const nameServers = [
    ...new Set(finalRecords(nsQuery, 'NS').filter((record) => record.name === zone).map((record) => record.data)),
  ].sort();
  observations.nameServers = nameServers;
  await Promise.all(nameServers.map((host) => resolveHost(target, host, settings.resolvers, settings)));

  const byAddress = new Map<string, string[]>();
  for (const host of nameServers) {
    for (const type of ['A', 'AAAA'] as const) {
      for (const address of lookupAddresses(target, host, type).addresses) {
        const names = byAddress.get(address);
        if (names) names.push(host);
        else byAddress.set(address, [host]);
      }
    }
  }
  const addresses = [...byAddress.keys()];
  const asked = addresses.slice(0, MAX_AUTHORITATIVE_SERVERS);
  if (addresses.length > asked.length) observations.unaskedAddresses = addresses.slice(asked.length);

  const questions = authoritativeQuestions(observations);
  observations.servers = await Promise.all(
    asked.map(async (address): Promise<AuthoritativeServerObservation> => {
      const resolver = { host: address, port: AUTHORITATIVE_DNS_PORT };
      const queries = await Promise.all(
        questions.map((question) =>
          queryDns({ ...question, resolver, recursionDesired: false, timeoutMs: settings.dnsTimeoutMs, signal: settings.signal }),
        ),
      );
      return {
        nameServers: byAddress.get(address) ?? [],
        address,
        endpoint: formatEndpoint(address, AUTHORITATIVE_DNS_PORT),
        queries,
      };
    }),
  );
  return observations;
}

/**
 * The zone of `name`, by SOA questions to the resolvers from `name` upwards: a resolver answers
 * the apex's SOA, or a negative answer with the zone's SOA in the authority section. Stops at a
 * resolver failure rather than guess a zone further up.
 */
async function findZone(target: TargetObservations, name: string, settings: GatherSettings): Promise<string | undefined> {
  for (let candidate = canonicalName(name); candidate !== '.'; candidate = parentDomain(candidate)) {
    const query = await ask(target, candidate, 'SOA', settings.resolvers, settings);
    const zone = zoneApexFrom(query);
    if (zone !== undefined) return zone;
    if (!isDefinitive(dnsOutcome(query)) || settings.signal.aborted) return undefined;
  }
  return undefined;
}
