// When the run's --timeout, not DNS or the peer, left a question unanswered: how to tell, and
// the one piece of advice every check gives for it.
import type { DnsQueryObservation, TargetObservations } from '../../model/observations.js';
import { dnsOutcome, type AddressLookup } from '../../model/dns.js';

/** What to do when the run's --timeout, not DNS or the peer, cut a question or a handshake short. */
export const RAISE_TIMEOUT_ADVICE =
  'Run again with a longer --timeout (or a lower --concurrency when checking many domains in one run).';

/** True when the lookup (or query) was not asked because the run's --timeout expired first. */
export function cutByDeadline(lookup: AddressLookup | DnsQueryObservation | undefined): boolean {
  const query = lookup && 'queries' in lookup ? lookup.last : lookup;
  return query !== undefined && dnsOutcome(query) === 'aborted';
}

/** " Run again with a longer --timeout …" when any of these was cut by the run's --timeout, else "". */
export function deadlineAdvice(...lookups: ReadonlyArray<AddressLookup | DnsQueryObservation | undefined>): string {
  return lookups.some(cutByDeadline) ? ` ${RAISE_TIMEOUT_ADVICE}` : '';
}

/**
 * How a "… was never queried" sentence ends: "." or, when the run's --timeout expired first, that
 * it expired before `what` ("the lookup", "the lookups") and the advice.
 */
export function neverQueriedEnding(target: TargetObservations, what: string): string {
  return target.deadlineExceeded ? `: the run's --timeout expired before ${what}. ${RAISE_TIMEOUT_ADVICE}` : '.';
}

/** ": the run's --timeout expired first" when it did, for "never looked up" messages. */
export function deadlineNote(target: TargetObservations): string {
  return target.deadlineExceeded ? ": the run's --timeout expired first" : '';
}
