// --replay holds a saved report to the rules the command line and a config file follow: the same
// byte order mark, the same ranges, the same override names; a report of nothing is not OK.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/findings.js';
import { FORMATS } from '../../src/model/options.js';
import { runFedcheck } from '../helpers/fedcheck.js';
import { writeTemporaryFile } from '../helpers/files.js';


const SAVED = readFileSync(new URL('../report/fixtures/replay-ipv6-and-gcc-high.json', import.meta.url), 'utf8');

/** The saved report, changed by `edit`, in a file. */
async function savedReport(edit: (report: RunResult) => void = () => undefined, prefix = ''): Promise<string> {
  const report = JSON.parse(SAVED) as RunResult;
  edit(report);
  return writeTemporaryFile('replayed.json', prefix + JSON.stringify(report, null, 2));
}

function oneUsageLine(run: { code: number | null; stderr: string }, message: RegExp): void {
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('--replay', () => {
  it('accepts a UTF-8 byte order mark, as config and domains files do', async () => {
    const plain = await runFedcheck(['--replay', await savedReport(), '--json']);
    const marked = await runFedcheck(['--replay', await savedReport(undefined, '\uFEFF'), '--json']);
    expect(marked.stderr).toBe('');
    expect(marked.code).toBe(2);
    expect(marked.json!.targets.map((target) => target.findings)).toEqual(plain.json!.targets.map((target) => target.findings));
  });

  it.each([
    ['srv-sngle', /unknown check id "srv-sngle" in "options\.checkOverrides" \(did you mean "srv-single"\?/],
    ['srv-single.nope', /unknown finding code "srv-single\.nope" in "options\.checkOverrides"/],
  ])('rejects an override of %s, which names no check or code, by name', async (key, message) => {
    const file = await savedReport((report) => {
      report.options.checkOverrides = { [key]: 'off' };
    });
    const run = await runFedcheck(['--replay', file, '--json']);
    oneUsageLine(run, message);
    expect(run.stderr).toContain(file);
    expect(run.stdout).toBe('');
  });

  it('applies overrides that name a check or a full code', async () => {
    // The saved peer certificate allows serverAuth only.
    const ekuCode = 'cert-eku.no-client-auth';
    const file = await savedReport((report) => {
      report.options.checkOverrides = { 'tls-handshake': 'off', [ekuCode]: 'info' };
    });
    const run = await runFedcheck(['--replay', file, '--json']);
    expect(run.stderr).toBe('');
    const findings = run.json!.targets.flatMap((target) => target.findings);
    expect(findings.some((finding) => finding.check === 'tls-handshake')).toBe(false);
    expect(findings.filter((finding) => finding.code === ekuCode).map((finding) => finding.status)).toEqual(['info']);
  });

  it.each([
    ['warnDays', 1e308, /"options\.warnDays" must be a whole number between 0 and 3650, got 1e\+308/],
    ['critDays', 4000, /"options\.critDays" must be a whole number between 0 and 3650, got 4000/],
    ['timeoutMs', 5, /"options\.timeoutMs" must be a whole number between 100 and 3600000, got 5/],
    ['concurrency', 5000, /"options\.concurrency" must be a whole number between 1 and 1024, got 5000/],
    ['impPort', 70000, /"options\.impPort" must be a whole number between 1 and 65535|\/options\/impPort/],
  ])('holds the recorded %s to the range of the command line', async (name, value, message) => {
    const file = await savedReport((report) => {
      (report.options as Record<string, unknown>)[name] = value;
    });
    oneUsageLine(await runFedcheck(['--replay', file, '--json']), message);
  });

  it("takes the report's own thresholds as the base, the command line over them", async () => {
    const recordedSixty = await savedReport((report) => {
      report.options.warnDays = 60;
    });
    const run = await runFedcheck(['--replay', recordedSixty, '--crit-days', '40', '--json']);
    expect(run.stderr).toBe('');
    expect(run.json!.options).toMatchObject({ warnDays: 60, critDays: 40 });
    // The peer certificate has 21 days left: under the new crit threshold, it fails.
    const validity = run.json!.targets[0]!.findings.filter((finding) => finding.check === 'cert-validity');
    expect(validity.map((finding) => finding.status)).toContain('fail');

    const recordedThirty = await savedReport();
    oneUsageLine(
      await runFedcheck(['--replay', recordedThirty, '--crit-days', '40', '--json']),
      new RegExp(`"options\\.warnDays" in ${recordedThirty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(30\\) must not be less than --crit-days \\(40\\)`),
    );
  });

  describe('a report with no targets: nothing was checked, so UNKNOWN and exit 3', () => {
    it.each(FORMATS)('in the %s format', async (format) => {
      const file = await savedReport((report) => {
        report.targets = [];
      });
      const run = await runFedcheck(['--replay', file, '--format', format]);
      oneUsageLine(run, /holds no targets: nothing was checked/);
      if (format === 'nagios') expect(run.stdout).toMatch(/^FEDCHECK UNKNOWN - --replay .* holds no targets: nothing was checked[^\n]*\n$/);
      else expect(run.stdout).toBe('');
    });
  });
});
