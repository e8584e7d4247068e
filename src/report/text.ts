// Text shaping shared by the line-oriented renderers. Messages quote what remote servers sent
// (certificate names, error strings, the first bytes of a non-TLS reply), so nothing from a
// result reaches a terminal or a monitoring system before passing through here.
import { eastAsianWidth } from 'get-east-asian-width';

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

/** Marks that take no column of their own: combining marks, format characters, variation selectors. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}\u{FE00}-\u{FE0F}]/u;
const NARROW_ONLY = /^[\x20-\x7e]*$/;

/**
 * The columns a text takes in a terminal: a CJK character takes two, a combining mark none.
 * Names from certificates and the network are not ASCII-only, and the human report must not
 * overflow the terminal because of them.
 */
export function displayWidth(text: string, options: { ambiguousAsWide?: boolean } = {}): number {
  if (NARROW_ONLY.test(text)) return text.length;
  let width = 0;
  for (const character of text) {
    if (ZERO_WIDTH.test(character)) continue;
    width += eastAsianWidth(character.codePointAt(0)!, { ambiguousAsWide: options.ambiguousAsWide === true });
  }
  return width;
}

/** The longest start of `text` that fits in `columns` columns (at least one character, so wrapping always advances). */
function fittingPrefix(text: string, columns: number): string {
  let used = 0;
  let end = 0;
  for (const character of text) {
    const width = displayWidth(character);
    if (end > 0 && used + width > columns) break;
    used += width;
    end += character.length;
  }
  return text.slice(0, end);
}

/**
 * A piece of an overlong word, ending after its last dot, hyphen or slash when that keeps at least
 * half of it: a long domain name breaks between labels, where a reader expects it to.
 */
function breakAfterSeparator(piece: string): string {
  const separator = Math.max(piece.lastIndexOf('.'), piece.lastIndexOf('-'), piece.lastIndexOf('/'));
  return separator + 1 >= piece.length / 2 && separator + 1 < piece.length ? piece.slice(0, separator + 1) : piece;
}

/**
 * Cuts a one-line text to `columns` terminal columns, marking the cut with an ellipsis; the cut
 * falls between words when one ends in the last third of the line, so no word is left half.
 */
export function fitColumns(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  const kept = fittingPrefix(text, Math.max(1, columns - 1));
  const space = kept.lastIndexOf(' ');
  const cut = space >= (kept.length * 2) / 3 ? kept.slice(0, space).replace(/[\s,;:—-]+$/u, '') : kept;
  return `${cut}…`;
}

/**
 * Greedy word wrap at `width` terminal columns (wide characters count two). The first line
 * starts with `firstIndent`, later ones with `restIndent`; newlines in the text start new lines,
 * and a word longer than a line is split rather than left to overflow.
 */
export function wrap(text: string, width: number, firstIndent: string, restIndent: string = firstIndent): string[] {
  const lines: string[] = [];
  let indent = firstIndent;
  let current = '';
  let used = 0;
  const room = (): number => Math.max(1, width - displayWidth(indent));
  const flush = (): void => {
    lines.push((indent + current).trimEnd());
    indent = restIndent;
    current = '';
    used = 0;
  };
  for (const paragraph of printable(text).split('\n')) {
    for (let word of paragraph.split(' ').filter((part) => part !== '')) {
      let wordWidth = displayWidth(word);
      if (current !== '' && used + 1 + wordWidth > room()) flush();
      while (wordWidth > room()) {
        if (current !== '') flush();
        current = breakAfterSeparator(fittingPrefix(word, room()));
        word = word.slice(current.length);
        wordWidth = displayWidth(word);
        flush();
      }
      if (word !== '') {
        current = current === '' ? word : `${current} ${word}`;
        used += (used === 0 ? 0 : 1) + wordWidth;
      }
    }
    flush();
  }
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
