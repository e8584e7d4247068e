// The JSON Schema of the result document (schema/fedcheck-result.schema.json): what --replay
// accepts, and what the tests hold every real output to.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { packageFile } from '../package-files.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 date-time, as `format: "date-time"` means; ajv ships no formats of its own. */
export function isDateTime(text: string): boolean {
  return ISO_DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
}

export function loadResultSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(packageFile('schema', 'fedcheck-result.schema.json'), 'utf8')) as Record<string, unknown>;
}

export function createResultValidator(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  return ajv.compile(loadResultSchema());
}

/** One line per error: "/targets/0/status must be equal to one of the allowed values". */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('\n');
}
