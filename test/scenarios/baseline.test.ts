// --baseline against the lab: a run saved as JSON, a certificate renewed on one peer (with a
// certificate that expires soon), a second run that reports exactly that, in every format that
// shows changes, and again when the second run is replayed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, RunResult } from '../../src/model/findings.js';
import { startLab, type LabSpec, type RunningLab } from '../../src/lab/lab.js';
import { resultFromDocument, type SavedDocument } from '../../src/report/json.js';
import { runFedcheck, type FedcheckRun } from '../helpers/fedcheck.js';
import { temporaryPath, writeTemporaryFile } from '../helpers/files.js';
import { resultValidator, describeErrors } from '../report/schema.js';

const NAMES = ['sip.ciscoexample.com'];
const LAB: LabSpec = {
  zones: [
    '$ORIGIN ciscoexample.com.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A {{LAB_NS}}\n' +
      '_sipfederationtls._tcp 3600 IN SRV 10 10 5061 sip.ciscoexample.com.\nsip 3600 IN A {{PEER1}}\nsip 3600 IN A {{PEER2}}\n',
  ],
  endpoints: [
    { name: 'PEER1', certificate: { profile: 'good-rsa', names: NAMES } },
    { name: 'PEER2', certificate: { profile: 'good-rsa', names: NAMES } },
  ],
};

let lab: RunningLab;
let args: string[];
let baselineFile: string;
let before: RunResult;
let after: FedcheckRun;
const peer = (name: string) => `${lab.variables[name]}:5061`;
const leafOf = (result: RunResult, name: string) => result.targets[0]!.observations.tls.find((probe) => `${probe.address}:${probe.port}` === peer(name))!.chain[0]!;

beforeAll(async () => {
  lab = await startLab(LAB);
  args = ['ciscoexample.com', '--resolver', lab.resolverArgument, '--ca', await writeTemporaryFile('lab-root.pem', lab.rootPem)];
  baselineFile = temporaryPath('baseline.json');
  const first = await runFedcheck([...args, '--json', '--output', baselineFile]);
  expect([first.code, first.stderr]).toEqual([0, '']);
  before = resultFromDocument(JSON.parse(readFileSync(baselineFile, 'utf8')) as SavedDocument);
  lab.renew('PEER2', { profile: 'expiring-warn', names: NAMES, variant: 'renewed' });
  after = await runFedcheck([...args, '--baseline', baselineFile, '--json']);
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

describe('--baseline after a certificate was replaced on one peer', () => {
  it('reports the replaced certificate, and the findings it brought, in the JSON', () => {
    expect(after.stderr).toBe('');
    expect(after.code).toBe(1);
    const result = after.json!;
    const validate = resultValidator();
    expect(validate(after.document), describeErrors(validate.errors)).toBe(true);
    expect(result.baseline).toEqual({ startedAt: before.startedAt });
    const [certificate, ...findings] = result.changes!;
    const old = leafOf(before, 'PEER2');
    const renewed = leafOf(result, 'PEER2');
    expect(certificate).toEqual({
      domain: 'ciscoexample.com',
      kind: 'certificate',
      subject: peer('PEER2'),
      before: { fingerprintSha256: old.fingerprintSha256, notAfter: old.notAfter, subject: old.subject },
      after: { fingerprintSha256: renewed.fingerprintSha256, notAfter: renewed.notAfter, subject: renewed.subject },
    });
    expect(renewed.fingerprintSha256).not.toBe(old.fingerprintSha256);
    expect(findings.map((change: Change) => [change.kind, change.subject, change.before, change.after])).toEqual(
      expect.arrayContaining([
        ['finding', peer('PEER2'), null, { code: 'cert-validity.expiring', status: 'warn' }],
        ['finding', 'sip.ciscoexample.com', null, { code: 'cert-consistent.differ', status: 'warn' }],
      ]),
    );
    expect(result.changes!.some((change) => change.subject === peer('PEER1') && change.kind === 'certificate')).toBe(false);
  });

  it('gives the same changes when the second run is replayed against the baseline', async () => {
    const second = await writeTemporaryFile('second.json', after.stdout);
    const replayed = await runFedcheck(['--replay', second, '--baseline', baselineFile, '--json']);
    expect([replayed.code, replayed.stderr]).toEqual([1, '']);
    expect(replayed.json!.changes).toEqual(after.json!.changes);
  });

  it('shows them in the human report and counts them for Nagios', async () => {
    const second = await writeTemporaryFile('second.json', after.stdout);
    const human = await runFedcheck(['--replay', second, '--baseline', baselineFile]);
    expect(human.stdout).toContain(`changes since ${before.startedAt}`);
    expect(human.stdout).toMatch(new RegExp(`certificate\\s+${peer('PEER2').replaceAll('.', '\\.')}`));
    const nagios = await runFedcheck(['--replay', second, '--baseline', baselineFile, '--format', 'nagios']);
    expect(nagios.stdout.split('\n')[1]).toMatch(new RegExp(`^${after.json!.changes!.length} changes since ${before.startedAt} \\(certificate 1, finding \\d+\\)$`));
  });

  it('exits 3 with one line for a baseline that is unreadable or not a fedcheck report', async () => {
    const cases: [string, RegExp][] = [
      ['/nonexistent/baseline.json', /^fedcheck: cannot read --baseline \/nonexistent\/baseline\.json: no such file\n$/],
      [await writeTemporaryFile('not-json.json', '{"schemaVersion": 1,'), /^fedcheck: --baseline .* is not JSON: /],
      [await writeTemporaryFile('other.json', '{"name": "package"}'), /^fedcheck: --baseline .* is not a fedcheck JSON report/],
    ];
    for (const [file, message] of cases) {
      const run = await runFedcheck([...args, '--baseline', file]);
      expect([file, run.code, run.stdout]).toEqual([file, 3, '']);
      expect(run.stderr).toMatch(message);
    }
  });
});
