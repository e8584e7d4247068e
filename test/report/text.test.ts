import { describe, expect, it } from 'vitest';
import { displayWidth, fitColumns, oneLine, printable, truncate, wrap } from '../../src/report/text.js';

describe('printable', () => {
  it('shows terminal control characters as visible escapes', () => {
    expect(printable('a\u001b[31mred\u0007\u0000\u009b')).toBe('a\\x1b[31mred\\x07\\x00\\x9b');
  });

  it('shows bidirectional overrides and lone surrogates instead of letting them reorder or corrupt text', () => {
    expect(printable('abc\u202edef')).toBe('abc\\u202edef');
    expect(printable('x\ud800y')).toBe('x\\ud800y');
    expect(printable('emoji \u{1f600}')).toBe('emoji \u{1f600}');
  });

  it('keeps newlines, turns CRLF into LF, a lone CR into an escape and tabs into spaces', () => {
    expect(printable('one\r\ntwo\rthree\tfour')).toBe('one\ntwo\\x0dthree four');
  });
});

describe('oneLine', () => {
  it('collapses every run of whitespace, newlines included', () => {
    expect(oneLine('  first\n\n  second\tthird  ')).toBe('first second third');
  });
});

describe('truncate', () => {
  it('leaves short text alone and marks a cut with an ellipsis within the width', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('a'.repeat(20), 10);
    expect(cut).toBe(`${'a'.repeat(9)}…`);
    expect(cut.length).toBe(10);
  });
});

describe('wrap', () => {
  it('breaks at word boundaries within the width, with hanging indentation', () => {
    const lines = wrap('alpha beta gamma delta epsilon zeta', 20, '  ', '    ');
    expect(lines).toEqual(['  alpha beta gamma', '    delta epsilon', '    zeta']);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
  });

  it('starts a new line at each newline of the text', () => {
    expect(wrap('first\nsecond', 80, '> ')).toEqual(['> first', '> second']);
  });

  it('splits a word longer than a line instead of overflowing', () => {
    const lines = wrap(`x ${'y'.repeat(25)} z`, 12, '', '  ');
    expect(lines.every((line) => line.length <= 12)).toBe(true);
    expect(lines.join('').replace(/\s/g, '')).toBe(`x${'y'.repeat(25)}z`);
  });

  it('splits a long domain name between labels where one ends in the second half of the line', () => {
    const name = `_sipfederationtls._tcp.${'a'.repeat(30)}.${'b'.repeat(30)}.example`;
    expect(wrap(name, 40, '')).toEqual([`_sipfederationtls._tcp.`, `${'a'.repeat(30)}.`, `${'b'.repeat(30)}.example`]);
    expect(wrap('c'.repeat(50), 20, '')).toEqual(['c'.repeat(20), 'c'.repeat(20), 'c'.repeat(10)]);
  });

  it('returns the indent alone for empty text and drops trailing blank lines', () => {
    expect(wrap('', 40, '  ')).toEqual(['']);
    expect(wrap('text\n\n', 40, '  ')).toEqual(['  text']);
  });
});

describe('displayWidth', () => {
  it('counts terminal columns: wide characters two, combining marks none', () => {
    expect(displayWidth('sip.example.com')).toBe(15);
    expect(displayWidth('例え.テスト')).toBe(11);
    expect(displayWidth('bu\u0308cher')).toBe(6);
    expect(displayWidth('bücher')).toBe(6);
  });
});

describe('wrap and fitColumns by terminal columns', () => {
  const wideName = 'CN=連邦SIPゲートウェイ証明書.例え.テスト';

  it('wraps text with wide characters so that no line takes more columns than the width', () => {
    const text = `The leaf ${wideName} expires in 5 days; renew ${wideName} on every peer.`;
    for (const width of [20, 40, 60]) {
      const lines = wrap(text, width, '  ', '    ');
      expect(lines.filter((line) => displayWidth(line) > width)).toEqual([]);
      expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
  });

  it('splits a wide word longer than a line by columns, never in the middle of a character', () => {
    const lines = wrap('証'.repeat(15), 10, '');
    expect(lines).toEqual(['証'.repeat(5), '証'.repeat(5), '証'.repeat(5)]);
  });

  it('cuts a line at a word within the columns, marking the cut', () => {
    expect(fitColumns('short', 10)).toBe('short');
    const cut = fitColumns('alpha beta gamma delta epsilon', 20);
    expect(cut).toBe('alpha beta gamma…');
    const wide = fitColumns(`renew ${wideName}`, 24);
    expect(displayWidth(wide)).toBeLessThanOrEqual(24);
    expect(wide.endsWith('…')).toBe(true);
  });
});
