// tls-connect: every address of the selected SRV target accepts TCP on the SRV port.
// This file also holds what every TLS/certificate check shares about the federation peers
// (which probes they are, how a peer is named, why there are none), because connecting is the
// first link of the chain the other checks depend on.
import type { Finding, Status } from '../model/findings.js';
import type { TargetObservations, TlsProbeObservation } from '../model/observations.js';
import { askPartner, describeLookup, federationSrvTarget, hostAddresses, isPartner } from './support.js';
import type { Check, CheckContext, CheckMeta } from './types.js';
import { formatEndpoint } from '../model/ip.js';

/** The probes of the selected SRV target's addresses (the edge peers Microsoft connects to). */
export function federationProbes(target: TargetObservations): TlsProbeObservation[] {
  return target.tls.filter((probe) => probe.purpose === 'federation');
}

/** "192.0.2.10:5061", or "[2001:db8::10]:5061" for IPv6. */
export function peerSubject(probe: TlsProbeObservation): string {
  return formatEndpoint(probe.address, probe.port);
}


/** A finding of a TLS check; warn and fail always carry a remediation (the check's general one at least). */
export function tlsFinding(
  meta: CheckMeta,
  status: Status,
  subject: string,
  message: string,
  details: { remediation?: string; data?: Record<string, unknown> } = {},
): Finding {
  const finding: Finding = { check: meta.id, status, subject, message, reference: meta.source };
  const remediation = details.remediation ?? (status === 'warn' || status === 'fail' ? meta.remediation : undefined);
  if (remediation !== undefined) finding.remediation = remediation;
  if (details.data !== undefined) finding.data = details.data;
  return finding;
}

export interface NoFederationPeers {
  /** The SRV target when known, else the SRV name. */
  subject: string;
  /** A full sentence: why there is no federation peer to examine. */
  reason: string;
}

/** Why the run has no federation peer to examine, read from what DNS said. */
export function noFederationPeers(target: TargetObservations): NoFederationPeers {
  const srv = federationSrvTarget(target);
  if (!srv.met) return { subject: srv.subject, reason: srv.reason };
  const { host, port } = srv.value;
  const addresses = hostAddresses(target, host);
  if (addresses.addresses.length === 0) {
    return {
      subject: host,
      reason:
        `Not checked: the SRV target ${host} has no address (${describeLookup(addresses.ipv4, 'A')}; ${describeLookup(addresses.ipv6, 'AAAA')}), ` +
        'so there is no federation edge to connect to (see srv-target-address).',
    };
  }
  if (target.deadlineExceeded) {
    return {
      subject: host,
      reason: `Not checked: the run's --timeout expired before ${host} port ${port} (${addresses.addresses.join(', ')}) could be probed.`,
    };
  }
  return { subject: host, reason: `Not checked: no TLS probe of ${host} port ${port} was recorded.` };
}

/** One finding per federation peer, or one skip on the target when there are none. */
export function judgeEachPeer(
  context: CheckContext,
  meta: CheckMeta,
  judge: (probe: TlsProbeObservation, subject: string) => Finding,
): Finding[] {
  const probes = federationProbes(context.target);
  if (probes.length === 0) {
    const none = noFederationPeers(context.target);
    return [tlsFinding(meta, 'skip', none.subject, none.reason)];
  }
  return probes.map((probe) => judge(probe, peerSubject(probe)));
}

/** Whether TCP got through, for the prerequisite messages of the later checks. */
export function connectionFailurePhrase(probe: TlsProbeObservation): string | undefined {
  const { outcome, durationMs, error } = probe.connect;
  if (probe.port === 0 && outcome !== 'connected') return UNUSABLE_PORT_PHRASE;
  switch (outcome) {
    case 'connected':
      return undefined;
    case 'refused':
      return 'was refused';
    case 'timeout':
      return `timed out after ${Math.round(durationMs)} ms`;
    case 'unreachable':
      return 'failed: the address is unreachable';
    case 'aborted':
      return "was not completed: the run's --timeout expired first";
    default:
      return `failed${error ? ` (${error})` : ''}`;
  }
}

/**
 * The SRV record can give port 0, and gather probes the port it is given; no TCP connection can
 * be made to port 0, so whatever the probe met says nothing about the peer: srv-port judges it.
 */
const UNUSABLE_PORT_PHRASE = 'cannot be made: port 0 (from the SRV record) is not a usable port, see srv-port';

/** ENETUNREACH on IPv6 almost always means the machine running fedcheck has no IPv6 route, not that the peer is down. */
function isLocalIpv6RouteMissing(probe: TlsProbeObservation): boolean {
  return probe.family === 6 && /ENETUNREACH|network is unreachable/i.test(probe.connect.error ?? '');
}

const meta: CheckMeta = {
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
};

function partnerRemediation(context: CheckContext, probe: TlsProbeObservation): string {
  return askPartner(
    context.target.domain,
    `make ${peerSubject(probe)} accept TCP ${probe.port} from the Internet and forward it to their edge's SIP TLS listener, or remove ${probe.address} from their SRV target's DNS records.`,
  );
}

function judgeConnection(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const { outcome, durationMs, error } = probe.connect;
  const data = { outcome, durationMs: Math.round(durationMs), ...(error ? { error } : {}) };
  const partner = isPartner(context.target);
  const ms = Math.round(durationMs);
  if (probe.port === 0 && outcome !== 'connected') {
    return tlsFinding(
      meta,
      'skip',
      subject,
      `Not tested: the SRV record Microsoft selects gives port 0, which is not a usable port (no TCP connection can be made ` +
        `to it), so whether ${probe.address} accepts federation connections is unknown. srv-port reports the record and its fix.`,
      { data },
    );
  }
  switch (outcome) {
    case 'connected':
      return tlsFinding(meta, 'pass', subject, `TCP connection to ${subject} established in ${ms} ms.`, { data });
    case 'refused':
      return tlsFinding(
        meta,
        'fail',
        subject,
        `TCP connection to ${subject} refused (the host answered with a reset): nothing is listening on port ${probe.port} there. ` +
          `Typically the firewall forwards port ${probe.port} to a host with no listener, or the Expressway-E is not listening for SIP TLS on ${probe.port}.`,
        {
          data,
          remediation: partner
            ? partnerRemediation(context, probe)
            : `Make the Expressway-E listen for SIP TLS on ${probe.port} (Configuration > Protocols > SIP: TLS mode On, TLS port ${probe.port}) and check that the firewall forwards TCP ${probe.port} on ${probe.address} to the Expressway-E's public interface.`,
        },
      );
    case 'timeout':
      return tlsFinding(
        meta,
        'fail',
        subject,
        `TCP connection to ${subject} timed out: no answer within ${ms} ms, so packets are being dropped silently — typically a firewall that does not allow TCP ${probe.port} inbound to this address, or an address no host uses.`,
        {
          data,
          remediation: partner
            ? partnerRemediation(context, probe)
            : `Allow TCP ${probe.port} inbound from any Internet address to ${probe.address} (Microsoft's edges connect from many addresses) and forward it to the Expressway-E; if ${probe.address} is no longer in use, remove it from the SRV target's DNS records.`,
        },
      );
    case 'unreachable':
      if (isLocalIpv6RouteMissing(probe)) {
        return tlsFinding(
          meta,
          'error',
          subject,
          `Could not test ${subject}: this machine has no route to that IPv6 network (${error}). The machine running fedcheck most likely has no IPv6 connectivity; run fedcheck from a host that has it to test this address.`,
          { data },
        );
      }
      return tlsFinding(
        meta,
        'fail',
        subject,
        `TCP connection to ${subject} failed: the network reports the address unreachable (no route to it, or a router answered host/network unreachable)${error ? ` — ${error}` : ''}.`,
        {
          data,
          remediation: partner
            ? partnerRemediation(context, probe)
            : `Check that ${probe.address} is routed to your Expressway-E from the Internet; if it is not meant to be reachable, remove it from the SRV target's ${probe.family === 6 ? 'AAAA' : 'A'} records.`,
        },
      );
    case 'aborted':
      return tlsFinding(
        meta,
        'error',
        subject,
        `Could not test ${subject}: the run's --timeout expired before the TCP connection completed. Run again with a longer --timeout.`,
        { data },
      );
    default:
      return tlsFinding(
        meta,
        'error',
        subject,
        `Could not test ${subject}: the TCP connection failed on this machine's side (${error ?? outcome}), which says nothing about the peer.`,
        { data },
      );
  }
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, meta, (probe, subject) => judgeConnection(context, probe, subject));
  },
};
