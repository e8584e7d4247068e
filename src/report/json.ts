// The result is the document: schemaVersion 1, described by schema/fedcheck-result.schema.json,
// and what `--replay` reads back.
import type { RunResult } from '../model/findings.js';

export function renderJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
