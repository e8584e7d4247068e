import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';

/** Everything a check may read. Checks never touch the network or the clock. */
export interface CheckContext {
  target: TargetObservations;
  /** The run's clock, from the caller, so tests can move it. */
  now: Date;
  warnDays: number;
  critDays: number;
}

export interface CheckMeta {
  /** Stable id; part of the JSON and command-line contract. */
  id: string;
  title: string;
  /** Status when the rule is broken. */
  severity: 'warn' | 'fail';
  /** Which targets the check applies to. */
  roles: ReadonlyArray<'local' | 'partner'>;
  /** The rule, in one or two sentences. */
  rule: string;
  /** Why it matters: what Microsoft or Expressway does when it is broken. */
  impact: string;
  /** ms-diagnostics code Microsoft logs for this failure, when there is one. */
  msDiagnostics?: string;
  /** Where the rule comes from: seed section, RFC, vendor note. */
  source: string;
  /** How to fix it, in general terms (findings carry the exact change). */
  remediation: string;
}

export interface Check {
  meta: CheckMeta;
  run(context: CheckContext): Finding[];
}
