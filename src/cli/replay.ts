import { readFile } from 'node:fs/promises';
import type { RunResult } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { createResultValidator } from '../report/schema.js';
import { assembleResult, rereadObservations, type RecordedOptions } from '../pipeline/run.js';
import { UsageError } from './input.js';
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
): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --replay ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let saved: Partial<RunResult>;
  try {
    saved = JSON.parse(text) as Partial<RunResult>;
  } catch (error) {
    throw new UsageError(`--replay ${file} is not JSON: ${(error as Error).message}`);
  }
  if (saved?.schemaVersion !== 1 || !Array.isArray(saved.targets)) {
    throw new UsageError(`--replay ${file} is not a fedcheck JSON report (schemaVersion 1 with targets)`);
  }
  // A hand-edited or damaged report is named as such, at the first place it goes wrong, rather
  // than surfacing later as a check tripping over a value of the wrong type.
  const validate = createResultValidator();
  if (!validate(saved)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath || '/';
    throw new UsageError(`--replay ${file} does not match the fedcheck result schema: ${where} ${first?.message ?? 'is invalid'}`);
  }
  const observations = saved.targets.map((target, index) => {
    if (!isObservations(target?.observations)) {
      throw new UsageError(`--replay ${file}: targets[${index}] has no usable observations`);
    }
    return target.observations;
  });
  const startedAt = new Date(saved.startedAt ?? '');
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
  return assembleResult(await rereadObservations(observations), options, startedAt, saved.durationMs ?? 0);
}
