import { describe, expect, it } from 'vitest';
import { bySeverity, countStatuses, daysLeft, numericOption } from '../../src/report/facts.js';
import { finding } from './results.js';

describe('daysLeft', () => {
  const now = '2025-03-01T08:00:00.000Z';

  it('counts whole days, rounding down', () => {
    expect(daysLeft('2025-03-15T07:59:59.000Z', now)).toBe(13);
    expect(daysLeft('2025-03-15T08:00:00.000Z', now)).toBe(14);
  });

  it('goes negative once expired', () => {
    expect(daysLeft('2025-02-26T08:00:00.000Z', now)).toBe(-3);
    expect(daysLeft('2025-03-01T07:00:00.000Z', now)).toBe(-1);
  });

  it('is undefined for a date that cannot be read', () => {
    expect(daysLeft('', now)).toBeUndefined();
    expect(daysLeft('2025-03-15T08:00:00.000Z', 'yesterday')).toBeUndefined();
  });
});

describe('bySeverity', () => {
  it('orders fail, error, warn, info, pass, skip and keeps the checks order within a status', () => {
    const findings = [
      finding('a', 'pass', 's', 'm'),
      finding('b', 'skip', 's', 'm'),
      finding('c', 'warn', 's', 'm'),
      finding('d', 'fail', 's', 'm'),
      finding('e', 'info', 's', 'm'),
      finding('f', 'error', 's', 'm'),
      finding('g', 'fail', 's', 'm'),
    ];
    expect(bySeverity(findings).map((f) => f.check)).toEqual(['d', 'g', 'f', 'c', 'e', 'a', 'b']);
    expect(countStatuses(findings)).toEqual({ pass: 1, info: 1, warn: 1, fail: 2, error: 1, skip: 1 });
  });
});

describe('numericOption', () => {
  it('reads only finite numbers from the free-form options', () => {
    expect(numericOption({ warnDays: 30 }, 'warnDays')).toBe(30);
    expect(numericOption({ warnDays: '30' }, 'warnDays')).toBeUndefined();
    expect(numericOption({ warnDays: Number.NaN }, 'warnDays')).toBeUndefined();
    expect(numericOption({}, 'warnDays')).toBeUndefined();
  });
});
