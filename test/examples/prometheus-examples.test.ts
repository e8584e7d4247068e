// examples/prometheus/ is what users copy: the scrape configuration, the alert rules and the
// rules' unit tests must all pass Prometheus's own checker.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MISSING_PROMTOOL, PROMTOOL, runTool } from '../helpers/prometheus.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/prometheus/', import.meta.url));

if (!PROMTOOL) console.warn(MISSING_PROMTOOL);

describe.skipIf(!PROMTOOL)('examples/prometheus with promtool', () => {
  it.each([
    ['check config', ['check', 'config', 'prometheus.yml'], 'SUCCESS: prometheus.yml is valid prometheus config file syntax'],
    ['check rules', ['check', 'rules', 'fedcheck.rules.yml'], 'SUCCESS: 7 rules found'],
    ['test rules', ['test', 'rules', 'fedcheck.rules.test.yml'], 'SUCCESS'],
  ])('promtool %s passes', async (_name, args, says) => {
    const run = await runTool(PROMTOOL!, args, { cwd: EXAMPLES });
    expect(run.stdout + run.stderr).toContain(says);
    expect(run.stdout + run.stderr).not.toContain('FAILED');
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });
});
