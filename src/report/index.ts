// Renderers by output format name, like ESLint formatters: plain functions over a RunResult.
// Each format's module is loaded when that format is asked for: a run writes one format, and
// compiling the other five would cost every run start-up time.
import type { Format } from '../model/options.js';
import type { RunResult } from '../model/findings.js';
import type { RenderOptions, Renderer } from './types.js';

export type { RenderOptions, Renderer } from './types.js';

/**
 * One output format: `render` gives the whole report as one string; `chunks` the same text in
 * pieces to write one after another, a target (or a metric family) at a time, since the report of
 * a batch of thousands of domains is tens of megabytes and as one string would add that much to
 * the run's memory.
 */
export interface FormatRenderer {
  render: Renderer;
  chunks: (result: RunResult, options: RenderOptions) => Iterable<string>;
}

const LOADERS: Record<Format, () => Promise<FormatRenderer>> = {
  human: async () => {
    const { renderHuman, humanChunks } = await import('./human.js');
    return { render: renderHuman, chunks: humanChunks };
  },
  html: async () => {
    const { renderHtml, htmlChunks } = await import('./html.js');
    return { render: renderHtml, chunks: (result) => htmlChunks(result) };
  },
  json: async () => {
    const { renderJson, jsonChunks } = await import('./json.js');
    return { render: renderJson, chunks: (result) => jsonChunks(result) };
  },
  junit: async () => {
    const { renderJunit, junitChunks } = await import('./junit.js');
    return { render: renderJunit, chunks: (result) => junitChunks(result) };
  },
  nagios: async () => {
    const { renderNagios, nagiosChunks } = await import('./nagios.js');
    return { render: renderNagios, chunks: (result) => nagiosChunks(result) };
  },
  prometheus: async () => {
    const { renderPrometheus, prometheusChunks } = await import('./prometheus.js');
    return { render: renderPrometheus, chunks: (result) => prometheusChunks(result) };
  },
};

/** The formats there are renderers for. */
export const RENDERER_FORMATS = Object.keys(LOADERS) as Format[];

/** The renderer of one output format, its module loaded on first use. */
export function loadRenderer(format: Format): Promise<FormatRenderer> {
  return LOADERS[format]();
}
