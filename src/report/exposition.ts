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
  samples: Sample[];
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
export function escapeLabelValue(value: string): string {
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
 * The whole exposition. Families without samples are left out; a label set written twice in one
 * family keeps its first sample (the format allows one sample per series), so callers put the
 * sample that must win first.
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const { definition, samples } of families) {
    if (samples.length === 0) continue;
    lines.push(`# HELP ${definition.name} ${escapeHelp(definition.help)}`, `# TYPE ${definition.name} ${definition.type}`);
    const written = new Set<string>();
    for (const sample of samples) {
      const line = sampleLine(definition, sample);
      const series = line.slice(0, line.lastIndexOf(' '));
      if (written.has(series)) continue;
      written.add(series);
      lines.push(line);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Content-Type of the text format, for HTTP responses. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
