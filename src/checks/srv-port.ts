import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { findingBuilder } from './shared/findings.js';
import { SRV_TARGET_PREREQUISITE_CODES, judgeFederationSrvTarget, type FederationSrv } from './shared/srv.js';
import { askPartner, isPartner } from './shared/wording.js';
import { srvZoneLine, zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const FEDERATION_PORT = 5061;

const meta = {
  id: 'srv-port',
  title: 'SRV record uses port 5061',
  severity: 'warn',
  roles: ['local', 'partner'],
  rule:
    'The SRV record Microsoft selects points at port 5061, the SIP federation TLS port. Port 0 on a real target fails: ' +
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

function judgePort(target: TargetObservations, { srvName, selectedRecord, port }: FederationSrv): Finding[] {
  const line = zoneLine(selectedRecord);
  const data = { record: line, port };
  if (port === FEDERATION_PORT) {
    return [found.pass('pass', srvName, `The SRV record Microsoft selects, "${line}", uses port ${FEDERATION_PORT}.`, { data })];
  }
  const fixed = srvZoneLine(selectedRecord.name, { ...selectedRecord.data, port: FEDERATION_PORT }, selectedRecord.ttl);
  if (port === 0) {
    const unavailable = srvZoneLine(selectedRecord.name, { ...selectedRecord.data, port: 0, target: '.' }, selectedRecord.ttl);
    const consequence = isPartner(target)
      ? `your Expressway-E cannot connect to ${target.domain}'s federation edge`
      : `Microsoft edges cannot connect to your Expressway-E`;
    const change = `change "${line}" to "${fixed}"`;
    return [
      found.fail(
        'port-zero',
        srvName,
        `The SRV record Microsoft selects, "${line}", gives port 0, which is not a usable port: no TCP connection can be ` +
          `made to port 0, so ${consequence} and federation fails. RFC 2782 gives port 0 a meaning only with the target ` +
          `"." ("${unavailable}": the service is decidedly not available).`,
        isPartner(target)
          ? askPartner(target.domain, `${change} and accept SIP TLS on ${FEDERATION_PORT} at their edge.`)
          : `Change "${line}" to "${fixed}", make sure every Expressway-E peer accepts SIP TLS on ${FEDERATION_PORT}, and ` +
              `forward TCP ${FEDERATION_PORT} to them in the firewall.`,
        { data },
      ),
    ];
  }
  if (isPartner(target)) {
    return [
      found.warn(
        'other-port',
        srvName,
        `The SRV record Microsoft selects, "${line}", uses port ${port}, not ${FEDERATION_PORT}. Your Expressway-E will ` +
          `connect to ${target.domain} on TCP ${port}, so your firewall must allow that outbound; Microsoft edges of other ` +
          `organizations expect ${FEDERATION_PORT} and are commonly blocked elsewhere.`,
        askPartner(target.domain, `change "${line}" to "${fixed}" and accept SIP TLS on ${FEDERATION_PORT} at their edge.`),
        { data },
      ),
    ];
  }
  return [
    found.warn(
      'other-port',
      srvName,
      `The SRV record Microsoft selects, "${line}", sends federation traffic to port ${port}, not ${FEDERATION_PORT}. ` +
        `Microsoft edges and the Expressway-E's Microsoft interoperability expect ${FEDERATION_PORT}: firewalls in front ` +
        `of Microsoft edges commonly allow only ${FEDERATION_PORT} outbound, so connections to port ${port} may never arrive.`,
      `Change "${line}" to "${fixed}", make sure every Expressway-E peer accepts SIP TLS on ${FEDERATION_PORT}, and ` +
        `forward TCP ${FEDERATION_PORT} to them in the firewall.`,
      { data },
    ),
  ];
}

export const check: Check = { meta, run };
