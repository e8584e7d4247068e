// The pipeline as the CLI, the demo and an exporter call it: everything it needs comes in as
// arguments, including when to stop.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultOf } from '../../src/cli/options.js';
import type { RunOptions } from '../../src/model/options.js';
import { assembleResult, recordedOptions, runChecks } from '../../src/pipeline/run.js';
import { NOW, tlsProbe, tlsTarget } from '../helpers/builders/index.js';
import { startRawPeer, type RawPeer } from '../gather/dns/raw-server.js';

function runOptions(overrides: Partial<RunOptions>): RunOptions {
  return {
    domains: ['ciscoexample.com'],
    partners: [],
    resolvers: [],
    internalResolvers: [],
    impPort: defaultOf('impPort'),
    caFiles: [],
    caCertificates: [],
    timeoutMs: defaultOf('timeoutMs'),
    warnDays: defaultOf('warnDays'),
    critDays: defaultOf('critDays'),
    concurrency: defaultOf('concurrency'),
    sipOptions: false,
    revocation: false,
    strict: false,
    checkOverrides: {},
    ...overrides,
  };
}

describe('runChecks: when to stop', () => {
  let silent: RawPeer | undefined;
  afterEach(async () => silent?.close());

  /** A resolver that receives every question and answers none; `onQuery` sees each arrive. */
  async function silentResolver(onQuery: () => void = () => undefined) {
    silent = await startRawPeer({ udp: () => onQuery() });
    return { host: '127.0.0.1', port: silent.port };
  }

  it("stops gathering when the caller's signal aborts", async () => {
    const caller = new AbortController();
    const resolver = await silentResolver(() => caller.abort());
    // A long run: only the caller's signal can end the unanswered question before its own 2 s.
    const result = await runChecks(runOptions({ resolvers: [resolver], timeoutMs: 3_600_000 }), { signal: caller.signal });
    expect(result.targets[0]!.observations.deadlineExceeded).toBe(true);
    expect(result.targets[0]!.observations.dns[0]!.error).toBeDefined();
  });

  it('ends at the deadline it is given rather than timeoutMs after the call', async () => {
    const resolver = await silentResolver();
    const result = await runChecks(runOptions({ resolvers: [resolver], timeoutMs: 60_000 }), { deadline: performance.now() + 300 });
    expect(result.targets[0]!.observations.deadlineExceeded).toBe(true);
  });

  it('without a deadline or signal, lets an unanswered question time out on its own', async () => {
    const resolver = await silentResolver();
    const result = await runChecks(runOptions({ resolvers: [resolver], timeoutMs: 60_000 }));
    expect(result.targets[0]!.observations.deadlineExceeded).toBeUndefined();
    expect(result.targets[0]!.observations.dns[0]!.error?.class).toBe('timeout');
  }, 15_000);
});

describe('recordedOptions', () => {
  it('keeps what re-judging needs and never a PEM or a private key, in the JSON order', () => {
    const recorded = recordedOptions(
      runOptions({
        resolvers: [{ host: '2001:db8::53', port: 53 }],
        impFqdn: 'imp1-public.ciscoexample.com',
        caFiles: ['ca.pem'],
        caCertificates: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'],
        clientCertificate: { certFile: 'expe.pem', certPem: '-----BEGIN CERTIFICATE-----', keyPem: '-----BEGIN PRIVATE KEY-----' },
      }),
    );
    expect(JSON.stringify(recorded)).not.toMatch(/BEGIN/);
    expect(recorded).toMatchObject({ resolvers: ['[2001:db8::53]:53'], caFiles: ['ca.pem'], clientCertificateFile: 'expe.pem' });
    expect(Object.keys(recorded)).toEqual([
      'domains',
      'partners',
      'resolvers',
      'internalResolvers',
      'impFqdn',
      'impPort',
      'caFiles',
      'clientCertificateFile',
      'timeoutMs',
      'warnDays',
      'critDays',
      'concurrency',
      'sipOptions',
      'revocation',
      'strict',
      'checkOverrides',
    ]);
  });
});

describe('assembleResult: what a pass keeps', () => {
  const observations = [tlsTarget([tlsProbe()])];
  const options = recordedOptions(runOptions({}));

  it('keeps every finding in full by default', () => {
    const result = assembleResult(observations, options, NOW, 10);
    const passes = result.targets[0]!.findings.filter((finding) => finding.status === 'pass');
    expect(passes.length).toBeGreaterThan(5);
    expect(passes.every((finding) => finding.message !== '' && finding.reference !== undefined)).toBe(true);
  });

  it('keeps a pass as its check, code, status, subject and reference for an output that does not show it, the other findings whole', () => {
    const full = assembleResult(observations, options, NOW, 10);
    const brief = assembleResult(observations, options, NOW, 10, false);
    expect(brief.summary).toEqual(full.summary);
    brief.targets[0]!.findings.forEach((finding, index) => {
      const whole = full.targets[0]!.findings[index]!;
      if (whole.status !== 'pass') expect(finding).toEqual(whole);
      else expect(finding).toEqual({ check: whole.check, code: whole.code, status: 'pass', subject: whole.subject, message: '', reference: whole.reference });
    });
    expect(brief.targets[0]!.findings.some((finding) => finding.status !== 'pass')).toBe(true);
  });
});
