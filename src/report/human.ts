// The report a person reads in a terminal. It leads with the verdict; then each target follows
// the path a federation message takes (the SRV record the Microsoft edge selects, the addresses
// of its target, the TLS peers behind them and their certificates) and lists what is wrong, each
// problem with its fix. What passed or was not run takes one line per target unless --verbose.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, RunResult, Status, TargetResult } from '../model/findings.js';
import type { DnsQueryObservation, DnsRecord, TlsProbeObservation } from '../model/observations.js';
import {
  describeOutcome,
  federationSrvLookup,
  finalRecords,
  lookupAddresses,
  selectedHosts,
  sipFederationSrvName,
  targetSrvSelection,
} from '../model/dns.js';
import { peerEndpoint } from '../model/ip.js';
import { microsoft365Cloud } from '../model/microsoft365.js';
import { readAuthoritativeServer } from '../model/authoritative.js';
import {
  answerText,
  bySeverity,
  carriedNames,
  certificateNamesPerDomain,
  changeText,
  changesByDomain,
  changesHeadline,
  countStatuses,
  countsText,
  daysLeft,
  daysText,
  duration,
  leafCertificate,
  milliseconds,
  passedChecks,
  probeFailure,
  probeNotes,
  probesFor,
  questionsAcrossResolvers,
  roleTitle,
  skipGroups,
  statusWord,
  STATUS_SEVERITY_ORDER,
} from './facts.js';
import { displayWidth, fitColumns, oneLine, wrap } from './text.js';
import type { RenderOptions } from './types.js';

/** The width when the caller names none (a file, a pipe without COLUMNS). */
export const HUMAN_WRAP_COLUMNS = 100;
/** Below this a report is unreadable anyway; narrower terminals get lines that wrap in the terminal. */
export const HUMAN_MIN_COLUMNS = 40;

const STATUS_COLUMN = 5; // "ERROR"
const FINDING_INDENT = '    ';
const FINDING_TEXT_INDENT = ' '.repeat(FINDING_INDENT.length + STATUS_COLUMN + 2);
const FIX_LABEL = 'Fix: ';
const ADVICE_LABEL = 'Advice: ';
/** A table's last cell wraps beside the other columns only while it keeps this much room. */
const MIN_LAST_CELL = 24;

type Paint = (text: string) => string;
const unpainted: Paint = (text) => text;

interface Cell {
  text: string;
  paint?: Paint;
  alignRight?: boolean;
}

interface Styles {
  chalk: ChalkInstance;
  status(status: Status): Paint;
}

/** What every section needs: the styles, the width to wrap at, the run's clock, the detail asked for. */
interface Layout {
  styles: Styles;
  width: number;
  now: string;
  verbose: boolean;
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
  return { chalk, status: (status) => byStatus[status] ?? unpainted };
}

/** Wraps a text and paints each line, so colour codes never count towards the width. */
function paintedWrap(text: string, width: number, firstIndent: string, restIndent: string, paint: Paint = unpainted): string[] {
  return wrap(text, width, firstIndent, restIndent).map((line) => {
    const indent = line.length - line.trimStart().length;
    return line.slice(0, indent) + (line.length > indent ? paint(line.slice(indent)) : '');
  });
}

/**
 * A row too wide for aligned columns: its cells one after another, a cell that does not fit
 * starting a new line, a cell wider than a line split across lines.
 */
function flowRow(row: Cell[], indent: string, width: number): string[] {
  const hanging = `${indent}  `;
  const lines: string[] = [];
  let lineIndent = indent;
  let content = '';
  let used = 0;
  const room = (): number => width - lineIndent.length;
  const flush = (): void => {
    lines.push((lineIndent + content).trimEnd());
    lineIndent = hanging;
    content = '';
    used = 0;
  };
  for (const cell of row) {
    if (cell.text === '') continue;
    const paint = cell.paint ?? unpainted;
    const cellWidth = displayWidth(cell.text);
    if (used > 0 && used + 2 + cellWidth > room()) flush();
    const gap = used > 0 ? '  ' : '';
    if (used + gap.length + cellWidth <= room()) {
      content += gap + paint(cell.text);
      used += gap.length + cellWidth;
      continue;
    }
    // Only a cell wider than a whole line gets here, at the start of a line.
    const pieces = wrap(cell.text, width, lineIndent, hanging);
    pieces.forEach((piece, index) => {
      const pieceIndent = index === 0 ? lineIndent : hanging;
      const text = piece.slice(pieceIndent.length);
      if (index < pieces.length - 1) {
        lines.push(pieceIndent + paint(text));
      } else {
        lineIndent = pieceIndent;
        content = paint(text);
        used = displayWidth(text);
      }
    });
  }
  if (used > 0) flush();
  return lines;
}

/**
 * Aligns cells in columns. The last cell of a row is never padded and does not widen its
 * column (a long explanation must not push the other rows' columns apart); it wraps beside the
 * columns when the row is wider than the terminal. Columns too wide to leave it room (a
 * 180-character name) give up alignment: each row then flows on its own.
 */
function table(rows: Cell[][], indent: string, width: number): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, displayWidth(cell.text));
    });
  }
  return rows.flatMap((row) => {
    const columns = row.slice(0, -1);
    const last = row[row.length - 1];
    const prefixWidth = indent.length + columns.reduce((sum, _cell, column) => sum + (widths[column] ?? 0) + 2, 0);
    if (prefixWidth > width - MIN_LAST_CELL) return flowRow(row, indent, width);
    const prefix =
      indent +
      columns
        .map((cell, column) => {
          const padding = ' '.repeat(Math.max(0, (widths[column] ?? 0) - displayWidth(cell.text)));
          const text = (cell.paint ?? unpainted)(cell.text);
          return `${cell.alignRight ? padding + text : text + padding}  `;
        })
        .join('');
    if (!last || last.text === '') return [prefix.trimEnd()];
    if (prefixWidth + displayWidth(last.text) <= width) return [(prefix + (last.paint ?? unpainted)(last.text)).trimEnd()];
    const beside = paintedWrap(last.text, width, ' '.repeat(prefixWidth), ' '.repeat(prefixWidth), last.paint);
    // A narrow column beside the row can take more lines than the cell needs under the row.
    const below = paintedWrap(last.text, width, `${indent}  `, `${indent}  `, last.paint);
    if (below.length + 1 < beside.length) return [prefix.trimEnd(), ...below];
    return [prefix + (beside[0] ?? '').trimStart(), ...beside.slice(1)];
  });
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

function srvSection(target: TargetResult, layout: Layout): string[] {
  const { styles, width } = layout;
  const observations = target.observations;
  const name = sipFederationSrvName(observations.domain);
  const lookup = federationSrvLookup(observations);
  const query = lookup.last;
  const heading = (detail: string, secondary = false): string[] => {
    const text = `  SRV ${oneLine(name)} ${detail}`;
    // The resolver and timing are secondary: dimmed when the heading fits on its line.
    if (displayWidth(text) <= width) return [`  SRV ${oneLine(name)} ${secondary ? styles.chalk.dim(detail) : detail}`];
    return wrap(text.trimStart(), width, '  ', '      ');
  };
  if (!query) {
    const why = observations.deadlineExceeded ? ': the run deadline expired first' : '';
    return heading(`not queried${why}`);
  }
  const selection = targetSrvSelection(observations);
  const aliases = table(lookup.aliases.map(aliasCells), '    ', width);
  if (!selection) {
    // Nothing to tabulate: the outcome fits on the heading's line.
    return [...heading(`${oneLine(describeOutcome(query))} (${milliseconds(query.durationMs)})`), ...aliases];
  }
  // In Microsoft's order of preference, so the table reads the same whatever order the resolver returned.
  const rows: Cell[][] = selection.records.map((record) => {
    const isSelected = selection.selected.includes(record);
    const notes: string[] = [];
    if (isSelected) {
      notes.push(`${selection.tie ? 'may be selected' : 'selected'}: ${selection.reason}`);
      if (record.data.target === '.') notes.push('"." means the service is decidedly not available');
      const cloud = microsoft365Cloud(record.data.target);
      if (cloud) notes.push(`hosted by ${cloud}`);
    }
    return [
      { text: isSelected ? '→' : '', paint: styles.chalk.bold },
      { text: String(record.data.priority), alignRight: true },
      { text: String(record.data.weight), alignRight: true },
      { text: String(record.data.port), alignRight: true },
      { text: oneLine(record.data.target), paint: isSelected ? styles.chalk.bold : undefined },
      { text: `TTL ${record.ttl}` },
      isSelected
        ? { text: notes.join('; ') }
        : { text: 'never used by Microsoft edges (no failover)', paint: styles.chalk.dim },
    ];
  });
  return [
    ...heading(`(${queryNote(query)})`, true),
    ...aliases,
    ...table(rows, '    ', width),
  ];
}

function addressSection(target: TargetResult, host: string, layout: Layout): string[] {
  const observations = target.observations;
  // With several resolvers, each row says which one answered.
  const severalResolvers = observations.resolvers.length > 1;
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
      const resolver: Cell[] = severalResolvers && lookup.last ? [{ text: `from ${oneLine(lookup.last.resolver)}` }] : [];
      for (const record of answered) {
        addressRows.push([{ text: type }, { text: oneLine(record.data) }, { text: `TTL ${record.ttl}` }, ...resolver]);
      }
    } else if (lookup.last) {
      addressRows.push([{ text: type }, { text: `${oneLine(lookup.last.name)} ${oneLine(describeOutcome(lookup.last))}` }]);
    } else {
      addressRows.push([{ text: type }, { text: 'not queried' }]);
    }
  }
  // Without aliases or several resolvers to tell apart, the answers fit on the heading's line.
  if (!layout.verbose && aliasRows.length === 0 && !severalResolvers) {
    return paintedWrap(`Addresses of ${oneLine(host)}: ${addressSummary(observations, host).join('; ')}`, layout.width, '  ', '      ');
  }
  return [...paintedWrap(`Addresses of ${oneLine(host)}`, layout.width, '  ', '      '), ...table([...aliasRows, ...addressRows], '    ', layout.width)];
}

/** Each address type's answer in a few words: "A 192.0.2.1, 192.0.2.2 (TTL 3600)", "AAAA no record (NOERROR, no data)". */
function addressSummary(observations: TargetResult['observations'], host: string): string[] {
  const answers = (['A', 'AAAA'] as const).map((type) => {
    const lookup = lookupAddresses(observations, host, type);
    if (!lookup.last) return { type, text: 'not queried', unanswered: false };
    const answered = lookup.addresses.length > 0 ? finalRecords(lookup.last, type) : [];
    if (answered.length === 0) return { type, text: oneLine(answerText(lookup.last)), unanswered: lookup.addresses.length === 0 };
    const ttls = [...new Set(answered.map((record) => record.ttl))];
    const ttl = ttls.length === 1 ? ` (TTL ${ttls[0]})` : '';
    const addresses = answered.map((record) => oneLine(record.data) + (ttls.length === 1 ? '' : ` (TTL ${record.ttl})`));
    return { type, text: `${addresses.join(', ')}${ttl}`, unanswered: false };
  });
  const [a, aaaa] = answers;
  if (a!.unanswered && aaaa!.unanswered && a!.text === aaaa!.text) return [`A and AAAA ${a!.text}`];
  return answers.map(({ type, text }) => `${type} ${text}`);
}

/** The questions more than one resolver answered, each resolver's answer on its own row. */
function resolverSection(target: TargetResult, layout: Layout): string[] {
  const { styles, width } = layout;
  const questions = questionsAcrossResolvers(target);
  if (questions.length === 0) return [];
  const lines = ['  Answers per resolver'];
  for (const question of questions) {
    const verdict = question.disagree ? styles.status('warn')(' (the resolvers disagree)') : ' (the resolvers agree)';
    lines.push(...paintedWrap(`${oneLine(question.name)} ${question.type}`, width, '    ', '      ').map((line, index, all) => (index === all.length - 1 ? line + verdict : line)));
    const rows = question.queries.map((query): Cell[] => [
      { text: query === question.used ? '→' : '', paint: styles.chalk.bold },
      { text: oneLine(query.resolver) },
      { text: oneLine(answerText(query)) },
    ]);
    lines.push(...table(rows, '      ', width));
  }
  return lines;
}

/** What each authoritative server of the zone answered when asked directly: one row per address. */
function authoritativeSection(target: TargetResult, layout: Layout): string[] {
  const { styles, width } = layout;
  const observations = target.observations.authoritative;
  if (!observations?.zone || observations.servers.length === 0) return [];
  // Servers that all answered alike are one line; the table is for telling them apart.
  const agreed = target.findings.some((finding) => finding.code === 'dns-authoritative.consistent');
  if (!layout.verbose && agreed) {
    const servers = observations.servers.map((server) => {
      const serial = readAuthoritativeServer(observations, server).serial;
      return `${oneLine(server.nameServers.join(', '))} ${oneLine(server.address)}${serial !== undefined ? ` (serial ${serial})` : ''}`;
    });
    const heading = servers.length === 1 ? 'Authoritative server' : 'Authoritative servers';
    const verdict = servers.length === 1 ? 'asked directly' : 'asked directly, all agree';
    return paintedWrap(`${heading} of ${oneLine(observations.zone)}, ${verdict}: ${servers.join(', ')}`, width, '  ', '      ');
  }
  const rows = observations.servers.map((server): Cell[] => {
    const reading = readAuthoritativeServer(observations, server);
    const names: Cell = { text: oneLine(server.nameServers.join(', ')) };
    const address: Cell = { text: oneLine(server.address) };
    switch (reading.state) {
      case 'lame': {
        const query = reading.lame!.query;
        const how = reading.lame!.reason === 'not-authoritative' ? `${query.rcode ?? ''} without AA` : (query.rcode ?? '');
        return [names, address, { text: `lame: ${oneLine(how)} to ${oneLine(query.name)} ${query.type}`, paint: styles.status('fail') }];
      }
      case 'unreachable':
      case 'not-asked':
      case 'cut-short':
        return [names, address, { text: oneLine(answerText(reading.unanswered[0]!)), paint: styles.chalk.yellow }];
      case 'answered': {
        const answers = server.queries
          .filter((query) => query.type !== 'SOA')
          .map((query) => `${query.type} ${oneLine(answerText(query))}`);
        return [names, address, { text: reading.serial !== undefined ? `serial ${reading.serial}` : 'no serial' }, { text: answers.join('; ') }];
      }
    }
  });
  return [...paintedWrap(`Authoritative servers of ${oneLine(observations.zone)} (asked directly)`, width, '  ', '      '), ...table(rows, '    ', width)];
}

function probeRow(probe: TlsProbeObservation, layout: Layout): Cell[] {
  const { styles, now } = layout;
  const peer: Cell = { text: peerEndpoint(probe) };
  const failure = probeFailure(probe);
  // Cut short by the run's --timeout: nothing is known about the peer, which is not its failure.
  if (failure) return [peer, { text: failure.text, paint: failure.undetermined ? styles.chalk.yellow : styles.chalk.red }];
  const leaf = leafCertificate(probe);
  const verdict = probe.trust?.verdict ?? 'unknown';
  const commonName = leaf ? oneLine(leaf.subjectCN ?? leaf.subject) : '';
  return [
    peer,
    { text: probe.handshake?.protocol ? oneLine(probe.handshake.protocol) : '-' },
    { text: leaf ? `CN ${commonName === '' ? '(none)' : commonName}` : 'no certificate' },
    { text: leaf ? daysText(daysLeft(leaf.notAfter, now)) : '' },
    { text: verdict, paint: verdict === 'trusted' ? styles.chalk.green : styles.chalk.red },
    { text: milliseconds(probe.handshake?.durationMs ?? 0), alignRight: true },
    { text: probeNotes(probe).join('; '), paint: styles.chalk.yellow },
  ];
}

function tlsSection(target: TargetResult, hosts: string[], layout: Layout): string[] {
  const probes = probesFor(target, 'federation');
  if (probes.length === 0) {
    // Without a target there was nothing to probe, and the SRV line already says why.
    if (hosts.length === 0 && !target.observations.deadlineExceeded) return [];
    const why = target.observations.deadlineExceeded ? ' (the run deadline expired first)' : '';
    return wrap(`TLS peers: none probed${why}`, layout.width, '  ', '    ');
  }
  const probedHosts = [...new Set(probes.map((probe) => probe.host))];
  if (probedHosts.length < 2) {
    const host = hosts[0] ?? probedHosts[0];
    const heading = host ? paintedWrap(`TLS peers (SNI ${oneLine(host)})`, layout.width, '  ', '      ') : ['  TLS peers'];
    return [...heading, ...table(probes.map((probe) => probeRow(probe, layout)), '    ', layout.width)];
  }
  // Tied SRV records: each target Microsoft may select, with its own peers.
  return probedHosts.flatMap((host) => [
    ...paintedWrap(`TLS peers of ${oneLine(host)} (SNI ${oneLine(host)})`, layout.width, '  ', '      '),
    ...table(probes.filter((probe) => probe.host === host).map((probe) => probeRow(probe, layout)), '    ', layout.width),
  ]);
}

function impSection(target: TargetResult, layout: Layout): string[] {
  const probes = probesFor(target, 'imp');
  if (probes.length === 0) return [];
  const ports = [...new Set(probes.map((probe) => probe.port))].join(', ');
  const hosts = [...new Set(probes.map((probe) => oneLine(probe.host)))].join(', ');
  return [
    ...paintedWrap(`IM and Presence: IM/P FQDN ${hosts} (Expressway-C → IM/P FQDN → ${ports})`, layout.width, '  ', '    '),
    ...table(
      probes.map((probe) => probeRow(probe, layout)),
      '    ',
      layout.width,
    ),
  ];
}

function statusPrefix(status: Status, styles: Styles): string {
  const word = statusWord(status);
  return `${FINDING_INDENT}${styles.status(status)(word)}${' '.repeat(STATUS_COLUMN - word.length + 2)}`;
}

/** A finding in full: its check and subject, the message, and the fix (or advice). */
function fullFinding(finding: Finding, checkWidth: number, layout: Layout): string[] {
  const { width } = layout;
  // The check column is padded; the subject (a name of any length) wraps after it.
  const check = `${oneLine(finding.check).padEnd(checkWidth)}  `;
  const subject = wrap(oneLine(finding.subject), width, FINDING_TEXT_INDENT + check, FINDING_TEXT_INDENT + '  ');
  const lines = [statusPrefix(finding.status, layout.styles) + (subject[0] ?? '').slice(FINDING_TEXT_INDENT.length), ...subject.slice(1)].map((line) => line.trimEnd());
  lines.push(...wrap(finding.message, width, FINDING_TEXT_INDENT));
  if (finding.remediation) {
    // Only a broken rule has a fix; an info or error finding's remediation is advice.
    const label = finding.status === 'fail' || finding.status === 'warn' ? FIX_LABEL : ADVICE_LABEL;
    lines.push(...wrap(`${label}${finding.remediation}`, width, FINDING_TEXT_INDENT, FINDING_TEXT_INDENT + ' '.repeat(label.length)));
  }
  return lines;
}

/** The first sentence of a message: what an info finding says in one line. */
function firstSentence(text: string): string {
  const line = oneLine(text);
  const end = /[.!?](?=\s+[A-Z"(])/.exec(line);
  return end ? line.slice(0, end.index + 1) : line;
}

/**
 * An info finding on one line: its first sentence, which usually names the subject (else the subject
 * leads); too long, it is shortened to what comes before a colon (the detail follows one), and cut
 * at a word if still too long. --verbose shows it in full.
 */
function briefFinding(finding: Finding, checkWidth: number, layout: Layout): string[] {
  const room = Math.max(1, layout.width - FINDING_TEXT_INDENT.length - checkWidth - 2);
  const subject = oneLine(finding.subject);
  const sentence = firstSentence(finding.message);
  const said = sentence.includes(subject) ? sentence : `${subject} — ${sentence}`;
  const colon = said.indexOf(': ');
  const text = displayWidth(said) > room && colon > 0 ? `${said.slice(0, colon)}.` : said;
  return [statusPrefix(finding.status, layout.styles) + `${oneLine(finding.check).padEnd(checkWidth)}  ${fitColumns(text, room)}`];
}

/** "srv-present, srv-single, … and 9 more": as many names as fit in `room` columns. */
function namesThatFit(names: string[], room: number): string {
  for (let shown = names.length; shown > 0; shown--) {
    const rest = names.length - shown;
    const text = names.slice(0, shown).join(', ') + (rest > 0 ? ` and ${rest} more` : '');
    if (displayWidth(text) <= room) return text;
  }
  return `${names.length} checks`;
}

/** All passes of a target on one line: how many, naming the checks as far as the line allows. */
function passLine(findings: readonly Finding[], layout: Layout): string[] {
  const passes = findings.filter((finding) => finding.status === 'pass');
  if (passes.length === 0) return [];
  const checks = passedChecks(passes);
  const lead = `${passes.length} passed${checks.length !== passes.length ? ` (${checks.length} checks)` : ''}: `;
  const room = layout.width - FINDING_TEXT_INDENT.length - lead.length;
  return [statusPrefix('pass', layout.styles) + lead + namesThatFit(checks, room)];
}

/**
 * The skipped checks, one line per thing they wait on. A reason reads "<cause>, so <what is missing>";
 * the cause is a broken rule reported above, so a reason too long for the line keeps what is missing.
 * Without that form it wraps, never cut: the reason is the point.
 */
function skipLines(findings: readonly Finding[], layout: Layout): string[] {
  return skipGroups(findings).flatMap((group) => {
    const count = group.findings.length;
    const what = group.checks.length === 1 ? `${group.checks[0]}${count > 1 ? ` (${count})` : ''}` : `${count} checks`;
    const full = `${what} not run: ${group.reason}`;
    const consequence = group.reason.lastIndexOf(', so ');
    const text =
      FINDING_TEXT_INDENT.length + displayWidth(full) > layout.width && consequence > 0
        ? `${what} not run: ${group.reason.slice(consequence + ', so '.length)}`
        : full;
    const lines = wrap(text, layout.width, FINDING_TEXT_INDENT);
    return [statusPrefix('skip', layout.styles) + (lines[0] ?? '').slice(FINDING_TEXT_INDENT.length), ...lines.slice(1)];
  });
}

function findingsSection(target: TargetResult, layout: Layout): string[] {
  if (target.findings.length === 0) return ['  Findings: none'];
  const ordered = bySeverity(target.findings);
  if (layout.verbose) {
    const checkWidth = Math.max(...ordered.map((finding) => oneLine(finding.check).length));
    return ['  Findings', ...ordered.flatMap((finding) => fullFinding(finding, checkWidth, layout))];
  }
  const problems = ordered.filter((finding) => finding.status === 'fail' || finding.status === 'error' || finding.status === 'warn');
  const infos = ordered.filter((finding) => finding.status === 'info');
  const checkWidth = Math.max(0, ...[...problems, ...infos].map((finding) => oneLine(finding.check).length));
  return [
    '  Findings',
    ...problems.flatMap((finding) => fullFinding(finding, checkWidth, layout)),
    ...infos.flatMap((finding) => briefFinding(finding, checkWidth, layout)),
    ...passLine(ordered, layout),
    ...skipLines(ordered, layout),
  ];
}

function targetSection(target: TargetResult, layout: Layout): string[] {
  const { styles, width } = layout;
  const { chalk } = styles;
  const path =
    target.role === 'local'
      ? 'Microsoft edge → SRV → Expressway-E peers → certificate'
      : 'Expressway-E → SRV → Microsoft edge → certificate';
  const title = oneLine(roleTitle(target));
  const word = statusWord(target.status);
  const heading =
    displayWidth(title) + word.length + path.length + 4 <= width
      ? [`${chalk.bold(title)}  ${styles.status(target.status)(word)}  ${chalk.dim(path)}`]
      : [
          ...paintedWrap(title, width - word.length - 2, '', '  ', chalk.bold).map((line, index, all) =>
            index === all.length - 1 ? `${line}  ${styles.status(target.status)(word)}` : line,
          ),
          ...paintedWrap(path, width, '  ', '  ', chalk.dim),
        ];
  const lines = [...heading];
  if (target.observations.deadlineExceeded) {
    lines.push(...paintedWrap('Gathering was cut short by the run deadline (--timeout): some lookups or probes did not run.', width, '  ', '  ', chalk.yellow));
  }
  lines.push(...srvSection(target, layout));
  const hosts = selectedHosts(targetSrvSelection(target.observations));
  for (const host of hosts) lines.push(...addressSection(target, host, layout));
  lines.push(...resolverSection(target, layout));
  lines.push(...authoritativeSection(target, layout));
  lines.push(...tlsSection(target, hosts, layout));
  lines.push(...impSection(target, layout));
  lines.push(...findingsSection(target, layout));
  return lines;
}

function certificateNamesSection(result: RunResult, layout: Layout): string[] {
  const { styles } = layout;
  const domains = certificateNamesPerDomain(result);
  if (domains.length === 0) return [];
  const everyPeerNamesIt = domains.every(({ coverage }) => coverage.kind === 'named' && coverage.named === coverage.peers);
  if (!layout.verbose && everyPeerNamesIt) {
    const which = domains.length === 1 ? 'the local SIP domain' : domains.length === 2 ? 'both local SIP domains' : `all ${domains.length} local SIP domains`;
    return ['', ...paintedWrap(`Certificate names: every peer's certificate names the SRV target of ${which}.`, layout.width, '', '  ')];
  }
  const rows: Cell[][] = domains.map(({ domain, host, coverage }) => {
    const domainCells: Cell[] = [{ text: oneLine(domain) }, { text: host ? oneLine(host) : '-' }];
    const peers = (subjects: string[]) => subjects.map((subject) => oneLine(subject)).join(', ');
    switch (coverage.kind) {
      case 'not-examined':
        return [...domainCells, { text: 'not examined (no certificate was obtained)', paint: styles.chalk.dim }];
      case 'missing': {
        const carried = coverage.names.length > 0 ? ` (the certificate names ${oneLine(carriedNames(coverage))})` : '';
        return [...domainCells, { text: `MISSING on ${peers(coverage.peers)}${carried}`, paint: styles.status('fail') }];
      }
      case 'wildcard':
        return [...domainCells, { text: `only through a wildcard on ${peers(coverage.peers)} (Expressway needs the exact name)`, paint: styles.status('warn') }];
      case 'named':
        return [...domainCells, { text: `named on ${coverage.named} of ${coverage.peers} peer${coverage.peers === 1 ? '' : 's'}` }];
    }
  });
  return ['', styles.chalk.bold('Certificate names per local SIP domain'), ...table(rows, '  ', layout.width)];
}

/** With --baseline: what changed since the earlier run, per domain, right under the verdict. */
function changesSection(result: RunResult, layout: Layout): string[] {
  const headline = changesHeadline(result);
  if (headline === undefined) return [];
  const { styles, width } = layout;
  const heading = `${headline.charAt(0).toUpperCase()}${headline.slice(1)}`;
  if (!result.changes || result.changes.length === 0) return ['', ...paintedWrap(`${heading}.`, width, '', '  ')];
  const lines = ['', ...paintedWrap(heading, width, '', '  ', styles.chalk.bold)];
  for (const group of changesByDomain(result.changes)) {
    lines.push(...paintedWrap(oneLine(group.domain), width, '  ', '    '));
    const rows = group.changes.map((change): Cell[] => {
      const text = changeText(change);
      const value =
        change.kind === 'finding' ? (change.before === null ? text.after : text.before) : `${oneLine(text.before)} → ${oneLine(text.after)}`;
      const paint = change.kind === 'finding' ? styles.status(change.before === null ? change.after?.status ?? 'info' : 'pass') : styles.chalk.yellow;
      return [{ text: text.label }, { text: oneLine(change.subject) }, { text: value, paint }];
    });
    lines.push(...table(rows, '    ', width));
  }
  return lines;
}

function targetsText(count: number): string {
  return `${count} target${count === 1 ? '' : 's'}`;
}

/** The first line: the overall status and the counts that matter. */
function verdictLines(result: RunResult, layout: Layout): string[] {
  const { styles } = layout;
  const word = statusWord(result.status);
  const counts = countsText(countStatuses(result.targets.flatMap((target) => target.findings)));
  const lines = wrap(`${counts} in ${targetsText(result.targets.length)}`, layout.width, ' '.repeat(word.length + 2), '      ');
  return [styles.chalk.bold(styles.status(result.status)(word)) + (lines[0] ?? '').slice(word.length), ...lines.slice(1)];
}

function summaryLines(result: RunResult, layout: Layout): string[] {
  const { styles } = layout;
  const line = (paint: (status: Status) => Paint): string => {
    const counts = STATUS_SEVERITY_ORDER.map((status) => {
      const count = result.summary[status] ?? 0;
      const text = `${count} ${status}`;
      return count > 0 ? paint(status)(text) : text;
    });
    const verdict = paint(result.status)(statusWord(result.status));
    return `Summary: ${counts.join(', ')} · ${targetsText(result.targets.length)} · overall ${verdict} · ${duration(result.durationMs)}`;
  };
  const plain = line(() => unpainted);
  // Colour only on a line that needs no wrapping: wrap counts characters, not escape codes.
  return displayWidth(plain) <= layout.width ? [line(styles.status)] : wrap(plain, layout.width, '', '  ');
}

export function renderHuman(result: RunResult, options: RenderOptions): string {
  return [...humanChunks(result, options)].join('');
}

/** Lines as text, each with its newline. */
function text(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** The report a target at a time, so that a batch of thousands never exists as one array of lines. */
export function* humanChunks(result: RunResult, options: RenderOptions): Generator<string> {
  const styles = createStyles(options.color);
  const layout: Layout = {
    styles,
    width: Math.max(HUMAN_MIN_COLUMNS, Math.floor(options.width ?? HUMAN_WRAP_COLUMNS)),
    now: result.startedAt,
    verbose: options.verbose === true,
  };
  const run = `fedcheck ${oneLine(result.tool.version)} · started ${oneLine(result.startedAt)} · took ${duration(result.durationMs)}`;
  yield text([...verdictLines(result, layout), ...paintedWrap(run, layout.width, '', '  ', styles.chalk.dim), ...changesSection(result, layout)]);
  for (const target of result.targets) yield text(['', ...targetSection(target, layout)]);
  yield text([...certificateNamesSection(result, layout), '', ...summaryLines(result, layout)]);
}
