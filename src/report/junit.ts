// JUnit XML for CI servers: one test suite per target, one test case per finding. A warning is
// a passing test whose <system-out> carries the warning, so a pipeline stays green on warnings
// yet shows them (and a `status` property lets tools that read properties filter them) — unless
// the run was --strict, where warnings fail the run and so fail their test cases.
import type { Finding, RunResult, TargetResult } from '../model/findings.js';
import { countStatuses } from './facts.js';
import { escapeXmlAttribute, escapeXmlText } from './xml.js';

function seconds(durationMs: number): string {
  return (Math.max(0, durationMs) / 1000).toFixed(3);
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

function findingText(finding: Finding): string {
  const lines = [finding.message];
  if (finding.remediation) lines.push(`Fix: ${finding.remediation}`);
  if (finding.reference) lines.push(`Reference: ${finding.reference}`);
  return lines.join('\n');
}

function testcase(target: TargetResult, finding: Finding, strict: boolean): string[] {
  const open = `    <testcase${attributes({
    classname: `fedcheck.${target.domain}`,
    name: `${finding.check} ${finding.subject}`,
    time: seconds(0),
  })}`;
  const outcome = (element: 'failure' | 'error'): string =>
    `      <${element}${attributes({ message: finding.message, type: finding.check })}>` +
    `${escapeXmlText(findingText(finding))}</${element}>`;
  switch (finding.status) {
    case 'fail':
      return [open + '>', outcome('failure'), '    </testcase>'];
    case 'warn':
      if (strict) return [open + '>', outcome('failure'), '    </testcase>'];
      return [
        open + '>',
        '      <properties>',
        `        <property${attributes({ name: 'status', value: 'warn' })}/>`,
        '      </properties>',
        `      <system-out>${escapeXmlText(`WARN: ${findingText(finding)}`)}</system-out>`,
        '    </testcase>',
      ];
    case 'error':
      return [open + '>', outcome('error'), '    </testcase>'];
    case 'skip':
      return [open + '>', `      <skipped${attributes({ message: finding.message })}/>`, '    </testcase>'];
    default:
      return [open + '/>'];
  }
}

/** Failures as the run counts them: with --strict, warnings too. */
function failures(findings: Finding[], strict: boolean): number {
  const counts = countStatuses(findings);
  return counts.fail + (strict ? counts.warn : 0);
}

function testsuite(target: TargetResult, result: RunResult, strict: boolean): string[] {
  const counts = countStatuses(target.findings);
  const properties: Record<string, string> = {
    domain: target.domain,
    role: target.role,
    status: target.status,
    resolvers: target.observations.resolvers.join(' '),
  };
  if (target.observations.deadlineExceeded) properties.deadlineExceeded = 'true';
  return [
    `  <testsuite${attributes({
      name: `${target.role}:${target.domain}`,
      tests: target.findings.length,
      failures: failures(target.findings, strict),
      errors: counts.error,
      skipped: counts.skip,
      // Targets are gathered concurrently within the run, so each suite took at most the run's time.
      time: seconds(result.durationMs),
      timestamp: result.startedAt,
    })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attributes({ name, value })}/>`),
    '    </properties>',
    ...target.findings.flatMap((finding) => testcase(target, finding, strict)),
    '  </testsuite>',
  ];
}

export function renderJunit(result: RunResult): string {
  return [...junitChunks(result)].join('');
}

/** The document a test suite (a target) at a time. */
export function* junitChunks(result: RunResult): Generator<string> {
  const strict = result.options.strict === true;
  const findings = result.targets.flatMap((target) => target.findings);
  const counts = countStatuses(findings);
  const tests = result.targets.reduce((total, target) => total + target.findings.length, 0);
  yield [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: 'fedcheck',
      tests,
      failures: failures(findings, strict),
      errors: counts.error,
      skipped: counts.skip,
      time: seconds(result.durationMs),
    })}>`,
    '',
  ].join('\n');
  for (const target of result.targets) yield `${testsuite(target, result, strict).join('\n')}\n`;
  yield '</testsuites>\n';
}
