// The prerequisites most DNS and TLS checks share: the federation SRV records Microsoft's edge
// may select (one, or every record tied for first place), their target hosts, and how to change
// a selected record; when unmet, the skip variant and the reason to give.
import type { Finding } from '../../model/findings.js';
import type { DnsQueryObservation, SrvData, TargetObservations } from '../../model/observations.js';
import {
  canonicalName,
  describeOutcome,
  federationSrvLookup,
  selectSrvRecords,
  sipFederationSrvName,
  type SrvSelection,
} from '../../model/dns.js';
import type { CodeTable } from '../types.js';
import type { Skipper } from './findings.js';
import { namespacePosition } from './namespace.js';
import { plural, quotedList } from './wording.js';
import { srvZoneLine, zoneLine, type CnameRecord, type SrvRecord } from './zone-file.js';

/** The skip variant of a check that needs the federation SRV record (federationSrv). */
export const SRV_PREREQUISITE_CODES = {
  'no-srv': { status: 'skip', summary: 'No SRV record to judge (see srv-present).' },
} satisfies CodeTable;

/** The skip variants of a check that needs the selected SRV records' hosts (federationSrvTarget). */
export const SRV_TARGET_PREREQUISITE_CODES = {
  ...SRV_PREREQUISITE_CODES,
  'srv-unavailable': { status: 'skip', summary: 'The selected SRV record has target "." (see srv-available).' },
} satisfies CodeTable;

/**
 * The error variants of a check that reads the A/AAAA lookups of the SRV target; `unknown`
 * completes "The target's lookups failed, so … is unknown.".
 */
export function srvTargetLookupCodes(unknown: string) {
  return {
    'lookup-failed': { status: 'error', summary: `The target's lookups failed, so ${unknown} is unknown.` },
    'not-queried': { status: 'error', summary: 'The SRV target was never looked up.' },
  } satisfies CodeTable;
}

/**
 * Either what a check needs, or why it cannot run: skip with `variant`, `subject` and `reason`.
 * "no-srv": no SRV record to judge; "srv-unavailable": every selected record's target is ".".
 */
export type Prerequisite<T, Variant extends string> =
  | { met: true; value: T }
  | { met: false; variant: Variant; subject: string; reason: string };

/** One host Microsoft's edge may connect to, and the selected records that point at it. */
export interface SrvTarget {
  /** Canonical name. */
  host: string;
  /** The selected records with this target (one, unless tied records differ only in port). */
  records: SrvRecord[];
}

export interface FederationSrv {
  domain: string;
  /** `_sipfederationtls._tcp.<domain>` */
  srvName: string;
  /** The query holding the SRV records: at the end of the SRV name's alias chain, if it has one. */
  query: DnsQueryObservation;
  /** Every SRV record, with owner and TTL, in Microsoft's order of preference (never the order returned). */
  records: SrvRecord[];
  selection: SrvSelection<SrvRecord>;
  /** The records Microsoft's edge may use: one, or every record tied for first place. */
  selected: SrvRecord[];
  /** The distinct hosts of the selected records, "." left out, in selection order. */
  targets: SrvTarget[];
  /** CNAME records leading away from the SRV name, when the SRV name itself is an alias. */
  ownerAliases: CnameRecord[];
}

/**
 * The federation SRV record set of a target, when srv-present passes (at least one SRV record
 * was found on the external resolvers, following the SRV name's alias). Otherwise a skip reason.
 */
export function federationSrv(target: TargetObservations): Prerequisite<FederationSrv, 'no-srv'> {
  const srvName = sipFederationSrvName(target.domain);
  const lookup = federationSrvLookup(target);
  const query = lookup.last;
  if (!query) {
    const why = target.deadlineExceeded ? " (the run's --timeout expired first)" : '';
    return { met: false, variant: 'no-srv', subject: srvName, reason: `Not checked: ${srvName} was never queried${why}.` };
  }
  const selection = selectSrvRecords(lookup.records);
  if (!selection) {
    return {
      met: false,
      variant: 'no-srv',
      subject: srvName,
      reason: `Not checked: ${query.name} ${describeOutcome(query)}, so there is no SRV record to judge (see srv-present).`,
    };
  }
  const targets = new Map<string, SrvTarget>();
  for (const record of selection.selected) {
    const host = canonicalName(record.data.target);
    if (host === '.') continue;
    const entry = targets.get(host);
    if (entry) entry.records.push(record);
    else targets.set(host, { host, records: [record] });
  }
  return {
    met: true,
    value: {
      domain: target.domain,
      srvName,
      query,
      records: selection.records,
      selection,
      selected: selection.selected,
      targets: [...targets.values()],
      ownerAliases: lookup.aliases,
    },
  };
}

/** Like federationSrv, and additionally a selected record names a host (its target is not "."). */
export function federationSrvTarget(target: TargetObservations): Prerequisite<FederationSrv, 'no-srv' | 'srv-unavailable'> {
  const srv = federationSrv(target);
  if (!srv.met || srv.value.targets.length > 0) return srv;
  return {
    met: false,
    variant: 'srv-unavailable',
    subject: srv.value.srvName,
    reason:
      `Not checked: the SRV record Microsoft selects, "${zoneLine(srv.value.selected[0]!)}", has target "." ` +
      `(service not available at ${target.domain}, see srv-available), so there is no host to check.`,
  };
}

/** `judge`'s findings on the federation SRV record, or the one skip that says why there is none to judge. */
export function judgeFederationSrv(
  target: TargetObservations,
  found: Skipper<'no-srv'>,
  judge: (srv: FederationSrv) => Finding[],
): Finding[] {
  return judgeWhenMet(federationSrv(target), found, judge);
}

/** `judge`'s findings on the selected SRV records' hosts, or the one skip that says why there is none. */
export function judgeFederationSrvTarget(
  target: TargetObservations,
  found: Skipper<'no-srv' | 'srv-unavailable'>,
  judge: (srv: FederationSrv) => Finding[],
): Finding[] {
  return judgeWhenMet(federationSrvTarget(target), found, judge);
}

/**
 * `judge`'s findings on each host Microsoft's edge may select (normally one; every tied one on a
 * tie), or the one skip that says why there is none.
 */
export function judgeEachSrvTarget(
  target: TargetObservations,
  found: Skipper<'no-srv' | 'srv-unavailable'>,
  judge: (srv: FederationSrv, srvTarget: SrvTarget) => Finding[],
): Finding[] {
  return judgeFederationSrvTarget(target, found, (srv) => srv.targets.flatMap((srvTarget) => judge(srv, srvTarget)));
}

function judgeWhenMet<Variant extends string>(
  prerequisite: Prerequisite<FederationSrv, Variant>,
  found: Skipper<Variant>,
  judge: (srv: FederationSrv) => Finding[],
): Finding[] {
  if (!prerequisite.met) return [found.skip(prerequisite.variant, prerequisite.subject, prerequisite.reason)];
  return judge(prerequisite.value);
}

/**
 * "the SRV target Microsoft selects", or on a tie "one of the 2 SRV targets Microsoft may select
 * (tied records: the resolver's order decides)", for messages about one host.
 */
export function selectedTargetPhrase(srv: FederationSrv): string {
  if (srv.targets.length < 2) return 'the SRV target Microsoft selects';
  return `one of the ${srv.targets.length} SRV targets Microsoft may select (their records tie, so the resolver's order decides)`;
}

/**
 * `The SRV record Microsoft selects, "…",` or on a tie `The SRV records Microsoft may select
 * (N tied records), "…" and "…",` for messages about the selected records.
 */
export function selectedRecordsPhrase(records: readonly SrvRecord[], srv: FederationSrv): string {
  const lines = quotedList(records.map(zoneLine));
  if (!srv.selection.tie) return `The SRV record Microsoft selects, ${lines},`;
  const which = records.length === srv.selected.length ? '' : ` (${plural(records.length, 'record')} of ${srv.selected.length} tied for first place)`;
  return records.length === 1
    ? `The SRV record ${lines}, one of the ${srv.selected.length} tied records Microsoft may select,`
    : `The SRV records Microsoft may select${which}, ${lines},`;
}

/**
 * The SRV name is an alias of another domain's SRV name (`_sipfederationtls._tcp.a.test CNAME
 * _sipfederationtls._tcp.b.test`): the records are that domain's, not this one's to edit.
 */
export function recordsOfAnotherDomain(srv: FederationSrv): boolean {
  const owner = srv.records[0]?.name;
  return srv.ownerAliases.length > 0 && owner !== undefined && namespacePosition(owner, srv.domain) === 'outside';
}

/**
 * How to turn a selected record into one with `replacement` data, as an action clause (no
 * capital, no full stop): `change "old" to "new"`. When the records are another domain's (the SRV
 * name is an alias of its SRV name), changing them would break that domain: the alias gives way
 * to this domain's own SRV record instead.
 */
export function srvRecordChange(srv: FederationSrv, record: SrvRecord, replacement: SrvData): string {
  const alias = srv.ownerAliases[0];
  if (!alias || !recordsOfAnotherDomain(srv)) {
    return `change "${zoneLine(record)}" to "${srvZoneLine(record.name, replacement, record.ttl)}"`;
  }
  return (
    `replace "${zoneLine(alias)}" with ${srv.domain}'s own SRV record, "${srvZoneLine(srv.srvName, replacement, record.ttl)}" ` +
    `(${srv.srvName} is an alias of ${record.name}, which belongs to another domain: leave that record as it is)`
  );
}

