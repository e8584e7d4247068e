// `fedcheck explain` and the README reference come from the checks' own definitions, codes included.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, declaredCodes } from '../../src/checks/index.js';
import { checksReferenceMarkdown, explain } from '../../src/cli/explain.js';

describe('explain', () => {
  it.each(ALL_CHECKS.map((check) => [check.meta.id, check] as const))('shows every code of %s with its status and meaning', (id, check) => {
    const text = explain(id);
    for (const { code, status, summary } of declaredCodes(check)) {
      expect(text).toMatch(new RegExp(`^ {2}${code.replace(/[.-]/g, '\\$&')} +${status} +${summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
  });

  it('explains the check a code belongs to', () => {
    expect(explain('srv-port.port-zero')).toBe(explain('srv-port'));
  });

  it('refuses what is neither a check nor a code', () => {
    expect(() => explain('srv-port.nope')).toThrow(/no check named "srv-port.nope"/);
  });

  it('lists every code in the reference', () => {
    const reference = checksReferenceMarkdown();
    for (const check of ALL_CHECKS) {
      for (const { code, status } of declaredCodes(check)) expect(reference).toContain(`| \`${code}\` | ${status} |`);
    }
  });
});
