// yargs (help layout) and ora (spinner) measure text with the string-width package, whose module
// start-up builds an ICU segmenter and the RGI emoji set: some 35 ms, a third of fedcheck's whole
// start-up, paid on every run. The build aliases string-width to this module. What it measures
// is fedcheck's own help and spinner text, for which per-code-point East Asian widths are exact:
// the measure the human report wraps by.
import { stripVTControlCharacters } from 'node:util';
import { displayWidth } from '../report/text.js';

export default function stringWidth(
  text: unknown,
  options: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean } = {},
): number {
  if (typeof text !== 'string' || text === '') return 0;
  const visible = options.countAnsiEscapeCodes ? text : stripVTControlCharacters(text);
  return displayWidth(visible, { ambiguousAsWide: options.ambiguousIsNarrow === false });
}
