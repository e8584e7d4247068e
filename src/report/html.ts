// The report to attach to a ticket or send to the Microsoft partner: one self-contained HTML
// file (no external script, style, font or image), readable from disk, on a phone and on paper.
// A header with the verdict and how the run was made; per domain the path Microsoft takes, the
// problems worst first with their fixes, and the rest collapsed. Everything that came from the
// network goes through the escaping templates of html/markup.ts.
import { createHash } from 'node:crypto';
import type { Finding, RunResult, Status, TargetResult } from '../model/findings.js';
import { peerEndpoint } from '../model/ip.js';
import {
  answerText,
  bySeverity,
  carriedNames,
  certificateNamesPerDomain,
  changeText,
  changesHeadline,
  countStatuses,
  daysLeft,
  daysText,
  duration,
  leafCertificate,
  milliseconds,
  numericOption,
  passedChecks,
  questionsAcrossResolvers,
  roleTitle,
  skipGroups,
  statusWord,
  STATUS_SEVERITY_ORDER,
} from './facts.js';
import { pathDiagram, statusClass } from './html/diagram.js';
import { html, Markup } from './html/markup.js';
import { SCRIPT, STYLE } from './html/style.js';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Only the report's own inline style and script may run: a hash names each, so the policy holds
 * when the file is opened from disk (no server, no nonce) and nothing injected could match.
 */
export function contentSecurityPolicy(): string {
  return `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'`;
}

function badge(status: Status): Markup {
  return html`<span class="badge ${statusClass(status)}">${statusWord(status)}</span>`;
}

function countChips(counts: Record<Status, number>): Markup {
  const present = STATUS_SEVERITY_ORDER.filter((status) => counts[status] > 0);
  return html`<ul class="counts">${present.map((status) => html`<li class="${statusClass(status)}" data-count-status="${status}">${counts[status]} ${status}</li>`)}</ul>`;
}

function stringList(options: Record<string, unknown>, name: string): string[] {
  const value = options[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function optionText(options: Record<string, unknown>, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** When and how the run was made: what an engineer reading the report later needs to repeat it. */
function runDetails(result: RunResult): Markup {
  const options = result.options;
  const rows: [string, string][] = [
    ['Started', result.startedAt],
    ['Took', duration(result.durationMs)],
    ['fedcheck', result.tool.version],
  ];
  const resolvers = stringList(options, 'resolvers');
  rows.push(['Resolvers', resolvers.length > 0 ? resolvers.join(', ') : 'the system resolvers']);
  const internal = stringList(options, 'internalResolvers');
  if (internal.length > 0) rows.push(['Internal resolvers', internal.join(', ')]);
  const impFqdn = optionText(options, 'impFqdn');
  if (impFqdn) rows.push(['IM/P FQDN', `${impFqdn}${typeof options.impPort === 'number' ? ` port ${options.impPort}` : ''}`]);
  const publisher = optionText(options, 'impPublisher');
  if (publisher) rows.push(['IM/P publisher', publisher]);
  const caFiles = stringList(options, 'caFiles');
  rows.push(['Trusted', caFiles.length > 0 ? `the system store and ${caFiles.join(', ')}` : 'the system store']);
  const warnDays = numericOption(options, 'warnDays');
  const critDays = numericOption(options, 'critDays');
  if (warnDays !== undefined && critDays !== undefined) rows.push(['Certificate expiry', `warn within ${warnDays} days, fail within ${critDays}`]);
  const timeoutMs = numericOption(options, 'timeoutMs');
  if (timeoutMs !== undefined) rows.push(['Deadline', milliseconds(timeoutMs)]);
  const flags = [options.sipOptions === true ? 'SIP OPTIONS sent' : '', options.strict === true ? 'strict: warnings fail' : ''].filter((flag) => flag !== '');
  if (flags.length > 0) rows.push(['Also', flags.join('; ')]);
  return pairs(rows);
}

function pairs(rows: [string, string][]): Markup {
  return html`<dl class="pairs">${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>`;
}

function targetId(index: number): string {
  return `target-${index + 1}`;
}

function targetsNav(result: RunResult): Markup | undefined {
  if (result.targets.length < 2) return undefined;
  const rows = result.targets.map(
    (target, index) => html`<tr><td>${badge(target.status)}</td><td><a href="#${targetId(index)}">${roleTitle(target)}</a></td><td>${countChips(countStatuses(target.findings))}</td></tr>`,
  );
  return html`<nav class="targets" aria-label="Domains"><table><tbody>${rows}</tbody></table></nav>`;
}

function findingHead(finding: Finding): Markup {
  return html`<div class="finding-head">${badge(finding.status)}<code class="check">${finding.check}</code><span class="subject mono">${finding.subject}</span><code class="code">${finding.code}</code></div>`;
}

function findingAttributes(finding: Finding): Markup {
  return html`data-status="${finding.status}" data-check="${finding.check}" data-code="${finding.code}"`;
}

/** A warn, fail or error in full: what is wrong, what happens because of it, and the fix. */
function problem(finding: Finding): Markup {
  // Only a broken rule has a fix; an error's remediation is advice.
  const label = finding.status === 'fail' || finding.status === 'warn' ? 'Fix' : 'Advice';
  return html`<li class="finding ${statusClass(finding.status)}" ${findingAttributes(finding)}>${findingHead(finding)}
<p class="message">${finding.message}</p>
${finding.remediation ? html`<p class="fix"><strong>${label}</strong>${finding.remediation}</p>` : ''}
${finding.reference ? html`<p class="reference">Source: ${finding.reference}</p>` : ''}</li>`;
}

function brief(finding: Finding): Markup {
  return html`<li class="${statusClass(finding.status)}" ${findingAttributes(finding)}>${findingHead(finding)}<p class="message">${finding.message}</p>${
    finding.remediation ? html`<p class="message">${finding.remediation}</p>` : ''
  }</li>`;
}

function passesSection(findings: readonly Finding[]): Markup | undefined {
  const passes = findings.filter((finding) => finding.status === 'pass');
  if (passes.length === 0) return undefined;
  const checks = passedChecks(passes);
  const counted = checks.length !== passes.length ? ` (${checks.length} checks)` : '';
  // A pass says what the observations (the DNS questions, the certificates) show: its check and subject are enough.
  const items = passes.map((finding) => html`<li class="${statusClass(finding.status)}" ${findingAttributes(finding)}>${findingHead(finding)}</li>`);
  return html`<details class="passes"><summary>${passes.length} passed${counted}</summary><ul class="brief">${items}</ul></details>`;
}

function skipsSection(findings: readonly Finding[]): Markup | undefined {
  const groups = skipGroups(findings);
  if (groups.length === 0) return undefined;
  const total = groups.reduce((sum, group) => sum + group.findings.length, 0);
  const items = groups.map(
    (group) => html`<li class="s-skip"><p class="message">${group.reason}</p><ul class="brief">${group.findings.map(
      (finding) => html`<li class="s-skip" ${findingAttributes(finding)}><code>${finding.check}</code> <span class="subject mono">${finding.subject}</span></li>`,
    )}</ul></li>`,
  );
  return html`<details class="skips"><summary>${total} not run</summary><ul class="brief">${items}</ul></details>`;
}

/** Every DNS question, with the resolver that answered it: resolvers that disagree are visible. */
function dnsSection(target: TargetResult): Markup | undefined {
  const queries = target.observations.dns;
  if (queries.length === 0) return undefined;
  const internal = new Set(target.observations.internalResolvers ?? []);
  const rows = queries.map(
    (query) =>
      html`<tr><td class="mono" data-label="Name">${query.name}</td><td data-label="Type">${query.type}</td><td class="mono" data-label="Resolver">${query.resolver}${internal.has(query.resolver) ? ' (internal)' : ''}</td><td class="mono" data-label="Answer">${answerText(query)}</td><td data-label="Time">${milliseconds(query.durationMs)}${query.retriedOverTcp ? ', TCP' : ''}</td></tr>`,
  );
  const across = questionsAcrossResolvers(target);
  const disagreeing = across.filter((question) => question.disagree);
  const note =
    across.length === 0
      ? ''
      : html`<p class="${disagreeing.length > 0 ? 'disagree' : ''}">${across.length} question${across.length === 1 ? ' was' : 's were'} asked of several resolvers; ${
          disagreeing.length === 0 ? 'they agree' : `they disagree on ${disagreeing.map((question) => `${question.name} ${question.type}`).join(', ')}`
        }.</p>`;
  return html`<details class="dns"${disagreeing.length > 0 ? html` open` : ''}><summary>DNS questions (${queries.length})</summary>${note}<div class="scroll"><table class="data"><thead><tr><th>Name</th><th>Type</th><th>Resolver</th><th>Answer</th><th>Time</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
}

/** One card of facts per certificate a peer sent: readable on a phone, where a wide table is not. */
function certificatesSection(target: TargetResult, now: string): Markup | undefined {
  const probes = target.observations.tls.filter((probe) => leafCertificate(probe));
  if (probes.length === 0) return undefined;
  const cards = probes.map((probe) => {
    const leaf = leafCertificate(probe)!;
    const key = `${leaf.keyType}${leaf.keyBits ? ` ${leaf.keyBits} bits` : ''}${leaf.curve ? ` ${leaf.curve}` : ''}`;
    const facts: [string, string][] = [
      ['Subject', leaf.subject],
      ['DNS names', leaf.sanDnsNames.join(', ') || (leaf.hasSanExtension ? '(empty)' : '(no subjectAltName)')],
      ['Issuer', leaf.issuer],
      ['Valid', `${leaf.notBefore} to ${leaf.notAfter} (${daysText(daysLeft(leaf.notAfter, now))})`],
      ['Key, signature', `${key}; ${leaf.signatureAlgorithm}`],
      ['Extended key usage', (leaf.extendedKeyUsage ?? ['(no extension)']).join(', ')],
      ['Chain sent', `${probe.chain.length} certificate${probe.chain.length === 1 ? '' : 's'}; ${probe.trust?.verdict ?? 'trust unknown'}`],
      ['SHA-256', leaf.fingerprintSha256],
    ];
    return html`<li class="certificate"><h4 class="mono">${peerEndpoint(probe)}</h4>${pairs(facts)}</li>`;
  });
  return html`<details class="certificates"><summary>Certificates (${probes.length})</summary><ul class="cards">${cards}</ul></details>`;
}

function targetSection(target: TargetResult, index: number, now: string): Markup {
  const ordered = bySeverity(target.findings);
  const problems = ordered.filter((finding) => finding.status === 'fail' || finding.status === 'error' || finding.status === 'warn');
  const infos = ordered.filter((finding) => finding.status === 'info');
  const id = targetId(index);
  const deadline = target.observations.deadlineExceeded
    ? html`<p class="disagree">Gathering was cut short by the run deadline (--timeout): some lookups or probes did not run.</p>`
    : '';
  return html`<section class="target ${statusClass(target.status)}" id="${id}" aria-labelledby="${id}-title" data-domain="${target.domain}" data-role="${target.role}">
<div class="target-head">${badge(target.status)}<h2 id="${id}-title">${target.domain}</h2><span class="role">${target.role === 'local' ? 'local SIP domain' : 'Microsoft partner'}</span></div>
${countChips(countStatuses(target.findings))}
${deadline}
${pathDiagram(target, now)}
${problems.length > 0 ? html`<h3>Problems (${problems.length})</h3><ol class="findings">${problems.map(problem)}</ol>` : html`<h3>No problems</h3>`}
${infos.length > 0 ? html`<h3>For information (${infos.length})</h3><ul class="brief">${infos.map(brief)}</ul>` : ''}
${passesSection(ordered)}
${skipsSection(ordered)}
${dnsSection(target)}
${certificatesSection(target, now)}
</section>`;
}

function certificateNamesTable(result: RunResult): Markup | undefined {
  const domains = certificateNamesPerDomain(result);
  if (domains.length === 0) return undefined;
  const rows = domains.map(({ domain, host, coverage }) => {
    let cell: Markup;
    switch (coverage.kind) {
      case 'not-examined':
        cell = html`<span class="s-skip">not examined (no certificate was obtained)</span>`;
        break;
      case 'missing':
        cell = html`${badge('fail')} missing on ${coverage.peers.join(', ')}${coverage.names.length > 0 ? ` (the certificate names ${carriedNames(coverage)})` : ''}`;
        break;
      case 'wildcard':
        cell = html`${badge('warn')} only through a wildcard on ${coverage.peers.join(', ')} (Expressway needs the exact name)`;
        break;
      case 'named':
        cell = html`named on ${coverage.named} of ${coverage.peers} peer${coverage.peers === 1 ? '' : 's'}`;
        break;
    }
    return html`<tr><td class="mono" data-label="Domain">${domain}</td><td class="mono" data-label="SRV target">${host ?? '-'}</td><td data-label="In the certificate">${cell}</td></tr>`;
  });
  return html`<section class="names"><h3>Certificate names per local SIP domain</h3><div class="scroll"><table class="data"><thead><tr><th>Domain</th><th>SRV target</th><th>In the certificate</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** With --baseline: what changed since the earlier run, at the top, where a scheduled report is read first. */
function changesSection(result: RunResult): Markup | undefined {
  const headline = changesHeadline(result);
  if (headline === undefined) return undefined;
  const heading = `${headline.charAt(0).toUpperCase()}${headline.slice(1)}`;
  const changes = result.changes ?? [];
  if (changes.length === 0) return html`<section class="changes" data-changes="0"><h3>${heading}</h3></section>`;
  const rows = changes.map((change) => {
    const text = changeText(change);
    const status = change.kind === 'finding' && change.after !== null ? html`${badge(change.after.status)} ` : '';
    return html`<tr data-change-kind="${change.kind}"><td class="mono" data-label="Domain">${change.domain}</td><td data-label="What">${status}${text.label}</td><td class="mono" data-label="Subject">${change.subject}</td><td class="mono" data-label="Before">${text.before}</td><td class="mono" data-label="Now">${text.after}</td></tr>`;
  });
  return html`<section class="changes" data-changes="${changes.length}"><h3>${heading}</h3><div class="scroll"><table class="data"><thead><tr><th>Domain</th><th>What</th><th>Subject</th><th>Before</th><th>Now</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function title(result: RunResult): string {
  const domains = result.targets.map((target) => target.domain);
  const named = domains.length > 3 ? `${domains.slice(0, 3).join(', ')} and ${domains.length - 3} more` : domains.join(', ');
  return `fedcheck ${statusWord(result.status)}${named ? `: ${named}` : ''}`;
}

export function renderHtml(result: RunResult): string {
  return [...htmlChunks(result)].join('');
}

/** The document a target at a time: a batch of thousands of domains never exists as one string. */
export function* htmlChunks(result: RunResult): Generator<string> {
  const now = result.startedAt;
  yield html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="fedcheck ${result.tool.version}">
<title>${title(result)}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header class="run">
<div class="verdict"><p class="verdict-word ${statusClass(result.status)}" data-verdict="${result.status}">${statusWord(result.status)}</p>
<div><h1>SIP federation check of ${result.targets.length} domain${result.targets.length === 1 ? '' : 's'}</h1>${countChips(result.summary)}</div></div>
${runDetails(result)}
${changesSection(result)}
${targetsNav(result)}
</header>
<main>
`.html;
  for (const [index, target] of result.targets.entries()) yield targetSection(target, index, now).html;
  yield html`
${certificateNamesTable(result)}
</main>
<footer>fedcheck ${result.tool.version} · the JSON report (--json) of a run keeps every observation, and --replay re-judges it.</footer>
<script>${new Markup(SCRIPT)}</script>
</body>
</html>
`.html;
}
