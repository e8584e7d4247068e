import { describe, expect, it } from 'vitest';
import { STATUSES, exitCodeFor, worstStatus } from '../../src/model/findings.js';

describe('exitCodeFor', () => {
  it('follows the monitoring-plugins convention, warn becoming critical only when strict', () => {
    expect(STATUSES.map((status) => [status, exitCodeFor(status, false), exitCodeFor(status, true)])).toEqual([
      ['pass', 0, 0],
      ['info', 0, 0],
      ['warn', 1, 2],
      ['fail', 2, 2],
      ['error', 2, 2],
      ['skip', 0, 0],
    ]);
  });
});

describe('worstStatus', () => {
  it('ranks skip below info, and fail above error', () => {
    expect(worstStatus([])).toBe('pass');
    expect(worstStatus(['pass', 'skip'])).toBe('skip');
    expect(worstStatus(['skip', 'info'])).toBe('info');
    expect(worstStatus(['error', 'fail', 'warn'])).toBe('fail');
  });
});
