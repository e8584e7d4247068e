// What changed between an earlier run (`--baseline`, a saved JSON report) and this one, per
// target: the SRV record set, the record Microsoft selects, its target's addresses, each peer's
// certificate and TLS version, and the findings that appeared or went away. Pure: two results
// in, a list of changes out. A value is compared only where both runs know it: a lookup that
// timed out or a handshake that failed says nothing about a record or a certificate (the
// findings say what went wrong).
import {
  CHANGE_KINDS,
  type CertificateSummary,
  type Change,
  type Finding,
  type FindingSummary,
  type RunResult,
  type Status,
  type TargetResult,
} from '../model/findings.js';
import {
  canonicalName,
  dnsOutcome,
  effectiveQuery,
  finalRecords,
  isDefinitive,
  lookupAddresses,
  selectSrvRecord,
  sipFederationSrvName,
} from '../model/dns.js';
import { formatEndpoint } from '../model/ip.js';
import type { CertificateInfo, TargetObservations, TlsProbeObservation } from '../model/observations.js';

/** Findings worth noticing when they come or go; passes and skips follow from them. */
const NOTED_STATUSES: ReadonlySet<Status> = new Set(['info', 'warn', 'fail', 'error']);

interface SrvState {
  records: string[];
  /** "target:port" of the record Microsoft selects, null without records. */
  selected: string | null;
  /** The selected target when it names a host. */
  host?: string;
}

function srvState(target: TargetObservations): SrvState | undefined {
  const query = effectiveQuery(target, sipFederationSrvName(target.domain), 'SRV');
  if (!query || !isDefinitive(dnsOutcome(query))) return undefined;
  const records = finalRecords(query, 'SRV').map((record) => record.data);
  const selection = selectSrvRecord(records);
  const selectedHost = selection ? canonicalName(selection.selected.target) : undefined;
  // In the order Microsoft's edge prefers them: lowest priority, then highest weight.
  const ordered = [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.port - b.port || a.target.localeCompare(b.target));
  return {
    records: ordered.map(({ priority, weight, port, target: host }) => `${priority} ${weight} ${port} ${canonicalName(host)}`),
    selected: selection ? `${selectedHost}:${selection.selected.port}` : null,
    ...(selectedHost !== undefined && selectedHost !== '.' ? { host: selectedHost } : {}),
  };
}

/** The host's A and AAAA addresses, sorted; undefined unless both lookups had a definitive answer. */
function hostAddresses(target: TargetObservations, host: string): string[] | undefined {
  const lookups = (['A', 'AAAA'] as const).map((type) => lookupAddresses(target, host, type));
  if (lookups.some((lookup) => !lookup.last || !isDefinitive(dnsOutcome(lookup.last)))) return undefined;
  return lookups.flatMap((lookup) => lookup.addresses).sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function certificateSummary(certificate: CertificateInfo): CertificateSummary {
  return { fingerprintSha256: certificate.fingerprintSha256, notAfter: certificate.notAfter, subject: certificate.subject };
}

function peerKey(probe: TlsProbeObservation): string {
  return `${probe.purpose} ${formatEndpoint(probe.address, probe.port)}`;
}

/**
 * What identifies a finding across runs: its code, or its check id when either run's findings
 * lack codes (a report written before codes existed).
 */
type FindingIdentity = (finding: Finding) => string;

function findingSummary(finding: Finding, identity: FindingIdentity): FindingSummary {
  return { code: identity(finding), status: finding.status };
}

function notedFindings(findings: readonly Finding[], identity: FindingIdentity): Map<string, Finding> {
  return new Map(findings.filter((finding) => NOTED_STATUSES.has(finding.status)).map((finding) => [`${identity(finding)}\n${finding.subject}`, finding]));
}

function dnsChanges(domain: string, before: TargetObservations, after: TargetObservations): Change[] {
  const earlier = srvState(before);
  const now = srvState(after);
  if (!earlier || !now) return [];
  const subject = sipFederationSrvName(domain);
  const changes: Change[] = [];
  if (!sameList(earlier.records, now.records)) changes.push({ domain, kind: 'srv-records', subject, before: earlier.records, after: now.records });
  if (earlier.selected !== now.selected) changes.push({ domain, kind: 'srv-target', subject, before: earlier.selected, after: now.selected });
  if (earlier.host && now.host) {
    const addressesBefore = hostAddresses(before, earlier.host);
    const addressesAfter = hostAddresses(after, now.host);
    if (addressesBefore && addressesAfter && !sameList(addressesBefore, addressesAfter)) {
      changes.push({ domain, kind: 'peer-addresses', subject: now.host, before: addressesBefore, after: addressesAfter });
    }
  }
  return changes;
}

function peerChanges(domain: string, before: TargetObservations, after: TargetObservations): Change[] {
  const earlier = new Map(before.tls.map((probe) => [peerKey(probe), probe]));
  return after.tls.flatMap((probe): Change[] => {
    const previous = earlier.get(peerKey(probe));
    if (!previous) return [];
    const subject = formatEndpoint(probe.address, probe.port);
    const changes: Change[] = [];
    const [leafBefore] = previous.chain;
    const [leafAfter] = probe.chain;
    if (leafBefore && leafAfter && leafBefore.fingerprintSha256 !== leafAfter.fingerprintSha256) {
      changes.push({ domain, kind: 'certificate', subject, before: certificateSummary(leafBefore), after: certificateSummary(leafAfter) });
    }
    const versionBefore = previous.handshake?.protocol;
    const versionAfter = probe.handshake?.protocol;
    if (versionBefore && versionAfter && versionBefore !== versionAfter) {
      changes.push({ domain, kind: 'tls-version', subject, before: versionBefore, after: versionAfter });
    }
    return changes;
  });
}

function findingChanges(domain: string, before: readonly Finding[], after: readonly Finding[]): Change[] {
  const coded = [...before, ...after].every((finding) => typeof finding.code === 'string');
  const identity: FindingIdentity = coded ? (finding) => finding.code : (finding) => finding.check;
  const earlier = notedFindings(before, identity);
  const now = notedFindings(after, identity);
  const appeared = [...now]
    .filter(([key]) => !earlier.has(key))
    .map(([, finding]): Change => ({ domain, kind: 'finding', subject: finding.subject, before: null, after: findingSummary(finding, identity) }));
  const gone = [...earlier]
    .filter(([key]) => !now.has(key))
    .map(([, finding]): Change => ({ domain, kind: 'finding', subject: finding.subject, before: findingSummary(finding, identity), after: null }));
  return [...appeared, ...gone];
}

function targetChanges(before: TargetResult, after: TargetResult): Change[] {
  const domain = after.domain;
  const changes = [
    ...dnsChanges(domain, before.observations, after.observations),
    ...peerChanges(domain, before.observations, after.observations),
    ...findingChanges(domain, before.findings, after.findings),
  ];
  // Stable: within a kind, the order above (peers as probed, new findings before gone ones).
  return changes.sort((a, b) => CHANGE_KINDS.indexOf(a.kind) - CHANGE_KINDS.indexOf(b.kind));
}

/** The changes from `baseline` to `current`, target by target; a target only one run has is not compared. */
export function compareRuns(baseline: RunResult, current: RunResult): Change[] {
  const earlier = new Map(baseline.targets.map((target) => [`${target.role} ${target.domain}`, target]));
  return current.targets.flatMap((target) => {
    const previous = earlier.get(`${target.role} ${target.domain}`);
    return previous ? targetChanges(previous, target) : [];
  });
}

/** The result with its changes since `baseline`. */
export function withChanges(current: RunResult, baseline: RunResult): RunResult {
  return { ...current, baseline: { startedAt: baseline.startedAt }, changes: compareRuns(baseline, current) };
}
