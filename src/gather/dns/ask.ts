// Questions to the configured resolvers (the external view, or the internal one): each question
// goes to the resolvers in turn until one answers definitively, and every exchange is recorded
// on the target, so the checks see what each resolver said.
import { MAX_CNAME_HOPS, dnsOutcome, isDefinitive, unresolvedCnameTarget } from '../../model/dns.js';
import type { DnsQueryObservation, DnsQueryType, ResolverAddress, TargetObservations } from '../../model/observations.js';
import type { GatherSettings } from '../target.js';
import { queryDns } from './client.js';

/** Asks one question of the resolvers in turn and records every exchange on the target. */
export async function ask(
  target: TargetObservations,
  name: string,
  type: DnsQueryType,
  resolvers: ResolverAddress[],
  settings: GatherSettings,
): Promise<DnsQueryObservation> {
  let last: DnsQueryObservation | undefined;
  for (const resolver of resolvers) {
    last = await queryDns({ name, type, resolver, timeoutMs: settings.dnsTimeoutMs, signal: settings.signal });
    target.dns.push(last);
    if (isDefinitive(dnsOutcome(last))) break;
  }
  if (!last) throw new Error('no resolver to ask');
  return last;
}

/** A and AAAA of a host, following CNAME chains the resolver left unresolved. */
export async function resolveHost(
  target: TargetObservations,
  host: string,
  resolvers: ResolverAddress[],
  settings: GatherSettings,
): Promise<void> {
  await Promise.all(
    (['A', 'AAAA'] as const).map(async (type) => {
      let name: string | undefined = host;
      for (let hop = 0; name !== undefined && hop <= MAX_CNAME_HOPS; hop++) {
        const query = await ask(target, name, type, resolvers, settings);
        name = unresolvedCnameTarget(query);
      }
    }),
  );
}
