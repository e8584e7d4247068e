import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { findingBuilder } from './shared/findings.js';
import { SRV_TARGET_PREREQUISITE_CODES, judgeFederationSrvTarget, selectedRecordsPhrase, srvRecordChange, type FederationSrv } from './shared/srv.js';
import { askPartner, capitalised, isPartner, listOf } from './shared/wording.js';
import { srvZoneLine, zoneLine, type SrvRecord } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const FEDERATION_PORT = 5061;

const meta = {
  id: 'srv-port',
  title: 'SRV record uses port 5061',
  severity: 'warn',
  roles: ['local', 'partner'],
  rule:
    'Every SRV record Microsoft may select (each tied record, on a tie) points at port 5061, the SIP federation TLS port. Port 0 on a real target fails: ' +
    'no TCP connection can be made to it (RFC 2782 gives port 0 a meaning only with the target ".").',
  impact:
    'Microsoft edges, their firewalls and the Expressway-E Microsoft interoperability are set up for 5061: ' +
    'outbound firewalls in front of Microsoft edges commonly allow only 5061, so another port tends to time out.',
  source: 'Seed "DNS Summary" Table 3 (port 5061); RFC 2782 (Port, and Target "." for a service decidedly not available); DESIGN.md §2',
  remediation: 'Set the SRV port to 5061 and have the Expressway-E accept SIP TLS on 5061.',
  codes: {
    pass: { status: 'pass', summary: 'The selected SRV record uses port 5061.' },
    'other-port': { status: 'warn', summary: 'The selected SRV record uses a port other than 5061.' },
    'port-zero': { status: 'fail', summary: 'The selected SRV record gives port 0 on a real target: no connection can be made.' },
    ...SRV_TARGET_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  return judgeFederationSrvTarget(target, found, (srv) => judgePort(target, srv));
}

function judgePort(target: TargetObservations, srv: FederationSrv): Finding[] {
  const { srvName } = srv;
  const records = srv.targets.flatMap(({ records }) => records);
  const data = { record: zoneLine(records[0]!), port: records[0]!.data.port, ...(records.length > 1 ? { records: records.map(zoneLine) } : {}) };
  const zero = records.filter((record) => record.data.port === 0);
  const other = records.filter((record) => record.data.port !== 0 && record.data.port !== FEDERATION_PORT);
  if (zero.length === 0 && other.length === 0) {
    return [found.pass('pass', srvName, `${selectedRecordsPhrase(records, srv)} ${records.length === 1 ? 'uses' : 'use'} port ${FEDERATION_PORT}.`, { data })];
  }
  const changes = (wrong: SrvRecord[]) => listOf(wrong.map((record) => srvRecordChange(srv, record, { ...record.data, port: FEDERATION_PORT })));
  const partner = isPartner(target);
  if (zero.length > 0) {
    const example = zero[0]!;
    const unavailable = srvZoneLine(example.name, { ...example.data, port: 0, target: '.' }, example.ttl);
    const consequence = partner
      ? `your Expressway-E cannot connect to ${target.domain}'s federation edge`
      : `Microsoft edges cannot connect to your Expressway-E`;
    return [
      found.fail(
        'port-zero',
        srvName,
        `${selectedRecordsPhrase(zero, srv)} ${zero.length === 1 ? 'gives' : 'give'} port 0, which is not a usable port: no TCP connection can be ` +
          `made to port 0, so ${consequence} and federation fails${srv.selection.tie ? ' whenever the resolver returns such a record first' : ''}. ` +
          `RFC 2782 gives port 0 a meaning only with the target "." ("${unavailable}": the service is decidedly not available).`,
        partner
          ? askPartner(target.domain, `${changes(zero)} and accept SIP TLS on ${FEDERATION_PORT} at their edge.`)
          : `${capitalised(changes(zero))}, make sure every Expressway-E peer accepts SIP TLS on ${FEDERATION_PORT}, and ` +
              `forward TCP ${FEDERATION_PORT} to them in the firewall.`,
        { data },
      ),
    ];
  }
  const ports = listOf([...new Set(other.map((record) => String(record.data.port)))]);
  if (partner) {
    return [
      found.warn(
        'other-port',
        srvName,
        `${selectedRecordsPhrase(other, srv)} ${other.length === 1 ? 'uses' : 'use'} port ${ports}, not ${FEDERATION_PORT}. Your Expressway-E will ` +
          `connect to ${target.domain} on TCP ${ports}, so your firewall must allow that outbound; Microsoft edges of other ` +
          `organizations expect ${FEDERATION_PORT} and are commonly blocked elsewhere.`,
        askPartner(target.domain, `${changes(other)} and accept SIP TLS on ${FEDERATION_PORT} at their edge.`),
        { data },
      ),
    ];
  }
  return [
    found.warn(
      'other-port',
      srvName,
      `${selectedRecordsPhrase(other, srv)} ${other.length === 1 ? 'sends' : 'send'} federation traffic to port ${ports}, not ${FEDERATION_PORT}. ` +
        `Microsoft edges and the Expressway-E's Microsoft interoperability expect ${FEDERATION_PORT}: firewalls in front ` +
        `of Microsoft edges commonly allow only ${FEDERATION_PORT} outbound, so connections to port ${ports} may never arrive.`,
      `${capitalised(changes(other))}, make sure every Expressway-E peer accepts SIP TLS on ${FEDERATION_PORT}, and ` +
        `forward TCP ${FEDERATION_PORT} to them in the firewall.`,
      { data },
    ),
  ];
}

export const check: Check = { meta, run };
