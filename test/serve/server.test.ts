import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExporter, probeBudgetMs, type Exporter, type ExporterOptions, type ExporterModule } from '../../src/serve/server.js';
import { EXPORTER_METRIC_DEFINITIONS } from '../../src/serve/metrics.js';
import { VERSION } from '../../src/version.js';
import { lintMetrics, PROMTOOL, MISSING_PROMTOOL } from '../helpers/prometheus.js';
import { parseExposition, samplesOf } from '../report/exposition.js';
import { FakeProbe, request } from './fake-probe.js';

const MODULES = new Map<string, ExporterModule>([
  ['default', { timeoutMs: 10_000 }],
  ['partner', { timeoutMs: 20_000 }],
]);
const TARGETS = new Set(['ciscoexample.com', 'cisco-two.example', 'cisco-three.example', 'xn--bcher-kva.example']);

const running: Exporter[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((exporter) => exporter.shutdown()));
});

interface Started {
  exporter: Exporter;
  port: number;
  fake: FakeProbe;
  logs: string[];
  clock: { now: number };
}

async function start(overrides: Partial<ExporterOptions<ExporterModule>> & { automatic?: boolean } = {}): Promise<Started> {
  const fake = new FakeProbe(overrides.automatic === false ? 'manual' : undefined);
  const logs: string[] = [];
  const clock = { now: 1_000 };
  const exporter = createExporter({
    probe: fake.probe,
    modules: MODULES,
    defaultModule: 'default',
    targets: TARGETS,
    log: (line) => logs.push(line),
    clock: () => clock.now,
    ...overrides,
  });
  running.push(exporter);
  const { port } = await exporter.listen(0, '127.0.0.1');
  return { exporter, port, fake, logs, clock };
}

function oneLine(body: string): string {
  expect(body).toMatch(/^[^\n]+\n$/);
  return body.trimEnd();
}

describe('GET /probe', () => {
  it('answers with the result families for the target, probed with the default module and its timeout', async () => {
    const { port, fake } = await start();
    const answer = await request(port, '/probe?target=ciscoexample.com');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const exposition = parseExposition(answer.body);
    expect(samplesOf(exposition, 'fedcheck_probe_success')).toEqual([
      { name: 'fedcheck_probe_success', labels: { domain: 'ciscoexample.com', role: 'local' }, value: 1 },
    ]);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.request).toMatchObject({ target: 'ciscoexample.com', moduleName: 'default', module: { timeoutMs: 10_000 }, timeoutMs: 10_000 });
  });

  it('uses the module the request names', async () => {
    const { port, fake } = await start();
    expect((await request(port, '/probe?target=ciscoexample.com&module=partner')).status).toBe(200);
    expect(fake.calls[0]!.request).toMatchObject({ moduleName: 'partner', timeoutMs: 20_000 });
  });

  it.each([
    ['case and a trailing dot', 'CiscoExample.COM.', 'ciscoexample.com'],
    ['an internationalised name', encodeURIComponent('bücher.example'), 'xn--bcher-kva.example'],
  ])('normalises the target as the command line does (%s)', async (_case, raw, normalised) => {
    const { port, fake } = await start();
    expect((await request(port, `/probe?target=${raw}`)).status).toBe(200);
    expect(fake.targets).toEqual([normalised]);
  });

  it.each([
    ['no target', '/probe', 'give the domain to check'],
    ['an empty target', '/probe?target=', 'target is empty'],
    ['two targets', '/probe?target=ciscoexample.com&target=cisco-two.example', 'give the target parameter once'],
    ['a URI', `/probe?target=${encodeURIComponent('https://ciscoexample.com/')}`, 'is a URI'],
    ['an address', '/probe?target=user%40ciscoexample.com', 'is an address'],
    ['a path', `/probe?target=${encodeURIComponent('../../etc/passwd')}`, 'cannot appear in a domain name'],
    ['shell characters', `/probe?target=${encodeURIComponent('a.example;rm -rf /')}`, 'cannot appear in a domain name'],
    ['an IP address', '/probe?target=192.0.2.1', 'looks like an IP address'],
    ['a module with a path in it', '/probe?target=ciscoexample.com&module=..%2Fetc', 'is not a module name'],
    ['an unknown module', '/probe?target=ciscoexample.com&module=nosuch', 'unknown module "nosuch" (configured: default, partner)'],
    ['two modules', '/probe?target=ciscoexample.com&module=default&module=partner', 'give the module parameter once'],
  ])('refuses %s with 400 and one line, probing nothing', async (_case, path, says) => {
    const { port, fake } = await start();
    const answer = await request(port, path);
    expect(answer.status).toBe(400);
    expect(oneLine(answer.body)).toContain(says);
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses a target outside the configuration with 403 and one line: not an open proxy', async () => {
    const { port, fake } = await start();
    const answer = await request(port, '/probe?target=elsewhere.example');
    expect(answer.status).toBe(403);
    expect(oneLine(answer.body)).toBe("target elsewhere.example is not in the exporter's configuration (its domains and partners); only those may be probed");
    expect(fake.calls).toHaveLength(0);
  });

  it('probes any well-formed domain when allowed to, and still refuses malformed ones', async () => {
    const { port, fake } = await start({ targets: 'any' });
    expect((await request(port, '/probe?target=elsewhere.example')).status).toBe(200);
    expect((await request(port, '/probe?target=not_a_domain')).status).toBe(400);
    expect(fake.targets).toEqual(['elsewhere.example']);
  });

  it.each([
    ['3', 2_500],
    ['3.5', 3_000],
    ['60', 10_000],
    ['0.4', 200],
  ])('takes the deadline from X-Prometheus-Scrape-Timeout-Seconds %s less the offset, bounded by the module', async (header, expected) => {
    const { port, fake } = await start();
    const answer = await request(port, '/probe?target=ciscoexample.com', { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': header } });
    expect(answer.status).toBe(200);
    expect(fake.calls[0]!.request.timeoutMs).toBe(expected);
  });

  it.each(['abc', '-1', '0', '1e3', ''])('refuses a scrape timeout header of %j with 400', async (header) => {
    const { port, fake } = await start();
    const answer = await request(port, '/probe?target=ciscoexample.com', { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': header } });
    expect(answer.status).toBe(400);
    expect(oneLine(answer.body)).toContain('X-Prometheus-Scrape-Timeout-Seconds');
    expect(fake.calls).toHaveLength(0);
  });

  it('answers 504 when the probe overruns its deadline, and aborts the probe signal', async () => {
    const { port, fake, exporter } = await start({ automatic: false, timeoutOffsetMs: 100 });
    const answer = await request(port, '/probe?target=ciscoexample.com', { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '0.3' } });
    expect(answer.status).toBe(504);
    expect(oneLine(answer.body)).toBe('the probe of ciscoexample.com did not finish within its 0.2 s deadline');
    expect(fake.calls[0]!.request.signal.aborted).toBe(true);
    // The probe still holds its slot until it ends.
    expect(exporter.load().running).toBe(1);
    fake.release('ciscoexample.com');
    await vi.waitFor(() => expect(exporter.load().running).toBe(0));
  });

  it('answers 500 with one line when the probe fails, logs it, and does not keep the failure', async () => {
    const { port, fake, logs } = await start({ automatic: false });
    const first = request(port, '/probe?target=ciscoexample.com');
    await vi.waitFor(() => expect(fake.calls).toHaveLength(1));
    fake.fail('ciscoexample.com', new Error('resolver exploded\nwith a second line'));
    const answer = await first;
    expect(answer.status).toBe(500);
    expect(oneLine(answer.body)).toBe('the probe of ciscoexample.com failed: resolver exploded with a second line');
    expect(logs).toEqual(['fedcheck serve: the probe of ciscoexample.com (module default) failed: resolver exploded with a second line']);
    const retry = request(port, '/probe?target=ciscoexample.com');
    await vi.waitFor(() => expect(fake.calls).toHaveLength(2));
    fake.release('ciscoexample.com');
    expect((await retry).status).toBe(200);
  });
});

describe('the result cache', () => {
  it('gives concurrent identical requests one probe, and serves its result again within the cache lifetime', async () => {
    const { port, fake, clock } = await start({ automatic: false, cacheTtlMs: 5_000 });
    const first = request(port, '/probe?target=ciscoexample.com');
    const second = request(port, '/probe?target=ciscoexample.com');
    await vi.waitFor(() => expect(fake.calls).toHaveLength(1));
    // The second request has arrived (it is counted as a cache hit) before the probe ends.
    await vi.waitFor(async () => expect((await request(port, '/metrics')).body).toContain('fedcheck_exporter_cache_hits_total{module="default"} 1'));
    fake.release('ciscoexample.com');
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toBe(a.body);

    clock.now += 4_999;
    expect((await request(port, '/probe?target=ciscoexample.com')).body).toBe(a.body);
    expect(fake.calls).toHaveLength(1);

    clock.now += 1;
    const later = request(port, '/probe?target=ciscoexample.com');
    await vi.waitFor(() => expect(fake.calls).toHaveLength(2));
    fake.release('ciscoexample.com');
    expect((await later).status).toBe(200);
  });

  it('keys results by module and target', async () => {
    const { port, fake } = await start();
    await request(port, '/probe?target=ciscoexample.com');
    await request(port, '/probe?target=ciscoexample.com&module=partner');
    await request(port, '/probe?target=cisco-two.example');
    await request(port, '/probe?target=CISCOEXAMPLE.com&module=default');
    expect(fake.calls.map((call) => [call.request.target, call.request.moduleName])).toEqual([
      ['ciscoexample.com', 'default'],
      ['ciscoexample.com', 'partner'],
      ['cisco-two.example', 'default'],
    ]);
  });

  it('with a lifetime of 0, shares only probes in flight', async () => {
    const { port, fake } = await start({ cacheTtlMs: 0 });
    await request(port, '/probe?target=ciscoexample.com');
    await request(port, '/probe?target=ciscoexample.com');
    expect(fake.calls).toHaveLength(2);
  });
});

describe('bounded work', () => {
  it('runs at most `concurrency` probes, queues `queueLength`, and turns the next away with 503', async () => {
    const { port, fake, exporter } = await start({ automatic: false, concurrency: 1, queueLength: 1 });
    const first = request(port, '/probe?target=ciscoexample.com');
    await vi.waitFor(() => expect(fake.targets).toEqual(['ciscoexample.com']));
    const second = request(port, '/probe?target=cisco-two.example');
    await vi.waitFor(() => expect(exporter.load()).toEqual({ running: 1, queued: 1 }));

    const third = await request(port, '/probe?target=cisco-three.example');
    expect(third.status).toBe(503);
    expect(oneLine(third.body)).toBe('too many probes: 1 probes running and 1 waiting; try again later');

    fake.release('ciscoexample.com');
    expect((await first).status).toBe(200);
    await vi.waitFor(() => expect(fake.targets).toEqual(['ciscoexample.com', 'cisco-two.example']));
    fake.release('cisco-two.example');
    expect((await second).status).toBe(200);
    expect(fake.targets).not.toContain('cisco-three.example');
  });

  it('answers 503 when a queued probe cannot start before its deadline', async () => {
    const { port, fake, exporter } = await start({ automatic: false, concurrency: 1, queueLength: 4, timeoutOffsetMs: 100 });
    const first = request(port, '/probe?target=ciscoexample.com');
    await vi.waitFor(() => expect(fake.calls).toHaveLength(1));
    const queued = await request(port, '/probe?target=cisco-two.example', { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '0.3' } });
    expect(queued.status).toBe(503);
    expect(oneLine(queued.body)).toBe('the deadline passed while the probe waited for a free slot: the exporter is overloaded');
    expect(exporter.load()).toEqual({ running: 1, queued: 0 });
    fake.release('ciscoexample.com');
    expect((await first).status).toBe(200);
    expect(fake.targets).toEqual(['ciscoexample.com']);
  });

  it.each([
    ['an unknown path', '/probe/../etc/passwd', {}, 404],
    ['a POST', '/probe?target=ciscoexample.com', { method: 'POST' }, 405],
    ['a body', '/probe?target=ciscoexample.com', { headers: { 'Content-Length': '1000' }, body: 'x'.repeat(1000) }, 413],
    ['a chunked body', '/probe?target=ciscoexample.com', { headers: { 'Transfer-Encoding': 'chunked' }, body: 'x' }, 413],
    ['a long URL', `/probe?target=ciscoexample.com&pad=${'x'.repeat(3000)}`, {}, 414],
    ['huge headers', '/metrics', { headers: { 'X-Pad': 'x'.repeat(20_000) } }, 431],
  ])('refuses %s', async (_case, path, options, status) => {
    const { port, fake } = await start();
    const answer = await request(port, path, options);
    expect(answer.status).toBe(status);
    if (status === 405) expect(answer.headers.allow).toBe('GET');
    expect(fake.calls).toHaveLength(0);
  });
});

describe('GET /metrics and GET /', () => {
  it('counts builds, probes by outcome, durations, cache hits and requests by code', async () => {
    const { port } = await start();
    await request(port, '/probe?target=ciscoexample.com');
    await request(port, '/probe?target=ciscoexample.com');
    await request(port, '/probe?target=elsewhere.example');
    const answer = await request(port, '/metrics');
    expect(answer.status).toBe(200);
    const exposition = parseExposition(answer.body);
    const definitions = new Map(EXPORTER_METRIC_DEFINITIONS.map((definition) => [definition.name, definition]));
    for (const name of new Set(exposition.samples.map((sample) => sample.name.replace(/_(bucket|sum|count)$/, '')))) {
      expect(definitions.has(name), name).toBe(true);
      expect(exposition.types.get(name)).toBe(definitions.get(name)!.type);
    }
    expect(samplesOf(exposition, 'fedcheck_build_info')[0]!.labels).toEqual({ version: VERSION, nodejs_version: process.versions.node });
    const value = (name: string, labels: Record<string, string>) =>
      samplesOf(exposition, name).find((sample) => Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))?.value;
    expect(value('fedcheck_exporter_probes_total', { module: 'default', outcome: 'success' })).toBe(1);
    expect(value('fedcheck_exporter_probes_total', { module: 'partner', outcome: 'error' })).toBe(0);
    expect(value('fedcheck_exporter_probe_duration_seconds_count', { module: 'default' })).toBe(1);
    expect(value('fedcheck_exporter_probe_duration_seconds_bucket', { module: 'default', le: '+Inf' })).toBe(1);
    expect(value('fedcheck_exporter_cache_hits_total', { module: 'default' })).toBe(1);
    expect(value('fedcheck_exporter_requests_total', { route: 'probe', code: '200' })).toBe(2);
    expect(value('fedcheck_exporter_requests_total', { route: 'probe', code: '403' })).toBe(1);
    expect(value('fedcheck_exporter_probes_running', {})).toBe(0);
  });

  it.skipIf(!PROMTOOL)('passes promtool check metrics on /metrics and /probe', async () => {
    const { port } = await start();
    await request(port, '/probe?target=elsewhere.example');
    for (const path of ['/probe?target=ciscoexample.com', '/metrics']) {
      const lint = await lintMetrics((await request(port, path)).body);
      expect(lint.stdout + lint.stderr, path).toBe('');
      expect(lint.code).toBe(0);
    }
  });
  if (!PROMTOOL) console.warn(MISSING_PROMTOOL);

  it('serves a small index naming the routes and modules, with nothing from the request in it', async () => {
    const { port } = await start();
    const answer = await request(port, '/?x=<script>');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('<a href="metrics">');
    expect(answer.body).toContain('/probe?target=&lt;domain&gt;');
    expect(answer.body).toContain('<code>partner</code>');
    expect(answer.body).not.toContain('<script>');
  });
});

describe('shutdown', () => {
  it('stops accepting, finishes the probe in flight, then closes', async () => {
    const { port, fake, exporter } = await start({ automatic: false });
    const inFlight = request(port, '/probe?target=ciscoexample.com');
    await vi.waitFor(() => expect(fake.calls).toHaveLength(1));
    let drained = false;
    const shutdown = exporter.shutdown().then(() => (drained = true));
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(drained).toBe(false);
    fake.release('ciscoexample.com');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe('close');
    await shutdown;
  });
});

describe('probeBudgetMs', () => {
  it('is the module timeout without the header, the scrape timeout less the offset with it, never more than the module', () => {
    expect(probeBudgetMs(undefined, 10_000, 500)).toBe(10_000);
    expect(probeBudgetMs('10', 10_000, 500)).toBe(9_500);
    expect(probeBudgetMs(' 2.25 ', 10_000, 500)).toBe(1_750);
    expect(probeBudgetMs('120', 10_000, 500)).toBe(10_000);
    expect(probeBudgetMs('0.5', 10_000, 500)).toBe(250);
  });
});
