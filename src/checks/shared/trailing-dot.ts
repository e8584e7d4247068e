// The missing trailing dot: in a zone file under `$ORIGIN example.com.`, the SRV target
// "sip.example.com" (no final dot) is a relative name, and the DNS server completes it to
// sip.example.com.example.com. Every check that meets such a target (srv-target-address,
// srv-target-namespace, cert-name) recognises it here and gives the same fix: the SRV record
// with the trailing dot. Creating records or certificates for the doubled name would be wrong.
import type { TargetObservations } from '../../model/observations.js';
import { canonicalName } from '../../model/dns.js';
import { federationSrv, srvRecordChange, type FederationSrv } from './srv.js';
import { askPartner, capitalised, isPartner, listOf } from './wording.js';
import { absoluteName, type SrvRecord } from './zone-file.js';

export interface MissingTrailingDot {
  /** The SRV target as published: the intended name with the origin repeated at its end. */
  host: string;
  /** The name the zone file meant. */
  intended: string;
  /** The $ORIGIN the relative name was completed with: the SIP domain, or the zone it is in. */
  origin: string;
  /** The selected records that point at `host`. */
  records: SrvRecord[];
  srv: FederationSrv;
}

/** The SIP domain and its parents of at least two labels, longest first: where the zone's $ORIGIN can be. */
function possibleOrigins(domain: string): string[] {
  const labels = canonicalName(domain).split('.');
  const origins: string[] = [];
  for (let start = 0; labels.length - start >= 2; start++) origins.push(labels.slice(start).join('.'));
  return origins;
}

/**
 * The diagnosis for `host`, one of the hosts Microsoft may select, when it ends in its origin
 * twice over (sip.example.com.example.com): a name written without its trailing dot.
 */
export function missingTrailingDot(srv: FederationSrv, host: string): MissingTrailingDot | undefined {
  const name = canonicalName(host);
  const srvTarget = srv.targets.find((candidate) => candidate.host === name);
  if (!srvTarget) return undefined;
  for (const origin of possibleOrigins(srv.domain)) {
    if (!name.endsWith(`.${origin}`)) continue;
    const intended = name.slice(0, -(origin.length + 1));
    if (intended === origin || intended.endsWith(`.${origin}`)) return { host: name, intended, origin, records: srvTarget.records, srv };
  }
  return undefined;
}

/** The diagnosis for a host the run probed (cert-name judges peers, not records). */
export function missingTrailingDotOfTarget(target: TargetObservations, host: string): MissingTrailingDot | undefined {
  const srv = federationSrv(target);
  return srv.met ? missingTrailingDot(srv.value, host) : undefined;
}

/** What happened, in one sentence every check shares. */
export function trailingDotExplanation(diagnosis: MissingTrailingDot): string {
  return (
    `${diagnosis.host} repeats ${diagnosis.origin} at its end: the SRV record's target was written "${diagnosis.intended}" ` +
    `without the trailing dot in a zone whose $ORIGIN is ${absoluteName(diagnosis.origin)}, and a name without the final ` +
    `dot is relative, so the DNS server completed it to ${diagnosis.host}.`
  );
}

/**
 * The one fix: the SRV record with the target written in full, trailing dot included. Nothing is
 * to be created for the doubled name, neither address records nor a certificate.
 */
export function trailingDotFix(target: TargetObservations, diagnosis: MissingTrailingDot): string {
  const changes = listOf(
    diagnosis.records.map((record) => srvRecordChange(diagnosis.srv, record, { ...record.data, target: diagnosis.intended })),
  );
  const action =
    `${changes}: in the zone file, write the target as "${absoluteName(diagnosis.intended)}", with the trailing dot ` +
    `(or as the relative "${relativeTo(diagnosis.intended, diagnosis.origin)}"). Do not create records or a certificate for ${diagnosis.host}.`;
  return isPartner(target) ? askPartner(target.domain, action) : capitalised(action);
}

/** `sip` for sip.example.com under example.com; `@` for the origin itself. */
function relativeTo(name: string, origin: string): string {
  return name === origin ? '@' : name.slice(0, -(origin.length + 1));
}
