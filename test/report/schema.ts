// The result schema's validator lives with the report layer; tests elsewhere (the CLI's, the
// scenarios) import it from here to validate the documents they produce.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createResultValidator } from '../../src/report/schema.js';

export { describeErrors, isDateTime, loadResultSchema } from '../../src/report/schema.js';

let compiled: ValidateFunction | undefined;

/**
 * The validator, compiled once per worker: compiling the schema takes longer than everything
 * else a scenario asserts. Its `errors` are those of its latest call.
 */
export function resultValidator(): ValidateFunction {
  compiled ??= createResultValidator();
  return compiled;
}
