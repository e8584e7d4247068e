// What the IM and Presence checks share: which DNS view the Expressway-C is taken to use, what
// the Federation Routing IM/P FQDN resolves to there, and where IM and Presence is configured.
import type { ImpObservations, TargetObservations } from '../../model/observations.js';
import { canonicalName } from '../../model/dns.js';
import type { CodeTable } from '../types.js';
import { describeAddressLookups, hostAddresses, type HostAddresses } from './addresses.js';
import { listOf } from './wording.js';

/** IM and Presence's SIP proxy listener that the Expressway-C neighbor zone must point at. */
export const PEER_AUTH_LISTENER = 'Default Cisco SIP Proxy TLS Listener - Peer Auth';

export const LISTENER_SETTINGS = `Cisco Unified CM IM and Presence Administration > System > Application Listeners > "${PEER_AUTH_LISTENER}"`;

export const CERTIFICATE_MANAGEMENT = 'Cisco Unified OS Administration > Security > Certificate Management';

/**
 * The DNS the Expressway-C is taken to use, for messages: "the internal DNS (10.1.1.53:53)", or,
 * without --internal-resolver, the external resolvers with a hint to name the internal one.
 */
export function impView(target: TargetObservations, imp: ImpObservations): string {
  const resolvers = imp.resolvers.length > 0 ? listOf(imp.resolvers) : 'no resolver';
  const internal = target.internalResolvers ?? [];
  const isInternal = internal.length > 0 && imp.resolvers.every((resolver) => internal.includes(resolver));
  return isInternal
    ? `the internal DNS (${resolvers})`
    : `${resolvers} (no --internal-resolver was given: pass the Expressway-C's DNS server with it if it differs)`;
}

/** What the Federation Routing IM/P FQDN resolves to on the Expressway-C's view. */
export function impFqdnAddresses(target: TargetObservations, imp: ImpObservations): HostAddresses {
  return hostAddresses(target, canonicalName(imp.fqdn), imp.resolvers);
}

/** The skip variant of a check on what is at the routing FQDN's addresses (impFqdnWithoutAddress). */
export const IMP_FQDN_PREREQUISITE_CODES = {
  'no-address': { status: 'skip', summary: 'The routing FQDN has no address (see imp-fqdn-address).' },
} satisfies CodeTable;

/**
 * Why there is nothing to examine at the routing FQDN's addresses, when it has none on the
 * Expressway-C's view: `nothing` completes "so there is no …" ("pointer record to look for").
 */
export function impFqdnWithoutAddress(target: TargetObservations, imp: ImpObservations, resolved: HostAddresses, nothing: string): string {
  return (
    `Not checked: ${canonicalName(imp.fqdn)} has no address on ${impView(target, imp)} (${describeAddressLookups(resolved)}), ` +
    `so there is no ${nothing} (see imp-fqdn-address).`
  );
}
