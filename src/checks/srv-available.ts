import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { findingBuilder } from './shared/findings.js';
import { canonicalName } from '../model/dns.js';
import { SRV_PREREQUISITE_CODES, judgeFederationSrv, selectedRecordsPhrase, srvRecordChange, type FederationSrv } from './shared/srv.js';
import { askPartner, capitalised, isPartner, listOf, quotedList } from './shared/wording.js';
import { zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'srv-available',
  title: 'SRV record does not declare the service unavailable',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule: 'Every SRV record Microsoft may select (the one it selects, or each record tied for first place) has a real target, not "." (RFC 2782: service decidedly not available at this domain).',
  impact:
    'A "." target tells every SIP peer, Microsoft edges included, that the domain does not federate: ' +
    'nobody connects, and messages to its users are rejected.',
  source: 'RFC 2782 (Target "."); DESIGN.md §2',
  remediation: 'Replace the "." record with one pointing at the Expressway-E cluster FQDN on port 5061.',
  codes: {
    pass: { status: 'pass', summary: 'Every SRV record Microsoft may select points at a host.' },
    unavailable: { status: 'fail', summary: 'An SRV record Microsoft may select has target ".": the service is declared not available.' },
    ...SRV_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  return judgeFederationSrv(target, found, (srv) => judgeSelectedRecords(target, srv));
}

function judgeSelectedRecords(target: TargetObservations, srv: FederationSrv): Finding[] {
  const { srvName, selected } = srv;
  const unavailable = selected.filter((record) => canonicalName(record.data.target) === '.');
  const first = selected[0]!;
  // record, target and port name the first selected record (in Microsoft's order); records lists every tied one.
  const data = {
    record: zoneLine(first),
    selectedIndex: 0,
    target: canonicalName(first.data.target),
    port: first.data.port,
    ...(srv.selection.tie ? { records: selected.map(zoneLine) } : {}),
  };
  const lines = selectedRecordsPhrase(selected, srv);
  if (unavailable.length === 0) {
    const where = srv.targets.map(({ host, records }) => `${host} port ${listOf(records.map((record) => String(record.data.port)))}`);
    return [found.pass('pass', srvName, `${lines} ${selected.length === 1 ? 'points' : 'point'} at ${listOf(where)}.`, { data })];
  }
  const dot = unavailable[0]!;
  const consequence = isPartner(target)
    ? `${target.domain} declares it does not federate, so your Expressway-E will not route messages to it.`
    : `Microsoft edges take that as "${target.domain} does not federate" and never connect to your Expressway-E.`;
  const tie =
    selected.length > unavailable.length
      ? ` It ties with ${quotedList(selected.filter((record) => !unavailable.includes(record)).map(zoneLine))}, so whenever the resolver returns it first, Microsoft takes it.`
      : '';
  const replacement = { priority: 10, weight: 10, port: 5061, target: `sip.${target.domain}` };
  const change = srvRecordChange(srv, dot, replacement);
  const remediation = isPartner(target)
    ? askPartner(target.domain, `${change} pointing at their edge, if they mean to federate.`)
    : `${capitalised(change)} pointing at your Expressway-E cluster FQDN (sip.${target.domain} here).`;
  return [
    found.fail(
      'unavailable',
      srvName,
      `${selectedRecordsPhrase([dot], srv)} has target ".": by RFC 2782 the service is decidedly not available at ${target.domain}.${tie} ${consequence}`,
      remediation,
      { data },
    ),
  ];
}

export const check: Check = { meta, run };
