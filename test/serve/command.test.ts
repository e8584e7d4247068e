// `fedcheck serve` as users run it: the real binary, a config file with modules, the lab behind
// it. The probe runs the real checks with the module's settings (trust anchors, role), refuses
// what the config does not list, passes promtool, and drains on SIGTERM.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { startLab, type LabSpec, type RunningLab } from '../../src/lab/lab.js';
import { runFedcheck } from '../helpers/fedcheck.js';
import { writeTemporaryFile } from '../helpers/files.js';
import { lintMetrics, MISSING_PROMTOOL, PROMTOOL } from '../helpers/prometheus.js';
import { startServe, type RunningServe } from '../helpers/serve.js';
import { parseExposition, samplesOf } from '../report/exposition.js';

/** A local domain with a good peer, and a partner whose certificate lacks clientAuth (a fault only for a local domain). */
export const SERVE_LAB: LabSpec = {
  zones: [
    '$ORIGIN ciscoexample.com.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A {{LAB_NS}}\n' +
      '_sipfederationtls._tcp 3600 IN SRV 10 10 5061 sip.ciscoexample.com.\nsip 3600 IN A {{PEER1}}\n',
    '$ORIGIN partner.example.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A {{LAB_NS}}\n' +
      '_sipfederationtls._tcp 3600 IN SRV 10 10 5061 sip.partner.example.\nsip 3600 IN A {{PEER2}}\n',
  ],
  endpoints: [
    { name: 'PEER1', certificate: { profile: 'good-rsa', names: ['sip.ciscoexample.com'] } },
    { name: 'PEER2', certificate: { profile: 'no-client-auth', names: ['sip.partner.example'] } },
  ],
};

let lab: RunningLab;
let exporter: RunningServe;
let configFile: string;

const probe = (query: string) => fetch(`${exporter.url}/probe?${query}`).then(async (response) => ({ status: response.status, body: await response.text() }));
const success = (body: string) => samplesOf(parseExposition(body), 'fedcheck_probe_success').map((sample) => [sample.labels.domain, sample.labels.role, sample.value]);

beforeAll(async () => {
  lab = await startLab(SERVE_LAB);
  const root = await writeTemporaryFile('lab-root.pem', lab.rootPem);
  configFile = await writeTemporaryFile(
    'serve.config.json',
    JSON.stringify({
      domains: ['ciscoexample.com'],
      partners: ['partner.example'],
      resolvers: [lab.resolverArgument],
      timeoutMs: 20_000,
      modules: {
        // The lab root is trusted only here and in "as-local": the default module does not trust it.
        trusting: { ca: [root] },
        'as-local': { role: 'local', ca: [root] },
      },
    }),
  );
  exporter = await startServe(['--config', configFile]);
}, 60_000);

afterAll(async () => {
  await exporter?.stop();
  await lab?.close();
});

if (!PROMTOOL) console.warn(MISSING_PROMTOOL);

describe('fedcheck serve in front of the lab', () => {
  it('probes a configured domain with the module it names, the module trust anchors included', async () => {
    const trusting = await probe('target=ciscoexample.com&module=trusting');
    expect(trusting.status).toBe(200);
    expect(success(trusting.body)).toEqual([['ciscoexample.com', 'local', 1]]);
    const untrusting = await probe('target=CiscoExample.com.');
    expect(success(untrusting.body)).toEqual([['ciscoexample.com', 'local', 0]]);
    const trust = samplesOf(parseExposition(untrusting.body), 'fedcheck_check_status').find((sample) => sample.labels.check === 'cert-trust');
    expect(trust?.value).toBe(4);
  });

  it('probes a domain the config lists as a partner as a partner, unless the module sets the role', async () => {
    const partner = await probe('target=partner.example&module=trusting');
    expect(success(partner.body)).toEqual([['partner.example', 'partner', 1]]);
    const asLocal = await probe('target=partner.example&module=as-local');
    expect(success(asLocal.body)).toEqual([['partner.example', 'local', 0]]);
    const eku = samplesOf(parseExposition(asLocal.body), 'fedcheck_check_status').find((sample) => sample.labels.check === 'cert-eku');
    expect(eku?.value).toBe(4);
  });

  it('refuses targets the config does not list, malformed targets and unknown modules, in one line', async () => {
    const cases: [string, number, RegExp][] = [
      ['target=elsewhere.example', 403, /^target elsewhere\.example is not in the exporter's configuration/],
      ['target=..%2F..%2Fetc%2Fpasswd', 400, /^target "\.\.\/\.\.\/etc\/passwd" contains characters/],
      ['target=ciscoexample.com%3Btouch%20x', 400, /^target .* contains characters/],
      ['target=ciscoexample.com&module=nope', 400, /^unknown module "nope" \(configured: default, trusting, as-local\)/],
      ['target=ciscoexample.com&module=..%2Fx', 400, /is not a module name/],
    ];
    for (const [query, status, message] of cases) {
      const answer = await probe(query);
      expect([query, answer.status]).toEqual([query, status]);
      expect(answer.body).toMatch(/^[^\n]+\n$/);
      expect(answer.body).toMatch(message);
    }
  });

  it.skipIf(!PROMTOOL)('passes promtool check metrics on /probe and /metrics', async () => {
    for (const query of ['target=ciscoexample.com&module=trusting', 'target=partner.example', 'target=partner.example&module=as-local']) {
      const lint = await lintMetrics((await probe(query)).body);
      expect([query, lint.code, lint.stdout + lint.stderr]).toEqual([query, 0, '']);
    }
    const metrics = await (await fetch(`${exporter.url}/metrics`)).text();
    const lint = await lintMetrics(metrics);
    expect([lint.code, lint.stdout + lint.stderr]).toEqual([0, '']);
    const probes = samplesOf(parseExposition(metrics), 'fedcheck_exporter_probes_total');
    expect(probes.filter((sample) => sample.value > 0).map((sample) => sample.labels.module).sort()).toEqual(expect.arrayContaining(['as-local', 'default', 'trusting']));
  });

  it('stops on SIGTERM and exits 0', async () => {
    expect(await exporter.stop()).toBe(0);
    expect(exporter.stderr()).toMatch(/SIGTERM: no longer accepting/);
    expect(exporter.stderr()).toMatch(/fedcheck serve: stopped\n$/);
  });
});

describe('fedcheck serve with a bad config or command line', () => {
  const rejected = async (config: unknown, args: string[], message: RegExp) => {
    const file = await writeTemporaryFile('bad.config.json', JSON.stringify(config));
    await expect(parseCommandLine(['serve', '--config', file, ...args])).rejects.toThrow(message);
  };

  it('exits 3 with one line naming the file and the key', async () => {
    const file = await writeTemporaryFile('bad.config.json', JSON.stringify({ domains: ['a.example'], modules: { partner: { role: 'remote' } } }));
    const run = await runFedcheck(['serve', '--config', file]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`fedcheck: ${file}: "modules.partner.role" must be "local" or "partner", got "remote"\n`);
  });

  it('rejects modules the way it rejects the top-level settings, and options that belong to a check', async () => {
    await rejected({ domains: ['a.example'], modules: { partner: { domains: ['b.example'] } } }, [], /unknown key "modules\.partner\.domains"/);
    await rejected({ domains: ['a.example'], modules: { partner: { warnDays: '30' } } }, [], /"modules\.partner\.warnDays" must be a whole number between 0 and 3650, got "30"/);
    await rejected({ domains: ['a.example'], modules: { partner: { checks: { 'cert-nme': 'off' } } } }, [], /unknown check id "cert-nme" in "modules\.partner\.checks" \(did you mean "cert-name"\?/);
    await rejected({ domains: ['a.example'], modules: { 'bad name': {} } }, [], /module name "bad name" in "modules" is not usable/);
    await rejected({ domains: ['a.example'], warnDays: 20, modules: { strict: { critDays: 25 } } }, [], /"warnDays" in .* \(20\) must not be less than "modules\.strict\.critDays" in .* \(25\)/);
    await rejected({ partners: ['a.example'], modules: { p: { role: 'partner', imp: { fqdn: 'imp.a.example' } } } }, [], /"modules\.p\.imp" checks IM and Presence/);
    await rejected({ modules: {} }, [], /lists none \(give "domains", "partners" or "domainsFile"\); --allow-any-target/);
    await rejected({ domains: ['a.example'] }, ['--resolver', '192.0.2.1'], /--resolver does not go with serve/);
    await rejected({ domains: ['a.example'] }, ['--listen', '127.0.0.1:99999'], /--listen "127\.0\.0\.1:99999": the port must be between 0 and 65535/);
    await rejected({ domains: ['a.example'] }, ['b.example'], /unexpected argument "b\.example"/);
    await expect(parseCommandLine(['a.example', '--allow-any-target'])).rejects.toThrow('--allow-any-target goes with serve');
  });

  it('builds each module from the top-level settings with its own keys over them', async () => {
    const file = await writeTemporaryFile(
      'modules.config.json',
      JSON.stringify({
        domains: ['a.example'],
        partners: ['b.example'],
        resolvers: ['192.0.2.53'],
        warnDays: 40,
        serve: { cacheTtlMs: 0, concurrency: 2 },
        modules: { default: { critDays: 20 }, internal: { resolvers: ['10.1.1.53:5353'], role: 'local', timeoutMs: 3000, imp: { fqdn: 'imp.a.example' } } },
      }),
    );
    const command = await parseCommandLine(['serve', '--config', file, '--listen', '[::1]:9000']);
    if (command.kind !== 'serve') throw new Error(command.kind);
    const { settings } = command;
    expect(settings.listen).toEqual({ host: '::1', port: 9000 });
    expect([...settings.modules.keys()]).toEqual(['default', 'internal']);
    expect(settings.targets).toEqual(new Set(['a.example', 'b.example']));
    expect(settings.partners).toEqual(new Set(['b.example']));
    expect([settings.cacheTtlMs, settings.concurrency, settings.queueLength]).toEqual([0, 2, 32]);
    const fallback = settings.modules.get('default')!;
    expect(fallback.role).toBeUndefined();
    expect(fallback.timeoutMs).toBe(10_000);
    expect(fallback.settings).toMatchObject({ resolvers: [{ host: '192.0.2.53', port: 53 }], warnDays: 40, critDays: 20, impPort: 5062 });
    expect(fallback.settings.impFqdn).toBeUndefined();
    const internal = settings.modules.get('internal')!;
    expect(internal).toMatchObject({ role: 'local', timeoutMs: 3000 });
    expect(internal.settings).toMatchObject({ resolvers: [{ host: '10.1.1.53', port: 5353 }], impFqdn: 'imp.a.example', warnDays: 40, critDays: 14 });
  });

  it('loads examples/fedcheck-exporter.config.json, which has every module examples/prometheus/prometheus.yml names', async () => {
    const example = fileURLToPath(new URL('../../examples/fedcheck-exporter.config.json', import.meta.url));
    const command = await parseCommandLine(['serve', '--config', example]);
    if (command.kind !== 'serve') throw new Error(command.kind);
    const scrape = readFileSync(new URL('../../examples/prometheus/prometheus.yml', import.meta.url), 'utf8');
    const named = [...scrape.matchAll(/__param_module: (\S+)/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(0);
    expect([...command.settings.modules.keys()]).toEqual(expect.arrayContaining(['default', ...named]));
    expect(command.settings.modules.get('internal')!.settings.caCertificates).toHaveLength(1);
  });

  it('says so when the address is taken', async () => {
    const first = await startServe(['--allow-any-target']);
    try {
      const run = await runFedcheck(['serve', '--allow-any-target', '--listen', `127.0.0.1:${first.port}`]);
      expect(run.code).toBe(3);
      expect(run.stderr).toBe(`fedcheck: cannot listen on 127.0.0.1:${first.port}: something else listens there\n`);
    } finally {
      await first.stop();
    }
  });
});
