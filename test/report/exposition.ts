// A validator for the Prometheus text exposition format 0.0.4, strict where node_exporter's
// textfile collector is: every line must match the grammar, HELP and TYPE come at most once
// per family and before its samples, a family's samples are contiguous, no series repeats,
// and no sample carries a timestamp.

export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: ExpositionSample[];
  help: Map<string, string>;
  types: Map<string, string>;
}

export class ExpositionError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const METRIC_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: number): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!DECIMAL.test(text)) throw new ExpositionError(`"${text}" is not a sample value`, line);
  return Number(text);
}

/** Docstrings may escape only backslash and newline. */
function unescapeHelp(text: string, line: number): string {
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character !== '\\') {
      result += character;
      continue;
    }
    const next = text[++index];
    if (next === '\\') result += '\\';
    else if (next === 'n') result += '\n';
    else throw new ExpositionError(`bad escape "\\${next ?? ''}" in HELP`, line);
  }
  return result;
}

function parseSampleLine(text: string, line: number): ExpositionSample {
  let index = 0;
  while (index < text.length && text[index] !== '{' && text[index] !== ' ') index++;
  const name = text.slice(0, index);
  if (!METRIC_NAME.test(name)) throw new ExpositionError(`"${name}" is not a metric name`, line);
  const labels: Record<string, string> = {};
  if (text[index] === '{') {
    index++;
    for (;;) {
      if (text[index] === '}') {
        index++;
        break;
      }
      const equals = text.indexOf('=', index);
      if (equals < 0) throw new ExpositionError('label without "="', line);
      const label = text.slice(index, equals);
      if (!LABEL_NAME.test(label) || label.startsWith('__')) {
        throw new ExpositionError(`"${label}" is not a label name`, line);
      }
      if (Object.hasOwn(labels, label)) throw new ExpositionError(`label ${label} repeated`, line);
      index = equals + 1;
      if (text[index] !== '"') throw new ExpositionError(`label ${label}: value not quoted`, line);
      index++;
      let value = '';
      for (;;) {
        const character = text[index];
        if (character === undefined) throw new ExpositionError(`label ${label}: unterminated value`, line);
        index++;
        if (character === '"') break;
        if (character === '\\') {
          const escaped = text[index++];
          if (escaped === '\\') value += '\\';
          else if (escaped === '"') value += '"';
          else if (escaped === 'n') value += '\n';
          else throw new ExpositionError(`label ${label}: bad escape "\\${escaped ?? ''}"`, line);
        } else {
          value += character;
        }
      }
      labels[label] = value;
      if (text[index] === ',') index++;
      else if (text[index] !== '}') throw new ExpositionError(`expected "," or "}" after label ${label}`, line);
    }
  }
  if (text[index] !== ' ') throw new ExpositionError('expected a space before the value', line);
  const fields = text.slice(index + 1).split(' ');
  if (fields.length !== 1 || fields[0] === '') {
    const why = 'expected exactly one value and no timestamp (the textfile collector rejects timestamps)';
    throw new ExpositionError(why, line);
  }
  return { name, labels, value: parseValue(fields[0]!, line) };
}

function familyOf(name: string, types: Map<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      const type = types.get(base);
      if (type === 'histogram' || type === 'summary') return base;
    }
  }
  return name;
}

/** Parses and validates a whole exposition; throws ExpositionError naming the first bad line. */
export function parseExposition(text: string): Exposition {
  if (text !== '' && !text.endsWith('\n')) throw new ExpositionError('the last line must end with a newline', 0);
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  const help = new Map<string, string>();
  const types = new Map<string, string>();
  const samples: ExpositionSample[] = [];
  const finishedFamilies = new Set<string>();
  const familiesWithSamples = new Set<string>();
  const series = new Set<string>();
  let currentFamily: string | undefined;
  lines.forEach((content, position) => {
    const line = position + 1;
    if (content.trim() === '') return;
    if (content.startsWith('#')) {
      const parts = content.split(' ');
      const keyword = parts[1];
      if (parts[0] !== '#' || (keyword !== 'HELP' && keyword !== 'TYPE')) return;
      const name = parts[2] ?? '';
      if (!METRIC_NAME.test(name)) throw new ExpositionError(`${keyword} for "${name}", not a metric name`, line);
      if (familiesWithSamples.has(name)) throw new ExpositionError(`${keyword} ${name} after its samples`, line);
      if (currentFamily !== undefined && currentFamily !== name) finishedFamilies.add(currentFamily);
      currentFamily = undefined;
      const rest = parts.slice(3).join(' ');
      if (keyword === 'HELP') {
        if (help.has(name)) throw new ExpositionError(`second HELP for ${name}`, line);
        help.set(name, unescapeHelp(rest, line));
      } else {
        if (types.has(name)) throw new ExpositionError(`second TYPE for ${name}`, line);
        if (!METRIC_TYPES.has(rest)) throw new ExpositionError(`"${rest}" is not a metric type`, line);
        types.set(name, rest);
      }
      return;
    }
    const sample = parseSampleLine(content, line);
    const family = familyOf(sample.name, types);
    if (finishedFamilies.has(family)) throw new ExpositionError(`samples of ${family} are not contiguous`, line);
    if (currentFamily !== undefined && currentFamily !== family) finishedFamilies.add(currentFamily);
    currentFamily = family;
    familiesWithSamples.add(family);
    const key = JSON.stringify([sample.name, Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b))]);
    if (series.has(key)) throw new ExpositionError(`duplicate series ${content}`, line);
    series.add(key);
    samples.push(sample);
  });
  return { samples, help, types };
}

/** The samples of one metric, for assertions. */
export function samplesOf(exposition: Exposition, name: string): ExpositionSample[] {
  return exposition.samples.filter((sample) => sample.name === name);
}
