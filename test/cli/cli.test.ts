// The command-line contract, through the built binary: usage errors, exit codes, outputs.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/model/findings.js';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { startLab, type RunningLab } from '../../src/lab/lab.js';
import { createPki } from '../../src/lab/pki.js';
import { parseCommandLine } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/input.js';
import packageJson from '../../package.json' with { type: 'json' };
import { runFedcheck, type FedcheckRun } from '../helpers/fedcheck.js';
import { sharedCaKeys } from '../helpers/lab-keys.js';
import { temporaryPath, writeTemporaryFile } from '../helpers/files.js';
import { resultValidator, describeErrors } from '../report/schema.js';

const ANSI = /\u001b\[/;
/** A demo starts a lab (key generation included) and may use its whole --timeout (10 s) on a loaded machine. */
const DEMO_TEST_TIMEOUT_MS = 30_000;

let demoRun: Promise<FedcheckRun> | undefined;

/** `fedcheck demo --json`, run once for the tests that read its report. */
function demoJson(): Promise<FedcheckRun> {
  demoRun ??= runFedcheck(['demo', '--json']);
  return demoRun;
}

/**
 * A command line the argument checks refuse, and what they say. main() turns every UsageError into
 * its message on one stderr line after "fedcheck: ", nothing on stdout and exit 3: the binary is
 * held to that below, on some of these and on the mistakes found only when the command runs.
 */
const REFUSED_COMMAND_LINES: [string[], RegExp][] = [
  [['a..b'], /empty label/],
  [['https://ciscoexample.com'], /URI/],
  [['cisco example.com'], /white space/],
  [['ciscoexample.com;reboot'], /characters/],
  [[`${'x'.repeat(64)}.com`], /63/],
  [['ciscoexample.com', '--resolver', 'dns.example.com'], /not an IP address/],
  [['ciscoexample.com', '--resolver', '192.0.2.1:70000'], /between 1 and 65535/],
  [['ciscoexample.com', '--timeout', '-5'], /--timeout must be positive \(between 100 and 3600000\), got -5/],
  [['ciscoexample.com', '--warn-days', '-5'], /--warn-days must be zero or more/],
  [['ciscoexample.com', '--timeout', 'soon'], /whole number/],
  [['ciscoexample.com', '--format', 'xml'], /--format must be one of/],
  [['ciscoexample.com', '--frobnicate'], /unknown option --frobnicate/],
  [['ciscoexample.com', '--warn-days', '10', '--crit-days', '20'], /must not be less than --crit-days/],
  [['ciscoexample.com', '--ca', '/nonexistent/ca.pem'], /cannot read --ca file/],
  [['ciscoexample.com', '--cert', '/nonexistent/c.pem'], /--cert and --key go together/],
  [['ciscoexample.com', '--replay', 'x.json'], /give no domains/],
  [['--domains-file', '/nonexistent/domains.txt'], /cannot read --domains-file/],
  [[], /give at least one SIP domain/],
  [['ciscoexample.com', '--imp-port', '5062'], /go with --imp-fqdn/],
  [['ciscoexample.com', '--imp-fqdn', 'imp..example.com'], /--imp-fqdn/],
  [['ciscoexample.com', '--internal-resolver', 'nope'], /--internal-resolver/],
  [['--partner', 'msexample.com', '--imp-fqdn', 'imp.ciscoexample.com'], /needs a local SIP domain/],
  [['--config', '/nonexistent/fedcheck.json'], /cannot read config file/],
  [['demo', 'extra'], /unexpected argument "extra"|demo takes no domains/],
  [['explain', 'srv-single', 'srv-port'], /unexpected argument "srv-port"|explain takes one check id/],
];

/** The UsageError the argument checks throw for `args`, in-process; the test fails if they accept them. */
async function refusal(args: string[]): Promise<UsageError> {
  const outcome = await parseCommandLine(args).then(
    (command) => command,
    (thrown: unknown) => thrown,
  );
  expect(outcome).toBeInstanceOf(UsageError);
  const error = outcome as UsageError;
  expect(error.message).not.toContain('\n');
  return error;
}

describe('bad input: one line on stderr, exit 3, no stack trace', () => {
  it.each(REFUSED_COMMAND_LINES)('the argument checks refuse %j', async (args, message) => {
    const error = await refusal(args);
    expect(error.message).toMatch(message);
    expect(error.nagios).toBe(false);
  });

  it.each([
  [['a..b'], /empty label/],
  [['ciscoexample.com', '--frobnicate'], /unknown option --frobnicate/],
  [['--replay', '/nonexistent/result.json'], /cannot read --replay/],
  [[], /give at least one SIP domain/],
  [['explain', 'no-such-check'], /no check named/],
  ])('the binary: %j', async (args, message) => {
    const run = await runFedcheck(args);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^fedcheck: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the config file and key when its thresholds contradict', async () => {
    const config = await writeTemporaryFile('thresholds.json', JSON.stringify({ domains: ['ciscoexample.com'], warnDays: 10 }));
    expect((await refusal(['--config', config])).message).toContain(`"warnDays" in ${config} (10) must not be less than the default --crit-days (14)`);
  });

  it('refuses an output file whose folder does not exist before running anything', async () => {
    const config = await writeTemporaryFile('output.json', JSON.stringify({ domains: ['ciscoexample.com'], output: '/nonexistent-folder/report.txt' }));
    expect((await refusal(['--config', config])).message).toContain(
      `cannot write "output" in ${config} /nonexistent-folder/report.txt: the directory /nonexistent-folder does not exist`,
    );
  });

  it('says UNKNOWN on stdout when the config file asks for Nagios output', async () => {
    const config = await writeTemporaryFile('nagios.json', JSON.stringify({ partners: ['msexample.com'], format: 'nagios', imp: { fqdn: 'imp.ciscoexample.com' } }));
    const run = await runFedcheck(['--config', config]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^FEDCHECK UNKNOWN - "imp" in .* needs a local SIP domain/);
  });

  it('also says UNKNOWN on stdout when Nagios output was asked for', async () => {
    const run = await runFedcheck(['a..b', '--format', 'nagios']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('FEDCHECK UNKNOWN - domain "a..b" has an empty label\n');
    expect(run.stderr).toMatch(/^fedcheck: domain "a\.\.b" has an empty label\n$/);
  });

  it('rejects a --ca file that holds no certificate', async () => {
    const file = await writeTemporaryFile('not-a-ca.pem', 'hello\n');
    expect((await refusal(['ciscoexample.com', '--ca', file])).message).toMatch(/holds no PEM certificate/);
  });

  it('rejects a --ca block that is not a certificate', async () => {
    const file = await writeTemporaryFile('armoured.pem', '-----BEGIN CERTIFICATE-----\nAAAAbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    expect((await refusal(['ciscoexample.com', '--ca', file])).message).toMatch(/certificate 1 is not a valid X\.509 certificate/);
  });

  it('rejects a --key that is not the key of --cert, before touching the network', async () => {
    const pki = await createPki({ caKeys: await sharedCaKeys() });
    const mine = pki.issueLeaf({ commonName: 'expe.ciscoexample.com', sans: ['expe.ciscoexample.com'] });
    const other = pki.issueLeaf({ commonName: 'other.ciscoexample.com', keyType: 'ec' });
    const cert = await writeTemporaryFile('expe.pem', mine.certPem);
    const key = await writeTemporaryFile('other.key', other.keyPem);
    const { message } = await refusal(['ciscoexample.com', '--cert', cert, '--key', key]);
    expect(message).toMatch(/is not the private key of --cert file/);
    expect(message).not.toContain('PRIVATE KEY');
  });

  it('names the first damaged place of a hand-edited --replay file', async () => {
    const demo = await demoJson();
    const damaged = structuredClone(demo.document) as { targets: { observations: { dns: { answers: unknown }[] } }[] };
    damaged.targets[0]!.observations.dns[0]!.answers = null;
    const file = await writeTemporaryFile('damaged.json', JSON.stringify(damaged));
    const run = await runFedcheck(['--replay', file]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/does not match the fedcheck result schema: \/targets\/0\/observations\/dns\/0\/answers must be array/);
  }, DEMO_TEST_TIMEOUT_MS);

  it('names the line of a bad --domains-file entry', async () => {
    const file = await writeTemporaryFile('domains.txt', '# partners\nok.example\n\nnot a domain\n');
    expect((await refusal(['--domains-file', file])).message).toMatch(/line 4/);
  });

  it('rejects a --replay file that is not a fedcheck report', async () => {
    const file = await writeTemporaryFile('other.json', '{"hello": 1}');
    const run = await runFedcheck(['--replay', file]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/not a fedcheck JSON report/);
  });
});

describe('informational commands', () => {
  it('prints the version', async () => {
    const run = await runFedcheck(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(packageJson.version);
  });

  it('prints help', async () => {
    const run = await runFedcheck(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--resolver/);
    expect(run.stdout).toMatch(/_sipfederationtls\._tcp/);
  });

  it('lists every check with explain', async () => {
    const run = await runFedcheck(['explain']);
    expect(run.code).toBe(0);
    for (const check of ALL_CHECKS) expect(run.stdout).toContain(check.meta.id);
  });

  it('explains one check', async () => {
    const run = await runFedcheck(['explain', 'srv-target-namespace']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1009/);
    expect(run.stdout).toMatch(/Fix:/);
  });
});

describe('the demo', () => {
  it('runs the sample deployment and reports its deliberate mistakes', async () => {
    const run = await demoJson();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json!;
    const validate = resultValidator();
    expect(validate(run.document), describeErrors(validate.errors)).toBe(true);
    expect(result.targets.map((t) => `${t.role}:${t.domain}`)).toEqual([
      'local:ciscoexample.com',
      'local:exp.ciscoexample.com',
      'partner:msexample.com',
    ]);
    const findings = result.targets.flatMap((t) => t.findings.map((f) => `${t.domain} ${f.check} ${f.status}`));
    expect(findings).toContain('ciscoexample.com srv-single warn');
    expect(findings).toContain('exp.ciscoexample.com srv-target-namespace fail');
    expect(findings).toContain('ciscoexample.com cert-consistent warn');
    expect(findings).toContain('msexample.com srv-target-namespace info');
    expect(findings).toContain('ciscoexample.com imp-fqdn-no-ptr fail');
    expect(findings).toContain('ciscoexample.com imp-tls pass');
    // What the second round added: a peer left with a SHA-1 CBC suite, and revocation checked through the lab's CRLs.
    const codes = result.targets.flatMap((t) => t.findings.map((f) => `${t.domain} ${f.code}`));
    expect(codes).toContain('ciscoexample.com tls-ciphers.weak-only');
    expect(codes).toContain('ciscoexample.com cert-revocation.pass');
  }, DEMO_TEST_TIMEOUT_MS);

  it('prints a human report without escape codes when piped, and leaves nothing in the temporary folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'fedcheck-demo-'));
    try {
      const run = await runFedcheck(['demo'], { env: { TMPDIR: folder } });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Local SIP domain ciscoexample\.com/);
      expect(run.stdout).not.toMatch(ANSI);
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, DEMO_TEST_TIMEOUT_MS);
});

describe('against a lab', () => {
  let lab: RunningLab;
  let ca: string;
  beforeAll(async () => {
    lab = await startLab({
      zones: ['scenarios/two-srv.zone'],
      endpoints: [{ name: 'PEER1', certificate: { profile: 'good-rsa', names: ['sip.ciscoexample.com', 'sip2.ciscoexample.com', 'sip3.ciscoexample.com'] } }],
    }, { caKeys: await sharedCaKeys() });
    ca = await writeTemporaryFile('root.pem', lab.rootPem);
  }, 30_000);
  afterAll(async () => lab?.close());
  const args = () => ['ciscoexample.com', '--resolver', lab.resolverArgument, '--ca', ca];
  // Runs that several tests read, made once.
  let plain: Promise<FedcheckRun> | undefined;
  const plainRun = (): Promise<FedcheckRun> => (plain ??= runFedcheck(args()));
  let saved: Promise<{ run: FedcheckRun; file: string }> | undefined;
  /** The JSON report written with --output. */
  const savedRun = (): Promise<{ run: FedcheckRun; file: string }> => {
    saved ??= (async () => {
      const file = temporaryPath('report.json');
      return { run: await runFedcheck([...args(), '--json', '--output', file]), file };
    })();
    return saved;
  };

  it('exits 1 when the worst finding is a warning, 2 with --strict', async () => {
    expect((await plainRun()).code).toBe(1);
    expect((await runFedcheck([...args(), '--strict'])).code).toBe(2);
  });

  it('says CRITICAL in the Nagios line when --strict makes a warning exit 2', async () => {
    const strict = await runFedcheck([...args(), '--strict', '--format', 'nagios']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toMatch(/^FEDCHECK CRITICAL - /);
    const relaxed = await runFedcheck([...args(), '--format', 'nagios']);
    expect(relaxed.stdout).toMatch(/^FEDCHECK WARNING - /);
  });

  it('keeps the Nagios first line of a batch within 200 characters, every finding in the long text', async () => {
    const branches = ['one', 'two', 'three', 'four', 'five', 'six'].map((name) => `branch-office-${name}.example`);
    const run = await runFedcheck([...branches, ...args(), '--format', 'nagios']);
    expect(run.code, run.stderr).toBe(2);
    const [first, ...longText] = run.stdout.split('\n');
    expect(first!.length).toBeLessThanOrEqual(200);
    expect(first).toMatch(/^FEDCHECK CRITICAL - 6 of 7 domains fail: branch-office-one\.example srv-present \(error\), .* and \d more; 1 more warn$/);
    for (const domain of branches) expect(longText.some((line) => line.startsWith(`[ERROR] ${domain} srv-present `))).toBe(true);
    expect(longText.some((line) => line.startsWith('[WARN] ciscoexample.com srv-single '))).toBe(true);
  });

  it('colours only when asked or on a terminal, never with NO_COLOR', async () => {
    expect((await runFedcheck([...args(), '--color'])).stdout).toMatch(ANSI);
    expect((await plainRun()).stdout).not.toMatch(ANSI);
    expect((await runFedcheck([...args(), '--no-color'])).stdout).not.toMatch(ANSI);
    expect((await runFedcheck([...args(), '--json', '--color'])).stdout).not.toMatch(ANSI);
  });

  it('writes --output atomically and prints nothing on stdout', async () => {
    const { run, file } = await savedRun();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('reports an unwritable --output as a usage error', async () => {
    const run = await runFedcheck([...args(), '--output', '/nonexistent-dir/report.json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot write --output/);
  });

  it('re-judges a saved report offline with the same findings', async () => {
    const { file } = await savedRun();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    const replayed = await runFedcheck(['--replay', file, '--json']);
    expect(replayed.code).toBe(1);
    const written = replayed.document as { targets: { findings: unknown }[]; summary: unknown };
    expect(written.targets.map((t) => t.findings)).toEqual(saved.targets.map((t: { findings: unknown }) => t.findings));
    expect(written.summary).toEqual(saved.summary);
  });

  it('falls over to the next resolver when the first does not answer', async () => {
    const run = await runFedcheck(['ciscoexample.com', '--resolver', '127.0.0.1:9', '--resolver', lab.resolverArgument, '--ca', ca, '--json']);
    expect(run.code).toBe(1);
    const queries = run.json!.targets[0]!.observations.dns;
    expect(queries[0]!.resolver).toBe('127.0.0.1:9');
    expect(queries[0]!.error?.class).toBe('connection-refused');
    const srv = run.json!.targets[0]!.findings.find((f) => f.check === 'srv-present');
    expect(srv?.status).toBe('pass');
  });

  it('reads the deployment from --config, with command-line options overriding it', async () => {
    const config = await writeTemporaryFile(
      'deployment.json',
      `{
        // the two-SRV deployment, with the rule its owner accepts switched off
        "domains": ["ciscoexample.com"],
        "resolvers": ["192.0.2.1"],
        "warnDays": 40,
        "checks": { "srv-single": "off", "srv-port": "fail" },
      }`,
    );
    const run = await runFedcheck(['--config', config, '--resolver', lab.resolverArgument, '--ca', ca, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json!;
    expect(result.targets.map((t) => t.domain)).toEqual(['ciscoexample.com']);
    expect(result.targets[0]!.findings.some((f) => f.check === 'srv-single')).toBe(false);
    expect(result.options).toMatchObject({ warnDays: 40, resolvers: [lab.resolverArgument] });
  });

  describe('fedcheck.config.json in the working directory', () => {
    let folder: string;
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'fedcheck-cwd-'));
      await writeFile(join(folder, 'fedcheck.config.json'), JSON.stringify({ domains: ['ciscoexample.com'], strict: true }));
    });
    afterAll(() => rm(folder, { recursive: true, force: true }));

    it('is read, and named in one line on stderr (stdout stays the report)', async () => {
      const run = await runFedcheck(['--resolver', lab.resolverArgument, '--ca', ca, '--json'], { cwd: folder });
      expect(run.json!.targets.map((t) => t.domain)).toEqual(['ciscoexample.com']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `fedcheck: using the config file ${join(folder, 'fedcheck.config.json')} from the working directory (--no-config ignores it)\n`,
      );
      const nagios = await runFedcheck(['--resolver', lab.resolverArgument, '--ca', ca, '--format', 'nagios'], { cwd: folder });
      expect(nagios.stdout).toMatch(/^FEDCHECK CRITICAL - /);
      expect(nagios.stderr).toMatch(/^fedcheck: using the config file .*fedcheck\.config\.json from the working directory/);
    });

    it('is ignored with --no-config', async () => {
      const run = await runFedcheck(['ciscoexample.com', '--no-config', '--resolver', lab.resolverArgument, '--ca', ca, '--json'], { cwd: folder });
      expect(run.stderr).toBe('');
      expect(run.json!.options.strict).toBe(false);
      expect(run.code).toBe(1);
    });

    it('is not announced when named with --config, which the user asked for', async () => {
      const run = await runFedcheck(['--config', 'fedcheck.config.json', '--resolver', lab.resolverArgument, '--ca', ca, '--json'], { cwd: folder });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(2);
    });

    it('refuses --config with --no-config', async () => {
      const run = await runFedcheck(['--config', 'fedcheck.config.json', '--no-config'], { cwd: folder });
      expect(run.code).toBe(3);
      expect(run.stderr).toBe('fedcheck: --config and --no-config contradict each other\n');
    });
  });

  it.each([
    ['{"domains": ["ciscoexample.com"],}x', /invalid JSON at line 1/],
    ['{"resolver": ["192.0.2.1"]}', /unknown key "resolver" \(did you mean "resolvers"\?\)/],
    ['{"imp": {"fqdn": "imp.ciscoexample.com", "port": "5062"}}', /"imp\.port"/],
    ['{"checks": {"srv-sngle": "off"}}', /srv-single/],
  ])('rejects the config file %j (a usage error: exit 3)', async (text, message) => {
    const config = await writeTemporaryFile('bad.json', text);
    const error = await refusal(['--config', config]);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(config);
  });

  it('lets --imp-fqdn replace the whole IM and Presence block of the config file', async () => {
    const config = await writeTemporaryFile(
      'imp.json',
      JSON.stringify({ domains: ['ciscoexample.com'], imp: { fqdn: 'imp1-public.ciscoexample.com', port: 5999, publisher: 'cup-pub.ciscoexample.com' } }),
    );
    const run = await runFedcheck(['--config', config, '--imp-fqdn', 'imp2-public.ciscoexample.com', '--resolver', lab.resolverArgument, '--ca', ca, '--json', '--timeout', '3000']);
    expect(run.json!.options).toMatchObject({ impFqdn: 'imp2-public.ciscoexample.com', impPort: 5062 });
    expect(run.json!.options).not.toHaveProperty('impPublisher');
  });

  it('prints on stdout with --output -, overriding the config file', async () => {
    const report = temporaryPath('never-written.json');
    const config = await writeTemporaryFile('to-file.json', JSON.stringify({ domains: ['ciscoexample.com'], output: report }));
    const run = await runFedcheck(['--config', config, '--output', '-', '--resolver', lab.resolverArgument, '--ca', ca, '--json']);
    expect(run.json?.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('checks domains from a file, with comments', async () => {
    const file = await writeTemporaryFile('domains.txt', '# our domains\nciscoexample.com  # the main one\n\n');
    const run = await runFedcheck(['--domains-file', file, '--resolver', lab.resolverArgument, '--ca', ca, '--json']);
    expect(run.json!.targets.map((t) => t.domain)).toEqual(['ciscoexample.com']);
  });
});
