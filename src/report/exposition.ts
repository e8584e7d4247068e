// Writing the Prometheus text exposition format 0.0.4: what `--format prometheus` (for
// node_exporter's textfile collector), the exporter's /probe and its /metrics all print. No
// sample carries a timestamp: the textfile collector rejects them.
import { printable, truncate } from './text.js';

export type MetricType = 'gauge' | 'counter' | 'histogram';

/** A metric family as documented: the README's metric tables list exactly these. */
export interface MetricDefinition {
  name: string;
  type: MetricType;
  /** In the order they are written. A histogram's `le` is implied. */
  labels: readonly string[];
  help: string;
}

export interface Sample {
  /** By label name; a label the definition has and the sample lacks is written empty. */
  labels: Readonly<Record<string, string>>;
  value: number;
  /** Histograms only: which of the three series a sample belongs to (`le` then goes in `bucket`). */
  series?: { kind: 'bucket'; le: number } | { kind: 'sum' } | { kind: 'count' };
}

export interface MetricFamily {
  definition: MetricDefinition;
  /** Read once, in order, when the family is written: a batch's families make their samples as they go. */
  samples: Iterable<Sample>;
}

/**
 * Label values are bounded so that one hostile certificate cannot make a series of arbitrary
 * size; DNS names (253) and every value fedcheck writes itself fit well within it.
 */
export const MAX_LABEL_VALUE_LENGTH = 512;

/**
 * The format escapes backslash, double quote and newline; control characters a peer may have
 * put in a certificate subject are shown as `\xHH` first, so the output stays plain text.
 */
/** Printable ASCII without backslash or double quote: nothing to show, escape or cut (most values: names, addresses). */
const PLAIN_LABEL_VALUE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function escapeLabelValue(value: string): string {
  if (value.length <= MAX_LABEL_VALUE_LENGTH && PLAIN_LABEL_VALUE.test(value)) return value;
  return truncate(printable(value), MAX_LABEL_VALUE_LENGTH).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function sampleLine(definition: MetricDefinition, sample: Sample): string {
  const pairs = definition.labels.map((label): [string, string] => [label, sample.labels[label] ?? '']);
  let name = definition.name;
  if (sample.series) {
    name = `${definition.name}_${sample.series.kind}`;
    if (sample.series.kind === 'bucket') pairs.push(['le', formatSampleValue(sample.series.le)]);
  }
  const labels = pairs.length === 0 ? '' : `{${pairs.map(([label, value]) => `${label}="${escapeLabelValue(value)}"`).join(',')}}`;
  return `${name}${labels} ${formatSampleValue(sample.value)}`;
}

/**
 * The whole exposition. Families without samples are left out. The format allows one sample per
 * series: each family's samples must have distinct label sets (the families fedcheck makes do;
 * no set of every series is kept here, which for a batch would be a hundred thousand strings).
 */
export function renderExposition(families: Iterable<MetricFamily>): string {
  return [...expositionChunks(families)].join('');
}

/** Sample lines gathered into pieces of about this many characters before they are handed on. */
const CHUNK_CHARACTERS = 64 * 1024;

/** The exposition in pieces, a family's samples read as they are written. */
export function* expositionChunks(families: Iterable<MetricFamily>): Generator<string> {
  for (const { definition, samples } of families) {
    let chunk = '';
    let empty = true;
    for (const sample of samples) {
      if (empty) chunk += `# HELP ${definition.name} ${escapeHelp(definition.help)}\n# TYPE ${definition.name} ${definition.type}\n`;
      empty = false;
      chunk += `${sampleLine(definition, sample)}\n`;
      if (chunk.length >= CHUNK_CHARACTERS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
}

/** Content-Type of the text format, for HTTP responses. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
