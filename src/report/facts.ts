// Readings of a result that several renderers share, so that "days left" and the order of
// statuses mean the same thing in every format (a peer's label is model/ip.ts's peerEndpoint).
import {
  STATUS_RANK,
  worstStatus,
  type CertificateSummary,
  type Change,
  type Finding,
  type FindingSummary,
  type RunResult,
  type Status,
  type TargetResult,
} from '../model/findings.js';
import type { CertificateInfo, DnsQueryObservation, DnsQueryType, DnsRecord, TlsProbeObservation } from '../model/observations.js';
import { cnameChain, dnsOutcome, effectiveQuery, finalRecords, targetSrvSelection, wasSent } from '../model/dns.js';
import { wholeDaysBetween } from '../model/time.js';
import { oneLine, truncate } from './text.js';

/** Most urgent first: the order in which findings are listed. */
export const STATUS_SEVERITY_ORDER: readonly Status[] = ['fail', 'error', 'warn', 'info', 'pass', 'skip'];

export { STATUS_RANK };

/** Status as a word that reads without colour. */
export function statusWord(status: Status): string {
  return status.toUpperCase();
}

/**
 * Whole days from `now` until `notAfter`, rounded down (so a certificate expiring in 13.9 days
 * counts as 13, as a threshold of 14 expects); negative once expired. Undefined when either
 * date cannot be read, e.g. a certificate whose validity failed to parse.
 */
export function daysLeft(notAfter: string, now: string): number | undefined {
  const end = Date.parse(notAfter);
  const start = Date.parse(now);
  if (Number.isNaN(end) || Number.isNaN(start)) return undefined;
  return wholeDaysBetween(new Date(start), new Date(end));
}

export function leafCertificate(probe: TlsProbeObservation): CertificateInfo | undefined {
  return probe.chain[0];
}

export function probesFor(target: TargetResult, purpose: TlsProbeObservation['purpose']): TlsProbeObservation[] {
  return target.observations.tls.filter((probe) => probe.purpose === purpose);
}

/** Findings most urgent first; findings of one status keep the order the checks gave them. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return STATUS_SEVERITY_ORDER.flatMap((status) => findings.filter((finding) => finding.status === status));
}

export function countStatuses(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, info: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const finding of findings) {
    if (finding.status in counts) counts[finding.status] += 1;
  }
  return counts;
}

/** A threshold from `result.options`, which is free-form: only a finite number counts. */
export function numericOption(options: Record<string, unknown>, name: string): number | undefined {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function roleTitle(target: TargetResult): string {
  return target.role === 'local' ? `Local SIP domain ${target.domain}` : `Partner ${target.domain}`;
}

export function daysText(days: number | undefined): string {
  if (days === undefined) return 'validity unreadable';
  if (days < 0) return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  return `${days} day${days === 1 ? '' : 's'} left`;
}

export function milliseconds(durationMs: number): string {
  return `${Math.round(durationMs)} ms`;
}

export function duration(durationMs: number): string {
  return durationMs < 1000 ? milliseconds(durationMs) : `${(durationMs / 1000).toFixed(1)} s`;
}

/** "2 fail, 5 warn, 72 pass": the statuses that occur, most urgent first. */
export function countsText(counts: Record<Status, number>): string {
  const present = STATUS_SEVERITY_ORDER.filter((status) => (counts[status] ?? 0) > 0);
  return present.length === 0 ? 'no findings' : present.map((status) => `${counts[status]} ${status}`).join(', ');
}

/**
 * Why a probe has no certificate to show: the connection or handshake that failed, in one
 * phrase ("connect refused after 2 ms: …"), or undefined when a certificate was obtained.
 * `undetermined` marks a probe cut short by the run's --timeout: not the peer's failure.
 */
export function probeFailure(probe: TlsProbeObservation): { text: string; undetermined: boolean } | undefined {
  const { connect, handshake } = probe;
  if (connect.outcome !== 'connected') {
    const error = connect.error ? `: ${oneLine(connect.error)}` : '';
    return { text: `connect ${connect.outcome} after ${milliseconds(connect.durationMs)}${error}`, undetermined: connect.outcome === 'aborted' };
  }
  if (!handshake) return { text: `connected in ${milliseconds(connect.durationMs)}, no TLS handshake attempted`, undetermined: false };
  if (handshake.outcome === 'ok' || leafCertificate(probe)) return undefined;
  const details: string[] = [];
  if (handshake.alert) details.push(`alert ${oneLine(handshake.alert)}`);
  if (handshake.plaintextSample) details.push(`server sent "${truncate(oneLine(handshake.plaintextSample), 60)}"`);
  if (handshake.error) details.push(oneLine(handshake.error));
  const detail = details.length > 0 ? `: ${details.join('; ')}` : '';
  return { text: `handshake ${handshake.outcome} after ${milliseconds(handshake.durationMs)}${detail}`, undetermined: handshake.outcome === 'aborted' };
}

/** What else a probe that got a certificate showed: mutual TLS, the client certificate's fate, legacy protocols. */
export function probeNotes(probe: TlsProbeObservation): string[] {
  const notes: string[] = [];
  const handshake = probe.handshake;
  if (handshake?.outcome === 'client-certificate-required') {
    notes.push('handshake refused: the server demands a client certificate');
  } else if (handshake && handshake.outcome !== 'ok') {
    notes.push(`handshake ${handshake.outcome}${handshake.alert ? ` (alert ${oneLine(handshake.alert)})` : ''}`);
  } else if (probe.clientAuth.requested === 'required') {
    notes.push('demands a client certificate');
  }
  const presented = probe.clientAuth.presentedCertificate;
  if (presented) {
    notes.push(`client certificate ${presented.accepted ? 'accepted' : presented.cutShort ? 'not tested (--timeout expired)' : 'rejected'}`);
  }
  const legacy = probe.legacyProtocols.filter((probed) => probed.result === 'accepted').map((probed) => probed.protocol);
  if (legacy.length > 0) notes.push(`also accepts ${legacy.join(', ')}`);
  return notes;
}

/** The worst status among the findings about any of `subjects` (or from a check the predicate picks); undefined when none. */
export function statusOf(findings: readonly Finding[], about: (finding: Finding) => boolean): Status | undefined {
  const matching = findings.filter(about);
  return matching.length === 0 ? undefined : worstStatus(matching.map((finding) => finding.status));
}

const NOT_CHECKED = /^Not checked:\s*/i;

export interface SkipGroup {
  /** What the skipped checks wait on, as the checks said it (without their "Not checked:" lead). */
  reason: string;
  checks: string[];
  findings: Finding[];
}

/** Skipped findings grouped by their reason, in the order the reasons first appear. */
export function skipGroups(findings: readonly Finding[]): SkipGroup[] {
  const groups = new Map<string, SkipGroup>();
  for (const finding of findings) {
    if (finding.status !== 'skip') continue;
    const reason = oneLine(finding.message).replace(NOT_CHECKED, '');
    const group = groups.get(reason) ?? { reason, checks: [], findings: [] };
    if (!group.checks.includes(finding.check)) group.checks.push(finding.check);
    group.findings.push(finding);
    groups.set(reason, group);
  }
  return [...groups.values()];
}

/** The ids of the checks with a passing finding, in the order the checks ran. */
export function passedChecks(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((finding) => finding.status === 'pass').map((finding) => finding.check))];
}

/** An answer in a few words: the records it gave, or how the question failed. */
export function answerText(query: DnsQueryObservation): string {
  const outcome = dnsOutcome(query);
  const aliases = cnameChain(query).map((alias) => `CNAME ${alias.data}`);
  switch (outcome) {
    case 'answer': {
      const records = finalRecords(query, query.type as DnsRecord['type']).map((record) => recordData(record));
      return [...aliases, ...records].join(', ');
    }
    case 'nodata':
      return [...aliases, 'no record (NOERROR, no data)'].join(', ');
    case 'nxdomain':
      return [...aliases, 'NXDOMAIN'].join(', ');
    case 'servfail':
    case 'refused':
    case 'other-rcode':
      return query.rcode ?? outcome;
    case 'timeout':
      return `no answer within ${milliseconds(query.durationMs)}`;
    case 'aborted':
      return wasSent(query) ? `cut short by the run deadline after ${milliseconds(query.durationMs)}` : 'not asked: the run deadline expired';
    default:
      return `${outcome}${query.error ? ` (${oneLine(query.error.message)})` : ''}`;
  }
}

function recordData(record: DnsRecord): string {
  switch (record.type) {
    case 'SRV':
      return `${record.data.priority} ${record.data.weight} ${record.data.port} ${record.data.target}`;
    case 'SOA':
      return `${record.data.mname} serial ${record.data.serial}`;
    case 'TXT':
      return record.data.map((part) => JSON.stringify(part)).join(' ');
    default:
      return record.data;
  }
}

export interface QuestionAcrossResolvers {
  name: string;
  type: DnsQueryType;
  /** One exchange per resolver asked, in the order they were asked. */
  queries: DnsQueryObservation[];
  /** The exchange the run went on with (the first definitive one). */
  used?: DnsQueryObservation;
  /** Two resolvers gave different definitive answers, or one answered and another failed. */
  disagree: boolean;
}

/**
 * The questions of the external view that more than one resolver answered (a resolver that
 * failed makes gather ask the next one): which resolver said what, so that resolvers that
 * disagree are visible.
 */
export function questionsAcrossResolvers(target: TargetResult): QuestionAcrossResolvers[] {
  const observations = target.observations;
  const byQuestion = new Map<string, DnsQueryObservation[]>();
  for (const query of observations.dns) {
    if (!observations.resolvers.includes(query.resolver)) continue;
    const key = `${query.name} ${query.type}`;
    byQuestion.set(key, [...(byQuestion.get(key) ?? []), query]);
  }
  const questions: QuestionAcrossResolvers[] = [];
  for (const queries of byQuestion.values()) {
    const resolvers = new Set(queries.map((query) => query.resolver));
    if (resolvers.size < 2) continue;
    const first = queries[0]!;
    const used = effectiveQuery(observations, first.name, first.type);
    const answers = new Set(queries.map((query) => answerKey(query)));
    questions.push({ name: first.name, type: first.type, queries, ...(used ? { used } : {}), disagree: answers.size > 1 });
  }
  return questions;
}

/** What a resolver said, independent of record order and TTLs. */
function answerKey(query: DnsQueryObservation): string {
  const outcome = dnsOutcome(query);
  if (outcome !== 'answer') return outcome;
  return finalRecords(query, query.type as DnsRecord['type'])
    .map((record) => recordData(record))
    .sort()
    .join('|');
}

/** How well the certificate a local domain's peers present names that domain's SRV target. */
export type CertificateNameCoverage =
  | { kind: 'not-examined' }
  /** `names`: what the certificate carries, as cert-name quoted them (the first few); `nameCount`: how many it has. */
  | { kind: 'missing'; peers: string[]; names: string[]; nameCount: number }
  | { kind: 'wildcard'; peers: string[] }
  | { kind: 'named'; named: number; peers: number };

export interface DomainCertificateNames {
  domain: string;
  /** The SRV target the certificate must name. */
  host?: string;
  coverage: CertificateNameCoverage;
}

/**
 * Every local SIP domain needs its own SRV target named in the Expressway-E certificate: with
 * several local domains, per domain which names the certificate lacks (empty with fewer). It
 * reads what cert-name matched (its code), not the finding's status, which a severity override
 * may change.
 */
/** The cert-name codes that say whether the certificate names the target. */
const CERTIFICATE_NAME_CODES = new Set(['cert-name.pass', 'cert-name.wildcard', 'cert-name.mismatch', 'cert-name.san-unreadable']);

export function certificateNamesPerDomain(result: RunResult): DomainCertificateNames[] {
  const locals = result.targets.filter((target) => target.role === 'local');
  if (locals.length < 2) return [];
  return locals.map((target) => {
    const host = targetSrvSelection(target.observations)?.selected.target;
    const judged = target.findings.filter((finding) => CERTIFICATE_NAME_CODES.has(finding.code));
    const entry = (coverage: CertificateNameCoverage): DomainCertificateNames => ({ domain: target.domain, ...(host ? { host } : {}), coverage });
    if (judged.length === 0) return entry({ kind: 'not-examined' });
    const subjects = (findings: Finding[]) => findings.map((finding) => finding.subject);
    const missing = judged.filter((finding) => finding.code === 'cert-name.mismatch' || finding.code === 'cert-name.san-unreadable');
    if (missing.length > 0) {
      const data = missing[0]?.data;
      const names = Array.isArray(data?.names) ? data.names.map((name) => String(name)) : [];
      const nameCount = typeof data?.nameCount === 'number' ? data.nameCount : names.length;
      return entry({ kind: 'missing', peers: subjects(missing), names, nameCount });
    }
    const wildcard = judged.filter((finding) => finding.code === 'cert-name.wildcard');
    if (wildcard.length > 0) return entry({ kind: 'wildcard', peers: subjects(wildcard) });
    return entry({ kind: 'named', named: judged.filter((finding) => finding.code === 'cert-name.pass').length, peers: judged.length });
  });
}

/** "a, b and 90 more": the names a missing-name row quotes, and how many it leaves out. */
export function carriedNames(coverage: Extract<CertificateNameCoverage, { kind: 'missing' }>): string {
  const more = coverage.nameCount - coverage.names.length;
  return `${coverage.names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** A change since the baseline as words: what changed, and its value before and after. */
export interface ChangeText {
  /** "SRV records", "certificate", "new finding", "resolved finding"… */
  label: string;
  before: string;
  after: string;
}

const NONE = '(none)';

function certificateText(certificate: CertificateSummary): string {
  const day = certificate.notAfter.slice(0, 10);
  return `${certificate.subject}, expires ${day}, SHA-256 ${certificate.fingerprintSha256.slice(0, 23)}…`;
}

function findingText(finding: FindingSummary | null): string {
  return finding ? `${finding.code} (${finding.status})` : NONE;
}

export function changeText(change: Change): ChangeText {
  switch (change.kind) {
    case 'srv-records':
      return { label: 'SRV records', before: change.before.join('; ') || NONE, after: change.after.join('; ') || NONE };
    case 'srv-target':
      return { label: 'selected SRV target', before: change.before ?? NONE, after: change.after ?? NONE };
    case 'peer-addresses':
      return { label: 'addresses', before: change.before.join(', ') || NONE, after: change.after.join(', ') || NONE };
    case 'certificate':
      return { label: 'certificate', before: certificateText(change.before), after: certificateText(change.after) };
    case 'tls-version':
      return { label: 'TLS version', before: change.before, after: change.after };
    case 'finding':
      return { label: change.before === null ? 'new finding' : 'resolved finding', before: findingText(change.before), after: findingText(change.after) };
  }
}

/** "3 changes since 2025-01-01T00:00:00.000Z" (or "no changes since …"), when the run had a baseline. */
export function changesHeadline(result: RunResult): string | undefined {
  if (!result.baseline || !result.changes) return undefined;
  const count = result.changes.length;
  return `${count === 0 ? 'no' : count} change${count === 1 ? '' : 's'} since ${result.baseline.startedAt}`;
}

/** The changes grouped by domain, in the order they come. */
export function changesByDomain(changes: readonly Change[]): { domain: string; changes: Change[] }[] {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const grouped = groups.get(change.domain) ?? [];
    grouped.push(change);
    groups.set(change.domain, grouped);
  }
  return [...groups].map(([domain, grouped]) => ({ domain, changes: grouped }));
}
