import type { Finding, Status } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';

/** Everything a check may read. Checks never touch the network or the clock. */
export interface CheckContext {
  target: TargetObservations;
  /** The run's clock, from the caller, so tests can move it. */
  now: Date;
  warnDays: number;
  critDays: number;
}

/**
 * One finding variant of a check. Its full code, `<check-id>.<variant>`, is part of the JSON
 * contract: consumers, fixtures and severity overrides match codes, never English text.
 */
export interface CodeDeclaration {
  /** The status a finding of this variant has (before any severity override). */
  status: Status;
  /** What the variant means, in one line (shown by `fedcheck explain` and the README). */
  summary: string;
}

/** The variants of one check, by variant name ("outside", "pass", "no-peers"…). */
export type CodeTable = Readonly<Record<string, CodeDeclaration>>;

export interface CheckMeta<Codes extends CodeTable = CodeTable> {
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
  /** Every finding variant the check can produce. */
  codes: Codes;
}

export interface Check {
  meta: CheckMeta;
  run(context: CheckContext): Finding[];
}
