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

export interface RunResult {
  schemaVersion: 1;
  tool: { name: 'fedcheck'; version: string };
  startedAt: string;
  durationMs: number;
  status: Status;
  options: Record<string, unknown>;
  targets: TargetResult[];
  summary: Summary;
}

/** From least to most serious: what "the worst status" of several means everywhere. */
export const STATUS_RANK: Record<Status, number> = { pass: 0, skip: 1, info: 2, warn: 3, error: 4, fail: 5 };

export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'pass';
  for (const status of statuses) if (STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
  return worst;
}
