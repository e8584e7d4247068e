// The report a person reads. Each target follows the path a federation message takes: the SRV
// record the Microsoft edge selects, the addresses of its target, the TLS peers behind those
// addresses and their certificates; then the findings, most urgent first.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, RunResult, Status, TargetResult } from '../model/findings.js';
import type { DnsQueryObservation, DnsRecord, TlsProbeObservation } from '../model/observations.js';
import {
  cnameChain,
  describeOutcome,
  effectiveQuery,
  finalRecords,
  lookupAddresses,
  sipFederationSrvName,
  targetSrvSelection,
} from '../model/dns.js';
import { microsoft365Cloud } from '../model/microsoft365.js';
import {
  STATUS_SEVERITY_ORDER,
  bySeverity,
  daysLeft,
  leafCertificate,
  peerLabel,
  probesFor,
  roleTitle,
  statusWord,
} from './facts.js';
import { oneLine, truncate, wrap } from './text.js';
import type { RenderOptions } from './types.js';

/** Long messages and remediations wrap here, whatever the terminal width. */
export const HUMAN_WRAP_COLUMNS = 100;

const STATUS_COLUMN = 5; // "ERROR"
const FINDING_INDENT = '    ';
const FINDING_TEXT_INDENT = ' '.repeat(FINDING_INDENT.length + STATUS_COLUMN + 2);
const FIX_LABEL = 'Fix: ';
const ADVICE_LABEL = 'Advice: ';

type Paint = (text: string) => string;

interface Cell {
  text: string;
  paint?: Paint;
  alignRight?: boolean;
}

interface Styles {
  chalk: ChalkInstance;
  status(status: Status): Paint;
}

function createStyles(color: boolean): Styles {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const byStatus: Record<Status, Paint> = {
    fail: chalk.red,
    error: chalk.red,
    warn: chalk.yellow,
    pass: chalk.green,
    info: chalk.cyan,
    skip: chalk.dim,
  };
  return { chalk, status: (status) => byStatus[status] ?? ((text: string) => text) };
}

/**
 * Aligns cells in columns. The last cell of a row is never padded, and does not widen its
 * column: a row that ends early with a long explanation ("connect refused after 3 ms: …") must
 * not push the other rows' columns apart.
 */
function table(rows: Cell[][], indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.text.length);
    });
  }
  return rows.map((row) => {
    const parts = row.map((cell, column) => {
      const isLast = column === row.length - 1;
      const padding = isLast ? '' : ' '.repeat(Math.max(0, (widths[column] ?? 0) - cell.text.length));
      const text = cell.paint ? cell.paint(cell.text) : cell.text;
      return cell.alignRight ? padding + text : text + padding;
    });
    return (indent + parts.join('  ')).trimEnd();
  });
}

function milliseconds(durationMs: number): string {
  return `${Math.round(durationMs)} ms`;
}

function duration(durationMs: number): string {
  return durationMs < 1000 ? milliseconds(durationMs) : `${(durationMs / 1000).toFixed(1)} s`;
}

function queryNote(query: DnsQueryObservation): string {
  const transport = query.retriedOverTcp ? ', retried over TCP' : '';
  return `${oneLine(query.resolver)}, ${milliseconds(query.durationMs)}${transport}`;
}

function aliasCells(alias: Extract<DnsRecord, { type: 'CNAME' }>): Cell[] {
  return [
    { text: 'CNAME' },
    { text: `${oneLine(alias.name)} → ${oneLine(alias.data)}` },
    { text: `TTL ${alias.ttl}` },
  ];
}

function srvSection(target: TargetResult, styles: Styles): string[] {
  const observations = target.observations;
  const name = sipFederationSrvName(observations.domain);
  const query = effectiveQuery(observations, name, 'SRV');
  const lines = [`  SRV ${oneLine(name)}${query ? styles.chalk.dim(` (${queryNote(query)})`) : ''}`];
  if (!query) {
    const why = observations.deadlineExceeded ? ': the run deadline expired first' : '';
    return [...lines, `    not queried${why}`];
  }
  lines.push(...table(cnameChain(query).map(aliasCells), '    '));
  const records = finalRecords(query, 'SRV');
  const selection = targetSrvSelection(observations);
  if (!selection || records.length === 0) {
    return [...lines, ...wrap(`${query.name} ${describeOutcome(query)}`, HUMAN_WRAP_COLUMNS, '    ', '      ')];
  }
  const rows: Cell[][] = [];
  records.forEach((record, index) => {
    const isSelected = index === selection.index;
    const notes: string[] = [];
    if (isSelected) {
      notes.push(`selected: ${selection.reason}`);
      if (record.data.target === '.') notes.push('"." means the service is decidedly not available');
      const cloud = microsoft365Cloud(record.data.target);
      if (cloud) notes.push(`hosted by ${cloud}`);
    }
    rows.push([
      { text: isSelected ? '→' : '', paint: styles.chalk.bold },
      { text: String(record.data.priority), alignRight: true },
      { text: String(record.data.weight), alignRight: true },
      { text: String(record.data.port), alignRight: true },
      { text: oneLine(record.data.target), paint: isSelected ? styles.chalk.bold : undefined },
      { text: `TTL ${record.ttl}` },
      isSelected
        ? { text: notes.join('; ') }
        : { text: 'never used by Microsoft edges (no failover)', paint: styles.chalk.dim },
    ]);
  });
  return [...lines, ...table(rows, '    ')];
}

function addressSection(target: TargetResult, host: string): string[] {
  const observations = target.observations;
  const aliasRows: Cell[][] = [];
  const seenAliases = new Set<string>();
  const addressRows: Cell[][] = [];
  for (const type of ['A', 'AAAA'] as const) {
    const lookup = lookupAddresses(observations, host, type);
    for (const alias of lookup.aliases) {
      const key = `${alias.name} ${alias.data}`;
      if (seenAliases.has(key)) continue;
      seenAliases.add(key);
      aliasRows.push(aliasCells(alias));
    }
    const answered = lookup.addresses.length > 0 && lookup.last ? finalRecords(lookup.last, type) : [];
    if (answered.length > 0) {
      for (const record of answered) {
        addressRows.push([{ text: type }, { text: oneLine(record.data) }, { text: `TTL ${record.ttl}` }]);
      }
    } else if (lookup.last) {
      const outcome = `${oneLine(lookup.last.name)} ${oneLine(describeOutcome(lookup.last))}`;
      addressRows.push([{ text: type }, { text: outcome }]);
    } else {
      addressRows.push([{ text: type }, { text: 'not queried' }]);
    }
  }
  return [`  Addresses of ${oneLine(host)}`, ...table([...aliasRows, ...addressRows], '    ')];
}

function daysText(days: number | undefined): string {
  if (days === undefined) return 'validity unreadable';
  if (days < 0) return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  return `${days} day${days === 1 ? '' : 's'} left`;
}

function handshakeFailure(handshake: NonNullable<TlsProbeObservation['handshake']>): string {
  const details: string[] = [];
  if (handshake.alert) details.push(`alert ${oneLine(handshake.alert)}`);
  if (handshake.plaintextSample) details.push(`server sent "${truncate(oneLine(handshake.plaintextSample), 60)}"`);
  if (handshake.error) details.push(oneLine(handshake.error));
  const detail = details.length > 0 ? `: ${details.join('; ')}` : '';
  return `handshake ${handshake.outcome} after ${milliseconds(handshake.durationMs)}${detail}`;
}

function probeRow(probe: TlsProbeObservation, now: string, styles: Styles): Cell[] {
  const peer: Cell = { text: peerLabel(probe) };
  const failed = styles.chalk.red;
  const { connect, handshake } = probe;
  // Cut short by the run's --timeout: nothing is known about the peer, which is not its failure.
  const undetermined = styles.chalk.yellow;
  if (connect.outcome !== 'connected') {
    const error = connect.error ? `: ${oneLine(connect.error)}` : '';
    const text = `connect ${connect.outcome} after ${milliseconds(connect.durationMs)}${error}`;
    return [peer, { text, paint: connect.outcome === 'aborted' ? undetermined : failed }];
  }
  if (!handshake) {
    const text = `connected in ${milliseconds(connect.durationMs)}, no TLS handshake attempted`;
    return [peer, { text, paint: failed }];
  }
  const leaf = leafCertificate(probe);
  if (handshake.outcome !== 'ok' && !leaf) {
    return [peer, { text: handshakeFailure(handshake), paint: handshake.outcome === 'aborted' ? undetermined : failed }];
  }

  const verdict = probe.trust?.verdict ?? 'unknown';
  const notes: string[] = [];
  if (handshake.outcome === 'client-certificate-required') {
    notes.push('handshake refused: the server demands a client certificate');
  } else if (handshake.outcome !== 'ok') {
    notes.push(`handshake ${handshake.outcome}${handshake.alert ? ` (alert ${oneLine(handshake.alert)})` : ''}`);
  } else if (probe.clientAuth.requested === 'required') {
    notes.push('demands a client certificate');
  }
  const presented = probe.clientAuth.presentedCertificate;
  if (presented) {
    notes.push(`client certificate ${presented.accepted ? 'accepted' : presented.cutShort ? 'not tested (--timeout expired)' : 'rejected'}`);
  }
  const legacy = probe.legacyProtocols
    .filter((probed) => probed.result === 'accepted')
    .map((probed) => probed.protocol);
  if (legacy.length > 0) notes.push(`also accepts ${legacy.join(', ')}`);
  const commonName = leaf ? oneLine(leaf.subjectCN ?? leaf.subject) : '';
  return [
    peer,
    { text: handshake.protocol ? oneLine(handshake.protocol) : '-' },
    { text: leaf ? `CN ${commonName === '' ? '(none)' : commonName}` : 'no certificate' },
    { text: leaf ? daysText(daysLeft(leaf.notAfter, now)) : '' },
    { text: verdict, paint: verdict === 'trusted' ? styles.chalk.green : failed },
    { text: milliseconds(handshake.durationMs), alignRight: true },
    { text: notes.join('; '), paint: styles.chalk.yellow },
  ];
}

function tlsSection(target: TargetResult, host: string | undefined, now: string, styles: Styles): string[] {
  const probes = probesFor(target, 'federation');
  if (probes.length === 0) {
    const why = target.observations.deadlineExceeded ? ' (the run deadline expired first)' : '';
    return ['  TLS peers', `    none probed${why}`];
  }
  const sni = host ? styles.chalk.dim(` (SNI ${oneLine(host)})`) : '';
  return [`  TLS peers${sni}`, ...table(probes.map((probe) => probeRow(probe, now, styles)), '    ')];
}

function impSection(target: TargetResult, now: string, styles: Styles): string[] {
  const probes = probesFor(target, 'imp');
  if (probes.length === 0) return [];
  const ports = [...new Set(probes.map((probe) => probe.port))].join(', ');
  const hosts = [...new Set(probes.map((probe) => oneLine(probe.host)))].join(', ');
  return [
    `  IM and Presence (Expressway-C → IM/P FQDN → ${ports})`,
    `    IM/P FQDN ${hosts}`,
    ...table(
      probes.map((probe) => probeRow(probe, now, styles)),
      '    ',
    ),
  ];
}

function findingLines(finding: Finding, checkWidth: number, styles: Styles): string[] {
  const word = statusWord(finding.status);
  const gap = ' '.repeat(STATUS_COLUMN - word.length + 2);
  const prefix = `${FINDING_INDENT}${styles.status(finding.status)(word)}${gap}`;
  const heading = `${oneLine(finding.check).padEnd(checkWidth)}  ${oneLine(finding.subject)}`;
  const available = HUMAN_WRAP_COLUMNS - FINDING_TEXT_INDENT.length;
  if (finding.status === 'pass' || finding.status === 'skip') {
    return [prefix + truncate(`${heading} — ${oneLine(finding.message)}`, available)];
  }
  const lines = [prefix + heading.trimEnd()];
  lines.push(...wrap(finding.message, HUMAN_WRAP_COLUMNS, FINDING_TEXT_INDENT));
  if (finding.remediation) {
    // Only a broken rule has a fix; an info or error finding's remediation is advice.
    const label = finding.status === 'fail' || finding.status === 'warn' ? FIX_LABEL : ADVICE_LABEL;
    lines.push(
      ...wrap(
        `${label}${finding.remediation}`,
        HUMAN_WRAP_COLUMNS,
        FINDING_TEXT_INDENT,
        FINDING_TEXT_INDENT + ' '.repeat(label.length),
      ),
    );
  }
  return lines;
}

function findingsSection(target: TargetResult, styles: Styles): string[] {
  if (target.findings.length === 0) return ['  Findings', '    none'];
  const checkWidth = Math.max(...target.findings.map((finding) => oneLine(finding.check).length));
  return ['  Findings', ...bySeverity(target.findings).flatMap((finding) => findingLines(finding, checkWidth, styles))];
}

function targetSection(target: TargetResult, now: string, styles: Styles): string[] {
  const { chalk } = styles;
  const path =
    target.role === 'local'
      ? 'Microsoft edge → SRV → Expressway-E peers → certificate'
      : 'Expressway-E → SRV → Microsoft edge → certificate';
  const lines = [
    `${chalk.bold(oneLine(roleTitle(target)))}  ${styles.status(target.status)(statusWord(target.status))}`,
    chalk.dim(`  ${path}`),
  ];
  if (target.observations.deadlineExceeded) {
    const note = '  Gathering was cut short by the run deadline (--timeout): some lookups or probes did not run.';
    lines.push(chalk.yellow(note));
  }
  lines.push(...srvSection(target, styles));
  const host = targetSrvSelection(target.observations)?.selected.target;
  if (host !== undefined && host !== '.') lines.push(...addressSection(target, host));
  lines.push(...tlsSection(target, host, now, styles));
  lines.push(...impSection(target, now, styles));
  lines.push(...findingsSection(target, styles));
  return lines;
}

/**
 * Every local SIP domain needs its own SRV target named in the Expressway-E certificate: with
 * several domains, one table says per domain which names the certificate lacks. It reads what
 * cert-name matched (its data), not the finding's status, which a severity override may change.
 */
function certificateNamesSection(result: RunResult, styles: Styles): string[] {
  const locals = result.targets.filter((target) => target.role === 'local');
  if (locals.length < 2) return [];
  const rows: Cell[][] = locals.map((target) => {
    const host = targetSrvSelection(target.observations)?.selected.target;
    const judged = target.findings.filter(
      (finding) => finding.check === 'cert-name' && (finding.status === 'pass' || finding.status === 'warn' || finding.status === 'fail'),
    );
    const domainCells: Cell[] = [{ text: oneLine(target.domain) }, { text: host ? oneLine(host) : '-' }];
    if (judged.length === 0) return [...domainCells, { text: 'not examined (no certificate was obtained)', paint: styles.chalk.dim }];
    const exact = judged.filter((finding) => finding.data?.match === 'exact');
    const wildcard = judged.filter((finding) => finding.data?.match === 'wildcard');
    const missing = judged.filter((finding) => finding.data?.match === undefined);
    const peers = (findings: Finding[]) => findings.map((finding) => oneLine(finding.subject)).join(', ');
    if (missing.length > 0) {
      const names = missing[0]?.data?.names;
      const carried = Array.isArray(names) && names.length > 0 ? ` (the certificate names ${names.map((name) => oneLine(String(name))).join(', ')})` : '';
      return [...domainCells, { text: `MISSING on ${peers(missing)}${carried}`, paint: styles.status('fail') }];
    }
    if (wildcard.length > 0) {
      return [...domainCells, { text: `only through a wildcard on ${peers(wildcard)} (Expressway needs the exact name)`, paint: styles.status('warn') }];
    }
    return [...domainCells, { text: `named on ${exact.length} of ${judged.length} peer${judged.length === 1 ? '' : 's'}` }];
  });
  return ['', styles.chalk.bold('Certificate names per local SIP domain'), ...table(rows, '  ')];
}

function summaryLine(result: RunResult, styles: Styles): string {
  const counts = STATUS_SEVERITY_ORDER.map((status) => {
    const count = result.summary[status] ?? 0;
    const text = `${count} ${status}`;
    return count > 0 ? styles.status(status)(text) : text;
  });
  const targets = `${result.targets.length} target${result.targets.length === 1 ? '' : 's'}`;
  const verdict = styles.status(result.status)(statusWord(result.status));
  return `Summary: ${counts.join(', ')} · ${targets} · overall ${verdict} · ${duration(result.durationMs)}`;
}

export function renderHuman(result: RunResult, options: RenderOptions): string {
  const styles = createStyles(options.color);
  const title = styles.chalk.bold(`fedcheck ${oneLine(result.tool.version)}`);
  const lines = [`${title}  started ${oneLine(result.startedAt)}`];
  for (const target of result.targets) lines.push('', ...targetSection(target, result.startedAt, styles));
  lines.push(...certificateNamesSection(result, styles));
  lines.push('', summaryLine(result, styles));
  return `${lines.join('\n')}\n`;
}
