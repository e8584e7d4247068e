// The order the suite's files start in. With two workers the run lasts at least as long as its
// longest file, so that file must not start last. After a run vitest knows every file's duration
// and starts the longest first; on a fresh clone (CI) it knows only their sizes, and the scenario
// files, three lines that run dozens of labs and binaries, would come last. Without durations:
// the scenarios first, then the other files that start the binary, a lab or a server, then the
// rest (milliseconds each), each group in vitest's own order.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const STARTS_PROCESSES = /helpers\/(fedcheck|scenarios|bind|dnsmasq|kamailio|nginx|openssl-server|prometheus|serve|python)\.js'|src\/lab\/lab\.js'/;

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const { cache, config } = this.ctx;
    if (files.every((file) => cache.getFileTestResults(`${file.project.name}:${relative(config.root, file.moduleId)}`))) return sorted;
    const rank = (file: TestSpecification): number => {
      if (relative(config.root, file.moduleId).startsWith('test/scenarios/')) return 0;
      return STARTS_PROCESSES.test(readFileSync(file.moduleId, 'utf8')) ? 1 : 2;
    };
    const ranks = new Map(sorted.map((file) => [file, rank(file)]));
    return [...sorted].sort((a, b) => ranks.get(a)! - ranks.get(b)!);
  }
}
