import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import {
  cnameChain,
  describeOutcome,
  dnsOutcome,
  effectiveQuery,
  finalRecords,
  selectSrvRecord,
  sipFederationSrvName,
  tcpRetryRefused,
  wasSent,
} from '../model/dns.js';
import { RAISE_TIMEOUT_ADVICE, cutByDeadline, neverQueriedEnding } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { aliasChainText, askPartner, isPartner, plural, quotedList } from './shared/wording.js';
import { srvZoneLine, zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const MS_DIAGNOSTICS_1008 = 'ms-diagnostics: 1008;reason="Unable to resolve DNS SRV record"';

const meta = {
  id: 'srv-present',
  title: 'Federation SRV record exists',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule: '_sipfederationtls._tcp.<domain> has at least one SRV record on the external resolvers.',
  impact:
    'Without it, Microsoft edges cannot find where to send SIP federation traffic for the domain and reject ' +
    'every message to its users (ms-diagnostics 1008); for a partner domain, the Expressway-E DNS zone ' +
    'cannot route to the partner at all.',
  msDiagnostics: '1008;reason="Unable to resolve DNS SRV record"',
  source: 'Seed "DNS Summary" › External DNS Records (Table 3); DESIGN.md §2',
  remediation:
    'Publish one SRV record _sipfederationtls._tcp.<domain> (port 5061) pointing at the Expressway-E ' +
    'cluster FQDN, a name in the SIP domain with one A/AAAA record per Expressway-E peer.',
  codes: {
    pass: { status: 'pass', summary: 'The federation SRV name has SRV records.' },
    missing: { status: 'fail', summary: 'The federation SRV name does not exist (NXDOMAIN) or has no SRV record (NODATA).' },
    'lookup-failed': { status: 'error', summary: 'The resolvers failed (SERVFAIL, REFUSED, timeout…), so whether the record exists is unknown.' },
    'tcp-refused': {
      status: 'error',
      summary: 'The resolver answered over UDP with the truncated flag set, then refused the TCP retry: its TCP port is closed or filtered.',
    },
    aborted: { status: 'error', summary: "The run's --timeout expired before the question could be sent." },
    'cut-short': { status: 'error', summary: "The run's --timeout ran out while the resolver was being asked, before it answered." },
    'not-queried': { status: 'error', summary: 'The SRV name was never queried.' },
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  const srvName = sipFederationSrvName(target.domain);
  const attempts = target.dns.filter(
    (query) => query.name === srvName && query.type === 'SRV' && target.resolvers.includes(query.resolver),
  );
  const query = effectiveQuery(target, srvName, 'SRV');
  if (!query) {
    return [found.error('not-queried', srvName, `Could not determine whether ${srvName} has SRV records: it was never queried${neverQueriedEnding(target, 'the lookup')}`)];
  }
  const data = {
    resolver: query.resolver,
    outcome: dnsOutcome(query),
    attempts: attempts.map((attempt) => ({ resolver: attempt.resolver, outcome: dnsOutcome(attempt) })),
  };
  const ownerAliases = cnameChain(query);
  const aliasNote =
    ownerAliases.length > 0
      ? ` The SRV name is itself an alias (${aliasChainText(srvName, ownerAliases)}); resolvers follow it, and these are the alias target's records.`
      : '';
  const aliasData = { ownerAliases: ownerAliases.map((link) => ({ name: link.name, target: link.data })) };

  switch (data.outcome) {
    case 'answer': {
      const records = finalRecords(query, 'SRV');
      const selection = selectSrvRecord(records.map((record) => record.data));
      return [
        found.pass(
          'pass',
          srvName,
          `${srvName} has ${plural(records.length, 'SRV record')}: ${quotedList(records.map(zoneLine))}.${aliasNote}`,
          {
            data: {
              ...data,
              ...aliasData,
              records: records.map((record) => ({ owner: record.name, ttl: record.ttl, ...record.data })),
              selectedIndex: selection?.index,
            },
          },
        ),
      ];
    }
    case 'nxdomain':
    case 'nodata': {
      const consequence = isPartner(target)
        ? `${target.domain} publishes no SIP federation SRV record, so your Expressway-E cannot discover their federation edge and messages to ${target.domain} users fail.`
        : `Microsoft edges cannot find where to send SIP federation traffic for ${target.domain} and reject messages to its users with ${MS_DIAGNOSTICS_1008}.`;
      return [
        found.fail(
          'missing',
          srvName,
          `${srvName} ${describeOutcome(query)}.${aliasNote} ${consequence}`,
          missingSrvRemediation(target, srvName, ownerAliases[0] ? zoneLine(ownerAliases[0]) : undefined),
          { data: { ...data, ...aliasData } },
        ),
      ];
    }
    case 'aborted': {
      // The resolvers were not at fault: nothing says Microsoft's edges would fail to resolve it.
      const failed = attempts.filter((attempt) => !cutByDeadline(attempt));
      const before =
        failed.length > 0 ? ` Before that, ${failed.map((attempt) => `it ${describeOutcome(attempt)}`).join('; ')}.` : '';
      if (wasSent(query)) {
        return [
          found.error(
            'cut-short',
            srvName,
            `Could not determine whether ${srvName} has SRV records: the run's --timeout ran out ${Math.round(query.durationMs)} ms ` +
              `after the question was sent to ${query.resolver}${udpCopies(query.udpTries)}, before any answer came. That is all the time ` +
              `the question had, so it says nothing about the resolver or the zone.${before} ${RAISE_TIMEOUT_ADVICE}`,
            { data },
          ),
        ];
      }
      return [
        found.error(
          'aborted',
          srvName,
          `Could not determine whether ${srvName} has SRV records: ${query.resolver} was not asked, because the run's ` +
            `--timeout expired first.${before} ${RAISE_TIMEOUT_ADVICE}`,
          { data },
        ),
      ];
    }
    default:
      if (tcpRetryRefused(query)) {
        const consumer = isPartner(target) ? 'your Expressway-E' : "Microsoft's edges";
        return [
          found.error(
            'tcp-refused',
            srvName,
            `Could not determine whether ${srvName} has SRV records: ${attempts.map((attempt) => `it ${describeOutcome(attempt)}`).join('; ')}. ` +
              'Records that do not fit in UDP can only be fetched over TCP (RFC 7766), so wherever DNS over TCP is blocked like this they cannot be read. ' +
              `If ${query.resolver} is one of the domain's authoritative servers, every resolver on the Internet ` +
              `(and so ${consumer}) meets the same closed port for this answer.`,
            {
              data,
              remediation:
                `Allow DNS over TCP to ${query.resolver} (the same port as UDP) in its firewall and server configuration, as RFC 7766 requires; if it is ` +
                'only your own recursive resolver, run again with another --resolver to see what the Internet sees.',
            },
          ),
        ];
      }
      return [
        found.error(
          'lookup-failed',
          srvName,
          `Could not determine whether ${srvName} has SRV records: ${attempts.map((attempt) => `it ${describeOutcome(attempt)}`).join('; ')}. ` +
            'Check that the resolver answers for this domain (or give another with --resolver) and that the ' +
            `domain's authoritative servers respond; ${isPartner(target) ? 'your Expressway-E' : 'Microsoft edges'} resolving it now may fail the same way.`,
          { data },
        ),
      ];
  }
}

/** " (3 UDP queries)" when the question went out more than once, else "". */
function udpCopies(tries: number | undefined): string {
  return tries !== undefined && tries > 1 ? ` (${tries} UDP queries)` : '';
}

function missingSrvRemediation(target: TargetObservations, srvName: string, ownerAliasLine: string | undefined): string {
  const domain = target.domain;
  const record = srvZoneLine(srvName, { priority: 10, weight: 10, port: 5061, target: `sip.${domain}` });
  if (isPartner(target)) {
    const microsoft365 = srvZoneLine(srvName, { priority: 100, weight: 1, port: 5061, target: 'sipfed.online.lync.com' });
    return askPartner(
      domain,
      `publish "${record}" pointing at their Skype for Business / Lync Edge (a Microsoft 365 tenant publishes "${microsoft365}").`,
    );
  }
  const action = ownerAliasLine ? `Replace "${ownerAliasLine}" with "${record}"` : `Create "${record}"`;
  return (
    `${action} pointing at your Expressway-E cluster FQDN (sip.${domain} here: a name directly in ${domain}, ` +
    'with one A/AAAA record for each Expressway-E peer).'
  );
}

export const check: Check = { meta, run };
