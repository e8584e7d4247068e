import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { cnameChain, describeOutcome, finalRecords, selectSrvRecord } from '../model/dns.js';
import {
  MICROSOFT_365_CLOUDS,
  readMicrosoft365Records,
  type Microsoft365Cloud,
  type Microsoft365RecordReading,
} from '../model/microsoft365.js';
import { deadlineAdvice } from './shared/deadline.js';
import { SRV_TARGET_PREREQUISITE_CODES, federationSrvTarget } from './shared/srv.js';
import { findingBuilder } from './shared/findings.js';
import { askPartner, capitalised, isPartner, quotedList } from './shared/wording.js';
import { DEFAULT_ZONE_TTL, absoluteName, srvZoneLine, zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const PLAN_HYBRID_TITLE = 'Plan hybrid connectivity between Skype for Business Server and Teams';
const DISABLE_HYBRID_TITLE = 'Disable hybrid to complete migration to the cloud';
const PLAN_HYBRID =
  `Microsoft Learn, "${PLAN_HYBRID_TITLE}", DNS settings ` +
  '("all Skype for Business external DNS records should point to the on-premises infrastructure")';
const DISABLE_HYBRID = `Microsoft Learn, "${DISABLE_HYBRID_TITLE}" ("Update DNS to point to Microsoft 365")`;

const meta = {
  id: 'm365-records',
  title: 'Teams / Skype for Business records agree with the federation record',
  severity: 'warn',
  roles: ['local', 'partner'],
  rule:
    'When _sipfederationtls._tcp.<domain> points at Microsoft 365, _sip._tls.<domain> (SRV, port 443) and the sip and ' +
    'lyncdiscover CNAMEs point at the same cloud\'s sipdir and webdir hosts. A set split between Microsoft 365 and an ' +
    'on-premises edge, in either direction, is a warning; for a domain federating on-premises the records are information.',
  impact:
    'A half-finished move between Skype for Business Server and Microsoft 365 sends federated traffic to one side and ' +
    'clients, phones and autodiscover to the other: users homed on the other side cannot be reached by federated ' +
    'organizations and presence works one way only.',
  source:
    `${PLAN_HYBRID}; ${DISABLE_HYBRID}; ${MICROSOFT_365_CLOUDS.filter((cloud) => cloud.name !== MICROSOFT_365_CLOUDS[0]!.name).map((cloud) => cloud.source).join('; ')}; ` +
    'Office365DnsChecker Test-TeamsRecords; DESIGN.md §2',
  remediation:
    'Point all four records where the users are homed: every one at Microsoft 365 once the move is complete, every one ' +
    'at the on-premises edge and reverse proxy while users are homed on-premises.',
  codes: {
    'record-ok': { status: 'pass', summary: 'The record points at the Microsoft 365 host it should, in the cloud of the federation record.' },
    'record-wrong': { status: 'warn', summary: 'The record points at a Microsoft 365 host, but not the right one (host, port or cloud).' },
    'record-absent': { status: 'info', summary: 'The record does not exist: only Skype for Business clients and phones use it.' },
    'on-premises': { status: 'info', summary: 'The domain federates on-premises and no record points at Microsoft 365: where each points.' },
    split: { status: 'warn', summary: 'The records are split between Microsoft 365 and on-premises: a half-finished hybrid move.' },
    'lookup-failed': { status: 'error', summary: 'The lookup failed, so where the record points is unknown.' },
    ...SRV_TARGET_PREREQUISITE_CODES,
    'not-gathered': { status: 'skip', summary: 'The other records were never looked up (a report from an earlier fedcheck, or the deadline).' },
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  const srv = federationSrvTarget(target);
  if (!srv.met) return [found.skip(srv.variant, srv.subject, srv.reason)];
  const readings = readMicrosoft365Records(target);
  const [federation, ...others] = readings as [Microsoft365RecordReading, ...Microsoft365RecordReading[]];
  const placement = federation.placement;
  // federationSrvTarget and the readings read the same query: a selected target has a placement.
  if (placement.kind !== 'microsoft365' && placement.kind !== 'on-premises') return [found.skip('no-srv', federation.name, `Not checked: ${federation.name} has no target to compare with.`)];
  // sip.<domain> is often also the SRV target, asked by every fedcheck: only the records no other
  // check asks for tell whether this check's lookups were made.
  if (others.filter((reading) => reading.spec.kind !== 'sip').every((reading) => reading.query === undefined)) {
    const why = target.deadlineExceeded ? ": the run's --timeout expired first" : ' (a report from a fedcheck without this check)';
    return [found.skip('not-gathered', target.domain, `Not checked: the other Teams / Skype for Business records of ${target.domain} were never looked up${why}.`)];
  }
  // A record never asked (the run's deadline) is not a failed lookup: it is left out of the judgment.
  const failed = readings.filter((reading) => reading.placement.kind === 'unknown' && reading.query !== undefined).map(lookupFailed);
  if (placement.kind === 'on-premises') {
    // Federation reaches an on-premises edge: the records are information, unless one leads to Microsoft 365.
    const inCloud = others.filter((reading) => reading.placement.kind === 'microsoft365');
    if (inCloud.length > 0) return [splitFinding(target, readings, undefined), ...failed];
    const layout = readings.filter((reading) => reading.placement.kind !== 'unknown').map((reading) => `${reading.name} → ${whereText(reading)}`);
    return [
      found.info('on-premises', target.domain, `${target.domain} federates on-premises, and none of its Teams / Skype for Business records points at Microsoft 365: ${layout.join('; ')}.`, {
        data: { records: readings.map(recordData) },
      }),
      ...failed,
    ];
  }
  const cloud = placement.cloud;
  const findings: Finding[] = [];
  for (const reading of readings) {
    const finding = cloudRecordFinding(target, reading, cloud);
    if (finding) findings.push(finding);
  }
  if (others.some((reading) => reading.placement.kind === 'on-premises')) findings.push(splitFinding(target, readings, cloud));
  return [...findings, ...failed];
}

/** "sipdir.online.lync.com:443 (Microsoft 365 (worldwide))", "192.0.2.121 (on-premises)". */
function whereText(reading: Microsoft365RecordReading): string {
  const placement = reading.placement;
  switch (placement.kind) {
    case 'microsoft365':
      return `${placement.host}${placement.port !== undefined ? `:${placement.port}` : ''} (${placement.cloud.name})`;
    case 'on-premises': {
      const port = placement.port !== undefined ? `:${placement.port}` : '';
      const target = placement.host === reading.name && placement.addresses.length > 0 ? placement.addresses.join(', ') : `${placement.host}${port}`;
      return `${target} (on-premises)`;
    }
    case 'absent':
      return placement.outcome === 'nxdomain' ? 'no record (NXDOMAIN)' : 'no record (NODATA)';
    case 'unknown':
      return 'unknown (lookup failed)';
  }
}

/** The record as the zone holds it today: the selected SRV record, the CNAME, or the A records. */
function currentLines(reading: Microsoft365RecordReading): string[] {
  const query = reading.query;
  if (!query) return [];
  if (reading.spec.queryType === 'SRV') {
    const records = finalRecords(query, 'SRV');
    const selection = selectSrvRecord(records.map((record) => record.data));
    const selected = selection ? records[selection.index] : undefined;
    return selected ? [zoneLine(selected)] : [];
  }
  const alias = cnameChain(query)[0];
  return alias ? [zoneLine(alias)] : finalRecords(query, 'A').map(zoneLine);
}

/** The record Microsoft 365 publishes for this name in `cloud`. */
function expectedLine(reading: Microsoft365RecordReading, cloud: Microsoft365Cloud): string {
  const host = reading.spec.expectedHost(cloud);
  if (reading.spec.recordType === 'SRV') {
    return srvZoneLine(reading.name, { priority: 100, weight: 1, port: reading.spec.port ?? 443, target: host });
  }
  return `${absoluteName(reading.name)} ${DEFAULT_ZONE_TTL} IN CNAME ${absoluteName(host)}`;
}

function fixFor(target: TargetObservations, action: string): string {
  return isPartner(target) ? askPartner(target.domain, action) : capitalised(action);
}

function recordData(reading: Microsoft365RecordReading): Record<string, unknown> {
  return { record: reading.spec.kind, name: reading.name, placement: placementData(reading) };
}

function lookupFailed(reading: Microsoft365RecordReading): Finding {
  const outcome = reading.query ? describeOutcome(reading.query) : 'was never queried';
  return found.error(
    'lookup-failed',
    reading.name,
    `Where ${reading.name} (${reading.spec.purpose}) points is unknown: it ${outcome}.${deadlineAdvice(reading.query)}`,
    { data: recordData(reading) },
  );
}

/**
 * One record of a domain hosted by Microsoft 365: right, wrong, or absent. A record that points
 * on-premises is the split finding's, and a failed lookup is lookupFailed's.
 */
function cloudRecordFinding(target: TargetObservations, reading: Microsoft365RecordReading, cloud: Microsoft365Cloud): Finding | undefined {
  const { name, placement, spec } = reading;
  const data = recordData(reading);
  const where = whereText(reading);
  switch (placement.kind) {
    case 'unknown':
    case 'on-premises':
      return undefined;
    case 'absent':
      return found.info(
        'record-absent',
        name,
        `${name} has ${where}. Teams does not use it, but Skype for Business clients and phones signing in with ${target.domain} ` +
          `do (${spec.purpose}), and ${cloud.name} lists it among the domain's records.`,
        { data, remediation: `If Skype for Business clients or phones sign in with ${target.domain}, create "${expectedLine(reading, cloud)}".` },
      );
    case 'microsoft365': {
      const rightHost = spec.kind === 'federation' || (placement.cloud === cloud && placement.expected);
      if (rightHost) {
        return found.pass('record-ok', name, `${name} points at ${where}, as ${cloud.name} publishes it for ${spec.purpose}.`, { data });
      }
      const wrong =
        placement.cloud !== cloud
          ? `a host of ${placement.cloud.name}, while the domain federates with ${cloud.name}: clients are sent to the wrong cloud and cannot sign in`
          : placement.host !== spec.expectedHost(cloud)
            ? `${placement.host}, where ${cloud.name} publishes ${spec.expectedHost(cloud)} for ${spec.purpose}`
            : `port ${placement.port}, where ${cloud.name} publishes port ${spec.port}`;
      return found.warn(
        'record-wrong',
        name,
        `${name} points at ${where}: ${wrong}.`,
        fixFor(target, `change ${quotedList(currentLines(reading))} to "${expectedLine(reading, cloud)}".`),
        { data },
      );
    }
  }
}

function placementData(reading: Microsoft365RecordReading): Record<string, unknown> {
  const placement = reading.placement;
  switch (placement.kind) {
    case 'microsoft365':
      return { kind: placement.kind, host: placement.host, cloud: placement.cloud.name, ...(placement.port !== undefined ? { port: placement.port } : {}) };
    case 'on-premises':
      return { kind: placement.kind, host: placement.host, addresses: placement.addresses, ...(placement.port !== undefined ? { port: placement.port } : {}) };
    case 'absent':
      return { kind: placement.kind, outcome: placement.outcome };
    case 'unknown':
      return { kind: placement.kind };
  }
}

function splitFinding(target: TargetObservations, readings: readonly Microsoft365RecordReading[], cloud: Microsoft365Cloud | undefined): Finding {
  const [federation] = readings as [Microsoft365RecordReading];
  const listed = readings.filter((reading) => reading.placement.kind === 'microsoft365' || reading.placement.kind === 'on-premises');
  const layout = listed.map((reading) => `${reading.name} → ${whereText(reading)}`).join('; ');
  const onPremises = listed.filter((reading) => reading.placement.kind === 'on-premises');
  const microsoft = listed.filter((reading) => reading.placement.kind === 'microsoft365');
  const data = { records: listed.map(recordData) };
  const edge = onPremisesEdge(onPremises);
  let message: string;
  let action: string;
  if (cloud) {
    message =
      `The Teams / Skype for Business records of ${target.domain} are split: ${layout}. Federated organizations send SIP to ` +
      `${cloud.name} while Skype for Business clients, phones and autodiscover go on-premises: users homed on-premises cannot be ` +
      'reached over federation and presence works one way only (a half-finished move to Microsoft 365).';
    const toCloud = onPremises.map((reading) => `${quotedList(currentLines(reading))} to "${expectedLine(reading, cloud)}"`);
    action =
      `point every record where the users are homed. If all of them are homed in ${cloud.name}, in Teams Only mode, finish the ` +
      `move: change ${toCloud.join(', and ')} (Microsoft: "${DISABLE_HYBRID_TITLE}"). If users are still homed on-premises, all these ` +
      `records must point on-premises (Microsoft: "${PLAN_HYBRID_TITLE}"): ${backOnPremises(federation, edge)} until the move is complete.`;
  } else {
    const otherCloud = (microsoft[0]!.placement as { cloud: Microsoft365Cloud }).cloud;
    message =
      `The Teams / Skype for Business records of ${target.domain} are split: ${layout}. Federated organizations send SIP to the ` +
      `on-premises edge while ${microsoft.map((reading) => reading.name).join(' and ')} lead${microsoft.length === 1 ? 's' : ''} clients to ` +
      `${otherCloud.name}: users homed on one side are not found from the other, and presence works one way only.`;
    const toCloud = onPremises.map((reading) => `${quotedList(currentLines(reading))} to "${expectedLine(reading, otherCloud)}"`);
    action =
      `point every record where the users are homed. While users are homed on-premises, all these records must point on-premises ` +
      `(Microsoft: "${PLAN_HYBRID_TITLE}"): ${microsoft.map((reading) => backOnPremises(reading, edge)).join(', and ')}. ` +
      `If they have all moved to ${otherCloud.name}, finish the move instead: change ${toCloud.join(', and ')}.`;
  }
  return found.warn('split', target.domain, message, fixFor(target, action), { data });
}

/** The on-premises Access Edge the SRV records name, for records that must point back at it. */
function onPremisesEdge(onPremises: readonly Microsoft365RecordReading[]): string | undefined {
  const srv = onPremises.find((reading) => reading.spec.recordType === 'SRV');
  return srv?.placement.kind === 'on-premises' ? srv.placement.host : undefined;
}

/**
 * How one record goes back on-premises: the SRV records and sip to the Access Edge, lyncdiscover
 * to the reverse proxy that publishes the web services.
 */
function backOnPremises(reading: Microsoft365RecordReading, edge: string | undefined): string {
  const current = quotedList(currentLines(reading));
  if (reading.spec.kind === 'lyncdiscover') {
    return `replace ${current} with an A record of the on-premises reverse proxy ("${absoluteName(reading.name)} ${DEFAULT_ZONE_TTL} IN A <reverse proxy public IPv4>")`;
  }
  if (!edge) return `point ${reading.name} at the on-premises Access Edge instead of ${current}`;
  const line =
    reading.spec.recordType === 'SRV'
      ? srvZoneLine(reading.name, { priority: 100, weight: 1, port: reading.spec.port ?? 443, target: edge })
      : `${absoluteName(reading.name)} ${DEFAULT_ZONE_TTL} IN CNAME ${absoluteName(edge)}`;
  return `change ${current} to "${line}"`;
}

export const check: Check = { meta, run };
