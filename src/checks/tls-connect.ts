// tls-connect: every address of the selected SRV target accepts TCP on the SRV port.
import type { Finding } from '../model/findings.js';
import type { TlsProbeObservation } from '../model/observations.js';
import { peerEndpoint } from '../model/ip.js';
import { findingBuilder } from './shared/findings.js';
import {
  NO_PEERS_CODES,
  UNTESTED_CONNECTION_CODES,
  connectionVerdict,
  judgeEachPeer,
  untestedConnectionMessage,
  unusablePort,
} from './shared/peers.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'tls-connect',
  title: 'TCP connection to every federation edge address',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule: 'Every A/AAAA address of the SRV target Microsoft selects accepts a TCP connection on the SRV port (5061).',
  impact:
    "Microsoft's edge opens its federation connection to these addresses. When none accepts, messages and presence to the domain fail for every user (the sender gets a SIP 504 time-out); when only some do, federation fails intermittently, depending on the address picked.",
  source: 'RFC 3263 §4 (SIP over TLS to the SRV target and port); Cisco IM and Presence federation with Microsoft (seed: DNS SRV record, port 5061)',
  remediation:
    'Allow TCP 5061 inbound from the Internet to every address of the SRV target, forward it to the Expressway-E, and make the Expressway-E listen for SIP TLS on 5061 (Configuration > Protocols > SIP: TLS mode On, TLS port 5061).',
  codes: {
    pass: { status: 'pass', summary: 'The TCP connection was established.' },
    refused: { status: 'fail', summary: 'The connection was refused: nothing listens on the port.' },
    timeout: { status: 'fail', summary: 'The connection timed out: packets are dropped silently.' },
    unreachable: { status: 'fail', summary: 'The network reports the address unreachable.' },
    ...UNTESTED_CONNECTION_CODES,
    'port-zero': { status: 'skip', summary: 'The SRV record gives port 0, to which no connection can be made (see srv-port).' },
    ...NO_PEERS_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function partnerRemediation(context: CheckContext, probe: TlsProbeObservation): string {
  return askPartner(
    context.target.domain,
    `make ${peerEndpoint(probe)} accept TCP ${probe.port} from the Internet and forward it to their edge's SIP TLS listener, or remove ${probe.address} from their SRV target's DNS records.`,
  );
}

function judgeConnection(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const { outcome, durationMs, error } = probe.connect;
  const data = { outcome, durationMs: Math.round(durationMs), ...(error ? { error } : {}) };
  const partner = isPartner(context.target);
  const ms = Math.round(durationMs);
  if (unusablePort(probe)) {
    return found.skip(
      'port-zero',
      subject,
      `Not tested: the SRV record Microsoft selects gives port 0, which is not a usable port (no TCP connection can be made ` +
        `to it), so whether ${probe.address} accepts federation connections is unknown. srv-port reports the record and its fix.`,
      { data },
    );
  }
  const verdict = connectionVerdict(probe);
  switch (verdict) {
    case 'connected':
      return found.pass('pass', subject, `TCP connection to ${subject} established in ${ms} ms.`, { data });
    case 'refused':
      return found.fail(
        'refused',
        subject,
        `TCP connection to ${subject} refused (the host answered with a reset): nothing is listening on port ${probe.port} there. ` +
          `Typically the firewall forwards port ${probe.port} to a host with no listener, or the Expressway-E is not listening for SIP TLS on ${probe.port}.`,
        partner
          ? partnerRemediation(context, probe)
          : `Make the Expressway-E listen for SIP TLS on ${probe.port} (Configuration > Protocols > SIP: TLS mode On, TLS port ${probe.port}) and check that the firewall forwards TCP ${probe.port} on ${probe.address} to the Expressway-E's public interface.`,
        { data },
      );
    case 'timeout':
      return found.fail(
        'timeout',
        subject,
        `TCP connection to ${subject} timed out: no answer within ${ms} ms, so packets are being dropped silently — typically a firewall that does not allow TCP ${probe.port} inbound to this address, or an address no host uses.`,
        partner
          ? partnerRemediation(context, probe)
          : `Allow TCP ${probe.port} inbound from any Internet address to ${probe.address} (Microsoft's edges connect from many addresses) and forward it to the Expressway-E; if ${probe.address} is no longer in use, remove it from the SRV target's DNS records.`,
        { data },
      );
    case 'no-ipv6-route':
    case 'aborted':
    case 'local-error':
      return found.error(verdict, subject, untestedConnectionMessage(verdict, probe, subject), { data });
    case 'unreachable':
      return found.fail(
        'unreachable',
        subject,
        `TCP connection to ${subject} failed: the network reports the address unreachable (no route to it, or a router answered host/network unreachable)${error ? ` — ${error}` : ''}.`,
        partner
          ? partnerRemediation(context, probe)
          : `Check that ${probe.address} is routed to your Expressway-E from the Internet; if it is not meant to be reachable, remove it from the SRV target's ${probe.family === 6 ? 'AAAA' : 'A'} records.`,
        { data },
      );
  }
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, found, (probe, subject) => judgeConnection(context, probe, subject));
  },
};
