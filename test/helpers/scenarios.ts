// fixtures/scenarios/*.json, each a lab (zones, endpoints, DNS misbehaviour), the command line,
// and the findings the real binary must and must not produce against it, matched by code (never
// by English wording).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesPath, startLab, type LabSpec, type RunningLab } from '../../src/lab/lab.js';
import type { Finding, RunResult } from '../../src/model/findings.js';
import { assembleResult, type RecordedOptions } from '../../src/pipeline/run.js';
import { runFedcheck, type FedcheckRun } from './fedcheck.js';
import { sharedCaKeys } from './lab-keys.js';
import { writeTemporaryFile } from './files.js';
import { resultValidator, describeErrors } from '../report/schema.js';

interface ExpectedFinding {
  check: string;
  /** The full code of the variant, `<check-id>.<variant>`. */
  code?: string;
  status?: Finding['status'];
  /** Exact subject, or a subject with {{PLACEHOLDERS}} from the lab. */
  subject?: string;
  /**
   * Data the message (or remediation) must quote, case-insensitively: an address, a record name,
   * an ms-diagnostics number, what the server sent. Never English wording: the code says that.
   */
  says?: string[];
  domain?: string;
}

export interface Scenario extends LabSpec {
  description: string;
  args: string[];
  /** Pass the lab root with --ca (default true). */
  trustLabRoot?: boolean;
  exitCode: number;
  expect: ExpectedFinding[];
  expectNot?: ExpectedFinding[];
  /** Upper bound on the wall time, for scenarios about the deadline. */
  maxElapsedMs?: number;
  /** Needs the IPv6 loopback; skipped, saying so, on a machine without it. */
  requiresIpv6?: boolean;
}

const ipv6Loopback =
  spawnSync(process.execPath, ['-e', "require('net').createServer().listen(0, '::1', function () { this.close(); }).on('error', () => process.exit(1))"]).status === 0;
if (!ipv6Loopback) console.warn('no IPv6 loopback (::1) here: skipping the IPv6 scenarios');

/** The scenario files whose names start with one of the prefixes. */
export function loadScenarios(prefixes: string[]): { file: string; scenario: Scenario }[] {
  const directory = fixturesPath('scenarios');
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json') && prefixes.some((prefix) => file.startsWith(prefix)))
    .sort()
    .map((file) => ({ file, scenario: JSON.parse(readFileSync(`${directory}/${file}`, 'utf8')) as Scenario }));
}

/** The result judged again from its observations, at its own clock, every finding with its message and data. */
function rejudged(result: RunResult): RunResult {
  return assembleResult(
    result.targets.map((target) => target.observations),
    result.options as RecordedOptions,
    new Date(result.startedAt),
    result.durationMs,
  );
}

/** A scenario text with its {{PLACEHOLDERS}} replaced by what the lab got. */
export function fill(text: string, variables: Record<string, string>): string {
  return text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => variables[name] ?? `{{${name}}}`);
}

function matches(finding: Finding & { domain: string }, wanted: ExpectedFinding, variables: Record<string, string>): boolean {
  if (finding.check !== wanted.check) return false;
  if (wanted.code && finding.code !== wanted.code) return false;
  if (wanted.status && finding.status !== wanted.status) return false;
  if (wanted.domain && finding.domain !== wanted.domain) return false;
  if (wanted.subject && finding.subject !== fill(wanted.subject, variables)) return false;
  const text = `${finding.message}\n${finding.remediation ?? ''}`.toLowerCase();
  return (wanted.says ?? []).every((part) => text.includes(fill(part, variables).toLowerCase()));
}

const root = process.getuid?.() === 0;

/**
 * One describe block per scenario; test files call this with their share of the scenarios.
 * `runs` repeats each scenario on a fresh lab, for behaviour that must hold every time (several
 * servers answering at once).
 */
export function defineScenarios(prefixes: string[], { runs = 1 }: { runs?: number } = {}): void {
  const scenarios = loadScenarios(prefixes).flatMap(({ file, scenario }) =>
    Array.from({ length: runs }, (_, run) => ({ title: runs > 1 ? `${file}, run ${run + 1} of ${runs}` : file, scenario })),
  );
  if (!root && scenarios.some(({ scenario }) => scenario.nameServers?.length)) {
    console.warn('the lab name servers listen on port 53, which needs root: skipping the scenarios that use them');
  }
  describe.each(scenarios)('scenario $title', ({ scenario }) => {
    if (scenario.requiresIpv6 && !ipv6Loopback) {
      it.skip('needs the IPv6 loopback (::1)', () => undefined);
      return;
    }
    if (scenario.nameServers?.length && !root) {
      it.skip('needs root for name servers on port 53', () => undefined);
      return;
    }
    let lab: RunningLab;
    let run: FedcheckRun;
    let findings: (Finding & { domain: string })[];

    beforeAll(async () => {
      lab = await startLab(scenario, { caKeys: await sharedCaKeys() });
      const args = [...scenario.args.map((arg) => fill(arg, lab.variables)), '--resolver', lab.resolverArgument, '--json'];
      if (scenario.trustLabRoot !== false) args.push('--ca', await writeTemporaryFile('lab-root.pem', lab.rootPem));
      run = await runFedcheck(args);
      // The JSON keeps a passing finding as its code, status and subject (what it says is in the
      // observations): what it says comes from judging those observations again, as --replay does.
      const judged = run.json ? rejudged(run.json) : undefined;
      findings = (judged?.targets ?? []).flatMap((target) => target.findings.map((finding) => ({ ...finding, domain: target.domain })));
    }, 60_000);

    afterAll(async () => {
      await lab?.close();
    });

    it(`${scenario.description}: exits ${scenario.exitCode} with a JSON report`, () => {
      expect(run.stderr).toBe('');
      expect(run.json, run.stdout).toBeDefined();
      expect(run.code).toBe(scenario.exitCode);
      const identity = (finding: Finding) => [finding.code, finding.status, finding.subject];
      expect(findings.map(identity)).toEqual(run.json!.targets.flatMap((target) => target.findings.map(identity)));
      const validate = resultValidator();
      expect(validate(run.document), describeErrors(validate.errors)).toBe(true);
      if (scenario.maxElapsedMs) expect(run.elapsedMs).toBeLessThan(scenario.maxElapsedMs);
    });

    it.each(scenario.expect.map((wanted) => [`${wanted.code ?? wanted.check} ${wanted.status ?? ''} ${wanted.subject ?? ''}`, wanted] as const))(
      'produces %s',
      (_label, wanted) => {
        const found = findings.filter((finding) => matches(finding, wanted, lab.variables));
        expect(found, JSON.stringify(findings.filter((f) => f.check === wanted.check), null, 2)).not.toHaveLength(0);
      },
    );

    it.each((scenario.expectNot ?? []).map((unwanted) => [`${unwanted.check} ${unwanted.status ?? ''}`, unwanted] as const))(
      'does not produce %s',
      (_label, unwanted) => {
        expect(findings.filter((finding) => matches(finding, unwanted, lab.variables))).toHaveLength(0);
      },
    );
  });
}
