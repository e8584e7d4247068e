// A run's result as Prometheus metric families: `--format prometheus` writes them for
// node_exporter's textfile collector, and the exporter's /probe answers with the same families,
// so one set of names, dashboards and alert rules serves both. Names follow the Prometheus
// conventions (base units, `_timestamp_seconds`, `_info`) and pass `promtool check metrics`.
//
// Labels identify, never describe: domain, role, peer ("address:port"), check id, the finding's
// subject (a record name or a peer), and small closed vocabularies (failure reasons, TLS
// versions). Messages never become labels, so a series keeps its identity while its text changes.
import { CHANGE_KINDS, exitCodeFor, type Finding, type RunResult, type Status, type TargetResult } from '../model/findings.js';
import type { CertificateInfo, TcpConnectOutcome, TlsHandshakeOutcome, TlsProbeObservation } from '../model/observations.js';
import { peerEndpoint } from '../model/ip.js';
import { expositionChunks, renderExposition, type MetricDefinition, type MetricFamily, type Sample } from './exposition.js';
import { STATUS_RANK, leafCertificate } from './facts.js';

/**
 * A status as a number for alert rules (`>= 2` is a warning or worse, `max by (domain)` the
 * worst problem). A skipped check is -1 rather than absent, so its series stays continuous
 * when a prerequisite fails, and below every value an alert would look for.
 */
export const PROMETHEUS_STATUS_VALUES: Record<Status, number> = {
  skip: -1,
  pass: 0,
  info: 1,
  warn: 2,
  error: 3,
  fail: 4,
};

const STATUS_ENCODING = '-1 skip, 0 pass, 1 info, 2 warn, 3 error, 4 fail';

/**
 * Why a TLS probe of a peer failed, as `reason` label values: the connect and handshake outcome
 * classes gather reports, never an error text. `deadline` is the run's own --timeout (or the
 * scrape deadline), not the peer's doing.
 */
const CONNECT_FAILURE_REASONS: Record<Exclude<TcpConnectOutcome, 'connected'>, string> = {
  refused: 'connect-refused',
  timeout: 'connect-timeout',
  unreachable: 'connect-unreachable',
  error: 'connect-error',
  aborted: 'deadline',
};

/** A server demanding a client certificate completed its side correctly: federation is mutual TLS. */
const HANDSHAKE_FAILURE_REASONS: Record<Exclude<TlsHandshakeOutcome, 'ok' | 'client-certificate-required'>, string> = {
  plaintext: 'handshake-plaintext',
  reset: 'handshake-reset',
  closed: 'handshake-closed',
  timeout: 'handshake-timeout',
  aborted: 'deadline',
  alert: 'handshake-alert',
  'protocol-mismatch': 'handshake-protocol-mismatch',
  error: 'handshake-error',
};

/** An outcome this version does not know (a replayed report from a newer fedcheck). */
const UNKNOWN_FAILURE_REASON = 'other';

/** Every value the `reason` label can take. */
export const TLS_FAILURE_REASONS: readonly string[] = [
  ...new Set([...Object.values(CONNECT_FAILURE_REASONS), ...Object.values(HANDSHAKE_FAILURE_REASONS), UNKNOWN_FAILURE_REASON]),
];

function lookup(table: Record<string, string>, outcome: string): string {
  return Object.hasOwn(table, outcome) ? table[outcome]! : UNKNOWN_FAILURE_REASON;
}

/** Undefined when the peer completed a TLS handshake. */
export function tlsFailureReason(probe: TlsProbeObservation): string | undefined {
  if (probe.connect.outcome !== 'connected') return lookup(CONNECT_FAILURE_REASONS, probe.connect.outcome);
  const outcome = probe.handshake?.outcome;
  if (outcome === 'ok' || outcome === 'client-certificate-required') return undefined;
  return outcome === undefined ? UNKNOWN_FAILURE_REASON : lookup(HANDSHAKE_FAILURE_REASONS, outcome);
}

const TARGET_LABELS = ['domain', 'role'] as const;
const PEER_LABELS = ['domain', 'role', 'peer'] as const;

/** Every family a result can produce, in the order they are written. */
export const RESULT_METRICS = {
  runTimestamp: {
    name: 'fedcheck_run_timestamp_seconds',
    type: 'gauge',
    labels: [],
    help: 'When the fedcheck run started, in seconds since the Unix epoch.',
  },
  runDuration: {
    name: 'fedcheck_run_duration_seconds',
    type: 'gauge',
    labels: [],
    help: 'Wall-clock duration of the fedcheck run.',
  },
  runStatus: {
    name: 'fedcheck_run_status',
    type: 'gauge',
    labels: [],
    help: `Worst finding status of the whole run: ${STATUS_ENCODING}.`,
  },
  probeSuccess: {
    name: 'fedcheck_probe_success',
    type: 'gauge',
    labels: TARGET_LABELS,
    help: 'Whether the domain passed: 1 when no check failed or ended in error (with --strict, none warned either), else 0.',
  },
  targetStatus: {
    name: 'fedcheck_target_status',
    type: 'gauge',
    labels: TARGET_LABELS,
    help: `Worst finding status of each checked domain: ${STATUS_ENCODING}.`,
  },
  checkStatus: {
    name: 'fedcheck_check_status',
    type: 'gauge',
    labels: [...TARGET_LABELS, 'check', 'subject'],
    help: `Status of each check per subject (a record name or a peer), the worst when a check reports one subject more than once: ${STATUS_ENCODING}.`,
  },
  tlsProbeSuccess: {
    name: 'fedcheck_tls_probe_success',
    type: 'gauge',
    labels: PEER_LABELS,
    help: 'Whether the TCP connection and the TLS handshake with the peer completed (a demanded client certificate counts as completed): 1 or 0.',
  },
  tlsProbeFailureReason: {
    name: 'fedcheck_tls_probe_failure_reason',
    type: 'gauge',
    labels: [...PEER_LABELS, 'reason'],
    help: 'Present, with value 1, only for a peer whose TLS probe failed; reason is the connect or handshake outcome class.',
  },
  tcpConnectDuration: {
    name: 'fedcheck_tcp_connect_duration_seconds',
    type: 'gauge',
    labels: PEER_LABELS,
    help: 'How long the TCP connection to the peer took to establish (absent when it was not established).',
  },
  tlsHandshakeDuration: {
    name: 'fedcheck_tls_handshake_duration_seconds',
    type: 'gauge',
    labels: PEER_LABELS,
    help: 'How long the completed TLS handshake with the peer took (absent when it did not complete).',
  },
  tlsVersion: {
    name: 'fedcheck_tls_version_info',
    type: 'gauge',
    labels: [...PEER_LABELS, 'version'],
    help: 'The TLS version the peer negotiated, as a label; the value is always 1.',
  },
  tlsCipher: {
    name: 'fedcheck_tls_cipher_info',
    type: 'gauge',
    labels: [...PEER_LABELS, 'cipher'],
    help: 'The cipher suite the peer negotiated, as a label; the value is always 1.',
  },
  certificateInfo: {
    name: 'fedcheck_certificate_info',
    type: 'gauge',
    labels: [...PEER_LABELS, 'subject_cn', 'issuer_cn', 'serial_number', 'fingerprint_sha256'],
    help: 'Identity of the leaf certificate the peer sent, trusted or not, valid or not, as labels; the value is always 1.',
  },
  certificateNotBefore: {
    name: 'fedcheck_certificate_not_before_timestamp_seconds',
    type: 'gauge',
    labels: PEER_LABELS,
    help: 'notBefore of the leaf certificate the peer sent, in seconds since the Unix epoch.',
  },
  certificateNotAfter: {
    name: 'fedcheck_certificate_not_after_timestamp_seconds',
    type: 'gauge',
    labels: PEER_LABELS,
    help: 'notAfter (expiry) of the leaf certificate the peer sent, in seconds since the Unix epoch; kept when expired or untrusted.',
  },
  chainEarliestNotAfter: {
    name: 'fedcheck_chain_earliest_not_after_timestamp_seconds',
    type: 'gauge',
    labels: PEER_LABELS,
    help: 'The earliest notAfter among the certificates the peer sent (leaf and intermediates), in seconds since the Unix epoch.',
  },
  changes: {
    name: 'fedcheck_changes',
    type: 'gauge',
    labels: ['domain', 'kind'],
    help: `With --baseline: how many things of each kind changed since the earlier run (${CHANGE_KINDS.join(', ')}); 0 when none did.`,
  },
} satisfies Record<string, MetricDefinition>;

export const RESULT_METRIC_DEFINITIONS: readonly MetricDefinition[] = Object.values(RESULT_METRICS);

function statusValue(status: Status): number {
  // A status from a newer or damaged replayed document has no number; NaN says so.
  return PROMETHEUS_STATUS_VALUES[status] ?? Number.NaN;
}

/** Whether one domain passes, as the exit code judges it (not critical): what `fedcheck_probe_success` reports. */
export function targetPassed(status: Status, strict: boolean): boolean {
  return exitCodeFor(status, strict) !== 2;
}

function timestampSeconds(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

function earliestNotAfter(chain: readonly CertificateInfo[]): number | undefined {
  const times = chain.map((certificate) => timestampSeconds(certificate.notAfter)).filter((time) => time !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** One target's check statuses, a finding subject's several findings of one check merged into the most urgent, in the place of the first. */
function checkStatusSamples(target: TargetResult): Sample[] {
  const merged = new Map<string, Finding>();
  for (const finding of target.findings) {
    const key = `${finding.check}\n${finding.subject}`;
    const kept = merged.get(key);
    if (!kept || (STATUS_RANK[finding.status] ?? 0) > (STATUS_RANK[kept.status] ?? 0)) merged.set(key, finding);
  }
  return [...merged.values()].map(({ check, subject, status }) => ({ labels: { domain: target.domain, role: target.role, check, subject }, value: statusValue(status) }));
}

/** The samples of one peer family for one target's TLS probes; only that family's are made. */
function peerSamples(target: TargetResult, family: MetricDefinition): Sample[] {
  const M = RESULT_METRICS;
  const samples: Sample[] = [];
  const add = (definition: MetricDefinition, sample: () => Sample): void => {
    if (definition === family) samples.push(sample());
  };
  // A peer probed twice (the same address and port) is one series: the first probe's.
  const peers = new Set<string>();
  for (const probe of target.observations.tls) {
    const peer = peerEndpoint(probe);
    if (peers.has(peer)) continue;
    peers.add(peer);
    const labels = { domain: target.domain, role: target.role, peer };
    const reason = tlsFailureReason(probe);
    add(M.tlsProbeSuccess, () => ({ labels, value: reason === undefined ? 1 : 0 }));
    if (reason !== undefined) add(M.tlsProbeFailureReason, () => ({ labels: { ...labels, reason }, value: 1 }));
    if (probe.connect.outcome === 'connected') add(M.tcpConnectDuration, () => ({ labels, value: probe.connect.durationMs / 1000 }));
    const handshake = probe.handshake;
    if (handshake?.outcome === 'ok') add(M.tlsHandshakeDuration, () => ({ labels, value: handshake.durationMs / 1000 }));
    const version = handshake?.protocol;
    if (version) add(M.tlsVersion, () => ({ labels: { ...labels, version }, value: 1 }));
    const cipher = handshake?.cipher;
    if (cipher) add(M.tlsCipher, () => ({ labels: { ...labels, cipher }, value: 1 }));
    // Whatever the trust verdict or the dates: a certificate is reported because it was sent.
    const leaf = leafCertificate(probe);
    if (!leaf) continue;
    const identity = {
      subject_cn: leaf.subjectCN ?? '',
      issuer_cn: leaf.issuerCN ?? '',
      serial_number: leaf.serialNumber,
      fingerprint_sha256: leaf.fingerprintSha256,
    };
    add(M.certificateInfo, () => ({ labels: { ...labels, ...identity }, value: 1 }));
    const notBefore = timestampSeconds(leaf.notBefore);
    if (notBefore !== undefined) add(M.certificateNotBefore, () => ({ labels, value: notBefore }));
    const notAfter = timestampSeconds(leaf.notAfter);
    if (notAfter !== undefined) add(M.certificateNotAfter, () => ({ labels, value: notAfter }));
    const chainNotAfter = earliestNotAfter(probe.chain);
    if (chainNotAfter !== undefined) add(M.chainEarliestNotAfter, () => ({ labels, value: chainNotAfter }));
  }
  return samples;
}

const PEER_FAMILIES: readonly MetricDefinition[] = [
  RESULT_METRICS.tlsProbeSuccess,
  RESULT_METRICS.tlsProbeFailureReason,
  RESULT_METRICS.tcpConnectDuration,
  RESULT_METRICS.tlsHandshakeDuration,
  RESULT_METRICS.tlsVersion,
  RESULT_METRICS.tlsCipher,
  RESULT_METRICS.certificateInfo,
  RESULT_METRICS.certificateNotBefore,
  RESULT_METRICS.certificateNotAfter,
  RESULT_METRICS.chainEarliestNotAfter,
];

/** Every domain's count of each kind of change, 0 included, so a rule can watch for a rise; nothing without --baseline. */
function changeSamples(result: RunResult): Sample[] {
  if (!result.changes) return [];
  const counts = new Map<string, number>();
  for (const target of result.targets) for (const kind of CHANGE_KINDS) counts.set(JSON.stringify([target.domain, kind]), 0);
  for (const change of result.changes) {
    const key = JSON.stringify([change.domain, change.kind]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, value]) => {
    const [domain, kind] = JSON.parse(key) as [string, string];
    return { labels: { domain, kind }, value };
  });
}

/**
 * Samples made target by target each time the family is read, so that a batch of thousands of
 * domains never holds all its samples at once. Every series carries the target's domain and
 * role: a target repeated under both (a hand-edited report) is written once, the first.
 */
function perTarget(targets: readonly TargetResult[], samplesOf: (target: TargetResult) => Iterable<Sample>): Iterable<Sample> {
  return {
    *[Symbol.iterator]() {
      const seen = new Set<string>();
      for (const target of targets) {
        const key = `${target.role} ${target.domain}`;
        if (seen.has(key)) continue;
        seen.add(key);
        yield* samplesOf(target);
      }
    },
  };
}

/** The metric families of a run's result: what `--format prometheus` and /probe write. */
export function resultFamilies(result: RunResult): MetricFamily[] {
  const M = RESULT_METRICS;
  const strict = result.options.strict === true;
  const labelsOf = (target: TargetResult) => ({ domain: target.domain, role: target.role });
  const started = timestampSeconds(result.startedAt);
  return [
    { definition: M.runTimestamp, samples: started === undefined ? [] : [{ labels: {}, value: started }] },
    { definition: M.runDuration, samples: [{ labels: {}, value: result.durationMs / 1000 }] },
    { definition: M.runStatus, samples: [{ labels: {}, value: statusValue(result.status) }] },
    { definition: M.probeSuccess, samples: perTarget(result.targets, (target) => [{ labels: labelsOf(target), value: targetPassed(target.status, strict) ? 1 : 0 }]) },
    { definition: M.targetStatus, samples: perTarget(result.targets, (target) => [{ labels: labelsOf(target), value: statusValue(target.status) }]) },
    { definition: M.checkStatus, samples: perTarget(result.targets, checkStatusSamples) },
    ...PEER_FAMILIES.map((definition) => ({ definition, samples: perTarget(result.targets, (target) => peerSamples(target, definition)) })),
    { definition: M.changes, samples: changeSamples(result) },
  ];
}

export function renderPrometheus(result: RunResult): string {
  return renderExposition(resultFamilies(result));
}

/** The exposition a family and a few dozen targets at a time. */
export function prometheusChunks(result: RunResult): Iterable<string> {
  return expositionChunks(resultFamilies(result));
}
