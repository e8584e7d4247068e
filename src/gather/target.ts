// What fedcheck asks the network about one domain, in the order the Microsoft edge would:
// the SRV record, the addresses of its target(s), then TLS on every address of the targets the
// edge may select. Independent questions run at once; every one is bounded by the run deadline.
import {
  canonicalName,
  describeOutcome,
  federationSrvLookup,
  lookupAddresses,
  reverseName,
  selectedEndpoints,
  selectedHosts,
  sipFederationSrvName,
  targetSrvSelection,
} from '../model/dns.js';
import type {
  ResolverAddress,
  SipOptionsObservation,
  TargetObservations,
  TlsProbeObservation,
} from '../model/observations.js';
import type { ClientCertificate } from '../model/options.js';
import { ask, askFollowingAliases, resolveHost } from './dns/ask.js';
import { gatherAuthoritative } from './dns/authoritative.js';
import { gatherMicrosoft365Records } from './dns/microsoft365-records.js';
import { probeSipOptions } from './sip/options.js';
import { probeTls, type CipherProbeCache, type LegacyProbeCache } from './tls/probe.js';
import { RevocationChecker } from './revocation/gather.js';
import { HttpFetcher } from './revocation/http.js';
import { formatEndpoint } from '../model/ip.js';

export interface GatherSettings {
  /** External view, tried in order until one answers definitively. */
  resolvers: ResolverAddress[];
  /** Internal view (split DNS), asked the own-domain questions too; empty = none. */
  internalResolvers: ResolverAddress[];
  signal: AbortSignal;
  dnsTimeoutMs: number;
  tlsTimeoutMs: number;
  trustAnchors: string[];
  clientCertificate?: ClientCertificate;
  /** --sip-options: a SIP OPTIONS request to every federation peer. */
  sipOptions: boolean;
  /** TLS 1.0/1.1 probes of this run, shared by every name served on one address and port. */
  legacyProbes: LegacyProbeCache;
  /** Cipher-suite eliminations of this run, shared the same way. */
  cipherProbes: CipherProbeCache;
  /** The run's CRL and OCSP checking (createRevocationChecker); absent with --no-revocation. */
  revocation?: RevocationChecker;
}

export async function gatherTarget(
  domain: string,
  role: 'local' | 'partner',
  settings: GatherSettings,
  imp?: ImpSettings,
): Promise<TargetObservations> {
  const target: TargetObservations = {
    domain,
    role,
    resolvers: settings.resolvers.map((r) => formatEndpoint(r.host, r.port)),
    dns: [],
    tls: [],
  };
  const impGathering = imp ? gatherImp(target, imp, settings) : undefined;
  const srvQuery = await askFollowingAliases(target, sipFederationSrvName(domain), 'SRV', settings.resolvers, settings);
  // Every authoritative server of the zone, and the domain's other Teams / Skype records, beside
  // the target's addresses and the TLS probes.
  const authoritative = gatherAuthoritative(target, srvQuery, settings).then((observations) => {
    target.authoritative = observations;
  });
  const microsoft365Records = gatherMicrosoft365Records(target, srvQuery, settings);
  const selection = targetSrvSelection(target);
  const hosts = [...new Set((selection?.records ?? []).map((record) => canonicalName(record.data.target)).filter((host) => host !== '.'))];
  await Promise.all(hosts.map((host) => resolveHost(target, host, settings.resolvers, settings)));

  // Every edge Microsoft may select: on a tie, the resolver's order decides, and it rotates.
  const probing = Promise.all(
    selectedEndpoints(selection).map(async ({ host, port }) => {
      const addresses = allAddresses(target, host, target.resolvers);
      const [probes, sipAnswers] = await Promise.all([
        probePeers(host, addresses, port, 'federation', settings),
        settings.sipOptions ? askSipOptions(domain, host, addresses, port, settings) : undefined,
      ]);
      probes.forEach((probe, index) => {
        const answer = sipAnswers?.[index];
        if (answer) probe.sipOptions = answer;
      });
      return probes;
    }),
  ).then((probes) => target.tls.push(...probes.flat()));
  const internalView = role === 'local' && settings.internalResolvers.length > 0 ? askInternalView(target, settings) : undefined;
  await Promise.all([probing, internalView, impGathering, authoritative, microsoft365Records]);
  // Under way since each peer's main handshake (probePeers): this joins it.
  const federation = target.tls.filter((probe) => probe.purpose === 'federation');
  target.revocation = settings.revocation ? await settings.revocation.gather(federation) : { skipped: 'no-revocation', certificates: [] };
  if (settings.signal.aborted) target.deadlineExceeded = true;
  return target;
}

/**
 * The run's revocation checking. Host names in CRL and OCSP URLs are resolved with the run's
 * external resolvers, like every other name fedcheck looks up.
 */
export function createRevocationChecker(settings: Omit<GatherSettings, 'revocation'>, timeoutMs: number): RevocationChecker {
  const fetcher = new HttpFetcher({
    timeoutMs,
    signal: settings.signal,
    resolveHost: async (host) => {
      const lookup: TargetObservations = { domain: host, role: 'partner', resolvers: [], dns: [], tls: [] };
      await resolveHost(lookup, host, settings.resolvers, settings);
      const addresses = allAddresses(lookup, host, [...new Set(lookup.dns.map((query) => query.resolver))]);
      const last = lookup.dns[lookup.dns.length - 1];
      return addresses.length > 0 ? { addresses } : { addresses: [], error: last ? describeOutcome(last) : 'not looked up' };
    },
  });
  return new RevocationChecker({ fetcher, trustAnchors: settings.trustAnchors });
}

function allAddresses(target: TargetObservations, host: string, resolvers: string[]): string[] {
  const addresses = [
    ...lookupAddresses(target, host, 'A', resolvers).addresses,
    ...lookupAddresses(target, host, 'AAAA', resolvers).addresses,
  ];
  return [...new Set(addresses)];
}

/** Split DNS: the same own-domain questions, asked of the view the Expressway-C sees. */
async function askInternalView(target: TargetObservations, settings: GatherSettings): Promise<void> {
  const internal = settings.internalResolvers.map((r) => formatEndpoint(r.host, r.port));
  target.internalResolvers = internal;
  await askFollowingAliases(target, sipFederationSrvName(target.domain), 'SRV', settings.internalResolvers, settings);
  const hosts = new Set(federationSrvLookup(target, internal).records.map((record) => canonicalName(record.data.target)));
  // The external view's selected targets too, so the views can be compared name for name.
  for (const host of selectedHosts(targetSrvSelection(target))) hosts.add(host);
  hosts.delete('.');
  await Promise.all([...hosts].map((host) => resolveHost(target, host, settings.internalResolvers, settings)));
}

/** SIP OPTIONS on a connection of its own to each peer, alongside the TLS probes. */
function askSipOptions(
  domain: string,
  host: string,
  addresses: string[],
  port: number,
  settings: GatherSettings,
): Promise<SipOptionsObservation[]> {
  return Promise.all(
    addresses.map((address) =>
      probeSipOptions({
        host,
        domain,
        address,
        port,
        timeoutMs: settings.tlsTimeoutMs,
        signal: settings.signal,
        ...(settings.clientCertificate ? { clientCertificate: settings.clientCertificate } : {}),
      }),
    ),
  );
}

export interface ImpSettings {
  fqdn: string;
  port: number;
  publisher?: string;
}

/**
 * IM and Presence, as the Expressway-C reaches it: the Federation Routing IM/P FQDN on the
 * internal view, the PTR of each of its addresses (asked of the same DNS server, never
 * /etc/hosts), TLS on the peer-authentication listener, and the publisher on the external view.
 */
export async function gatherImp(target: TargetObservations, imp: ImpSettings, settings: GatherSettings): Promise<void> {
  const resolvers = settings.internalResolvers.length > 0 ? settings.internalResolvers : settings.resolvers;
  const resolverNames = resolvers.map((r) => formatEndpoint(r.host, r.port));
  target.imp = { fqdn: imp.fqdn, port: imp.port, resolvers: resolverNames, ...(imp.publisher ? { publisher: imp.publisher } : {}) };
  const publisher = imp.publisher ? resolveHost(target, imp.publisher, settings.resolvers, settings) : undefined;
  await resolveHost(target, imp.fqdn, resolvers, settings);
  const addresses = allAddresses(target, imp.fqdn, resolverNames);
  await Promise.all([
    ...addresses.map((address) => ask(target, reverseName(address), 'PTR', resolvers, settings)),
    probePeers(imp.fqdn, addresses, imp.port, 'imp', settings).then((probes) => target.tls.push(...probes)),
    publisher,
  ]);
}

export function probePeers(
  host: string,
  addresses: string[],
  port: number,
  purpose: 'federation' | 'imp',
  settings: GatherSettings,
): Promise<TlsProbeObservation[]> {
  return Promise.all(
    addresses.map((address) =>
      probeTls({
        host,
        address,
        port,
        purpose,
        timeoutMs: settings.tlsTimeoutMs,
        signal: settings.signal,
        trustAnchors: settings.trustAnchors,
        clientCertificate: settings.clientCertificate,
        probeLegacy: true,
        legacyProbes: settings.legacyProbes,
        probeCiphers: true,
        cipherProbes: settings.cipherProbes,
        // The certificates Microsoft's edge is shown: the federation peers' (IM and Presence is internal).
        ...(settings.revocation && purpose === 'federation'
          ? { onCertificates: (chain, stapledOcsp) => settings.revocation?.start([{ address, port, chain, ...(stapledOcsp ? { stapledOcsp } : {}) }]) }
          : {}),
      }),
    ),
  );
}
