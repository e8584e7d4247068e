// One run: gather every target at once (bounded by --concurrency and the deadline), judge, and
// assemble the schema-v1 result. Rendering is the caller's business.
import { setMaxListeners } from 'node:events';
import { exitCodeFor, judgeTarget, summarise, worstStatus } from '../checks/index.js';
import { systemResolvers } from '../gather/dns/system-resolvers.js';
import { mapWithConcurrency } from '../gather/limit.js';
import { gatherTarget, type GatherSettings } from '../gather/target.js';
import { LegacyProbeCache } from '../gather/tls/probe.js';

import type { RunResult, TargetResult } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { DNS_QUERY_TIMEOUT_MS, TLS_PROBE_TIMEOUT_MS, type RunOptions } from '../model/options.js';
import { VERSION } from '../version.js';
import { formatEndpoint } from '../model/ip.js';

export interface RunHooks {
  /** Called as each target finishes gathering (progress display). */
  onTargetDone?: (done: number, total: number, domain: string) => void;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

/** Time kept back from the deadline so judging and writing the report still fit in --timeout. */
function reportReserveMs(timeoutMs: number): number {
  return Math.min(250, Math.floor(timeoutMs / 10));
}

export async function runChecks(options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  const clock = hooks.now ?? (() => new Date());
  const started = clock();
  const startedMs = performance.now();
  // --timeout bounds the whole process: start-up and argument checks have already used some of it
  // (performance.now() counts from process start).
  const spent = performance.now();
  const signal = AbortSignal.timeout(Math.max(1, Math.floor(options.timeoutMs - spent - reportReserveMs(options.timeoutMs))));
  // Every socket of the run listens to this one deadline.
  setMaxListeners(0, signal);
  const resolvers = options.resolvers.length > 0 ? options.resolvers : systemResolvers();
  const settings: GatherSettings = {
    resolvers,
    internalResolvers: options.internalResolvers,
    signal,
    dnsTimeoutMs: Math.min(DNS_QUERY_TIMEOUT_MS, options.timeoutMs),
    tlsTimeoutMs: Math.min(TLS_PROBE_TIMEOUT_MS, options.timeoutMs),
    trustAnchors: options.caCertificates,
    clientCertificate: options.clientCertificate,
    sipOptions: options.sipOptions,
    legacyProbes: new LegacyProbeCache(),
  };
  const jobs = [
    ...options.domains.map((domain) => ({ domain, role: 'local' as const })),
    ...options.partners.map((domain) => ({ domain, role: 'partner' as const })),
  ];
  let done = 0;
  const imp = options.impFqdn
    ? { fqdn: options.impFqdn, port: options.impPort, ...(options.impPublisher ? { publisher: options.impPublisher } : {}) }
    : undefined;
  const observations = await mapWithConcurrency(jobs, options.concurrency, async (job, index) => {
    // IM and Presence belongs to the deployment, not to one domain: it is recorded on the first local target.
    const target = await gatherTarget(job.domain, job.role, settings, index === 0 && job.role === 'local' ? imp : undefined);
    hooks.onTargetDone?.(++done, jobs.length, job.domain);
    return target;
  });
  return assembleResult(observations, recordedOptions(options, resolvers), started, performance.now() - startedMs);
}

/** Judges observations (fresh or replayed) and builds the result document. */
export function assembleResult(
  observations: TargetObservations[],
  options: RecordedOptions,
  startedAt: Date,
  durationMs: number,
): RunResult {
  const settings = {
    now: startedAt,
    warnDays: options.warnDays,
    critDays: options.critDays,
    checkOverrides: options.checkOverrides,
  };
  const targets: TargetResult[] = observations.map((target) => {
    const findings = judgeTarget(target, settings);
    return {
      domain: target.domain,
      role: target.role,
      status: worstStatus(findings.map((f) => f.status)),
      observations: target,
      findings,
    };
  });
  const allFindings = targets.flatMap((t) => t.findings);
  return {
    schemaVersion: 1,
    tool: { name: 'fedcheck', version: VERSION },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(durationMs),
    status: worstStatus(allFindings.map((f) => f.status)),
    options: { ...options },
    targets,
    summary: summarise(allFindings),
  };
}

/** What the JSON keeps of the options: enough to re-judge, never a private key. */
export interface RecordedOptions {
  domains: string[];
  partners: string[];
  resolvers: string[];
  internalResolvers: string[];
  impFqdn?: string;
  impPort: number;
  impPublisher?: string;
  caFiles: string[];
  clientCertificateFile?: string;
  timeoutMs: number;
  warnDays: number;
  critDays: number;
  concurrency: number;
  sipOptions: boolean;
  strict: boolean;
  checkOverrides: RunOptions['checkOverrides'];
}

export function recordedOptions(options: RunOptions, resolvers = options.resolvers): RecordedOptions {
  return {
    domains: options.domains,
    partners: options.partners,
    resolvers: resolvers.map((r) => formatEndpoint(r.host, r.port)),
    internalResolvers: options.internalResolvers.map((r) => formatEndpoint(r.host, r.port)),
    ...(options.impFqdn ? { impFqdn: options.impFqdn } : {}),
    impPort: options.impPort,
    ...(options.impPublisher ? { impPublisher: options.impPublisher } : {}),
    caFiles: options.caFiles,
    ...(options.clientCertificate ? { clientCertificateFile: options.clientCertificate.certFile } : {}),
    timeoutMs: options.timeoutMs,
    warnDays: options.warnDays,
    critDays: options.critDays,
    concurrency: options.concurrency,
    sipOptions: options.sipOptions,
    strict: options.strict,
    checkOverrides: options.checkOverrides,
  };
}

export { exitCodeFor };
