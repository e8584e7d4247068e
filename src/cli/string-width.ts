// yargs (help layout) and ora (spinner) measure text with the string-width package, whose module
// start-up builds an ICU segmenter and the RGI emoji set: some 35 ms, a third of fedcheck's whole
// start-up, paid on every run. The build aliases string-width to this module. What it measures
// is fedcheck's own help and spinner text, for which per-code-point East Asian widths are exact.
import { eastAsianWidth } from 'get-east-asian-width';
import { stripVTControlCharacters } from 'node:util';

const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}\u{FE00}-\u{FE0F}]/u;

export default function stringWidth(
  text: unknown,
  options: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean } = {},
): number {
  if (typeof text !== 'string' || text === '') return 0;
  const visible = options.countAnsiEscapeCodes ? text : stripVTControlCharacters(text);
  let width = 0;
  for (const character of visible) {
    if (ZERO_WIDTH.test(character)) continue;
    width += eastAsianWidth(character.codePointAt(0)!, { ambiguousAsWide: options.ambiguousIsNarrow === false });
  }
  return width;
}
