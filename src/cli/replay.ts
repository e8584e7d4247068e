import { dirname } from 'node:path';
import type { RunResult } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { reclassifyRecordedProbe } from '../gather/index.js';
import { assembleResult, rereadObservations, type RecordedOptions } from '../pipeline/run.js';
import { requireOverrideKey } from './config.js';
import { UsageError } from './input.js';
import { readSavedReport } from './saved-report.js';
import { SETTINGS, argumentLabel, defaultOf, requireWarnNotBelowCrit, setting, type Setting, type Threshold } from './options.js';
import { keyLabel, valueFromConfig } from './values.js';

function isObservations(value: unknown): value is TargetObservations {
  const target = value as TargetObservations | undefined;
  return (
    typeof target === 'object' &&
    target !== null &&
    typeof target.domain === 'string' &&
    (target.role === 'local' || target.role === 'partner') &&
    Array.isArray(target.resolvers) &&
    Array.isArray(target.dns) &&
    Array.isArray(target.tls)
  );
}

/**
 * The recorded options the table of settings governs hold the values the command line and a
 * config file may give: one range everywhere, and overrides that name checks or codes that exist.
 */
function checkRecordedOptions(recorded: Partial<RecordedOptions>, file: string): void {
  const values = recorded as Record<string, unknown>;
  for (const [name, entry] of Object.entries<Setting>(SETTINGS)) {
    if (entry.kind === 'integer' && values[name] !== undefined) valueFromConfig(entry, values[name], `options.${name}`, dirname(file));
  }
  for (const key of Object.keys(recorded.checkOverrides ?? {})) requireOverrideKey(key, keyLabel('options.checkOverrides'));
}

/** A threshold from the command line, else the one the report recorded, else the default. */
function threshold(name: 'warnDays' | 'critDays', given: number | undefined, recorded: number | undefined, file: string): Threshold {
  if (given !== undefined) return { days: given, label: argumentLabel(setting(name)) };
  if (recorded !== undefined) return { days: recorded, label: `${keyLabel(`options.${name}`)} in ${file}` };
  return { days: defaultOf(name), label: `the default ${argumentLabel(setting(name))}` };
}

/**
 * Re-judges the observations of a saved JSON report, at the clock of the original run, with the
 * report's own thresholds unless the command line gives others.
 */
export async function replay(
  file: string,
  thresholds: { warnDays?: number; critDays?: number },
  strict: boolean,
  keepPassDetails = true,
): Promise<RunResult> {
  const saved = await readSavedReport(file, '--replay');
  // Nothing was checked: no verdict can be OK (UNKNOWN, exit 3, in every format).
  if (saved.targets.length === 0) throw new UsageError(`--replay ${file} holds no targets: nothing was checked, so there is nothing to judge`);
  const observations = saved.targets.map((target, index) => {
    if (!isObservations(target?.observations)) {
      throw new UsageError(`--replay ${file}: targets[${index}] has no usable observations`);
    }
    // Resets recorded as this machine's failure by earlier versions are the peer's: judged as today's probe records them.
    return { ...target.observations, tls: target.observations.tls.map(reclassifyRecordedProbe) };
  });
  const startedAt = new Date(saved.startedAt);
  if (Number.isNaN(startedAt.getTime())) throw new UsageError(`--replay ${file}: startedAt is not a date`);
  const recorded = (saved.options ?? {}) as Partial<RecordedOptions>;
  try {
    checkRecordedOptions(recorded, file);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`--replay ${file}: ${error.message}`);
    throw error;
  }
  const warn = threshold('warnDays', thresholds.warnDays, recorded.warnDays, file);
  const crit = threshold('critDays', thresholds.critDays, recorded.critDays, file);
  requireWarnNotBelowCrit(warn, crit);
  const options = {
    ...recorded,
    warnDays: warn.days,
    critDays: crit.days,
    strict: strict || recorded.strict === true,
    checkOverrides: recorded.checkOverrides ?? {},
  } as RecordedOptions;
  return assembleResult(await rereadObservations(observations), options, startedAt, saved.durationMs, keepPassDetails);
}
