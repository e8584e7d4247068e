// Renderers by output format name, like ESLint formatters: plain functions over a RunResult.
import type { Format } from '../model/options.js';
import { renderHtml } from './html.js';
import { renderHuman } from './human.js';
import { jsonChunks, renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderNagios } from './nagios.js';
import { renderPrometheus } from './prometheus.js';
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

/** The report as pieces to write one after another; only JSON is big enough to be worth it. */
export function renderChunks(format: Format, result: RunResult, options: RenderOptions): Iterable<string> {
  return format === 'json' ? jsonChunks(result) : [RENDERERS[format](result, options)];
}
