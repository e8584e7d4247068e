import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { hostAddresses } from './shared/addresses.js';
import { findingBuilder } from './shared/findings.js';
import { SRV_PREREQUISITE_CODES, judgeFederationSrv, type FederationSrv } from './shared/srv.js';
import { askPartner, isPartner, listOf, plural, quotedList } from './shared/wording.js';
import { addressZoneLine, zoneLine, type SrvRecord } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'srv-single',
  title: 'Exactly one federation SRV record',
  severity: 'warn',
  roles: ['local', 'partner'],
  rule:
    'The federation SRV name has exactly one record. Microsoft edges ignore SRV load balancing: they take the ' +
    'lowest priority, then the highest weight, and on a tie the first record returned, and never use the others.',
  impact:
    'Extra SRV records give neither failover nor load balancing with Microsoft: the peers behind the records ' +
    'Microsoft does not select receive no federation traffic, and on a tie the selected record can change ' +
    'from one lookup to the next with the order of the DNS answer.',
  source: 'Seed "Limitations Related to DNS" › DNS Load Balancing by Microsoft Skype for Business',
  remediation:
    'Keep a single SRV record pointing at one name (e.g. sip.<domain>) that holds an A/AAAA record for every ' +
    'Expressway-E peer: round-robin DNS, which Microsoft best practices recommend.',
  codes: {
    pass: { status: 'pass', summary: 'The federation SRV name has exactly one record.' },
    several: { status: 'warn', summary: 'Several SRV records: Microsoft uses only the one it selects, with no failover.' },
    ...SRV_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  return judgeFederationSrv(target, found, (srv) => judgeRecordCount(target, srv));
}

function judgeRecordCount(target: TargetObservations, srv: FederationSrv): Finding[] {
  const { srvName, records, selection, selectedRecord } = srv;
  const selectedLine = zoneLine(selectedRecord);
  const data = {
    records: records.map((record) => ({ owner: record.name, ttl: record.ttl, ...record.data })),
    selectedIndex: selection.index,
    reason: selection.reason,
  };
  if (records.length === 1) {
    return [found.pass('pass', srvName, `${srvName} has exactly one SRV record, "${selectedLine}".`, { data })];
  }

  const ignored = records.filter((_, index) => index !== selection.index).map(zoneLine);
  const [verb, pronoun] = ignored.length === 1 ? ['is', 'it'] : ['are', 'them'];
  const tied = records.filter(
    (record) => record.data.priority === selection.selected.priority && record.data.weight === selection.selected.weight,
  );
  const tie =
    tied.length > 1
      ? ' The order of records in a DNS answer is not stable, so which record wins a tie can change from one lookup to the next.'
      : '';
  // The fix lists every record to delete; the message needs only a few to make its point.
  const ignoredText =
    ignored.length > 5 ? `${quotedList(ignored.slice(0, 3))} and ${ignored.length - 3} more records` : quotedList(ignored);
  const consequence = isPartner(target)
    ? `${ignoredText} ${verb} never used by Microsoft edges, and fedcheck probes only the selected target.`
    : `${ignoredText} ${verb} never used by Microsoft, so the peers behind ${pronoun} get no federation ` +
      'traffic from Microsoft and give no failover.';
  return [
    found.warn(
      'several',
      srvName,
      `${srvName} has ${plural(records.length, 'SRV record')}. Microsoft edges do not use SRV priorities and weights ` +
        'for failover or load balancing: they take the lowest priority, then the highest weight, and on a tie the ' +
        `first record returned, and never use the others. They select "${selectedLine}" (${selection.reason}).${tie} ${consequence}`,
      remediation(target, srv),
      { data },
    ),
  ];
}

function remediation(target: TargetObservations, srv: FederationSrv): string {
  const keep = recordToKeep(srv);
  const keepLine = zoneLine(keep);
  const deleteLines = srv.records.filter((record) => record !== keep).map(zoneLine);
  const keepHost = keep.data.target;
  if (isPartner(target)) {
    return askPartner(
      target.domain,
      `keep only "${keepLine}" and publish every edge server as an A/AAAA record of ${keepHost} (round-robin DNS, Microsoft's recommended load balancing).`,
    );
  }
  const known = new Set(hostAddresses(target, keepHost).addresses);
  const otherHosts = [...new Set(srv.records.map((record) => record.data.target))].filter(
    (host) => host !== keepHost && host !== '.',
  );
  const missing = otherHosts
    .flatMap((host) => hostAddresses(target, host).addresses)
    .filter((address, index, all) => !known.has(address) && all.indexOf(address) === index);
  const peers =
    missing.length > 0
      ? ` Then add the peers the deleted records pointed at to ${keepHost}: ${quotedList(missing.map((address) => addressZoneLine(keepHost, address)))}.`
      : otherHosts.length > 0
        ? ` Then make sure ${keepHost} has an A/AAAA record for every Expressway-E peer, including those behind ${listOf(otherHosts)}.`
        : '';
  return (
    `Keep only "${keepLine}" and delete ${quotedList(deleteLines)}: one SRV record pointing at one name that holds ` +
    `an A/AAAA record for each Expressway-E peer (round-robin DNS, as Microsoft best practices recommend).${peers}`
  );
}

/** The record Microsoft selects, unless it is a "." record and a real one exists (then keep that). */
function recordToKeep(srv: FederationSrv): SrvRecord {
  if (srv.host !== '.') return srv.selectedRecord;
  return srv.records.find((record) => record.data.target !== '.') ?? srv.selectedRecord;
}

export const check: Check = { meta, run };
