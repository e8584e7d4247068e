// Text shaping shared by the line-oriented renderers. Messages quote what remote servers sent
// (certificate names, error strings, the first bytes of a non-TLS reply), so nothing from a
// result reaches a terminal or a monitoring system before passing through here.

const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** Half of a UTF-16 pair without its other half: not text, and unprintable as UTF-8. */
const LONE_SURROGATE = /[\u{d800}-\u{dfff}]/gu;

function visibleEscape(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Shows control characters (ESC, CR, BEL, C1, bidirectional overrides) and lone surrogates as
 * visible `\xHH` / `\uHHHH` escapes, so a peer cannot recolour, rewrite or reorder the report.
 * Tabs become spaces; newlines stay, the layout functions decide what they mean.
 */
export function printable(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL_CHARACTER, visibleEscape)
    .replace(LONE_SURROGATE, visibleEscape);
}

/** Printable and on one line: every run of whitespace, newlines included, becomes one space. */
export function oneLine(text: string): string {
  return printable(text).replace(/\s+/g, ' ').trim();
}

/** Cuts a one-line text to `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Greedy word wrap at `width` columns. The first line starts with `firstIndent`, later ones
 * with `restIndent`; newlines in the text start new lines, and a word longer than a line is
 * split rather than left to overflow.
 */
export function wrap(text: string, width: number, firstIndent: string, restIndent: string = firstIndent): string[] {
  const lines: string[] = [];
  let indent = firstIndent;
  let current = '';
  const room = (): number => Math.max(1, width - indent.length);
  const flush = (): void => {
    lines.push((indent + current).trimEnd());
    indent = restIndent;
    current = '';
  };
  for (const paragraph of printable(text).split('\n')) {
    for (let word of paragraph.split(' ').filter((part) => part !== '')) {
      if (current !== '' && current.length + 1 + word.length > room()) flush();
      while (word.length > room()) {
        if (current !== '') flush();
        current = word.slice(0, room());
        word = word.slice(current.length);
        flush();
      }
      if (word !== '') current = current === '' ? word : `${current} ${word}`;
    }
    flush();
  }
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
