// A JSON report saved by an earlier run, read back for --replay and --baseline: JSON, a
// fedcheck report, valid against the result schema, or one line saying which it is not.
import { readFile } from 'node:fs/promises';
import type { RunResult } from '../model/findings.js';
import { createResultValidator } from '../report/schema.js';
import { UsageError } from './input.js';

/** `option` names the flag in messages: "--replay", "--baseline". */
export async function readSavedReport(file: string, option: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${option} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let saved: Partial<RunResult>;
  try {
    saved = JSON.parse(text) as Partial<RunResult>;
  } catch (error) {
    throw new UsageError(`${option} ${file} is not JSON: ${(error as Error).message}`);
  }
  if (saved?.schemaVersion !== 1 || !Array.isArray(saved.targets)) {
    throw new UsageError(`${option} ${file} is not a fedcheck JSON report (schemaVersion 1 with targets)`);
  }
  // A hand-edited or damaged report is named as such, at the first place it goes wrong, rather
  // than surfacing later as a check tripping over a value of the wrong type.
  const validate = createResultValidator();
  if (!validate(saved)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath || '/';
    throw new UsageError(`${option} ${file} does not match the fedcheck result schema: ${where} ${first?.message ?? 'is invalid'}`);
  }
  return saved as RunResult;
}
