// The prerequisites most DNS and TLS checks share: the federation SRV record Microsoft's edge
// selects, and its target host; when unmet, the skip variant and the reason to give.
import type { Finding } from '../../model/findings.js';
import type { DnsQueryObservation, TargetObservations } from '../../model/observations.js';
import {
  canonicalName,
  cnameChain,
  describeOutcome,
  effectiveQuery,
  finalRecords,
  selectSrvRecord,
  sipFederationSrvName,
  type SrvSelection,
} from '../../model/dns.js';
import type { CodeTable } from '../types.js';
import type { Skipper } from './findings.js';
import { zoneLine, type CnameRecord, type SrvRecord } from './zone-file.js';

/** The skip variant of a check that needs the federation SRV record (federationSrv). */
export const SRV_PREREQUISITE_CODES = {
  'no-srv': { status: 'skip', summary: 'No SRV record to judge (see srv-present).' },
} satisfies CodeTable;

/** The skip variants of a check that needs the selected SRV record's host (federationSrvTarget). */
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
 * "no-srv": no SRV record to judge; "srv-unavailable": the selected record's target is ".".
 */
export type Prerequisite<T, Variant extends string> =
  | { met: true; value: T }
  | { met: false; variant: Variant; subject: string; reason: string };

export interface FederationSrv {
  domain: string;
  /** `_sipfederationtls._tcp.<domain>` */
  srvName: string;
  /** The SRV query the run settled on (see effectiveQuery). */
  query: DnsQueryObservation;
  /** All SRV records as returned, with owner name and TTL (the owner differs when the SRV name is an alias). */
  records: SrvRecord[];
  /** Microsoft's choice among `records` (same index order). */
  selection: SrvSelection;
  selectedRecord: SrvRecord;
  /** Canonical name of the selected target; "." when the record declares the service unavailable. */
  host: string;
  port: number;
  /** CNAME records leading away from the SRV name, when the SRV name itself is an alias. */
  ownerAliases: CnameRecord[];
}

/**
 * The federation SRV record set of a target, when srv-present passes (at least one SRV record
 * was found on the external resolvers). Otherwise a skip reason naming what went wrong.
 */
export function federationSrv(target: TargetObservations): Prerequisite<FederationSrv, 'no-srv'> {
  const srvName = sipFederationSrvName(target.domain);
  const query = effectiveQuery(target, srvName, 'SRV');
  if (!query) {
    const why = target.deadlineExceeded ? " (the run's --timeout expired first)" : '';
    return { met: false, variant: 'no-srv', subject: srvName, reason: `Not checked: ${srvName} was never queried${why}.` };
  }
  const records = finalRecords(query, 'SRV');
  const selection = selectSrvRecord(records.map((record) => record.data));
  const selectedRecord = selection ? records[selection.index] : undefined;
  if (!selection || !selectedRecord) {
    return {
      met: false,
      variant: 'no-srv',
      subject: srvName,
      reason: `Not checked: ${srvName} ${describeOutcome(query)}, so there is no SRV record to judge (see srv-present).`,
    };
  }
  return {
    met: true,
    value: {
      domain: target.domain,
      srvName,
      query,
      records,
      selection,
      selectedRecord,
      host: canonicalName(selection.selected.target),
      port: selection.selected.port,
      ownerAliases: cnameChain(query),
    },
  };
}

/** Like federationSrv, and additionally the selected record names a host (its target is not "."). */
export function federationSrvTarget(target: TargetObservations): Prerequisite<FederationSrv, 'no-srv' | 'srv-unavailable'> {
  const srv = federationSrv(target);
  if (!srv.met || srv.value.host !== '.') return srv;
  return {
    met: false,
    variant: 'srv-unavailable',
    subject: srv.value.srvName,
    reason:
      `Not checked: the SRV record Microsoft selects, "${zoneLine(srv.value.selectedRecord)}", has target "." ` +
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

/** `judge`'s findings on the selected SRV record's host, or the one skip that says why there is none. */
export function judgeFederationSrvTarget(
  target: TargetObservations,
  found: Skipper<'no-srv' | 'srv-unavailable'>,
  judge: (srv: FederationSrv) => Finding[],
): Finding[] {
  return judgeWhenMet(federationSrvTarget(target), found, judge);
}

function judgeWhenMet<Variant extends string>(
  prerequisite: Prerequisite<FederationSrv, Variant>,
  found: Skipper<Variant>,
  judge: (srv: FederationSrv) => Finding[],
): Finding[] {
  if (!prerequisite.met) return [found.skip(prerequisite.variant, prerequisite.subject, prerequisite.reason)];
  return judge(prerequisite.value);
}
