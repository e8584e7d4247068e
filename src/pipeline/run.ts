// The gather → judge → result pipeline: one run gathers every target at once (bounded by the
// concurrency and the deadline), judges the observations and assembles the result.
// Callers (the CLI, the demo, an exporter) hand it everything it needs; rendering is theirs.
import { setMaxListeners } from 'node:events';
import { judgeTarget, summarise, worstStatus } from '../checks/index.js';
import {
  CipherProbeCache,
  LegacyProbeCache,
  createRevocationChecker,
  gatherTarget,
  mapWithConcurrency,
  rereadRevocation,
  systemResolvers,
  type GatherSettings,
} from '../gather/index.js';
import { SCHEMA_VERSION, type Finding, type RunResult, type TargetResult } from '../model/findings.js';
import { formatEndpoint } from '../model/ip.js';
import { StringPool } from './string-pool.js';
import type { TargetObservations } from '../model/observations.js';
import { DNS_QUERY_TIMEOUT_MS, REVOCATION_FETCH_TIMEOUT_MS, TLS_PROBE_TIMEOUT_MS, type RunOptions } from '../model/options.js';
import { VERSION } from '../version.js';

export interface RunControl {
  /**
   * When the result must be ready, in milliseconds on performance.now()'s clock. Default:
   * options.timeoutMs after the call.
   */
  deadline?: number;
  /** Ends gathering early, as the deadline does (an exporter's client went away). */
  signal?: AbortSignal;
  /** Called as each target finishes gathering (progress display). */
  onTargetDone?: (done: number, total: number, domain: string) => void;
  /** The clock of the findings; tests pass a fixed one. */
  now?: () => Date;
  /**
   * Keep what each passing finding says (its message and data); default true. Only an output
   * that shows it (the human report with --verbose) needs it: without, a batch of thousands of
   * domains keeps half the memory, a pass being its check, code, status and subject.
   */
  keepPassDetails?: boolean;
}

/** Time kept back from the deadline so judging and writing the report still fit in it. */
function reportReserveMs(timeoutMs: number): number {
  return Math.min(250, Math.floor(timeoutMs / 10));
}

/** The one signal every socket of the run listens to: the deadline, or the caller's signal. */
function runSignal(options: RunOptions, control: RunControl, startedMs: number): AbortSignal {
  const deadline = control.deadline ?? startedMs + options.timeoutMs;
  const gatherMs = Math.max(1, Math.floor(deadline - startedMs - reportReserveMs(options.timeoutMs)));
  const timeout = AbortSignal.timeout(gatherMs);
  const signal = control.signal ? AbortSignal.any([timeout, control.signal]) : timeout;
  setMaxListeners(0, signal);
  return signal;
}

export async function runChecks(options: RunOptions, control: RunControl = {}): Promise<RunResult> {
  const clock = control.now ?? (() => new Date());
  const started = clock();
  const startedMs = performance.now();
  const resolvers = options.resolvers.length > 0 ? options.resolvers : systemResolvers();
  const settings: GatherSettings = {
    resolvers,
    internalResolvers: options.internalResolvers,
    signal: runSignal(options, control, startedMs),
    dnsTimeoutMs: Math.min(DNS_QUERY_TIMEOUT_MS, options.timeoutMs),
    tlsTimeoutMs: Math.min(TLS_PROBE_TIMEOUT_MS, options.timeoutMs),
    trustAnchors: options.caCertificates,
    clientCertificate: options.clientCertificate,
    sipOptions: options.sipOptions,
    legacyProbes: new LegacyProbeCache(),
    cipherProbes: new CipherProbeCache(),
  };
  if (options.revocation) settings.revocation = createRevocationChecker(settings, Math.min(REVOCATION_FETCH_TIMEOUT_MS, options.timeoutMs));
  const jobs = [
    ...options.domains.map((domain) => ({ domain, role: 'local' as const })),
    ...options.partners.map((domain) => ({ domain, role: 'partner' as const })),
  ];
  let done = 0;
  const imp = options.impFqdn
    ? { fqdn: options.impFqdn, port: options.impPort, ...(options.impPublisher ? { publisher: options.impPublisher } : {}) }
    : undefined;
  const recorded = recordedOptions(options, resolvers);
  const judge = targetJudge(recorded, started, control.keepPassDetails ?? true, jobs.length);
  const targets = await mapWithConcurrency(jobs, options.concurrency, async (job, index) => {
    // IM and Presence belongs to the deployment, not to one domain: it is recorded on the first local target.
    const target = await gatherTarget(job.domain, job.role, settings, index === 0 && job.role === 'local' ? imp : undefined);
    control.onTargetDone?.(++done, jobs.length, job.domain);
    // Judged at once, with the run's start as the clock: what judging leaves over is collected
    // while the other targets gather, not all at the end.
    return judge(target);
  });
  return resultOf(targets, recorded, started, performance.now() - startedMs);
}

/** A passing finding as its check, code, status and subject (RunControl.keepPassDetails). */
function briefPass(finding: Finding): Finding {
  if (finding.status !== 'pass') return finding;
  const { check, code, status, subject, reference } = finding;
  return { check, code, status, subject, message: '', ...(reference !== undefined ? { reference } : {}) };
}

/**
 * Judges one target's observations, at the clock `startedAt`, with the run's thresholds and
 * overrides. The results of a run of several targets are kept until the report is written, and
 * share one copy of each string.
 */
function targetJudge(
  options: RecordedOptions,
  startedAt: Date,
  keepPassDetails: boolean,
  targetCount: number,
): (observations: TargetObservations) => TargetResult {
  const settings = {
    now: startedAt,
    warnDays: options.warnDays,
    critDays: options.critDays,
    checkOverrides: options.checkOverrides,
  };
  const strings = targetCount > 1 ? new StringPool() : undefined;
  return (observations) => {
    const judged = judgeTarget(observations, settings);
    const findings = keepPassDetails ? judged : judged.map(briefPass);
    const result: TargetResult = {
      domain: observations.domain,
      role: observations.role,
      status: worstStatus(findings.map((f) => f.status)),
      observations,
      findings,
    };
    strings?.internAll(result);
    return result;
  };
}

/** Judges observations (fresh or replayed) and builds the result document. */
export function assembleResult(
  observations: TargetObservations[],
  options: RecordedOptions,
  startedAt: Date,
  durationMs: number,
  keepPassDetails = true,
): RunResult {
  return resultOf(observations.map(targetJudge(options, startedAt, keepPassDetails, observations.length)), options, startedAt, durationMs);
}

function resultOf(targets: TargetResult[], options: RecordedOptions, startedAt: Date, durationMs: number): RunResult {
  const allFindings = targets.flatMap((t) => t.findings);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'fedcheck', version: VERSION },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(durationMs),
    status: worstStatus(allFindings.map((f) => f.status)),
    options: { ...options },
    targets,
    summary: summarise(allFindings),
  };
}

/**
 * What the JSON keeps of the options: enough to re-judge, never a private key. Resolvers are
 * written as "address:port"; of the trust anchors and the client certificate only the files.
 */
export type RecordedOptions = Omit<RunOptions, 'resolvers' | 'internalResolvers' | 'caCertificates' | 'clientCertificate'> & {
  resolvers: string[];
  internalResolvers: string[];
  clientCertificateFile?: string;
};

/** `resolvers`: the ones the run asked (the system's when the options name none). */
export function recordedOptions(options: RunOptions, resolvers = options.resolvers): RecordedOptions {
  // Listed one by one, in the order the JSON has always had them.
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
    revocation: options.revocation,
    strict: options.strict,
    checkOverrides: options.checkOverrides,
  };
}

/**
 * Saved observations with their kept CRL and OCSP bodies read again by this version (--replay):
 * an older report is judged on today's reading of the same bytes.
 */
export async function rereadObservations(observations: TargetObservations[]): Promise<TargetObservations[]> {
  return Promise.all(
    observations.map(async (target) =>
      target.revocation && target.revocation.certificates.length > 0
        ? { ...target, revocation: await rereadRevocation(target.revocation, target.tls) }
        : target,
    ),
  );
}
