// --replay and --baseline read every schemaVersion fedcheck ever wrote: version 1 (a demo run
// saved by fedcheck 0.1.0 before version 2 existed, and the hand-made fixture from before finding
// codes), version 2 (a demo run saved before version 3), whose chains name certificates kept once
// per report, and version 3.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type RunResult } from '../../src/model/findings.js';
import { runFedcheck, type FedcheckRun } from '../helpers/fedcheck.js';
import { writeTemporaryFile } from '../helpers/files.js';
import { resultValidator, describeErrors } from '../report/schema.js';

const fixture = (name: string) => new URL(`../report/fixtures/${name}`, import.meta.url).pathname;
const V1_DEMO = fixture('v1-demo-by-fedcheck-0.1.0.json');
const V1_HANDMADE = fixture('replay-ipv6-and-gcc-high.json');
const V2_DEMO = fixture('v2-demo-by-fedcheck-0398bdd.json');
const validate = resultValidator();

/** The demo run replayed once, as the current version, for every test here. */
let replayed: FedcheckRun;
let replayedFile: string;

beforeAll(async () => {
  replayed = await runFedcheck(['--replay', V1_DEMO, '--json']);
  replayedFile = await writeTemporaryFile('current.json', replayed.stdout);
}, 30_000);

/** Checks added since fedcheck 0.1.0: they skip on its observations, which never asked what they need. */
const ADDED_SINCE_0_1_0 = new Set(['dns-authoritative', 'm365-records', 'tls-ciphers', 'cert-revocation']);
/** Checks of fedcheck 0.1.0 another has absorbed since: cert-crl, by cert-revocation. */
const ABSORBED_SINCE_0_1_0 = new Set(['cert-crl']);
const judgedWithout = (result: RunResult, leftOut: ReadonlySet<string>) =>
  result.targets.map((target) => target.findings.filter((finding) => !leftOut.has(finding.check)).map((finding) => [finding.code ?? finding.check, finding.status, finding.subject]));

describe('--replay of a version 1 report', () => {
  it('re-judges a demo run saved by fedcheck 0.1.0 into a valid current report with the same findings', async () => {
    const saved = JSON.parse(readFileSync(V1_DEMO, 'utf8')) as RunResult;
    expect(saved.schemaVersion).toBe(1);
    expect([replayed.code, replayed.stderr]).toEqual([2, '']);
    expect(validate(replayed.document), describeErrors(validate.errors)).toBe(true);
    const document = replayed.document as { schemaVersion: number; certificates: Record<string, unknown> };
    expect(document.schemaVersion).toBe(SCHEMA_VERSION);
    expect(judgedWithout(replayed.json!, ADDED_SINCE_0_1_0)).toEqual(judgedWithout(saved, ABSORBED_SINCE_0_1_0));
    const added = replayed.json!.targets.flatMap((target) => target.findings.filter((finding) => ADDED_SINCE_0_1_0.has(finding.check)));
    expect(new Set(added.map((finding) => finding.code))).toEqual(
      new Set(['dns-authoritative.not-gathered', 'm365-records.not-gathered', 'tls-ciphers.not-probed', 'cert-revocation.not-gathered']),
    );
    // The demo's peers of one cluster send one certificate: the report keeps it once.
    const chains = saved.targets.flatMap((target) => target.observations.tls.flatMap((probe) => probe.chain));
    expect(Object.keys(document.certificates).length).toBeLessThan(chains.length);
    expect(replayed.stdout.length).toBeLessThan(readFileSync(V1_DEMO, 'utf8').length);

    const again = await runFedcheck(['--replay', replayedFile, '--json']);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe(replayed.stdout);
  }, 30_000);

  it('reads the hand-made report from before finding codes', async () => {
    const handmade = await runFedcheck(['--replay', V1_HANDMADE, '--format', 'nagios']);
    expect(handmade.stderr).toBe('');
    expect(handmade.stdout).toMatch(/^FEDCHECK CRITICAL - /);
  }, 30_000);

  it('compares a current run with a version 1 baseline', async () => {
    const compared = await runFedcheck(['--replay', replayedFile, '--baseline', V1_DEMO, '--json']);
    expect(compared.stderr).toBe('');
    expect(compared.json!.changes).toEqual([]);
    expect(compared.json!.baseline).toEqual({ startedAt: (JSON.parse(readFileSync(V1_DEMO, 'utf8')) as RunResult).startedAt });
  }, 30_000);
});

describe('--replay of a version 2 report', () => {
  it('re-judges a demo run saved before version 3 into the same findings, and compares with it as a baseline', async () => {
    const saved = JSON.parse(readFileSync(V2_DEMO, 'utf8')) as RunResult;
    expect(saved.schemaVersion).toBe(2);
    const run = await runFedcheck(['--replay', V2_DEMO, '--baseline', V2_DEMO, '--json']);
    expect([run.code, run.stderr]).toEqual([2, '']);
    expect(validate(run.document), describeErrors(validate.errors)).toBe(true);
    expect((run.document as { schemaVersion: number }).schemaVersion).toBe(SCHEMA_VERSION);
    const judged = (result: RunResult) => result.targets.map((target) => target.findings.map((finding) => [finding.code, finding.status, finding.subject]).sort());
    expect(judged(run.json!)).toEqual(judged(saved));
    expect(run.json!.changes).toEqual([]);
    expect(run.stdout.length).toBeLessThan(readFileSync(V2_DEMO, 'utf8').length);
  }, 30_000);
});

describe('a current report that does not hold together, or a version from the future', () => {
  it('exits 3 with one line', async () => {
    const broken = JSON.parse(replayed.stdout);
    const [firstKey] = Object.keys(broken.certificates);
    delete broken.certificates[firstKey!];
    const file = await writeTemporaryFile('broken.json', JSON.stringify(broken));
    const run = await runFedcheck(['--replay', file]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^fedcheck: --replay .*: targets\[\d+\]\.observations\.tls\[\d+\]\.chain\[\d+\] names no certificate of the report's "certificates"\n$/);

    const future = await writeTemporaryFile('future.json', JSON.stringify({ ...broken, schemaVersion: SCHEMA_VERSION + 1 }));
    const newer = await runFedcheck(['--replay', future]);
    expect(newer.code).toBe(3);
    expect(newer.stderr).toBe(`fedcheck: --replay ${future} is a fedcheck report of schemaVersion ${SCHEMA_VERSION + 1}, newer than this fedcheck reads (1 to ${SCHEMA_VERSION}): use a newer fedcheck\n`);
  }, 30_000);
});
