import { describe, expect, it } from 'vitest';
import { findingBuilder } from '../../../src/checks/shared/findings.js';
import type { CheckMeta } from '../../../src/checks/types.js';

const meta = {
  id: 'demo-check',
  source: 'RFC 2782',
  codes: {
    pass: { status: 'pass', summary: 'fine' },
    note: { status: 'info', summary: 'worth knowing' },
    meh: { status: 'warn', summary: 'could be better' },
    broken: { status: 'fail', summary: 'broken' },
    unknown: { status: 'error', summary: 'could not tell' },
    'not-applicable': { status: 'skip', summary: 'nothing to judge' },
  },
} satisfies Pick<CheckMeta, 'id' | 'source' | 'codes'>;

describe('findingBuilder', () => {
  const found = findingBuilder(meta);

  it('fills in the check id, the full code of the variant and the source as reference', () => {
    expect(found.pass('pass', 'sip.example.com', 'fine')).toEqual({
      check: 'demo-check',
      code: 'demo-check.pass',
      status: 'pass',
      subject: 'sip.example.com',
      message: 'fine',
      reference: 'RFC 2782',
    });
  });

  it('puts remediation on warn and fail, and keeps data and a more precise reference', () => {
    const finding = found.fail('broken', 'x', 'broken', 'fix it', { data: { a: 1 }, reference: 'Cisco TAC 212383' });
    expect(finding).toEqual({
      check: 'demo-check',
      code: 'demo-check.broken',
      status: 'fail',
      subject: 'x',
      message: 'broken',
      remediation: 'fix it',
      reference: 'Cisco TAC 212383',
      data: { a: 1 },
    });
    expect(found.warn('meh', 'x', 'meh', 'tune it').remediation).toBe('tune it');
  });

  it('makes every status, each with a code declared with it', () => {
    const findings = [
      found.pass('pass', 's', 'm'),
      found.info('note', 's', 'm', { remediation: 'optional advice' }),
      found.warn('meh', 's', 'm', 'r'),
      found.fail('broken', 's', 'm', 'r'),
      found.error('unknown', 's', 'm'),
      found.skip('not-applicable', 's', 'm'),
    ];
    expect(findings.map((finding) => [finding.status, finding.code])).toEqual([
      ['pass', 'demo-check.pass'],
      ['info', 'demo-check.note'],
      ['warn', 'demo-check.meh'],
      ['fail', 'demo-check.broken'],
      ['error', 'demo-check.unknown'],
      ['skip', 'demo-check.not-applicable'],
    ]);
    expect(findings[1]!.remediation).toBe('optional advice');
    expect('remediation' in findings[4]!).toBe(false);
  });

  it('takes the status of a computed variant from its declaration', () => {
    expect(found.as('meh', 's', 'm', { remediation: 'r' })).toMatchObject({ status: 'warn', code: 'demo-check.meh', remediation: 'r' });
    expect(found.as('unknown', 's', 'm')).toMatchObject({ status: 'error', code: 'demo-check.unknown' });
  });

  it('does not compile, and throws, for a code used with another status or never declared', () => {
    // @ts-expect-error 'pass' is declared as a pass, not a fail
    expect(() => found.fail('pass', 's', 'm', 'r')).toThrow(/declares as pass/);
    // @ts-expect-error 'nope' is not declared
    expect(() => found.skip('nope', 's', 'm')).toThrow(/declares nowhere/);
  });
});
