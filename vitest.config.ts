import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/sequencer.js';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-file.ts'],
    // Vitest runs one file at a time on two cores (its default leaves a core to itself), while
    // most files wait on the binary, a lab or a server they started: two at once on two cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A worker runs its files one after another in one module graph instead of a fresh process
    // and fresh imports per file (a third of the unit files' time). Test files restore what they
    // change: mocks, fake timers, listeners.
    isolate: false,
    sequence: { sequencer: SlowFirstSequencer },
    // Files that run the binary several times in one test, on a machine other jobs load too.
    testTimeout: 20_000,
  },
});
