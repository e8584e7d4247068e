import { ALL_CHECKS, declaredCodes, findCheck, findCheckByCode } from '../checks/index.js';
import type { Check } from '../checks/types.js';
import { UsageError } from './input.js';

function describe(check: Check): string {
  const { meta } = check;
  const lines = [
    `${meta.id} — ${meta.title}`,
    '',
    `Rule:        ${meta.rule}`,
    `When broken: ${meta.severity}${meta.roles.length === 1 ? ` (checked for ${meta.roles[0]} domains)` : ''}`,
    `Why:         ${meta.impact}`,
    ...(meta.msDiagnostics ? [`Microsoft:   ${meta.msDiagnostics}`] : []),
    `Source:      ${meta.source}`,
    `Fix:         ${meta.remediation}`,
    '',
    'Codes (each finding carries one; severity overrides may name them):',
    ...codeLines(check),
  ];
  return `${lines.join('\n')}\n`;
}

function codeLines(check: Check): string[] {
  const codes = declaredCodes(check);
  const width = Math.max(...codes.map(({ code }) => code.length));
  return codes.map(({ code, status, summary }) => `  ${code.padEnd(width)}  ${status.padEnd(5)}  ${summary}`);
}

/** `fedcheck explain [check-id | code]`: one check in full (a code shows its check), or the list of all. */
export function explain(checkId?: string): string {
  if (checkId === undefined) {
    const width = Math.max(...ALL_CHECKS.map((check) => check.meta.id.length));
    return `${ALL_CHECKS.map((check) => `${check.meta.id.padEnd(width)}  ${check.meta.severity.padEnd(4)}  ${check.meta.title}`).join('\n')}\n\nfedcheck explain <check-id> tells the rule, why it matters, how to fix it and the codes of its findings.\n`;
  }
  const check = findCheck(checkId) ?? findCheckByCode(checkId);
  if (!check) throw new UsageError(`no check named ${JSON.stringify(checkId)}, nor a code of that name; fedcheck explain lists the checks`);
  return describe(check);
}

/** The check reference of the README, from the same definitions `explain` prints. */
export function checksReferenceMarkdown(): string {
  const cell = (text: string) =>
    text.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = ALL_CHECKS.map(({ meta }) => {
    const diagnostics = meta.msDiagnostics ? ` Microsoft logs \`ms-diagnostics: ${cell(meta.msDiagnostics)}\`.` : '';
    return `| \`${meta.id}\` | ${meta.severity} | ${meta.roles.join(', ')} | ${cell(meta.rule)} | ${cell(meta.impact)}${diagnostics} | ${cell(meta.source)} |`;
  });
  const codeRows = ALL_CHECKS.flatMap((check) =>
    declaredCodes(check).map(({ code, status, summary }) => `| \`${code}\` | ${status} | ${cell(summary)} |`),
  );
  return [
    '| id | when broken | for | rule | why it matters | source |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Every finding carries the stable code of its variant, `<check-id>.<variant>` (the `code` field of the JSON',
    'report). Match codes, not messages; a severity override in the config file may name a code as well as a check id.',
    '',
    '| code | status | meaning |',
    '|---|---|---|',
    ...codeRows,
    '',
  ].join('\n');
}
