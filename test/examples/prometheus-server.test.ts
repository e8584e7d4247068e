// A real Prometheus (Debian's package) scraping the exporter on loopback with the scrape
// configuration and alert rules users copy from examples/prometheus/, only the intervals and the
// exporter's address changed. The exporter's probe is a fake answering from a saved real result,
// so this test is about the Prometheus side: relabelling, the scrape-timeout header, series
// names and labels as Prometheus stores them, a target outside the configuration, the rules.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { worstStatus, type RunResult } from '../../src/model/findings.js';
import { createExporter, type Exporter, type ExporterModule } from '../../src/serve/server.js';
import { MISSING_PROMETHEUS, PROMETHEUS, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { FakeProbe } from '../serve/fake-probe.js';

const examples = (name: string) => readFileSync(new URL(`../../examples/prometheus/${name}`, import.meta.url), 'utf8');
const saved = JSON.parse(readFileSync(new URL('../report/fixtures/replay-ipv6-and-gcc-high.json', import.meta.url), 'utf8')) as RunResult;

/** The saved run narrowed to one domain, as if it had just been checked. */
function savedResultFor(domain: string): RunResult {
  const targets = saved.targets.filter((target) => target.domain === domain);
  return { ...saved, startedAt: new Date().toISOString(), targets, status: worstStatus(targets.map((target) => target.status)) };
}

/** `text` with each [from, to] replaced, every `from` required to be there. */
function adapt(text: string, replacements: [string, string][]): string {
  return replacements.reduce((adapted, [from, to]) => {
    expect(adapted, `examples/prometheus no longer contains ${JSON.stringify(from)}`).toContain(from);
    return adapted.replaceAll(from, to);
  }, text);
}

if (!PROMETHEUS) console.warn(MISSING_PROMETHEUS);

describe.skipIf(!PROMETHEUS)('Prometheus scraping the exporter with examples/prometheus', () => {
  const fake = new FakeProbe((request) => savedResultFor(request.target));
  let exporter: Exporter;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    exporter = createExporter({
      probe: fake.probe,
      modules: new Map<string, ExporterModule>([
        ['default', { timeoutMs: 10_000 }],
        ['partner', { timeoutMs: 10_000 }],
      ]),
      defaultModule: 'default',
      targets: new Set(saved.targets.map((target) => target.domain)),
      log: () => undefined,
    });
    const { port } = await exporter.listen(0, '127.0.0.1');
    const config = adapt(examples('prometheus.yml'), [
      ['127.0.0.1:9561', `127.0.0.1:${port}`],
      ['  scrape_interval: 1m', '  scrape_interval: 1s'],
      ['  evaluation_interval: 1m', '  evaluation_interval: 1s'],
      ['    scrape_interval: 5m', '    scrape_interval: 1s'],
      ['    scrape_timeout: 30s', '    scrape_timeout: 1s'],
      ['          - ciscoexample.com\n', '          - ciscoexample.com\n          - elsewhere.example\n'],
    ]);
    prometheus = await startPrometheus({ 'prometheus.yml': config, 'fedcheck.rules.yml': examples('fedcheck.rules.yml') });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.shutdown();
  });

  const waitFor = <T>(check: () => Promise<T>): Promise<T> => vi.waitFor(check, { timeout: 45_000, interval: 250 });

  it('stores the probe series under the target as instance, with the module chosen by relabelling', async () => {
    const success = await waitFor(async () => {
      const samples = await prometheus.query('fedcheck_probe_success');
      expect(samples).toHaveLength(2);
      return samples;
    });
    expect(success.map(({ metric, value }) => [metric.job, metric.instance, metric.domain, metric.role, value[1]]).sort()).toEqual([
      ['fedcheck', 'ciscoexample.com', 'ciscoexample.com', 'local', '0'],
      ['fedcheck', 'gov-partner.example', 'gov-partner.example', 'partner', '1'],
    ]);
    const modules = new Map(fake.calls.map(({ request }) => [request.target, request.moduleName]));
    expect(Object.fromEntries(modules)).toEqual({ 'ciscoexample.com': 'default', 'gov-partner.example': 'partner' });
  }, 60_000);

  it('passes the scrape timeout, less the offset, to the probe', () => {
    for (const { request } of fake.calls) {
      expect(request.timeoutMs).toBeGreaterThan(0);
      expect(request.timeoutMs).toBeLessThanOrEqual(500);
    }
  });

  it('keeps the failure reason and the certificate times as Prometheus reads them', async () => {
    const reasons = await waitFor(() => prometheus.query('fedcheck_tls_probe_failure_reason'));
    expect(reasons.map(({ metric }) => [metric.peer, metric.reason])).toEqual([['[2001:db8:10::6]:5061', 'handshake-timeout']]);
    const notAfter = await prometheus.query('fedcheck_certificate_not_after_timestamp_seconds{peer="[2001:db8:10::5]:5061"}');
    const leaf = saved.targets[0]!.observations.tls[0]!.chain[0]!;
    expect(Number(notAfter[0]!.value[1])).toBe(Date.parse(leaf.notAfter) / 1000);
    const identity = await prometheus.query('fedcheck_certificate_info{domain="gov-partner.example"}');
    expect(identity[0]!.metric).toMatchObject({ subject_cn: 'sipfed.online.gov.skypeforbusiness.us', fingerprint_sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
  }, 60_000);

  it('marks a target outside the exporter configuration down (403), counted on /metrics', async () => {
    await waitFor(async () => {
      const up = await prometheus.query('up{job="fedcheck"}');
      expect(Object.fromEntries(up.map(({ metric, value }) => [metric.instance, value[1]]))).toEqual({
        'ciscoexample.com': '1',
        'gov-partner.example': '1',
        'elsewhere.example': '0',
      });
    });
    await waitFor(async () => {
      const refused = await prometheus.query('fedcheck_exporter_requests_total{route="probe",code="403"}');
      expect(Number(refused[0]?.value[1])).toBeGreaterThan(0);
    });
    expect(fake.calls.map(({ request }) => request.target)).not.toContain('elsewhere.example');
    const build = await prometheus.query('fedcheck_build_info');
    expect(build.map(({ metric }) => metric.job)).toEqual(['fedcheck-exporter']);
  }, 60_000);

  it('evaluates the example alert rules on the scraped series', async () => {
    const alerts = await waitFor(async () => {
      const active = await prometheus.query('ALERTS');
      const names = active.map(({ metric }) => `${metric.alertname} ${metric.alertstate} ${metric.instance}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'FedcheckCertificateExpired firing ciscoexample.com',
          'FedcheckCheckFailing pending ciscoexample.com',
          'FedcheckProbeFailed pending elsewhere.example',
        ]),
      );
      return active;
    });
    const failingChecks = alerts.filter(({ metric }) => metric.alertname === 'FedcheckCheckFailing').map(({ metric }) => `${metric.check} ${metric.subject}`);
    expect(failingChecks.sort()).toEqual(['cert-eku [2001:db8:10::5]:5061', 'tls-handshake [2001:db8:10::6]:5061']);
    expect(alerts.some(({ metric }) => metric.alertname === 'FedcheckExporterDown')).toBe(false);
  }, 60_000);
});
