import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { findingBuilder } from './shared/findings.js';
import { SRV_PREREQUISITE_CODES, judgeFederationSrv, type FederationSrv } from './shared/srv.js';
import { askPartner, isPartner } from './shared/wording.js';
import { srvZoneLine, zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'srv-available',
  title: 'SRV record does not declare the service unavailable',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule: 'The SRV record Microsoft selects has a real target, not "." (RFC 2782: service decidedly not available at this domain).',
  impact:
    'A "." target tells every SIP peer, Microsoft edges included, that the domain does not federate: ' +
    'nobody connects, and messages to its users are rejected.',
  source: 'RFC 2782 (Target "."); DESIGN.md §2',
  remediation: 'Replace the "." record with one pointing at the Expressway-E cluster FQDN on port 5061.',
  codes: {
    pass: { status: 'pass', summary: 'The selected SRV record points at a host.' },
    unavailable: { status: 'fail', summary: 'The selected SRV record has target ".": the service is declared not available.' },
    ...SRV_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  return judgeFederationSrv(target, found, (srv) => judgeSelectedRecord(target, srv));
}

function judgeSelectedRecord(target: TargetObservations, { srvName, selectedRecord, selection, host, port }: FederationSrv): Finding[] {
  const line = zoneLine(selectedRecord);
  const data = { record: line, selectedIndex: selection.index, target: host, port };
  if (host !== '.') {
    return [found.pass('pass', srvName, `The SRV record Microsoft selects, "${line}", points at ${host} port ${port}.`, { data })];
  }
  const consequence = isPartner(target)
    ? `${target.domain} declares it does not federate, so your Expressway-E will not route messages to it.`
    : `Microsoft edges take that as "${target.domain} does not federate" and never connect to your Expressway-E.`;
  const replacement = srvZoneLine(
    selectedRecord.name,
    { priority: 10, weight: 10, port: 5061, target: `sip.${target.domain}` },
    selectedRecord.ttl,
  );
  const remediation = isPartner(target)
    ? askPartner(target.domain, `replace "${line}" with a record pointing at their edge, such as "${replacement}", if they mean to federate.`)
    : `Replace "${line}" with "${replacement}" pointing at your Expressway-E cluster FQDN (sip.${target.domain} here).`;
  return [
    found.fail(
      'unavailable',
      srvName,
      `The SRV record Microsoft selects, "${line}", has target ".": by RFC 2782 the service is decidedly not available at ${target.domain}. ${consequence}`,
      remediation,
      { data },
    ),
  ];
}

export const check: Check = { meta, run };
