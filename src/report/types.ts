import type { RunResult } from '../model/findings.js';

export interface RenderOptions {
  /** Decides escape codes only; renderers never look at the terminal themselves. */
  color: boolean;
}

/** A pure function from a run's result to the complete text of one output format. */
export type Renderer = (result: RunResult, options: RenderOptions) => string;
