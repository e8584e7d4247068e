import { describe, expect, it } from 'vitest';
import stringWidth from '../../src/cli/string-width.js';

describe('stringWidth (the light stand-in for string-width used by yargs and ora)', () => {
  it.each([
    ['', 0],
    ['fedcheck', 8],
    ['\u001b[31mFAIL\u001b[39m', 4],
    ['é', 1],
    ['e\u0301', 1],
    ['日本', 4],
    ['ｆｕｌｌ', 8],
    ['a\u200bb', 2],
    ['→ selected', 10],
  ])('measures %j as %i columns', (text, width) => {
    expect(stringWidth(text)).toBe(width);
  });

  it('counts escape codes when asked', () => {
    expect(stringWidth('\u001b[31mx\u001b[39m', { countAnsiEscapeCodes: true })).toBeGreaterThan(1);
  });

  it('treats ambiguous characters as wide only when asked', () => {
    expect(stringWidth('±')).toBe(1);
    expect(stringWidth('±', { ambiguousIsNarrow: false })).toBe(2);
  });

  it('gives 0 for what is not a string', () => {
    expect(stringWidth(undefined)).toBe(0);
  });
});
