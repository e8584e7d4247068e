// Every metric fedcheck writes is in the README's metric tables, with its type and labels, and
// the tables name nothing it does not write.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MetricDefinition } from '../../src/report/exposition.js';
import { RESULT_METRIC_DEFINITIONS, TLS_FAILURE_REASONS } from '../../src/report/prometheus.js';
import { EXPORTER_METRIC_DEFINITIONS } from '../../src/serve/metrics.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The rows of the table between <!-- marker:start --> and <!-- marker:end -->, as name, type, labels. */
function documented(marker: string): { name: string; type: string; labels: string[] }[] {
  const section = new RegExp(`<!-- ${marker}:start -->\\n([\\s\\S]*?)<!-- ${marker}:end -->`).exec(readme)?.[1];
  expect(section, `README has no ${marker} table`).toBeDefined();
  return section!
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, name, type, labels] = line.split('|').map((cell) => cell.trim());
      return { name: name!.replaceAll('`', ''), type: type!, labels: labels === '' ? [] : labels!.split(', ').map((label) => label.replaceAll('`', '')) };
    });
}

const asRows = (definitions: readonly MetricDefinition[]) => definitions.map(({ name, type, labels }) => ({ name, type, labels: [...labels] }));

describe('README metric reference', () => {
  it('lists every metric of a result, in order, with its type and labels', () => {
    expect(documented('metrics')).toEqual(asRows(RESULT_METRIC_DEFINITIONS));
  });

  it("lists every metric of the exporter's /metrics, in order, with its type and labels", () => {
    expect(documented('exporter-metrics')).toEqual(asRows(EXPORTER_METRIC_DEFINITIONS));
  });

  it('names every TLS failure reason', () => {
    for (const reason of TLS_FAILURE_REASONS) expect(readme).toContain(`\`${reason}\``);
  });
});
