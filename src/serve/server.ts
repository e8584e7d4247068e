// `fedcheck serve`: a Prometheus exporter in the manner of blackbox_exporter. GET /probe runs the
// checks for one domain and answers with the same metric families as `--format prometheus`;
// GET /metrics has the exporter's own metrics; GET / a small index.
//
// Unlike blackbox_exporter it is not an open proxy: only configured domains may be probed unless
// the operator allows any. Work is bounded (a few probes at once, a short queue, a 503 beyond),
// identical requests share one probe, and every probe has a deadline taken from Prometheus's
// scrape timeout. The checks themselves are injected (`probe`), so the server knows nothing of
// DNS or TLS and its tests need no network beyond loopback.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normaliseDomain } from '../cli/input.js';
import type { RunResult } from '../model/findings.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../report/exposition.js';
import { resultFamilies, targetPassed } from '../report/prometheus.js';
import { oneLine, truncate } from '../report/text.js';
import { VERSION } from '../version.js';
import { QueueFullError, QueueWaitAbortedError, WorkGate } from './admission.js';
import { ExporterMetrics, type ProbeOutcome, type Route } from './metrics.js';
import { DEFAULT_LISTEN_HOST, DEFAULT_LISTEN_PORT, EXPORTER_DEFAULTS, MODULE_NAME } from './defaults.js';
import { ResultCache } from './result-cache.js';

/** What the server needs of a module; the config loader's modules carry more (resolvers, trust, role). */
export interface ExporterModule {
  /** The module's own deadline for a probe; a shorter scrape timeout shortens it. */
  timeoutMs: number;
}

export interface ProbeRequest<Module extends ExporterModule> {
  /** Normalised as the command line does: lower case, no trailing dot, punycode. */
  target: string;
  moduleName: string;
  module: Module;
  /** The time left for this probe: its --timeout. */
  timeoutMs: number;
  /** Aborts when that time is up. */
  signal: AbortSignal;
}

export type Probe<Module extends ExporterModule> = (request: ProbeRequest<Module>) => Promise<RunResult>;

export interface ExporterOptions<Module extends ExporterModule> {
  probe: Probe<Module>;
  modules: ReadonlyMap<string, Module>;
  /** The module used when a request names none; must be in `modules`. */
  defaultModule: string;
  /** Normalised domains that may be probed, or 'any' (`--allow-any-target`). */
  targets: ReadonlySet<string> | 'any';
  concurrency?: number;
  queueLength?: number;
  cacheTtlMs?: number;
  maxCachedResults?: number;
  timeoutOffsetMs?: number;
  maxConnections?: number;
  /** One line per event worth an operator's attention (a probe that failed, shutting down). */
  log?: (line: string) => void;
  /** Milliseconds on a monotonic clock, for the cache and the time a probe waited; tests replace it. */
  clock?: () => number;
}

export interface Exporter {
  server: http.Server;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting, lets every request and probe in flight finish, then closes every connection. */
  shutdown(): Promise<void>;
  /** Probes running and waiting now. */
  load(): { running: number; queued: number };
}

/** A request the exporter refuses; `status` is the HTTP code, the message its one-line body. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_URL_LENGTH = 2_048;
const SECONDS = /^[0-9]{1,6}(\.[0-9]{1,9})?$/;

/**
 * The time a probe may take: Prometheus's scrape timeout less `offsetMs` (half the timeout when
 * it is shorter than the offset), never more than the module's own timeout. Without the header
 * (a person with curl), the module's timeout.
 */
export function probeBudgetMs(scrapeTimeoutHeader: string | undefined, moduleTimeoutMs: number, offsetMs: number): number {
  if (scrapeTimeoutHeader === undefined) return moduleTimeoutMs;
  const text = scrapeTimeoutHeader.trim();
  const scrapeMs = SECONDS.test(text) ? Number(text) * 1000 : Number.NaN;
  if (!(scrapeMs > 0)) {
    throw new Refusal(400, `X-Prometheus-Scrape-Timeout-Seconds ${JSON.stringify(truncate(text, 32))} is not a positive number of seconds`);
  }
  const available = scrapeMs > offsetMs ? scrapeMs - offsetMs : scrapeMs / 2;
  return Math.max(1, Math.min(moduleTimeoutMs, available));
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new Refusal(400, `give the ${name} parameter once, not ${values.length} times`);
  return values[0];
}

function routeOf(path: string): Route {
  if (path === '/probe') return 'probe';
  if (path === '/metrics') return 'metrics';
  if (path === '/') return 'index';
  return 'other';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function probeOutcome(result: RunResult): ProbeOutcome {
  const strict = result.options.strict === true;
  return result.targets.every((target) => targetPassed(target.status, strict)) ? 'success' : 'failure';
}

function rejectAfter(ms: number, error: () => Error): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export function createExporter<Module extends ExporterModule>(options: ExporterOptions<Module>): Exporter {
  if (!options.modules.has(options.defaultModule)) throw new Error(`the default module ${JSON.stringify(options.defaultModule)} is not configured`);
  const settings = {
    concurrency: options.concurrency ?? EXPORTER_DEFAULTS.concurrency,
    queueLength: options.queueLength ?? EXPORTER_DEFAULTS.queueLength,
    cacheTtlMs: options.cacheTtlMs ?? EXPORTER_DEFAULTS.cacheTtlMs,
    maxCachedResults: options.maxCachedResults ?? EXPORTER_DEFAULTS.maxCachedResults,
    timeoutOffsetMs: options.timeoutOffsetMs ?? EXPORTER_DEFAULTS.timeoutOffsetMs,
    maxConnections: options.maxConnections ?? EXPORTER_DEFAULTS.maxConnections,
  };
  const clock = options.clock ?? (() => performance.now());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const gate = new WorkGate(settings.concurrency, settings.queueLength);
  const cache = new ResultCache<RunResult>({ ttlMs: settings.cacheTtlMs, maxEntries: settings.maxCachedResults, now: clock });
  const metrics = new ExporterMetrics(VERSION, [...options.modules.keys()]);
  const moduleList = [...options.modules.keys()].join(', ');

  let draining = false;
  let activeRequests = 0;
  const requestWaiters: (() => void)[] = [];

  const send = (response: ServerResponse, route: Route, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void => {
    metrics.request(route, status);
    if (response.headersSent || response.destroyed) return;
    response.statusCode = status;
    response.setHeader('Content-Type', contentType);
    response.setHeader('Content-Length', Buffer.byteLength(body));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (draining) response.setHeader('Connection', 'close');
    response.end(body);
  };

  const startProbe = (target: string, moduleName: string, module: Module, budgetMs: number): Promise<RunResult> => {
    const arrived = clock();
    const signal = AbortSignal.timeout(budgetMs);
    return gate.run(async () => {
      const started = performance.now();
      try {
        const timeoutMs = Math.max(1, budgetMs - (clock() - arrived));
        const result = await options.probe({ target, moduleName, module, timeoutMs, signal });
        metrics.probeFinished(moduleName, probeOutcome(result), (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        metrics.probeFinished(moduleName, 'error', (performance.now() - started) / 1000);
        throw error;
      }
    }, signal);
  };

  const answerProbe = async (request: IncomingMessage, url: URL): Promise<{ status: number; body: string; contentType?: string }> => {
    const rawTarget = single(url.searchParams, 'target');
    if (rawTarget === undefined) throw new Refusal(400, 'give the domain to check: /probe?target=<domain>');
    let target: string;
    try {
      target = normaliseDomain(rawTarget, 'target');
    } catch (error) {
      throw new Refusal(400, error instanceof Error ? error.message : String(error));
    }
    const moduleName = single(url.searchParams, 'module') ?? options.defaultModule;
    if (!MODULE_NAME.test(moduleName)) throw new Refusal(400, `module ${JSON.stringify(truncate(moduleName, 64))} is not a module name`);
    const module = options.modules.get(moduleName);
    if (!module) throw new Refusal(400, `unknown module "${moduleName}" (configured: ${moduleList})`);
    if (options.targets !== 'any' && !options.targets.has(target)) {
      throw new Refusal(403, `target ${target} is not in the exporter's configuration (its domains and partners); only those may be probed`);
    }
    const header = request.headers['x-prometheus-scrape-timeout-seconds'];
    const budgetMs = probeBudgetMs(Array.isArray(header) ? header[0] : header, module.timeoutMs, settings.timeoutOffsetMs);

    const { promise, shared } = cache.get(`${moduleName}\n${target}`, () => startProbe(target, moduleName, module, budgetMs));
    if (shared) metrics.cacheHit(moduleName);
    const deadline = rejectAfter(
      budgetMs + settings.timeoutOffsetMs,
      () => new Refusal(504, `the probe of ${target} did not finish within its ${(budgetMs / 1000).toFixed(1)} s deadline`),
    );
    try {
      const result = await Promise.race([promise, deadline.promise]);
      return { status: 200, body: renderExposition(resultFamilies(result)), contentType: EXPOSITION_CONTENT_TYPE };
    } catch (error) {
      if (error instanceof Refusal) throw error;
      if (error instanceof QueueFullError) throw new Refusal(503, `too many probes: ${error.message}; try again later`);
      if (error instanceof QueueWaitAbortedError) throw new Refusal(503, `${error.message}: the exporter is overloaded`);
      const reason = oneLine(error instanceof Error ? error.message : String(error));
      log(`fedcheck serve: the probe of ${target} (module ${moduleName}) failed: ${reason}`);
      throw new Refusal(500, `the probe of ${target} failed: ${reason}`);
    } finally {
      deadline.cancel();
    }
  };

  const indexPage = (): string => {
    const targets = options.targets === 'any' ? 'any domain (--allow-any-target)' : `${options.targets.size} configured domains`;
    const modules = [...options.modules.keys()].map((name) => `<code>${escapeHtml(name)}</code>`).join(', ');
    return [
      '<!doctype html>',
      '<html><head><meta charset="utf-8"><title>fedcheck exporter</title></head><body>',
      '<h1>fedcheck exporter</h1>',
      `<p>SIP federation checks for Prometheus, fedcheck ${escapeHtml(VERSION)}.</p>`,
      '<ul>',
      '<li><code>/probe?target=&lt;domain&gt;&amp;module=&lt;name&gt;</code>: checks one domain</li>',
      '<li><a href="metrics"><code>/metrics</code></a>: the exporter\'s own metrics</li>',
      '</ul>',
      `<p>Modules: ${modules} (default <code>${escapeHtml(options.defaultModule)}</code>). May probe: ${targets}.</p>`,
      '</body></html>',
      '',
    ].join('\n');
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const rawUrl = request.url ?? '/';
    let route: Route = 'other';
    try {
      if (rawUrl.length > MAX_URL_LENGTH) throw new Refusal(414, `the request URL is longer than ${MAX_URL_LENGTH} characters`);
      const url = new URL(rawUrl, 'http://exporter.invalid');
      route = routeOf(url.pathname);
      if (route === 'other') throw new Refusal(404, `no such page: ${truncate(url.pathname, 64)} (try /probe?target=<domain>, /metrics or /)`);
      if (request.method !== 'GET') {
        response.setHeader('Allow', 'GET');
        throw new Refusal(405, `${truncate(request.method ?? '', 16)} is not supported: use GET`);
      }
      if (Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined) {
        response.setHeader('Connection', 'close');
        throw new Refusal(413, 'a GET request takes no body');
      }
      if (draining) throw new Refusal(503, 'the exporter is shutting down');
      if (route === 'index') return send(response, route, 200, indexPage(), 'text/html; charset=utf-8');
      if (route === 'metrics') return send(response, route, 200, renderExposition(metrics.families(gate)), EXPOSITION_CONTENT_TYPE);
      const answer = await answerProbe(request, url);
      send(response, route, answer.status, answer.body, answer.contentType);
    } catch (error) {
      if (error instanceof Refusal) {
        send(response, route, error.status, `${error.message}\n`);
        return;
      }
      log(`fedcheck serve: ${oneLine(error instanceof Error ? error.message : String(error))}`);
      send(response, route, 500, 'internal error\n');
    }
  };

  const server = http.createServer({ maxHeaderSize: 8_192 }, (request, response) => {
    activeRequests++;
    response.once('close', () => {
      activeRequests--;
      if (activeRequests === 0) for (const resolve of requestWaiters.splice(0)) resolve();
    });
    void handle(request, response);
  });
  server.maxConnections = settings.maxConnections;
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await gate.idle();
      if (activeRequests > 0) await new Promise<void>((resolve) => requestWaiters.push(resolve));
      server.closeAllConnections();
      await closed;
    })();
    return shuttingDown;
  };

  return {
    server,
    listen: (port = DEFAULT_LISTEN_PORT, host = DEFAULT_LISTEN_HOST) =>
      new Promise<AddressInfo>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host }, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    shutdown,
    load: () => ({ running: gate.running, queued: gate.queued }),
  };
}

/**
 * Serves until SIGTERM or SIGINT, then drains (stops accepting, finishes the probes in flight)
 * and resolves, so the command exits 0. A second signal stops waiting for the drain.
 */
export function serveUntilSignalled(exporter: Exporter, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<void> {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        log(`fedcheck serve: ${signal} again, exiting without waiting for the probes in flight`);
        finish();
        return;
      }
      received = true;
      const { running, queued } = exporter.load();
      // Listening stops before the line is written: whoever reads it may rely on that.
      const drained = exporter.shutdown();
      log(`fedcheck serve: ${signal}: no longer accepting; finishing ${running + queued} probes in flight`);
      void drained.then(finish);
    };
    const finish = (): void => {
      for (const signal of signals) process.off(signal, onSignal);
      resolve();
    };
    for (const signal of signals) process.on(signal, onSignal);
  });
}
