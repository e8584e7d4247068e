// The result schema's validator lives with the report layer; tests elsewhere (the CLI's, the
// scenarios) import it from here to validate the documents they produce.
export { createResultValidator, describeErrors, isDateTime, loadResultSchema } from '../../src/report/schema.js';
