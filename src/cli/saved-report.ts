// A JSON report saved by an earlier run, read back for --replay and --baseline: JSON, a
// fedcheck report of a version this one reads (1 to 3), valid against the result schema, or one
// line saying which it is not. Whatever the version, the result comes back in memory form
// (resultFromDocument, beside the writer).
import { readFile } from 'node:fs/promises';
import { SCHEMA_VERSION, type RunResult } from '../model/findings.js';
import { DocumentError, resultFromDocument, type SavedDocument } from '../report/json.js';
import { createResultValidator } from '../report/schema.js';
import { UsageError } from './input.js';
import { withoutByteOrderMark } from './jsonc.js';

/** The versions this fedcheck reads: every one it ever wrote. */
const READABLE_VERSIONS: readonly unknown[] = [1, 2, 3];

/** `option` names the flag in messages: "--replay", "--baseline". */
export async function readSavedReport(file: string, option: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${option} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let saved: Partial<SavedDocument>;
  try {
    saved = JSON.parse(withoutByteOrderMark(text)) as Partial<SavedDocument>;
  } catch (error) {
    throw new UsageError(`${option} ${file} is not JSON: ${(error as Error).message}`);
  }
  if (!READABLE_VERSIONS.includes(saved?.schemaVersion) || !Array.isArray(saved.targets)) {
    const newer = typeof saved?.schemaVersion === 'number' && saved.schemaVersion > SCHEMA_VERSION;
    throw new UsageError(
      newer
        ? `${option} ${file} is a fedcheck report of schemaVersion ${saved.schemaVersion}, newer than this fedcheck reads (1 to ${SCHEMA_VERSION}): use a newer fedcheck`
        : `${option} ${file} is not a fedcheck JSON report (schemaVersion 1 to ${SCHEMA_VERSION} with targets)`,
    );
  }
  // A hand-edited or damaged report is named as such, at the first place it goes wrong, rather
  // than surfacing later as a check tripping over a value of the wrong type.
  const validate = createResultValidator();
  if (!validate(saved)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath || '/';
    throw new UsageError(`${option} ${file} does not match the fedcheck result schema: ${where} ${first?.message ?? 'is invalid'}`);
  }
  try {
    return resultFromDocument(saved as SavedDocument);
  } catch (error) {
    if (error instanceof DocumentError) throw new UsageError(`${option} ${file}: ${error.message}`);
    throw error;
  }
}
