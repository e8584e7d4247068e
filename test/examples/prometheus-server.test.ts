// A real Prometheus (Debian's package) scraping the real `fedcheck serve` in front of the lab,
// with the scrape configuration and alert rules users copy from examples/prometheus/, only the
// intervals and the exporter's address changed: relabelling, the scrape-timeout header, series
// names and labels as Prometheus stores them, a target outside the configuration, the rules.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLab, type LabSpec, type RunningLab } from '../../src/lab/lab.js';
import { writeTemporaryFile } from '../helpers/files.js';
import { MISSING_PROMETHEUS, PROMETHEUS, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { startServe, type RunningServe } from '../helpers/serve.js';

const examples = (name: string) => readFileSync(new URL(`../../examples/prometheus/${name}`, import.meta.url), 'utf8');

/** The example's two domains: ours with an expired peer and a peer that resets, and a healthy partner. */
const LAB: LabSpec = {
  zones: [
    '$ORIGIN ciscoexample.com.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A {{LAB_NS}}\n' +
      '_sipfederationtls._tcp 3600 IN SRV 10 10 5061 sip.ciscoexample.com.\nsip 3600 IN A {{PEER1}}\nsip 3600 IN A {{PEER2}}\n',
    '$ORIGIN gov-partner.example.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A {{LAB_NS}}\n' +
      '_sipfederationtls._tcp 3600 IN SRV 10 10 5061 sip.gov-partner.example.\nsip 3600 IN A {{PEER3}}\n',
  ],
  endpoints: [
    { name: 'PEER1', certificate: { profile: 'expired', names: ['sip.ciscoexample.com'] } },
    { name: 'PEER2', kind: 'reset' },
    { name: 'PEER3', certificate: { profile: 'good-rsa', names: ['sip.gov-partner.example'] } },
  ],
};

/** `text` with each [from, to] replaced, every `from` required to be there. */
function adapt(text: string, replacements: [string, string][]): string {
  return replacements.reduce((adapted, [from, to]) => {
    expect(adapted, `examples/prometheus no longer contains ${JSON.stringify(from)}`).toContain(from);
    return adapted.replaceAll(from, to);
  }, text);
}

if (!PROMETHEUS) console.warn(MISSING_PROMETHEUS);

describe.skipIf(!PROMETHEUS)('Prometheus scraping fedcheck serve with examples/prometheus', () => {
  let lab: RunningLab;
  let exporter: RunningServe;
  let prometheus: RunningPrometheus;
  const peer = (name: string) => `${lab.variables[name]}:5061`;

  beforeAll(async () => {
    lab = await startLab(LAB);
    const config = await writeTemporaryFile(
      'fedcheck.config.json',
      JSON.stringify({
        domains: ['ciscoexample.com'],
        partners: ['gov-partner.example'],
        resolvers: [lab.resolverArgument],
        ca: [await writeTemporaryFile('lab-root.pem', lab.rootPem)],
        modules: { partner: { role: 'partner' } },
      }),
    );
    exporter = await startServe(['--config', config]);
    const scrape = adapt(examples('prometheus.yml'), [
      ['127.0.0.1:9561', `127.0.0.1:${exporter.port}`],
      ['  scrape_interval: 1m', '  scrape_interval: 1s'],
      ['  evaluation_interval: 1m', '  evaluation_interval: 1s'],
      // Long enough for a probe of the lab on a busy machine: the probe gets this less 0.5 s.
      ['    scrape_interval: 5m', '    scrape_interval: 3s'],
      ['    scrape_timeout: 30s', '    scrape_timeout: 3s'],
      ['          - ciscoexample.com\n', '          - ciscoexample.com\n          - elsewhere.example\n'],
    ]);
    prometheus = await startPrometheus({ 'prometheus.yml': scrape, 'fedcheck.rules.yml': examples('fedcheck.rules.yml') });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
    await lab?.close();
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
    await waitFor(async () => {
      const probes = await prometheus.query('sum by (module) (fedcheck_exporter_probes_total) > 0');
      expect(probes.map(({ metric }) => metric.module).sort()).toEqual(['default', 'partner']);
    });
  }, 60_000);

  it('keeps the failure reason and the certificate times as Prometheus reads them', async () => {
    const reasons = await waitFor(() => prometheus.query('fedcheck_tls_probe_failure_reason'));
    expect(reasons.map(({ metric }) => [metric.peer, metric.reason])).toEqual([[peer('PEER2'), 'handshake-reset']]);
    const notAfter = await prometheus.query(`fedcheck_certificate_not_after_timestamp_seconds{peer="${peer('PEER1')}"}`);
    expect(Number(notAfter[0]!.value[1]) * 1000).toBeLessThan(Date.now());
    const identity = await prometheus.query('fedcheck_certificate_info{domain="gov-partner.example"}');
    expect(identity[0]!.metric).toMatchObject({ subject_cn: 'sip.gov-partner.example', fingerprint_sha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
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
    expect(failingChecks).toEqual(expect.arrayContaining([`cert-validity ${peer('PEER1')}`, `tls-handshake ${peer('PEER2')}`]));
    expect(failingChecks.every((check) => check.includes(peer('PEER1')) || check.includes(peer('PEER2')))).toBe(true);
    expect(alerts.some(({ metric }) => metric.alertname === 'FedcheckExporterDown')).toBe(false);
  }, 60_000);
});
