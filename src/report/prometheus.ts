// Prometheus text exposition format 0.0.4, for node_exporter's textfile collector (which rejects
// sample timestamps, so there are none: the run's time is a metric of its own).
import type { RunResult, Status } from '../model/findings.js';
import { STATUS_RANK, daysLeft, leafCertificate, peerLabel } from './facts.js';
import { printable } from './text.js';

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

interface Sample {
  labels: Array<[name: string, value: string]>;
  value: number;
  /** The status the value encodes, for status families. */
  status?: Status;
}

interface Family {
  name: string;
  help: string;
  samples: Sample[];
}

/**
 * The format escapes backslash, double quote and newline; control characters a peer may have
 * put in a certificate subject are shown as `\xHH` first, so the file stays plain text.
 */
export function escapeLabelValue(value: string): string {
  return printable(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function seriesKey(labels: Sample['labels']): string {
  return JSON.stringify(labels);
}

/**
 * One sample per label set, as the format demands. When several findings share a label set
 * (a check reporting per chain element under one subject), the most urgent status wins.
 */
function uniqueSeries(samples: Sample[], keep: (kept: Sample, next: Sample) => Sample): Sample[] {
  const byKey = new Map<string, Sample>();
  for (const sample of samples) {
    const key = seriesKey(sample.labels);
    const kept = byKey.get(key);
    byKey.set(key, kept ? keep(kept, sample) : sample);
  }
  return [...byKey.values()];
}

const worst = (kept: Sample, next: Sample): Sample =>
  (STATUS_RANK[next.status ?? 'pass'] ?? 0) > (STATUS_RANK[kept.status ?? 'pass'] ?? 0) ? next : kept;
const first = (kept: Sample): Sample => kept;

function statusValue(status: Status): number {
  // A status from a newer or damaged replayed document has no number; NaN says so.
  return PROMETHEUS_STATUS_VALUES[status] ?? Number.NaN;
}

function families(result: RunResult): Family[] {
  const checkStatus: Sample[] = [];
  const expiry: Sample[] = [];
  const handshake: Sample[] = [];
  const targetStatus: Sample[] = [];
  for (const target of result.targets) {
    const { domain, role } = target;
    targetStatus.push({
      labels: [['domain', domain], ['role', role]],
      value: statusValue(target.status),
      status: target.status,
    });
    for (const finding of target.findings) {
      checkStatus.push({
        labels: [['domain', domain], ['role', role], ['check', finding.check], ['subject', finding.subject]],
        value: statusValue(finding.status),
        status: finding.status,
      });
    }
    for (const probe of target.observations.tls) {
      const peer = peerLabel(probe);
      const leaf = leafCertificate(probe);
      const days = leaf ? daysLeft(leaf.notAfter, result.startedAt) : undefined;
      if (leaf && days !== undefined) {
        expiry.push({ labels: [['domain', domain], ['peer', peer], ['subject', leaf.subject]], value: days });
      }
      if (probe.handshake?.outcome === 'ok') {
        handshake.push({ labels: [['domain', domain], ['peer', peer]], value: probe.handshake.durationMs / 1000 });
      }
    }
  }
  const run: Family[] = [
    {
      name: 'fedcheck_run_status',
      help: `Overall status of the fedcheck run: ${STATUS_ENCODING}.`,
      samples: [{ labels: [], value: statusValue(result.status) }],
    },
    {
      name: 'fedcheck_run_duration_seconds',
      help: 'Wall-clock duration of the fedcheck run.',
      samples: [{ labels: [], value: result.durationMs / 1000 }],
    },
  ];
  const startedMs = Date.parse(result.startedAt);
  if (!Number.isNaN(startedMs)) {
    run.push({
      name: 'fedcheck_run_timestamp_seconds',
      help: 'When the fedcheck run started, in seconds since the Unix epoch.',
      samples: [{ labels: [], value: startedMs / 1000 }],
    });
  }
  return [
    ...run,
    {
      name: 'fedcheck_target_status',
      help: `Worst finding status of each checked domain: ${STATUS_ENCODING}.`,
      samples: uniqueSeries(targetStatus, worst),
    },
    {
      name: 'fedcheck_check_status',
      help:
        'Status of each fedcheck finding, the worst when a check reports one subject more than once: ' +
        `${STATUS_ENCODING}.`,
      samples: uniqueSeries(checkStatus, worst),
    },
    {
      name: 'fedcheck_certificate_expiry_days',
      help: "Whole days from the run's start until each TLS peer's leaf certificate expires; negative once expired.",
      samples: uniqueSeries(expiry, first),
    },
    {
      name: 'fedcheck_tls_handshake_seconds',
      help: 'Duration of each completed TLS handshake with a peer (failed handshakes are omitted).',
      samples: uniqueSeries(handshake, first),
    },
  ];
}

function sampleLine(name: string, sample: Sample): string {
  const labels =
    sample.labels.length === 0
      ? ''
      : `{${sample.labels.map(([label, value]) => `${label}="${escapeLabelValue(value)}"`).join(',')}}`;
  return `${name}${labels} ${formatSampleValue(sample.value)}`;
}

export function renderPrometheus(result: RunResult): string {
  const lines = families(result)
    .filter((family) => family.samples.length > 0)
    .flatMap((family) => [
      `# HELP ${family.name} ${escapeHelp(family.help)}`,
      `# TYPE ${family.name} gauge`,
      ...family.samples.map((sample) => sampleLine(family.name, sample)),
    ]);
  return `${lines.join('\n')}\n`;
}
