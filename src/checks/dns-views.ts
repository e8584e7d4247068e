// dns-views: with split DNS (--internal-resolver), the external and the internal view of the own
// domain agree where Microsoft depends on them: the SRV record, and the addresses of the target
// Microsoft selects.
import type { Finding } from '../model/findings.js';
import type { DnsQueryObservation, SrvData, TargetObservations } from '../model/observations.js';
import {
  canonicalName,
  describeOutcome,
  dnsOutcome,
  effectiveQuery,
  finalRecords,
  isDefinitive,
  selectSrvRecord,
  sipFederationSrvName,
} from '../model/dns.js';
import { addressesDefinitive, describeAddressLookups, hostAddresses, throughAliases } from './shared/addresses.js';
import { deadlineAdvice } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { hostInDomain, namespacePosition } from './shared/namespace.js';
import { privateAddressRange } from './shared/private-ranges.js';
import { capitalised, listOf, quotedList } from './shared/wording.js';
import { addressZoneLine, srvZoneLine, zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'dns-views',
  title: 'External and internal DNS views agree where Microsoft depends on them',
  severity: 'warn',
  roles: ['local'],
  rule:
    'With --internal-resolver: the external view has the federation SRV record whenever the internal view has it, and the ' +
    'target Microsoft selects resolves on the external view to addresses reachable from the Internet (not private ranges). ' +
    'Views that differ otherwise are reported with both answers.',
  impact:
    'Split DNS is the usual way to give the Expressway-C internal answers, and a common way to lose the public ones: a record ' +
    "created only in the internal zone works from every desk and fails for Microsoft's edges, which resolve the public zone " +
    '(ms-diagnostics 1008 for a missing SRV record); a public answer with a private address sends them nowhere.',
  msDiagnostics: '1008 Unable to resolve DNS SRV record',
  source:
    'Seed "Internal DNS Records" (split DNS) and "Limitations Related to DNS"; RFC 1918, RFC 6598, RFC 3927, RFC 4193, RFC 4291 (private and link-local ranges); DESIGN.md §2 "Views and SIP"',
  remediation:
    'Publish the federation SRV record and the A/AAAA records of its target in the public (external) zone, with the ' +
    "Expressway-E's public addresses; keep internal-only answers in the internal zone.",
  codes: {
    'srv-internal-only': { status: 'warn', summary: 'Only the internal view has the federation SRV record: Microsoft cannot find it (1008).' },
    'srv-external-only': { status: 'info', summary: 'Only the external view has the SRV record: no effect on federation.' },
    'srv-in-neither': { status: 'info', summary: 'Neither view has the SRV record (srv-present reports it).' },
    'srv-same': { status: 'info', summary: 'Both views answer the SRV name alike.' },
    'srv-same-selection': { status: 'info', summary: 'The SRV record sets differ, but both views select the same record.' },
    'srv-different-selection': { status: 'info', summary: 'The views select different SRV records; only the external one matters for federation.' },
    'srv-lookup-failed': { status: 'error', summary: 'The SRV lookup failed on one view, so the views could not be compared.' },
    'srv-not-queried': { status: 'error', summary: 'The SRV name was never asked of one view.' },
    'private-address': { status: 'warn', summary: 'On the external view, the SRV target resolves to private addresses the Internet cannot reach.' },
    'target-internal-only': { status: 'warn', summary: 'Only the internal view has addresses for the SRV target.' },
    'target-external-only': { status: 'info', summary: 'Only the external view has addresses for the SRV target: no effect on federation.' },
    'target-in-neither': { status: 'info', summary: 'Neither view has an address for the SRV target (srv-target-address reports it).' },
    'target-same': { status: 'info', summary: 'Both views resolve the SRV target alike.' },
    'target-different': { status: 'info', summary: 'The views resolve the SRV target to different addresses, as split DNS usually does.' },
    'target-lookup-failed': { status: 'error', summary: "The target's lookups failed on one view, so the views could not be compared." },
    'target-not-queried': { status: 'error', summary: 'The SRV target was never asked of one view.' },
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  const internal = target.internalResolvers ?? [];
  if (target.role !== 'local' || internal.length === 0) return [];
  const srvName = sipFederationSrvName(target.domain);
  const views: Views = {
    srvName,
    external: { resolvers: target.resolvers, query: effectiveQuery(target, srvName, 'SRV') },
    internal: { resolvers: internal, query: effectiveQuery(target, srvName, 'SRV', internal) },
  };
  const findings = [judgeSrv(target, views)];
  const externalSelection = views.external.query ? selectSrvRecord(srvData(views.external.query)) : undefined;
  const host = externalSelection ? canonicalName(externalSelection.selected.target) : '.';
  if (host !== '.') findings.push(judgeTargetAddresses(target, host, internal));
  return findings;
}

interface View {
  resolvers: string[];
  query?: DnsQueryObservation;
}

interface Views {
  srvName: string;
  external: View;
  internal: View;
}

function srvData(query: DnsQueryObservation): SrvData[] {
  return finalRecords(query, 'SRV').map((record) => record.data);
}

function viewLabel(name: 'external' | 'internal', view: View): string {
  return `the ${name} view (${view.resolvers.length > 0 ? listOf(view.resolvers) : 'no resolver'})`;
}

function notQueried(target: TargetObservations, what: string, where: string): string {
  const why = target.deadlineExceeded ? ": the run's --timeout expired first" : '';
  return `Could not compare the DNS views: ${what} was never asked of ${where}${why}.`;
}

/** The zone lines of an SRV answer, in the order returned. */
function srvLines(query: DnsQueryObservation): string[] {
  return finalRecords(query, 'SRV').map(zoneLine);
}

/** Records compared by content: owner, TTL and order do not matter to a client that selects one. */
function sameSrvSet(a: SrvData[], b: SrvData[]): boolean {
  const key = (srv: SrvData) => `${srv.priority} ${srv.weight} ${srv.port} ${canonicalName(srv.target)}`;
  const left = [...new Set(a.map(key))].sort();
  const right = [...new Set(b.map(key))].sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

function judgeSrv(target: TargetObservations, views: Views): Finding {
  const { srvName } = views;
  const externalLabel = viewLabel('external', views.external);
  const internalLabel = viewLabel('internal', views.internal);
  const external = views.external.query;
  const internal = views.internal.query;
  if (!external) return found.error('srv-not-queried', srvName, notQueried(target, srvName, externalLabel));
  if (!internal) return found.error('srv-not-queried', srvName, notQueried(target, srvName, internalLabel));
  for (const [query, label] of [
    [external, externalLabel],
    [internal, internalLabel],
  ] as const) {
    if (!isDefinitive(dnsOutcome(query))) {
      return found.error('srv-lookup-failed', srvName, `Could not compare the DNS views: on ${label}, ${srvName} ${describeOutcome(query)}.${deadlineAdvice(query)}`, {
        data: { view: label === externalLabel ? 'external' : 'internal', resolver: query.resolver, outcome: dnsOutcome(query) },
      });
    }
  }

  const externalRecords = srvData(external);
  const internalRecords = srvData(internal);
  const data = { external: srvLines(external), internal: srvLines(internal) };

  if (externalRecords.length === 0 && internalRecords.length === 0) {
    return found.info(
      'srv-in-neither',
      srvName,
      `Neither view has ${srvName}: on ${externalLabel} it ${describeOutcome(external)}, on ${internalLabel} it ` +
        `${describeOutcome(internal)}. The views agree; srv-present reports the missing record.`,
      { data },
    );
  }
  if (externalRecords.length === 0) {
    const internalSelected = selectSrvRecord(internalRecords)!.selected;
    const publicTarget =
      namespacePosition(internalSelected.target, target.domain) === 'child'
        ? canonicalName(internalSelected.target)
        : hostInDomain(internalSelected.target, target.domain);
    return found.warn(
      'srv-internal-only',
      srvName,
      `${capitalised(internalLabel)} has ${srvName} (${quotedList(data.internal)}), but on ` +
        `${externalLabel} it ${describeOutcome(external)}: a split-DNS zone with the federation record on the inside only. ` +
        "Microsoft's edges resolve the public zone, so they cannot find your Expressway-E (they log ms-diagnostics 1008 " +
        `Unable to resolve DNS SRV record) and federation with ${target.domain} fails, although it resolves from every desk.`,
      `Publish the SRV record in the public ${target.domain} zone too, pointing at the Expressway-E's public name: ` +
        `"${srvZoneLine(srvName, { ...internalSelected, target: publicTarget })}" (and A/AAAA records of ${publicTarget} ` +
        "with the Expressway-E's public addresses). If fedcheck's --resolver is itself an internal DNS server, run it " +
        'again with a public resolver to see what the Internet sees.',
      { data },
    );
  }
  const externalSelected = selectSrvRecord(externalRecords)!;
  const externalLine = zoneLine(finalRecords(external, 'SRV')[externalSelected.index]!);
  if (internalRecords.length === 0) {
    return found.info(
      'srv-external-only',
      srvName,
      `${capitalised(externalLabel)} has ${srvName} (Microsoft selects "${externalLine}"); on ${internalLabel} it ` +
        `${describeOutcome(internal)}. That does not affect federation: Microsoft's edges resolve the external view.`,
      { data },
    );
  }
  const internalSelected = selectSrvRecord(internalRecords)!;
  const internalLine = zoneLine(finalRecords(internal, 'SRV')[internalSelected.index]!);
  const sameSelection =
    canonicalName(externalSelected.selected.target) === canonicalName(internalSelected.selected.target) &&
    externalSelected.selected.port === internalSelected.selected.port;

  if (sameSelection && sameSrvSet(externalRecords, internalRecords)) {
    return found.info(
      'srv-same',
      srvName,
      `Both views answer ${srvName} alike: ${externalLabel} with ${quotedList(data.external)}, ${internalLabel} with ` +
        `${quotedList(data.internal)}.`,
      { data },
    );
  }
  if (sameSelection) {
    return found.info(
      'srv-same-selection',
      srvName,
      `Both views select "${externalLine}" (external) and "${internalLine}" (internal), though their record sets differ ` +
        `(external: ${quotedList(data.external)}; internal: ${quotedList(data.internal)}). Microsoft's edges use only ` +
        'the record they select on the external view.',
      { data },
    );
  }
  const outside = namespacePosition(externalSelected.selected.target, target.domain) === 'outside';
  return found.info(
    'srv-different-selection',
    srvName,
    `The views select different records: on ${externalLabel} "${externalLine}" (the one Microsoft's edges use), on ` +
      `${internalLabel} "${internalLine}". Split DNS often does this on purpose (internal clients reach another name); ` +
      `only the external answer matters for federation${outside ? ', and srv-target-namespace judges its target' : ''}.`,
    { data },
  );
}

function judgeTargetAddresses(target: TargetObservations, host: string, internalResolvers: string[]): Finding {
  const externalLabel = viewLabel('external', { resolvers: target.resolvers });
  const internalLabel = viewLabel('internal', { resolvers: internalResolvers });
  const external = hostAddresses(target, host, target.resolvers);
  const internal = hostAddresses(target, host, internalResolvers);
  const privateAddresses = external.addresses
    .map((address) => ({ address, range: privateAddressRange(address) }))
    .filter((entry): entry is { address: string; range: string } => entry.range !== undefined);
  const data = {
    host,
    external: external.addresses,
    internal: internal.addresses,
    ...(privateAddresses.length > 0 ? { privateExternal: privateAddresses.map((entry) => entry.address) } : {}),
  };

  if (privateAddresses.length > 0) {
    const listed = privateAddresses.map((entry) => `${entry.address} (${entry.range})`);
    const records = external.records.filter((record) =>
      privateAddresses.some((entry) => entry.address === record.data.toLowerCase()),
    );
    const owner = external.canonicalHost;
    return found.warn(
      'private-address',
      host,
      `On ${externalLabel}, ${host}${throughAliases(external)}, the SRV target Microsoft selects, resolves to ` +
        `${listOf(listed)}: ${privateAddresses.length === 1 ? 'a private address' : 'private addresses'}, which ` +
        "Microsoft's edges cannot reach from the Internet, so connections to it fail. Internal addresses have leaked " +
        `into the public zone, or the external view is not public${internal.addresses.length > 0 ? ` (the internal view answers ${listOf(internal.addresses)})` : ''}.`,
      `In the public ${target.domain} zone, replace ${quotedList(records.map(zoneLine))} with the Expressway-E's public ` +
        `address${privateAddresses.length === 1 ? '' : 'es'}: "${addressZoneLine(owner, '<Expressway-E public address>')}". ` +
        "If fedcheck's --resolver is an internal DNS server (or fedcheck ran inside your network on the system " +
        'resolvers), run it again with --resolver set to a public resolver to see what the Internet sees.',
      { data },
    );
  }

  for (const [resolved, label] of [
    [external, externalLabel],
    [internal, internalLabel],
  ] as const) {
    if (!resolved.ipv4.last && !resolved.ipv6.last) {
      return found.error('target-not-queried', host, notQueried(target, `the address of ${host}`, label), { data });
    }
    if (!addressesDefinitive(resolved)) {
      return found.error(
        'target-lookup-failed',
        host,
        `Could not compare the DNS views: on ${label}, ${describeAddressLookups(resolved)}.${deadlineAdvice(resolved.ipv4, resolved.ipv6)}`,
        { data },
      );
    }
  }

  const externalText = `${externalLabel} ${listOf(external.addresses)}`;
  const internalText = `${internalLabel} ${listOf(internal.addresses)}`;
  if (external.addresses.length === 0 && internal.addresses.length > 0) {
    return found.warn(
      'target-internal-only',
      host,
      `${capitalised(internalLabel)} resolves ${host}, the SRV target Microsoft selects, to ${listOf(internal.addresses)}, ` +
        `but ${externalLabel} has no address for it (${describeAddressLookups(external)}): the public zone lacks its ` +
        "A/AAAA records, so Microsoft's edges find the SRV record and have nowhere to connect (srv-target-address).",
      `Publish ${host}'s public addresses in the public ${target.domain} zone: ` +
        `"${addressZoneLine(external.canonicalHost, '<Expressway-E public address>')}", one record per Expressway-E peer.`,
      { data },
    );
  }
  if (external.addresses.length === 0) {
    return found.info(
      'target-in-neither',
      host,
      `Neither view has an address for ${host} (external: ${describeAddressLookups(external)}; internal: ` +
        `${describeAddressLookups(internal)}). The views agree; srv-target-address reports the missing records.`,
      { data },
    );
  }
  if (internal.addresses.length === 0) {
    return found.info(
      'target-external-only',
      host,
      `${capitalised(externalLabel)} resolves ${host} to ${listOf(external.addresses)}; ${internalLabel} has no address ` +
        `for it (${describeAddressLookups(internal)}). That does not affect federation: Microsoft's edges resolve the external view.`,
      { data },
    );
  }
  const externalSorted = [...external.addresses].sort();
  const internalSorted = [...internal.addresses].sort();
  const same =
    externalSorted.length === internalSorted.length &&
    externalSorted.every((address, index) => address === internalSorted[index]);
  if (same) {
    return found.info('target-same', host, `Both views resolve ${host} alike: ${externalText}, ${internalText}.`, { data });
  }
  return found.info(
    'target-different',
    host,
    `The views resolve ${host} differently: ${externalText} (what Microsoft's edges connect to), ${internalText}. ` +
      'That is usual with split DNS (inside, the name leads to an internal interface).',
    { data },
  );
}

export const check: Check = { meta, run };
