import { ALL_CHECKS, findCheck } from '../checks/index.js';
import type { CheckMeta } from '../checks/types.js';
import { UsageError } from './input.js';

function describe(meta: CheckMeta): string {
  const lines = [
    `${meta.id} — ${meta.title}`,
    '',
    `Rule:        ${meta.rule}`,
    `When broken: ${meta.severity}${meta.roles.length === 1 ? ` (checked for ${meta.roles[0]} domains)` : ''}`,
    `Why:         ${meta.impact}`,
    ...(meta.msDiagnostics ? [`Microsoft:   ${meta.msDiagnostics}`] : []),
    `Source:      ${meta.source}`,
    `Fix:         ${meta.remediation}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `fedcheck explain [check-id]`: one check in full, or the list of all. */
export function explain(checkId?: string): string {
  if (checkId === undefined) {
    const width = Math.max(...ALL_CHECKS.map((check) => check.meta.id.length));
    return `${ALL_CHECKS.map((check) => `${check.meta.id.padEnd(width)}  ${check.meta.severity.padEnd(4)}  ${check.meta.title}`).join('\n')}\n\nfedcheck explain <check-id> tells the rule, why it matters and how to fix it.\n`;
  }
  const check = findCheck(checkId);
  if (!check) throw new UsageError(`no check named ${JSON.stringify(checkId)}; fedcheck explain lists them`);
  return describe(check.meta);
}

/** The check reference of the README, from the same definitions `explain` prints. */
export function checksReferenceMarkdown(): string {
  const cell = (text: string) =>
    text.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = ALL_CHECKS.map(({ meta }) => {
    const diagnostics = meta.msDiagnostics ? ` Microsoft logs \`ms-diagnostics: ${cell(meta.msDiagnostics)}\`.` : '';
    return `| \`${meta.id}\` | ${meta.severity} | ${meta.roles.join(', ')} | ${cell(meta.rule)} | ${cell(meta.impact)}${diagnostics} | ${cell(meta.source)} |`;
  });
  return [
    '| id | when broken | for | rule | why it matters | source |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
