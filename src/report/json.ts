// The result is the document: schemaVersion 1, described by schema/fedcheck-result.schema.json,
// and what `--replay` reads back.
import type { RunResult } from '../model/findings.js';

export function renderJson(result: RunResult): string {
  return [...jsonChunks(result)].join('');
}

/**
 * The same text as `JSON.stringify(result, null, 2)`, one target at a time: a batch of hundreds
 * of targets is tens of megabytes, and as a single string it would double the run's memory.
 */
export function* jsonChunks(result: RunResult): Generator<string> {
  const indent = (text: string, spaces: string) => text.replace(/\n/g, `\n${spaces}`);
  const entries = Object.entries(result).filter(([, value]) => value !== undefined);
  yield '{\n';
  for (const [index, [key, value]] of entries.entries()) {
    const separator = index < entries.length - 1 ? ',\n' : '\n';
    if (key === 'targets' && Array.isArray(value) && value.length > 0) {
      yield `  "targets": [\n`;
      for (const [targetIndex, target] of value.entries()) {
        yield `    ${indent(JSON.stringify(target, null, 2), '    ')}${targetIndex < value.length - 1 ? ',' : ''}\n`;
      }
      yield `  ]${separator}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), '  ')}${separator}`;
    }
  }
  yield '}\n';
}
