// The federation peers the TLS and certificate checks judge: the probes of the selected SRV
// target's addresses, why there are none, and how a TCP connection ended.
import type { Finding } from '../../model/findings.js';
import type { TargetObservations, TlsProbeObservation } from '../../model/observations.js';
import { peerEndpoint } from '../../model/ip.js';
import type { CheckContext, CodeTable } from '../types.js';
import { describeAddressLookups, hostAddresses } from './addresses.js';
import { RAISE_TIMEOUT_ADVICE } from './deadline.js';
import type { Skipper } from './findings.js';
import { federationSrvTarget } from './srv.js';

/** The skip variant of a check that judges each federation peer (judgeEachPeer). */
export const NO_PEERS_CODES = {
  'no-peers': { status: 'skip', summary: 'No federation peer to examine (see the DNS checks).' },
} satisfies CodeTable;

/** The probes of the selected SRV target's addresses (the edge peers Microsoft connects to). */
export function federationProbes(target: TargetObservations): TlsProbeObservation[] {
  return target.tls.filter((probe) => probe.purpose === 'federation');
}

interface NoFederationPeers {
  /** The SRV target when known, else the SRV name. */
  subject: string;
  /** A full sentence: why there is no federation peer to examine. */
  reason: string;
}

/** Why the run has no federation peer to examine, read from what DNS said. */
function noFederationPeers(target: TargetObservations): NoFederationPeers {
  const srv = federationSrvTarget(target);
  if (!srv.met) return { subject: srv.subject, reason: srv.reason };
  const { host, port } = srv.value;
  const addresses = hostAddresses(target, host);
  if (addresses.addresses.length === 0) {
    return {
      subject: host,
      reason:
        `Not checked: the SRV target ${host} has no address (${describeAddressLookups(addresses)}), ` +
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

/** `judge`'s findings on all federation peers together, or one "no-peers" skip on the target when there are none. */
export function judgeFederationPeers(
  target: TargetObservations,
  found: Skipper<'no-peers'>,
  judge: (probes: TlsProbeObservation[]) => Finding[],
): Finding[] {
  const probes = federationProbes(target);
  if (probes.length === 0) {
    const none = noFederationPeers(target);
    return [found.skip('no-peers', none.subject, none.reason)];
  }
  return judge(probes);
}

/** One finding per federation peer, or one "no-peers" skip on the target when there are none. */
export function judgeEachPeer(
  context: CheckContext,
  found: Skipper<'no-peers'>,
  judge: (probe: TlsProbeObservation, subject: string) => Finding,
): Finding[] {
  return judgeFederationPeers(context.target, found, (probes) => probes.map((probe) => judge(probe, peerEndpoint(probe))));
}

/**
 * How the TCP connection to a peer ended, as tls-connect and imp-tls judge it. An IPv6 network
 * reported unreachable almost always means the machine running fedcheck has no IPv6 route, not
 * that the peer is down; a failure on this machine's side says nothing about the peer.
 */
export type ConnectionVerdict = 'connected' | 'refused' | 'timeout' | 'unreachable' | 'no-ipv6-route' | 'aborted' | 'local-error';

export function connectionVerdict(probe: TlsProbeObservation): ConnectionVerdict {
  const { outcome, error } = probe.connect;
  switch (outcome) {
    case 'connected':
    case 'refused':
    case 'timeout':
    case 'aborted':
      return outcome;
    case 'unreachable':
      return probe.family === 6 && /ENETUNREACH|network is unreachable/i.test(error ?? '') ? 'no-ipv6-route' : 'unreachable';
    default:
      return 'local-error';
  }
}

/** The variants of a TCP connection that says nothing about the peer (connectionVerdict). */
export const UNTESTED_CONNECTION_CODES = {
  'no-ipv6-route': { status: 'error', summary: 'This machine has no route to the IPv6 address: not tested.' },
  aborted: { status: 'error', summary: "The run's --timeout expired before the TCP connection completed." },
  'local-error': { status: 'error', summary: "The connection failed on this machine's side, which says nothing about the peer." },
} satisfies CodeTable;

/** Why a connection with one of the untested verdicts says nothing about the peer at `subject`. */
export function untestedConnectionMessage(verdict: keyof typeof UNTESTED_CONNECTION_CODES, probe: TlsProbeObservation, subject: string): string {
  const { outcome, error } = probe.connect;
  switch (verdict) {
    case 'no-ipv6-route':
      return (
        `Could not test ${subject}: this machine has no route to that IPv6 network (${error}). The machine running ` +
        'fedcheck most likely has no IPv6 connectivity; run fedcheck from a host that has it to test this address.'
      );
    case 'aborted':
      return `Could not test ${subject}: the run's --timeout expired before the TCP connection completed. ${RAISE_TIMEOUT_ADVICE}`;
    case 'local-error':
      return `Could not test ${subject}: the TCP connection failed on this machine's side (${error ?? outcome}), which says nothing about the peer.`;
  }
}

/**
 * The SRV record can give port 0, and gather probes the port it is given; no TCP connection can
 * be made to port 0, so whatever the probe met says nothing about the peer: srv-port judges it.
 */
export function unusablePort(probe: TlsProbeObservation): boolean {
  return probe.port === 0 && probe.connect.outcome !== 'connected';
}

/** Whether TCP got through, as a phrase for the prerequisite messages of the later checks. */
export function connectionFailurePhrase(probe: TlsProbeObservation): string | undefined {
  const { outcome, durationMs, error } = probe.connect;
  if (unusablePort(probe)) return 'cannot be made: port 0 (from the SRV record) is not a usable port, see srv-port';
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
