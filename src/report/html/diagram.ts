// The path a federation message takes, drawn as a row of hops (a column on a phone): who looks
// the domain up, the SRV records (the one Microsoft selects marked, the others greyed), the
// selected target and its addresses, each TLS peer with its protocol and certificate, and the
// IM and Presence listener where one is configured. Each hop is coloured by the worst finding
// about it.
import type { Finding, Status, TargetResult } from '../../model/findings.js';
import type { TlsProbeObservation } from '../../model/observations.js';
import {
  describeOutcome,
  effectiveQuery,
  finalRecords,
  lookupAddresses,
  sipFederationSrvName,
  targetSrvSelection,
} from '../../model/dns.js';
import { peerEndpoint } from '../../model/ip.js';
import { microsoft365Cloud } from '../../model/microsoft365.js';
import { daysLeft, daysText, leafCertificate, probeFailure, probeNotes, probesFor, statusOf, statusWord } from '../facts.js';
import { html, type Markup, type Piece } from './markup.js';

/** The class that colours an element by status; 'none' for a hop no finding is about. */
export function statusClass(status: Status | undefined): string {
  return `s-${status ?? 'none'}`;
}

function hop(kind: string, status: Status | undefined, body: Piece, extraClass = ''): Markup {
  const state = status ? html`<span class="hop-state">${status === 'skip' ? 'NOT RUN' : statusWord(status)}</span>` : '';
  return html`<li class="hop ${statusClass(status)}${extraClass}"><span class="hop-kind">${kind} ${state}</span>${body}</li>`;
}

/**
 * The colour of a hop: its worst finding, information aside (a note about a hop that works
 * must not look like a problem), unless information is all there is.
 */
function hopStatus(findings: readonly Finding[], isAbout: (finding: Finding) => boolean): Status | undefined {
  return statusOf(findings, (finding) => isAbout(finding) && finding.status !== 'info') ?? statusOf(findings, isAbout);
}

function about(findings: readonly Finding[], subject: string): Status | undefined {
  return hopStatus(findings, (finding) => finding.subject === subject);
}

function peerItem(probe: TlsProbeObservation, findings: readonly Finding[], now: string): Markup {
  const label = peerEndpoint(probe);
  const status = about(findings, label);
  const failure = probeFailure(probe);
  if (failure) {
    return html`<li class="peer ${statusClass(status ?? (failure.undetermined ? 'skip' : 'fail'))}" data-peer="${label}"><span class="mono">${label}</span><em>${failure.text}</em></li>`;
  }
  const leaf = leafCertificate(probe);
  const notes = probeNotes(probe);
  const sip = probe.sipOptions;
  if (sip?.statusLine) notes.push(`SIP OPTIONS: ${sip.statusLine}${sip.server ? ` (Server: ${sip.server})` : ''}`);
  else if (sip && sip.outcome !== 'response') notes.push(`SIP OPTIONS: ${sip.outcome}`);
  return html`<li class="peer ${statusClass(status)}" data-peer="${label}"><span class="mono">${label}</span>
<span class="facts"><span>${probe.handshake?.protocol ?? 'no TLS version'}</span><span>${leaf ? daysText(daysLeft(leaf.notAfter, now)) : 'no certificate'}</span><span>${probe.trust?.verdict ?? 'trust unknown'}</span></span>
${leaf ? html`<em>CN ${leaf.subjectCN ?? leaf.subject}</em>` : ''}${notes.length > 0 ? html`<em>${notes.join('; ')}</em>` : ''}</li>`;
}

function srvHop(target: TargetResult): Markup {
  const observations = target.observations;
  const name = sipFederationSrvName(observations.domain);
  const query = effectiveQuery(observations, name, 'SRV');
  const status = about(target.findings, name);
  const heading = html`<span class="name mono">${name}</span>`;
  if (!query) return hop('SRV record', status, html`${heading}<p class="hop-detail">not queried</p>`);
  const records = finalRecords(query, 'SRV');
  const selection = targetSrvSelection(observations);
  const asked = html`<p class="hop-detail">asked ${query.resolver}</p>`;
  if (!selection || records.length === 0) return hop('SRV record', status, html`${heading}<p class="hop-detail">${describeOutcome(query)}</p>`);
  const items = records.map((record, index) => {
    const selected = index === selection.index;
    const cloud = selected ? microsoft365Cloud(record.data.target) : undefined;
    const note = selected
      ? `selected: ${selection.reason}${record.data.target === '.' ? '; "." means not available' : ''}${cloud ? `; hosted by ${cloud}` : ''}`
      : 'never used by Microsoft edges (no failover)';
    return html`<li class="record ${selected ? 'selected' : 'unused'}"><span class="mono">${record.data.priority} ${record.data.weight} ${record.data.port} ${record.data.target}</span><em>${note}</em></li>`;
  });
  return hop('SRV records', status, html`${heading}<ul>${items}</ul>${asked}`);
}

function targetHop(target: TargetResult, host: string | undefined): Markup {
  if (host === undefined) return hop('Target', undefined, html`<p class="hop-detail">not reached: no usable SRV record</p>`, ' unreached');
  const observations = target.observations;
  const lines: Markup[] = [];
  for (const type of ['A', 'AAAA'] as const) {
    const lookup = lookupAddresses(observations, host, type);
    for (const alias of lookup.aliases) lines.push(html`<li class="mono">CNAME ${alias.data}</li>`);
    for (const address of lookup.addresses) lines.push(html`<li class="mono">${type} ${address}</li>`);
  }
  const body = lines.length > 0 ? html`<ul>${lines}</ul>` : html`<p class="hop-detail">no addresses</p>`;
  return hop('Target', about(target.findings, host), html`<span class="name mono">${host}</span>${body}`);
}

function peersHop(target: TargetResult, host: string | undefined, now: string): Markup {
  const probes = probesFor(target, 'federation');
  const partnerKind = host && microsoft365Cloud(host) ? 'Microsoft 365 edge' : 'Partner edge peers';
  const kind = target.role === 'local' ? 'Expressway-E peers' : partnerKind;
  if (probes.length === 0) {
    const why = target.observations.deadlineExceeded ? 'not probed: the run deadline expired first' : 'not reached: no address to connect to';
    return hop(kind, undefined, html`<p class="hop-detail">${why}</p>`, ' unreached');
  }
  const status = hopStatus(target.findings, (finding) => probes.some((probe) => peerEndpoint(probe) === finding.subject));
  return hop(kind, status, html`<ul>${probes.map((probe) => peerItem(probe, target.findings, now))}</ul>`);
}

function impHop(target: TargetResult, now: string): Markup | undefined {
  const probes = probesFor(target, 'imp');
  const imp = target.observations.imp;
  if (!imp && probes.length === 0) return undefined;
  const status = hopStatus(target.findings, (finding) => finding.check.startsWith('imp-'));
  const fqdn = imp?.fqdn ?? probes[0]?.host ?? '';
  const port = imp?.port ?? probes[0]?.port;
  const peers = probes.length > 0 ? html`<ul>${probes.map((probe) => peerItem(probe, target.findings, now))}</ul>` : html`<p class="hop-detail">not probed</p>`;
  return hop('IM and Presence', status, html`<span class="name mono">${fqdn}</span><p class="hop-detail">via the Expressway-C, port ${port ?? '?'}</p>${peers}`);
}

export function pathDiagram(target: TargetResult, now: string): Markup {
  const selected = targetSrvSelection(target.observations)?.selected.target;
  const host = selected !== undefined && selected !== '.' ? selected : undefined;
  const origin =
    target.role === 'local'
      ? hop('Microsoft edge', undefined, html`<p class="hop-detail">looks up ${target.domain}'s federation SRV record</p>`)
      : hop('Your Expressway-E', undefined, html`<p class="hop-detail">looks up the partner's federation SRV record</p>`);
  const hops = [origin, srvHop(target), targetHop(target, host), peersHop(target, host, now), impHop(target, now)];
  return html`<figure class="path" aria-label="The path a federation message takes">
<ol class="hops">${hops}</ol>
<figcaption class="legend"><span class="s-fail">fail or error</span><span class="s-warn">warning</span><span class="s-pass">pass</span><span class="s-info">information</span><span class="s-skip">not run</span><span class="unused-sample">SRV record Microsoft never uses</span></figcaption>
</figure>`;
}
