import type { TargetObservations } from './observations.js';

export const STATUSES = ['pass', 'info', 'warn', 'fail', 'error', 'skip'] as const;
export type Status = (typeof STATUSES)[number];

export interface Finding {
  /** Stable check id, e.g. "srv-present". */
  check: string;
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
