// Output for Nagios, Icinga and other monitoring-plugins consumers: a one-line state and
// summary, one detail line per finding that is not a pass, and performance data after "|".
import { CHANGE_KINDS, type Finding, type RunResult, type Status, type TargetResult } from '../model/findings.js';
import { peerEndpoint } from '../model/ip.js';
import { STATUS_SEVERITY_ORDER, changesHeadline, daysLeft, leafCertificate, numericOption, statusWord } from './facts.js';
import { oneLine, truncate } from './text.js';

export type NagiosState = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

/** With strict, a warning is CRITICAL, as the exit code is 2: the state word must match it. */
export function nagiosState(status: Status, strict = false): NagiosState {
  switch (status) {
    case 'pass':
    case 'info':
    case 'skip':
      return 'OK';
    case 'warn':
      return strict ? 'CRITICAL' : 'WARNING';
    case 'fail':
    case 'error':
      return 'CRITICAL';
    default:
      // A replayed document from a newer or damaged tool: the state cannot be told.
      return 'UNKNOWN';
  }
}

/** One line, and no "|": the monitoring system reads everything after the first "|" as perfdata. */
function pluginText(text: string): string {
  return oneLine(text).replace(/\|/g, '/');
}

/** Perfdata labels are single-quoted and may contain neither "=" nor "'". */
function perfLabel(text: string): string {
  return `'${pluginText(text).replace(/['=]/g, '_')}'`;
}

function perfValue(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

interface PerfDatum {
  label: string;
  value: string;
  warn?: string;
  crit?: string;
  min?: string;
  max?: string;
}

function perfdata(datum: PerfDatum): string {
  return `${datum.label}=${datum.value};${datum.warn ?? ''};${datum.crit ?? ''};${datum.min ?? ''};${datum.max ?? ''}`;
}

function targetPerfdata(target: TargetResult, result: RunResult): PerfDatum[] {
  const domain = target.domain;
  const warnDays = numericOption(result.options, 'warnDays');
  const critDays = numericOption(result.options, 'critDays');
  const data: PerfDatum[] = [];
  for (const probe of target.observations.tls) {
    const peer = peerEndpoint(probe);
    const leaf = leafCertificate(probe);
    const days = leaf ? daysLeft(leaf.notAfter, result.startedAt) : undefined;
    if (days !== undefined) {
      // Range "30:" alerts below 30: a bare "30" would mean "alert above 30" to the plugins' range syntax.
      data.push({
        label: perfLabel(`${domain} ${peer} days`),
        value: String(days),
        warn: warnDays === undefined ? undefined : `${warnDays}:`,
        crit: critDays === undefined ? undefined : `${critDays}:`,
      });
    }
    // Only completed handshakes: a stall's timeout would read as a very slow peer on a graph.
    if (probe.handshake?.outcome === 'ok') {
      data.push({
        label: perfLabel(`${domain} ${peer} handshake`),
        value: `${perfValue(probe.handshake.durationMs)}ms`,
        min: '0',
      });
    }
  }
  // The slowest query rather than the sum: queries of one target partly run in parallel, so a
  // sum measures nothing real, while the slowest one shows a struggling resolver.
  const dnsDurations = target.observations.dns.map((query) => query.durationMs);
  if (dnsDurations.length > 0) {
    data.push({ label: perfLabel(`${domain} dns`), value: `${perfValue(Math.max(...dnsDurations))}ms`, min: '0' });
  }
  return data;
}

/** Labels must be unique within one output; a domain checked in two roles would repeat them. */
function uniqueLabels(data: PerfDatum[]): PerfDatum[] {
  const seen = new Map<string, number>();
  return data.map((datum) => {
    const count = (seen.get(datum.label) ?? 0) + 1;
    seen.set(datum.label, count);
    return count === 1 ? datum : { ...datum, label: `${datum.label.slice(0, -1)} #${count}'` };
  });
}

/** One target in the first line: the domain and its checks of the given statuses. */
function brokenChecks(target: TargetResult, statuses: readonly Status[]): string {
  const checks = [
    ...new Set(
      target.findings
        .filter((finding) => statuses.includes(finding.status))
        .map((finding) => (finding.status === 'error' ? `${finding.check} (error)` : finding.check)),
    ),
  ];
  return pluginText(`${target.domain} ${checks.join(' ')}`);
}

function domainCount(count: number): string {
  return `${count} domain${count === 1 ? '' : 's'}`;
}

/**
 * `head: a, b, c and 4997 more tail` in at most `room` characters: as many of the entries as fit,
 * in order, the first one cut short if even it alone does not.
 */
function fitted(head: string, entries: string[], tail: string, room: number): string {
  const more = (shown: number) => (shown < entries.length ? ` and ${entries.length - shown} more` : '');
  const line = (shown: string[], count: number) => `${head}: ${shown.join(', ')}${more(count)}${tail}`;
  let shown = 0;
  let length = `${head}: `.length + tail.length;
  while (shown < entries.length) {
    const next = length + (shown > 0 ? 2 : 0) + entries[shown]!.length;
    if (next + more(shown + 1).length > room) break;
    length = next;
    shown++;
  }
  if (shown > 0) return line(entries.slice(0, shown), shown);
  const left = room - line([''], 1).length;
  return line([truncate(entries[0]!, Math.max(1, left))], 1);
}

function summary(result: RunResult, state: NagiosState, room: number): string {
  const total = result.targets.length;
  if (total === 0) return 'no domains checked';
  const failing = result.targets.filter((target) => target.status === 'fail' || target.status === 'error');
  const warning = result.targets.filter((target) => target.status === 'warn');
  if (state === 'CRITICAL' && failing.length > 0) {
    const verb = failing.length === 1 ? 'fails' : 'fail';
    const also = warning.length > 0 ? `; ${warning.length} more warn` : '';
    const entries = failing.map((target) => brokenChecks(target, ['fail', 'error']));
    return fitted(`${failing.length} of ${domainCount(total)} ${verb}`, entries, also, room);
  }
  // WARNING, or CRITICAL because --strict counts warnings as failures.
  if ((state === 'WARNING' || state === 'CRITICAL') && warning.length > 0) {
    const verb = warning.length === 1 ? 'warns' : 'warn';
    const strict = state === 'CRITICAL' ? ' (--strict: warnings fail)' : '';
    const entries = warning.map((target) => brokenChecks(target, ['warn']));
    return fitted(`${warning.length} of ${domainCount(total)} ${verb}${strict}`, entries, '', room);
  }
  const counts = STATUS_SEVERITY_ORDER.filter((status) => result.summary[status] > 0).map(
    (status) => `${result.summary[status]} ${status}`,
  );
  return `${domainCount(total)} checked: ${counts.join(', ') || 'no findings'}`;
}

function detailLine(target: TargetResult, finding: Finding): string {
  return `[${statusWord(finding.status)}] ${target.domain} ${finding.check} ${finding.subject}: ${finding.message}`;
}

/** With --baseline, the long text opens with how many things changed since, by kind. */
function changesLine(result: RunResult): string[] {
  const headline = changesHeadline(result);
  if (headline === undefined) return [];
  const byKind = CHANGE_KINDS.map((kind) => [kind, (result.changes ?? []).filter((change) => change.kind === kind).length] as const).filter(([, count]) => count > 0);
  const kinds = byKind.length > 0 ? ` (${byKind.map(([kind, count]) => `${kind} ${count}`).join(', ')})` : '';
  return [`${headline.charAt(0).toUpperCase()}${headline.slice(1)}${kinds}`];
}

export function renderNagios(result: RunResult): string {
  return [...nagiosChunks(result)].join('');
}

/** One detail line per finding that is not a pass, most urgent first, made as they are read. */
function* detailLines(result: RunResult): Generator<string> {
  for (const status of STATUS_SEVERITY_ORDER) {
    if (status === 'pass') continue;
    for (const target of result.targets) {
      for (const finding of target.findings) if (finding.status === status) yield detailLine(target, finding);
    }
  }
}

/** The output in pieces: a batch's long text has a line for each of thousands of findings. */
export function* nagiosChunks(result: RunResult): Generator<string> {
  // A result that checked nothing has no state to report: it is not OK.
  const state = result.targets.length === 0 ? 'UNKNOWN' : nagiosState(result.status, result.options.strict === true);
  const perf = uniqueLabels(result.targets.flatMap((target) => targetPerfdata(target, result))).map(perfdata);
  const prefix = `FEDCHECK ${state} - `;
  const firstLine = `${prefix}${summary(result, state, FIRST_LINE_LIMIT - prefix.length)}`;
  const longText = (function* () {
    for (const line of changesLine(result)) yield pluginText(line);
    for (const line of detailLines(result)) yield pluginText(line);
  })();
  const perfLength = perf.reduce((length, datum) => length + datum.length + 1, -1);
  const perfOnFirstLine = perf.length > 0 && firstLine.length + 3 + perfLength <= FIRST_LINE_LIMIT;
  if (perf.length === 0 || perfOnFirstLine) {
    yield* linesInPieces([perfOnFirstLine ? `${firstLine} | ${perf.join(' ')}` : firstLine], longText);
    return;
  }
  // Too much for the first line, which Nagios and NRPE cut short: the monitoring-plugins format
  // lets performance data follow the long text, after a "|" on its last line, one item a line.
  let last: string | undefined;
  const allButLast = (function* () {
    for (const line of longText) {
      if (last !== undefined) yield last;
      last = line;
    }
  })();
  yield* linesInPieces([firstLine], allButLast);
  yield* linesInPieces([`${last ?? 'Performance data per peer and domain follows.'} | ${perf[0]}`], perf.slice(1));
}

/** Lines, each with its newline, gathered into pieces of about 64 KiB. */
function* linesInPieces(...groups: Iterable<string>[]): Generator<string> {
  let piece = '';
  for (const lines of groups) {
    for (const line of lines) {
      piece += `${line}\n`;
      if (piece.length >= 64 * 1024) {
        yield piece;
        piece = '';
      }
    }
  }
  if (piece !== '') yield piece;
}

/**
 * The first line, performance data included, in characters: Nagios, NRPE and Icinga cut plugin
 * output, and the first line is what a notification and a status page show. The state, the
 * counts and the worst few domains fit; every finding is in the long text.
 */
const FIRST_LINE_LIMIT = 200;
