import type { TargetObservations } from './observations.js';

export const STATUSES = ['pass', 'info', 'warn', 'fail', 'error', 'skip'] as const;
export type Status = (typeof STATUSES)[number];

export interface Finding {
  /** Stable check id, e.g. "srv-present". */
  check: string;
  /**
   * Stable code of the finding's variant, `<check-id>.<variant>` (e.g. "srv-target-namespace.outside"):
   * what JSON consumers and tests match, never the English message.
   */
  code: string;
  status: Status;
  /** What the finding is about: a record name, or "address:port". */
  subject: string;
  /** Empty for a pass of a run made for an output that does not show it (RunControl.keepPassDetails), which then has no data either. */
  message: string;
  /** For warn and fail: the exact change that fixes it. */
  remediation?: string;
  /** The rule's source: seed section, RFC, vendor note. */
  reference?: string;
  data?: Record<string, unknown>;
}

export interface TargetResult {
  domain: string;
  role: 'local' | 'partner';
  status: Status;
  observations: TargetObservations;
  findings: Finding[];
}

export type Summary = Record<Status, number>;

/** What `--baseline` compares between an earlier run and this one, per target, in this order. */
export const CHANGE_KINDS = ['srv-records', 'srv-target', 'peer-addresses', 'certificate', 'tls-version', 'finding'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** A peer's leaf certificate as a change names it. */
export interface CertificateSummary {
  fingerprintSha256: string;
  notAfter: string;
  subject: string;
}

/** A finding as a change names it: its code and status (its subject is the change's). */
export interface FindingSummary {
  /** The check id instead when a report compared was written before findings had codes. */
  code: string;
  status: Status;
}

interface ChangeOf<Kind extends ChangeKind, Value> {
  domain: string;
  kind: Kind;
  /** The SRV name (srv-records, srv-target), the SRV target (peer-addresses), the peer (certificate, tls-version), the finding's subject. */
  subject: string;
  before: Value;
  after: Value;
}

/**
 * One difference from the baseline. A finding that appeared has `before` null, one that went
 * away `after` null; the other kinds are compared only where both runs know the value.
 */
export type Change =
  /** The records as "priority weight port target", lowest priority and highest weight first; empty when the name has none. */
  | ChangeOf<'srv-records', string[]>
  /** "target:port" of the record Microsoft selects; null when there is none. */
  | ChangeOf<'srv-target', string | null>
  /** The selected target's A and AAAA addresses, sorted. */
  | ChangeOf<'peer-addresses', string[]>
  | ChangeOf<'certificate', CertificateSummary>
  | ChangeOf<'tls-version', string>
  | ChangeOf<'finding', FindingSummary | null>;

/**
 * The version of the JSON document fedcheck writes. 2: each certificate once, under
 * "certificates", and a probe's chain as their keys (1 repeated the certificates in every chain).
 * 3: also each certificate's revocation, each peer's cipher probe and each finding text once, the
 * passing findings as codes by subject, and DNS exchanges without their defaults (src/report/json.ts).
 */
export const SCHEMA_VERSION = 3;

/** A run's result, in memory: a probe's chain holds the certificates themselves, whatever version was read. */
export interface RunResult {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'fedcheck'; version: string };
  startedAt: string;
  durationMs: number;
  status: Status;
  options: Record<string, unknown>;
  targets: TargetResult[];
  summary: Summary;
  /** With --baseline: the earlier run compared against. */
  baseline?: { startedAt: string };
  /** With --baseline: what changed since it, in target order. */
  changes?: Change[];
}

/** From least to most serious: what "the worst status" of several means everywhere. */
export const STATUS_RANK: Record<Status, number> = { pass: 0, skip: 1, info: 2, warn: 3, error: 4, fail: 5 };

export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'pass';
  for (const status of statuses) if (STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
  return worst;
}

/**
 * The verdict on a status, by the monitoring-plugins convention: 0 OK, 1 warning, 2 critical
 * (fail or error, and warn too when strict). The exit code of a run, and whether a domain passes.
 */
export function exitCodeFor(status: Status, strict: boolean): 0 | 1 | 2 {
  if (status === 'fail' || status === 'error') return 2;
  if (status === 'warn') return strict ? 2 : 1;
  return 0;
}
