// Renderers by output format name, like ESLint formatters: plain functions over a RunResult.
import type { Format } from '../model/options.js';
import { htmlChunks, renderHtml } from './html.js';
import { humanChunks, renderHuman } from './human.js';
import { jsonChunks, renderJson } from './json.js';
import { junitChunks, renderJunit } from './junit.js';
import { nagiosChunks, renderNagios } from './nagios.js';
import { prometheusChunks, renderPrometheus } from './prometheus.js';
import type { RunResult } from '../model/findings.js';
import type { RenderOptions, Renderer } from './types.js';

export type { RenderOptions, Renderer } from './types.js';
export { renderHtml, renderHuman, renderJson, renderJunit, renderNagios, renderPrometheus };
export { nagiosState, type NagiosState } from './nagios.js';

export const RENDERERS: Record<Format, Renderer> = {
  human: renderHuman,
  html: renderHtml,
  json: renderJson,
  junit: renderJunit,
  nagios: renderNagios,
  prometheus: renderPrometheus,
};

/**
 * The report as pieces to write one after another, a target (or a metric family) at a time: the
 * report of a batch of thousands of domains is tens of megabytes, and as one string it would add
 * that much to the run's memory.
 */
export function renderChunks(format: Format, result: RunResult, options: RenderOptions): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonChunks(result);
    case 'human':
      return humanChunks(result, options);
    case 'html':
      return htmlChunks(result);
    case 'junit':
      return junitChunks(result);
    case 'prometheus':
      return prometheusChunks(result);
    case 'nagios':
      return nagiosChunks(result);
  }
}
