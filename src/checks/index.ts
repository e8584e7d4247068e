import type { Finding, Status, Summary } from '../model/findings.js';
import { STATUSES, worstStatus } from '../model/findings.js';

export { worstStatus };
import type { TargetObservations } from '../model/observations.js';
import type { SeverityOverride } from '../model/options.js';
import { DNS_CHECKS } from './dns-checks.js';
import { IMP_CHECKS } from './imp-checks.js';
import { check as sipOptions } from './sip-options.js';
import { TLS_CHECKS } from './tls-checks.js';
import type { Check } from './types.js';

/** Every check, in report order. Ids are stable: they are part of the JSON and CLI contract. */
export const ALL_CHECKS: readonly Check[] = [...DNS_CHECKS, ...TLS_CHECKS, sipOptions, ...IMP_CHECKS];

export function findCheck(id: string): Check | undefined {
  return ALL_CHECKS.find((check) => check.meta.id === id);
}

export interface JudgeSettings {
  now: Date;
  warnDays: number;
  critDays: number;
  checkOverrides: Record<string, SeverityOverride>;
}

export function judgeTarget(target: TargetObservations, settings: JudgeSettings): Finding[] {
  const findings: Finding[] = [];
  for (const check of ALL_CHECKS) {
    if (!check.meta.roles.includes(target.role)) continue;
    const override = settings.checkOverrides[check.meta.id];
    if (override === 'off') continue;
    const produced = check.run({
      target,
      now: settings.now,
      warnDays: settings.warnDays,
      critDays: settings.critDays,
    });
    findings.push(...(override ? produced.map((finding) => applyOverride(finding, override)) : produced));
  }
  return findings;
}

/** A severity override changes what a broken rule costs; it never turns a pass or an error into something else. */
function applyOverride(finding: Finding, override: Exclude<SeverityOverride, 'off'>): Finding {
  if (finding.status !== 'warn' && finding.status !== 'fail') return finding;
  if (finding.status === override) return finding;
  return { ...finding, status: override, data: { ...finding.data, severityOverriddenFrom: finding.status } };
}

export function summarise(findings: Iterable<Finding>): Summary {
  const summary = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Summary;
  for (const finding of findings) summary[finding.status]++;
  return summary;
}

/** Monitoring-plugins convention: 0 OK, 1 warning, 2 critical (fail or error). */
export function exitCodeFor(status: Status, strict: boolean): 0 | 1 | 2 {
  if (status === 'fail' || status === 'error') return 2;
  if (status === 'warn') return strict ? 2 : 1;
  return 0;
}
