import type { RunResult } from '../model/findings.js';

export interface RenderOptions {
  /** Decides escape codes only; renderers never look at the terminal themselves. */
  color: boolean;
  /** Columns the human report wraps at (the terminal's width); a default when absent. */
  width?: number;
  /** The human report shows every finding in full instead of a line per pass, skip or info. */
  verbose?: boolean;
}

/** A pure function from a run's result to the complete text of one output format. */
export type Renderer = (result: RunResult, options: RenderOptions) => string;
