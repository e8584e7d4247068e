// The exporter's own metrics, on /metrics: written by hand with the report's exposition writer
// rather than prom-client, which would be a dependency for a handful of counters. Every label
// takes values from a closed set (routes, status codes, outcomes, configured module names), so
// no request can create series.
import { memoryUsage } from 'node:process';
import type { MetricDefinition, MetricFamily, Sample } from '../report/exposition.js';

export type ProbeOutcome = 'success' | 'failure' | 'error';
export type Route = 'probe' | 'metrics' | 'index' | 'other';

/** Upper bounds of the probe-duration buckets, in seconds: from a cached lab answer to a stalled peer. */
export const PROBE_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const EXPORTER_METRICS = {
  buildInfo: {
    name: 'fedcheck_build_info',
    type: 'gauge',
    labels: ['version', 'nodejs_version'],
    help: 'The fedcheck version serving, and the Node.js running it, as labels; the value is always 1.',
  },
  probes: {
    name: 'fedcheck_exporter_probes_total',
    type: 'counter',
    labels: ['module', 'outcome'],
    help: 'Probes run (not answered from the cache) by outcome: success (every domain passed), failure (a domain did not), error (no result: the probe failed or overran its deadline).',
  },
  probeDuration: {
    name: 'fedcheck_exporter_probe_duration_seconds',
    type: 'histogram',
    labels: ['module'],
    help: 'How long each probe that ran took, from its start to its result.',
  },
  cacheHits: {
    name: 'fedcheck_exporter_cache_hits_total',
    type: 'counter',
    labels: ['module'],
    help: 'Probe requests answered by a probe already in flight or a result at most the cache lifetime old.',
  },
  requests: {
    name: 'fedcheck_exporter_requests_total',
    type: 'counter',
    labels: ['route', 'code'],
    help: 'HTTP requests by route (probe, metrics, index, other) and response status code.',
  },
  probesRunning: {
    name: 'fedcheck_exporter_probes_running',
    type: 'gauge',
    labels: [],
    help: 'Probes running now.',
  },
  probesQueued: {
    name: 'fedcheck_exporter_probes_queued',
    type: 'gauge',
    labels: [],
    help: 'Probes waiting for a free slot now.',
  },
  startTime: {
    name: 'process_start_time_seconds',
    type: 'gauge',
    labels: [],
    help: 'When the exporter process started, in seconds since the Unix epoch.',
  },
  residentMemory: {
    name: 'process_resident_memory_bytes',
    type: 'gauge',
    labels: [],
    help: 'Resident memory of the exporter process.',
  },
} satisfies Record<string, MetricDefinition>;

export const EXPORTER_METRIC_DEFINITIONS: readonly MetricDefinition[] = Object.values(EXPORTER_METRICS);

/** Counters keyed by their label values, in first-seen order. */
class LabelledCounter {
  readonly #values = new Map<string, { labels: Record<string, string>; value: number }>();

  add(labels: Record<string, string>, amount = 1): void {
    const key = JSON.stringify(labels);
    const entry = this.#values.get(key) ?? { labels, value: 0 };
    entry.value += amount;
    this.#values.set(key, entry);
  }

  samples(): Sample[] {
    return [...this.#values.values()].map(({ labels, value }) => ({ labels, value }));
  }
}

class Histogram {
  readonly #series = new Map<string, { labels: Record<string, string>; buckets: number[]; sum: number; count: number }>();

  constructor(readonly bounds: readonly number[]) {}

  observe(labels: Record<string, string>, value: number): void {
    const key = JSON.stringify(labels);
    const series = this.#series.get(key) ?? { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    this.bounds.forEach((bound, index) => {
      if (value <= bound) series.buckets[index]! += 1;
    });
    series.sum += value;
    series.count += 1;
    this.#series.set(key, series);
  }

  samples(): Sample[] {
    return [...this.#series.values()].flatMap(({ labels, buckets, sum, count }): Sample[] => [
      ...this.bounds.map((le, index): Sample => ({ labels, value: buckets[index]!, series: { kind: 'bucket', le } })),
      { labels, value: count, series: { kind: 'bucket', le: Infinity } },
      { labels, value: sum, series: { kind: 'sum' } },
      { labels, value: count, series: { kind: 'count' } },
    ]);
  }
}

export class ExporterMetrics {
  readonly #probes = new LabelledCounter();
  readonly #cacheHits = new LabelledCounter();
  readonly #requests = new LabelledCounter();
  readonly #durations = new Histogram(PROBE_DURATION_BUCKETS);

  constructor(
    readonly version: string,
    /** Modules known up front are written with zero counts, so rates exist before the first probe. */
    modules: readonly string[],
  ) {
    for (const module of modules) {
      for (const outcome of ['success', 'failure', 'error'] satisfies ProbeOutcome[]) this.#probes.add({ module, outcome }, 0);
      this.#cacheHits.add({ module }, 0);
    }
  }

  probeFinished(module: string, outcome: ProbeOutcome, seconds: number): void {
    this.#probes.add({ module, outcome });
    this.#durations.observe({ module }, seconds);
  }

  cacheHit(module: string): void {
    this.#cacheHits.add({ module });
  }

  request(route: Route, code: number): void {
    this.#requests.add({ route, code: String(code) });
  }

  families(load: { running: number; queued: number }): MetricFamily[] {
    const M = EXPORTER_METRICS;
    return [
      { definition: M.buildInfo, samples: [{ labels: { version: this.version, nodejs_version: process.versions.node }, value: 1 }] },
      { definition: M.probes, samples: this.#probes.samples() },
      { definition: M.probeDuration, samples: this.#durations.samples() },
      { definition: M.cacheHits, samples: this.#cacheHits.samples() },
      { definition: M.requests, samples: this.#requests.samples() },
      { definition: M.probesRunning, samples: [{ labels: {}, value: load.running }] },
      { definition: M.probesQueued, samples: [{ labels: {}, value: load.queued }] },
      { definition: M.startTime, samples: [{ labels: {}, value: Math.round(performance.timeOrigin) / 1000 }] },
      { definition: M.residentMemory, samples: [{ labels: {}, value: memoryUsage.rss() }] },
    ];
  }
}
