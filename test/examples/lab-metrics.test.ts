// The real binary's `--format prometheus` against lab scenarios where things go wrong: promtool
// must have nothing to say, and the certificate metrics must still be there when the certificate
// is expired, self-signed or untrusted, which is exactly when they matter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type RunningLab } from '../../src/lab/lab.js';
import { runFedcheck, type FedcheckRun } from '../helpers/fedcheck.js';
import { writeTemporaryFile } from '../helpers/files.js';
import { lintMetrics, MISSING_PROMTOOL, PROMTOOL } from '../helpers/prometheus.js';
import { fill, loadScenarios } from '../helpers/scenarios.js';
import { parseExposition, samplesOf, type Exposition } from '../report/exposition.js';

type Expectation = (exposition: Exposition, peer: string) => void;

const value = (exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined =>
  samplesOf(exposition, name).find((sample) => Object.entries(labels).every(([label, wanted]) => sample.labels[label] === wanted))?.value;

const certificateReported: Expectation = (exposition, peer) => {
  expect(samplesOf(exposition, 'fedcheck_certificate_info').map((sample) => sample.labels.peer)).toEqual([peer]);
  expect(value(exposition, 'fedcheck_certificate_not_after_timestamp_seconds', { peer })).toBeGreaterThan(0);
  expect(value(exposition, 'fedcheck_chain_earliest_not_after_timestamp_seconds', { peer })).toBeGreaterThan(0);
};

const failedWith =
  (reason: string): Expectation =>
  (exposition, peer) => {
    expect(value(exposition, 'fedcheck_tls_probe_success', { peer })).toBe(0);
    expect(samplesOf(exposition, 'fedcheck_tls_probe_failure_reason').map((sample) => [sample.labels.peer, sample.labels.reason])).toEqual([[peer, reason]]);
  };

const EXPECTATIONS: Record<string, Expectation> = {
  'tls-expired': (exposition, peer) => {
    certificateReported(exposition, peer);
    const started = value(exposition, 'fedcheck_run_timestamp_seconds')!;
    expect(value(exposition, 'fedcheck_certificate_not_after_timestamp_seconds', { peer })).toBeLessThan(started);
    expect(value(exposition, 'fedcheck_check_status', { check: 'cert-validity', subject: peer })).toBe(4);
    expect(value(exposition, 'fedcheck_tls_probe_success', { peer })).toBe(1);
    expect(value(exposition, 'fedcheck_probe_success', { domain: 'ciscoexample.com' })).toBe(0);
  },
  'tls-untrusted-root': (exposition, peer) => {
    certificateReported(exposition, peer);
    expect(value(exposition, 'fedcheck_check_status', { check: 'cert-trust', subject: peer })).toBe(4);
  },
  'tls-self-signed': (exposition, peer) => {
    certificateReported(exposition, peer);
    const identity = samplesOf(exposition, 'fedcheck_certificate_info')[0]!.labels;
    expect(identity.issuer_cn).toBe(identity.subject_cn);
  },
  'tls-mtls-required': (exposition, peer) => {
    certificateReported(exposition, peer);
    expect(value(exposition, 'fedcheck_tls_probe_success', { peer })).toBe(1);
    expect(value(exposition, 'fedcheck_probe_success', { domain: 'ciscoexample.com' })).toBe(1);
  },
  'tls-tls10-only': (exposition, peer) => {
    failedWith('handshake-protocol-mismatch')(exposition, peer);
    certificateReported(exposition, peer);
  },
  'hostile-closed-port': (exposition, peer) => {
    failedWith('connect-refused')(exposition, peer);
    expect(samplesOf(exposition, 'fedcheck_certificate_info')).toEqual([]);
  },
  'hostile-reset': failedWith('handshake-reset'),
  'hostile-plaintext': failedWith('handshake-plaintext'),
  'dns-no-srv': (exposition) => {
    expect(value(exposition, 'fedcheck_probe_success', { domain: 'ciscoexample.com' })).toBe(0);
    expect(samplesOf(exposition, 'fedcheck_tls_probe_success')).toEqual([]);
  },
};

if (!PROMTOOL) console.warn(MISSING_PROMTOOL);

const scenarios = loadScenarios(Object.keys(EXPECTATIONS)).filter(({ file }) => Object.hasOwn(EXPECTATIONS, file.replace(/\.json$/, '')));

describe.each(scenarios)('--format prometheus on scenario $file', ({ file, scenario }) => {
  let lab: RunningLab;
  let run: FedcheckRun;

  beforeAll(async () => {
    lab = await startLab(scenario);
    const args = [...scenario.args.map((arg) => fill(arg, lab.variables)), '--resolver', lab.resolverArgument];
    if (scenario.trustLabRoot !== false) args.push('--ca', await writeTemporaryFile('lab-root.pem', lab.rootPem));
    run = await runFedcheck([...args, '--format', 'prometheus']);
  }, 60_000);

  afterAll(async () => {
    await lab?.close();
  });

  it('exits as the scenario says, with valid exposition and the expected series', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(scenario.exitCode);
    EXPECTATIONS[file.replace(/\.json$/, '')]!(parseExposition(run.stdout), `${lab.variables.PEER1}:5061`);
  });

  it.skipIf(!PROMTOOL)('passes promtool check metrics without a word', async () => {
    const lint = await lintMetrics(run.stdout);
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.code).toBe(0);
  });
});

it('covers every scenario it names', () => {
  expect(scenarios.map(({ file }) => file.replace(/\.json$/, '')).sort()).toEqual(Object.keys(EXPECTATIONS).sort());
});
