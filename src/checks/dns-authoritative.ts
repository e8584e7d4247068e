import type { Finding } from '../model/findings.js';
import type { DnsQueryObservation, DnsRecord, TargetObservations } from '../model/observations.js';
import {
  agreementGroups,
  readAuthoritativeServer,
  serverQuery,
  type AuthoritativeObservations,
  type AuthoritativeServerReading,
  type LameReason,
} from '../model/authoritative.js';
import { describeOutcome, effectiveQuery, finalRecords, wasSent } from '../model/dns.js';
import { RAISE_TIMEOUT_ADVICE, cutByDeadline } from './shared/deadline.js';
import { SRV_PREREQUISITE_CODES, federationSrv } from './shared/srv.js';
import { findingBuilder } from './shared/findings.js';
import { askPartner, capitalised, isPartner, listOf, plural, quotedList } from './shared/wording.js';
import { zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const ZONEMASTER =
  'Zonemaster test cases CONSISTENCY01 (SOA serial), CONSISTENCY04 (NS set), BASIC02 and DELEGATION04 ' +
  '(lame delegation: every listed name server answers authoritatively); fedcheck also compares the SRV record and its target\'s addresses';

const meta = {
  id: 'dns-authoritative',
  title: 'Every authoritative server gives the same federation records',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    "Every name server of the zone holding _sipfederationtls._tcp.<domain>, asked directly, answers authoritatively " +
    '(AA) with the same SRV record set and the same addresses for the target Microsoft selects. Differing SOA serials ' +
    'with equal federation records, or a name server that does not answer, are warnings; when none answers from ' +
    'here the check is skipped. For partners this is information only.',
  impact:
    "Each Microsoft edge resolves through its own resolver, which asks any one of the zone's name servers. A stale " +
    "secondary still handing out last year's SRV target, or a lame server that answers REFUSED or without authority, " +
    'makes federation work from some Microsoft 365 tenants and fail from others, while a check through one resolver passes.',
  source: `${ZONEMASTER}; RFC 1034 §4.3.1 and RFC 1996 (secondaries follow the primary's serial); DESIGN.md §2`,
  remediation:
    'Make every server in the NS set serve the current zone: fix zone transfers to a stale secondary (NOTIFY, ' +
    'AXFR/IXFR, refresh) or remove a server that no longer serves the zone from the NS records and the delegation.',
  codes: {
    consistent: { status: 'pass', summary: 'Every authoritative server answers authoritatively with the same SRV record and target addresses.' },
    lame: { status: 'fail', summary: 'A listed name server answers REFUSED, SERVFAIL or without the AA bit: it does not serve the zone.' },
    'srv-differs': { status: 'fail', summary: "The authoritative servers answer with different SRV records (a stale copy of the zone)." },
    'addresses-differ': { status: 'fail', summary: "The authoritative servers give different addresses for the SRV target." },
    'serial-differs': { status: 'warn', summary: 'The SOA serials differ although the federation records agree: a secondary lags behind.' },
    unreachable: { status: 'warn', summary: 'A name server did not answer (timeout or refused connection).' },
    unresolvable: { status: 'warn', summary: 'A name in the NS set has no address.' },
    'no-route': { status: 'info', summary: 'This machine has no route to a name server address (often IPv6): it was not compared.' },
    'partner-lame': { status: 'info', summary: "A partner's name server does not serve its zone: the partner's to fix." },
    'partner-srv-differs': { status: 'info', summary: "A partner's name servers give different SRV records: the partner's to fix." },
    'partner-addresses-differ': { status: 'info', summary: "A partner's name servers give different target addresses: the partner's to fix." },
    'partner-serial-differs': { status: 'info', summary: "A partner's name servers have different serials: the partner's to fix." },
    'partner-unreachable': { status: 'info', summary: "A partner's name server did not answer: the partner's to fix." },
    'partner-unresolvable': { status: 'info', summary: "A name in a partner's NS set has no address: the partner's to fix." },
    'none-reachable': { status: 'skip', summary: 'No authoritative server answered from this machine (outbound DNS is often blocked).' },
    'not-asked': { status: 'skip', summary: "The run's --timeout expired before any name server was asked or had answered." },
    'cut-short': { status: 'info', summary: "The run's --timeout ended the questions to a name server before it answered: it was not compared." },
    'no-zone': { status: 'skip', summary: 'The resolvers did not show which zone holds the SRV record.' },
    'no-name-servers': { status: 'skip', summary: 'The resolvers returned no NS records for the zone.' },
    'not-gathered': { status: 'skip', summary: 'The observations hold no authoritative answers (a report from an earlier fedcheck).' },
    ...SRV_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);
const VERDICT_STANDING_CODES = new Set([`${meta.id}.no-route`, `${meta.id}.cut-short`]);

function run({ target }: CheckContext): Finding[] {
  const observations = target.authoritative;
  if (!observations) {
    return [found.skip('not-gathered', target.domain, 'Not checked: these observations hold no answers from the authoritative servers (they come from a fedcheck without this check).')];
  }
  const { name, zone } = observations;
  if (zone === undefined) {
    const asked = [...target.dns].reverse().find((query) => query.type === 'SOA' && target.resolvers.includes(query.resolver));
    const why = asked ? ` (the last SOA question: ${asked.name} ${describeOutcome(asked)})` : '';
    return [found.skip('no-zone', name, `Not checked: the resolvers did not show which zone holds ${name}${why}.${timeoutAdvice(target)}`)];
  }
  if (observations.nameServers.length === 0) {
    const nsQuery = effectiveQuery(target, zone, 'NS');
    const why = nsQuery ? `: ${zone} NS ${describeOutcome(nsQuery)}` : '';
    return [found.skip('no-name-servers', zone, `Not checked: the resolvers returned no NS records for ${zone}${why}.${timeoutAdvice(target)}`)];
  }

  const partner = isPartner(target);
  const readings = observations.servers.map((server) => readAuthoritativeServer(observations, server));
  const responded = readings.filter((reading) => reading.state === 'answered' || reading.state === 'lame');
  const findings: Finding[] = unresolvableNameServers(target, observations, partner);
  if (responded.length === 0) {
    if (readings.length > 0 && readings.every(endedByDeadline)) {
      const waited = readings.filter((reading) => reading.state === 'cut-short');
      const how =
        waited.length === 0
          ? 'before the name servers of ' + zone + ' were asked'
          : `while waiting for the name servers of ${zone} (${listOf(waited.map(cutShortText))})`;
      return [...findings, found.skip('not-asked', zone, `Not checked: the run's --timeout expired ${how}. ${RAISE_TIMEOUT_ADVICE}`)];
    }
    const listed = readings.map((reading) => `${label(reading)}: ${reading.unanswered[0]?.error?.message ?? 'no answer'}`);
    return [
      ...findings,
      found.skip(
        'none-reachable',
        zone,
        `Not checked: none of the name servers of ${zone} answered from this machine (${listed.join('; ') || 'none has an address'}). ` +
          'Outbound DNS (port 53) to the Internet is often blocked from inside a network; run fedcheck where it is allowed to compare the servers.',
        { data: { servers: readings.map(summary) } },
      ),
    ];
  }

  const answered = readings.filter((reading) => reading.state === 'answered');
  const primary = primaryName(observations, answered);
  findings.push(...readings.filter((reading) => reading.state === 'lame').map((reading) => lameFinding(target, observations, reading, primary)));
  for (const reading of readings.filter((entry) => entry.state === 'unreachable')) findings.push(unreachableFinding(target, observations, reading));
  for (const reading of readings.filter((entry) => entry.state === 'answered' && entry.unanswered.some((query) => query.error?.class !== 'aborted'))) {
    findings.push(unreachableFinding(target, observations, reading));
  }
  for (const reading of readings.filter((entry) => entry.state !== 'not-asked' && entry.unanswered.some(cutShort))) {
    findings.push(cutShortFinding(observations, reading));
  }

  const srvGroups = agreementGroups(answered, 'srv');
  const addressGroups = agreementGroups(answered, 'addresses');
  const serials = [...new Set(answered.map((reading) => reading.serial).filter((serial) => serial !== undefined))];
  const data = { zone, servers: readings.map(summary) };
  if (srvGroups.length > 1) {
    findings.push(differsFinding(target, observations, 'srv', srvGroups, primary, data));
  } else if (addressGroups.length > 1) {
    findings.push(differsFinding(target, observations, 'addresses', addressGroups, primary, data));
  } else if (serials.length > 1) {
    findings.push(serialFinding(target, observations, answered, primary, data));
  }
  // Only a server this machine cannot route to, or one the run's own deadline cut short, leaves the
  // verdict standing: everything else found is a problem.
  if (!findings.every((finding) => VERDICT_STANDING_CODES.has(finding.code))) return findings;
  // Servers that agree there is no SRV record say nothing about the federation records: srv-present has it.
  const srv = federationSrv(target);
  if (!srv.met) {
    findings.push(found.skip(srv.variant, srv.subject, srv.reason));
  } else {
    findings.push(
      found.pass(
        'consistent',
        zone,
        `${capitalised(plural(answered.length, 'authoritative server'))} of ${zone} (${listOf(answered.map(label))}) ` +
          `answer authoritatively with the same SRV record (${srvText(answered[0])})` +
          `${observations.targetHost ? ` and the same addresses of ${observations.targetHost}` : ''}` +
          `${serials.length === 1 ? `, serial ${serials[0]}` : ''}: every Microsoft edge gets the same answer.`,
        { data },
      ),
    );
  }
  return findings;
}

function endedByDeadline(reading: AuthoritativeServerReading): boolean {
  return reading.state === 'not-asked' || reading.state === 'cut-short';
}

/** A question that was sent and then ended by the run's deadline, not by the server. */
function cutShort(query: DnsQueryObservation): boolean {
  return cutByDeadline(query) && wasSent(query);
}

/** "ns5.example.com (192.0.2.5): SOA, SRV unanswered after 1500 ms" */
function cutShortText(reading: AuthoritativeServerReading): string {
  const questions = reading.unanswered.filter(cutShort);
  const waited = Math.round(Math.max(...questions.map((query) => query.durationMs)));
  return `${label(reading)}: ${listOf(questions.map((query) => `${query.name} ${query.type}`))} unanswered after ${waited} ms`;
}

function cutShortFinding(observations: AuthoritativeObservations, reading: AuthoritativeServerReading): Finding {
  return found.info(
    'cut-short',
    reading.server.endpoint,
    `${cutShortText(reading)} when the run's --timeout ran out, so its copy of ${observations.zone} was not compared. ` +
      `This says nothing about the server. ${RAISE_TIMEOUT_ADVICE}`,
    { data: summary(reading) },
  );
}

/** "ns2.example.com (192.0.2.2)" */
function label(reading: AuthoritativeServerReading): string {
  const names = reading.server.nameServers.length > 0 ? reading.server.nameServers.join('/') : 'a name server';
  return `${names} (${reading.server.address})`;
}

function summary(reading: AuthoritativeServerReading): Record<string, unknown> {
  return {
    nameServers: reading.server.nameServers,
    address: reading.server.address,
    state: reading.state,
    ...(reading.lame ? { lame: reading.lame.reason, lameQuestion: `${reading.lame.query.name} ${reading.lame.query.type}` } : {}),
    ...(reading.serial !== undefined ? { serial: reading.serial } : {}),
    ...(reading.srv ? { srv: reading.srv } : {}),
    ...(reading.addresses ? { addresses: reading.addresses } : {}),
  };
}

function timeoutAdvice(target: TargetObservations): string {
  return target.deadlineExceeded ? ` The run's --timeout expired while gathering. ${RAISE_TIMEOUT_ADVICE}` : '';
}

/** The zone's NS record naming a server, as a zone-file line for "remove it" advice. */
function nsLines(target: TargetObservations, zone: string, names: readonly string[]): string[] {
  const nsQuery = effectiveQuery(target, zone, 'NS');
  const records = nsQuery ? finalRecords(nsQuery, 'NS').filter((record) => names.includes(record.data)) : [];
  return records.length > 0 ? records.map(zoneLine) : names.map((name) => `${zone}. 3600 IN NS ${name}.`);
}

/** The primary the secondaries transfer from, as the SOA names it (MNAME). */
function primaryName(observations: AuthoritativeObservations, readings: readonly AuthoritativeServerReading[]): string | undefined {
  for (const reading of readings) {
    const soa = serverQuery(reading.server, observations.zone ?? '', 'SOA');
    const record = soa?.answers.find((answer): answer is Extract<DnsRecord, { type: 'SOA' }> => answer.type === 'SOA');
    if (record) return record.data.mname;
  }
  return undefined;
}

function fixFor(target: TargetObservations, action: string): string {
  return isPartner(target) ? askPartner(target.domain, action) : capitalised(action);
}

const LAME_WHY: Record<LameReason, (query: DnsQueryObservation) => string> = {
  refused: () => 'answered REFUSED: it does not serve the zone',
  servfail: () => 'answered SERVFAIL: it lists the zone but cannot serve it (a zone that failed to load or expired on a secondary)',
  'not-authoritative': (query) =>
    query.authorities.some((record) => record.type === 'NS')
      ? 'answered with a referral instead of the data (no AA bit): it does not hold the zone itself'
      : 'answered without the AA bit: it is a resolver or cache, not an authoritative server for the zone',
  'other-rcode': (query) => `answered ${query.rcode}`,
};

function lameFinding(
  target: TargetObservations,
  observations: AuthoritativeObservations,
  reading: AuthoritativeServerReading,
  primary: string | undefined,
): Finding {
  const zone = observations.zone!;
  const lame = reading.lame!;
  const message =
    `${label(reading)}, listed in the NS records of ${zone}, ${LAME_WHY[lame.reason](lame.query)} (asked ${lame.query.name} ` +
    `${lame.query.type} directly). A Microsoft edge whose resolver picks this server gets no usable answer for ${observations.name}: ` +
    'its resolver retries another server after a delay or gives up (SERVFAIL), so federation with this domain fails from some Microsoft tenants and works from others.';
  const source = primary ? ` from the primary ${primary}` : '';
  const remediation = fixFor(
    target,
    `make ${reading.server.nameServers.join('/') || reading.server.address} serve ${zone} (load it as a secondary that transfers the zone${source}), ` +
      `or remove ${quotedList(nsLines(target, zone, reading.server.nameServers))} from the zone and from the delegation at the registrar.`,
  );
  const details = { data: summary(reading) };
  return isPartner(target)
    ? found.info('partner-lame', reading.server.endpoint, message, { ...details, remediation })
    : found.fail('lame', reading.server.endpoint, message, remediation, details);
}

function unreachableFinding(target: TargetObservations, observations: AuthoritativeObservations, reading: AuthoritativeServerReading): Finding {
  const zone = observations.zone!;
  const failed = reading.unanswered.filter((query) => query.error?.class !== 'aborted');
  if (reading.state === 'unreachable' && failed.every((query) => query.error?.class === 'unreachable')) {
    return found.info(
      'no-route',
      reading.server.endpoint,
      `${label(reading)} could not be asked: this machine has no route to ${reading.server.address} (${failed[0]?.error?.message ?? 'unreachable'}), ` +
        'so its answers were not compared. Run fedcheck from a network with that address family to include it.',
      { data: summary(reading) },
    );
  }
  const what =
    reading.state === 'unreachable'
      ? `did not answer any question (${failed[0]?.error?.message ?? 'no response'})`
      : `answered some questions but not ${listOf(failed.map((query) => `${query.name} ${query.type}`))} (${failed[0]?.error?.message ?? 'no response'})`;
  const message =
    `${label(reading)}, listed in the NS records of ${zone}, ${what}. Resolvers that pick it wait for the timeout before trying ` +
    'another server, which slows or breaks the lookups of Microsoft edges, and its copy of the federation records could not be compared.';
  const remediation = fixFor(
    target,
    `make ${reading.server.address} answer DNS on UDP and TCP port 53 from the Internet, or, if the server is retired, remove ` +
      `${quotedList(nsLines(target, zone, reading.server.nameServers))} from the zone and from the delegation at the registrar.`,
  );
  const details = { data: summary(reading) };
  return isPartner(target)
    ? found.info('partner-unreachable', reading.server.endpoint, message, { ...details, remediation })
    : found.warn('unreachable', reading.server.endpoint, message, remediation, details);
}

/** NS names the resolvers definitively found no address for. */
function unresolvableNameServers(target: TargetObservations, observations: AuthoritativeObservations, partner: boolean): Finding[] {
  const zone = observations.zone!;
  const withAddress = new Set(observations.servers.flatMap((server) => server.nameServers));
  return observations.nameServers
    .filter((name) => !withAddress.has(name))
    .flatMap((name) => {
      const lookups = (['A', 'AAAA'] as const).map((type) => effectiveQuery(target, name, type));
      if (lookups.some((query) => !query || (query.rcode !== 'NXDOMAIN' && query.rcode !== 'NOERROR'))) return [];
      const message =
        `${name}, listed in the NS records of ${zone}, has no address (${lookups.map((query) => `${query!.type} ${describeOutcome(query!)}`).join('; ')}). ` +
        'Resolvers cannot ask it; if it is the only server they try, the lookup fails.';
      const remediation = fixFor(target, `give ${name} its A/AAAA records, or remove ${quotedList(nsLines(target, zone, [name]))} from the zone and from the delegation at the registrar.`);
      return [
        partner
          ? found.info('partner-unresolvable', name, message, { remediation })
          : found.warn('unresolvable', name, message, remediation),
      ];
    });
}

/** The SRV answer in a few words: "10 10 5061 sip.example.com", or "NXDOMAIN" / "NODATA". */
function srvText(reading: AuthoritativeServerReading | undefined): string {
  return (reading?.srv ?? []).map((line) => line.replace(/^\S+ SRV /, '').replace(/^SRV /, '')).join(', ') || 'none';
}

function answerText(reading: AuthoritativeServerReading, answer: 'srv' | 'addresses'): string {
  return answer === 'srv' ? srvText(reading) : (reading.addresses ?? []).map((line) => line.replace(/^\S+ /, '')).join(', ');
}

function differsFinding(
  target: TargetObservations,
  observations: AuthoritativeObservations,
  answer: 'srv' | 'addresses',
  groups: AuthoritativeServerReading[][],
  primary: string | undefined,
  data: Record<string, unknown>,
): Finding {
  const zone = observations.zone!;
  // The copy with the highest serial is the current one; the others are behind (RFC 1996).
  const highest = (group: readonly AuthoritativeServerReading[]): number => Math.max(...group.map((reading) => reading.serial ?? -1));
  const ordered = [...groups].sort((a, b) => highest(b) - highest(a) || b.length - a.length);
  const [current, ...stale] = ordered as [AuthoritativeServerReading[], ...AuthoritativeServerReading[][]];
  const describe = (group: readonly AuthoritativeServerReading[]): string =>
    `${listOf(group.map((reading) => `${label(reading)}${reading.serial !== undefined ? ` serial ${reading.serial}` : ''}`))} ` +
    `${group.length === 1 ? 'answers' : 'answer'} ${answerText(group[0]!, answer)}`;
  const subject = answer === 'srv' ? observations.name : (observations.targetHost ?? zone);
  const what = answer === 'srv' ? `the SRV record ${observations.name}` : `the addresses of ${observations.targetHost}`;
  const message =
    `The authoritative servers of ${zone} disagree about ${what}: ${ordered.map(describe).join('; ')}. Each Microsoft edge's ` +
    'resolver asks one of them, so some Microsoft tenants federate with one answer and others with the other: federation ' +
    'works for some and fails for others, while a check through one resolver looks fine.';
  const staleServers = stale.flat();
  const currentLines = currentRecordLines(observations, current[0]!, answer);
  const action =
    `bring ${listOf(staleServers.map(label))} up to date: ${staleServers.length === 1 ? 'its copy is' : 'their copies are'} behind ` +
    `(lower serial than ${current[0]!.serial ?? 'the current copy'}${primary ? `, from the primary ${primary}` : ''}). Check that ` +
    `${staleServers.length === 1 ? 'it is' : 'they are'} configured as secondary of the primary, that the primary allows the zone transfer (AXFR/IXFR) ` +
    `and sends NOTIFY, then reload; or remove ${quotedList(nsLines(target, zone, staleServers.flatMap((reading) => reading.server.nameServers)))} ` +
    `from the zone and the delegation. Afterwards every server must answer ${quotedList(currentLines)}.`;
  const remediation = fixFor(target, action);
  if (isPartner(target)) {
    return found.info(answer === 'srv' ? 'partner-srv-differs' : 'partner-addresses-differ', subject, message, { data, remediation });
  }
  return found.fail(answer === 'srv' ? 'srv-differs' : 'addresses-differ', subject, message, remediation, { data });
}

function currentRecordLines(observations: AuthoritativeObservations, reading: AuthoritativeServerReading, answer: 'srv' | 'addresses'): string[] {
  if (answer === 'srv') {
    const query = serverQuery(reading.server, observations.name, 'SRV');
    return query ? finalRecords(query, 'SRV').map(zoneLine) : [];
  }
  const host = observations.targetHost ?? '';
  return (['A', 'AAAA'] as const).flatMap((type) => {
    const query = serverQuery(reading.server, host, type);
    return query ? finalRecords(query, type).map(zoneLine) : [];
  });
}

function serialFinding(
  target: TargetObservations,
  observations: AuthoritativeObservations,
  answered: readonly AuthoritativeServerReading[],
  primary: string | undefined,
  data: Record<string, unknown>,
): Finding {
  const zone = observations.zone!;
  const newest = Math.max(...answered.map((reading) => reading.serial ?? -1));
  const behind = answered.filter((reading) => reading.serial !== undefined && reading.serial < newest);
  const message =
    `The authoritative servers of ${zone} agree on the federation records, but not on the SOA serial: ` +
    `${answered.map((reading) => `${label(reading)} has ${reading.serial ?? 'no serial'}`).join(', ')}. ` +
    `${listOf(behind.map(label))} ${behind.length === 1 ? 'has' : 'have'} not picked up the latest change; the next change ` +
    'to the SRV record or its target\'s addresses would reach only some Microsoft edges.';
  const remediation = fixFor(
    target,
    `make ${listOf(behind.map(label))} transfer ${zone} at serial ${newest}${primary ? ` from the primary ${primary}` : ''}: check the ` +
      'secondary configuration, that the primary allows the transfer (AXFR/IXFR) and sends NOTIFY, and the SOA refresh interval.',
  );
  return isPartner(target)
    ? found.info('partner-serial-differs', zone, message, { data, remediation })
    : found.warn('serial-differs', zone, message, remediation, { data });
}

export const check: Check = { meta, run };
