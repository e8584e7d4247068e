import type { RunResult } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { assembleResult, type RecordedOptions } from '../pipeline/run.js';
import { UsageError } from './input.js';
import { readSavedReport } from './saved-report.js';
import { argumentLabel, defaultOf, requireWarnNotBelowCrit, setting } from './options.js';

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

/** Re-judges the observations of a saved JSON report, at the clock of the original run. */
export async function replay(
  file: string,
  thresholds: { warnDays?: number; critDays?: number },
  strict: boolean,
  keepPassDetails = true,
): Promise<RunResult> {
  const saved = await readSavedReport(file, '--replay');
  const observations = saved.targets.map((target, index) => {
    if (!isObservations(target?.observations)) {
      throw new UsageError(`--replay ${file}: targets[${index}] has no usable observations`);
    }
    return target.observations;
  });
  const startedAt = new Date(saved.startedAt);
  if (Number.isNaN(startedAt.getTime())) throw new UsageError(`--replay ${file}: startedAt is not a date`);
  const recorded = (saved.options ?? {}) as Partial<RecordedOptions>;
  const warnDays = thresholds.warnDays ?? recorded.warnDays ?? defaultOf('warnDays');
  const critDays = thresholds.critDays ?? recorded.critDays ?? defaultOf('critDays');
  requireWarnNotBelowCrit(
    { days: warnDays, label: argumentLabel(setting('warnDays')) },
    { days: critDays, label: argumentLabel(setting('critDays')) },
  );
  const options = {
    ...recorded,
    warnDays,
    critDays,
    strict: strict || recorded.strict === true,
    checkOverrides: recorded.checkOverrides ?? {},
  } as RecordedOptions;
  return assembleResult(observations, options, startedAt, saved.durationMs, keepPassDetails);
}
