// The other Teams / Skype for Business records of a SIP domain with a federation SRV record
// (`_sip._tls` SRV, `sip` and `lyncdiscover`), asked of the resolvers like the federation
// record itself, so m365-records can tell a consistent Microsoft 365 or on-premises set from a
// half-migrated one.
import { canonicalName, dnsOutcome, srvRecords } from '../../model/dns.js';
import { MICROSOFT_365_RECORDS } from '../../model/microsoft365.js';
import type { DnsQueryObservation, TargetObservations } from '../../model/observations.js';
import type { GatherSettings } from '../target.js';
import { ask } from './ask.js';

/**
 * Asks the records the federation SRV query did not already cover. A name that is one of the
 * SRV targets (`sip.<domain>` often is) is left out: gather resolves those anyway.
 */
export async function gatherMicrosoft365Records(
  target: TargetObservations,
  srvQuery: DnsQueryObservation,
  settings: GatherSettings,
): Promise<void> {
  if (dnsOutcome(srvQuery) !== 'answer') return;
  const srvTargets = new Set(srvRecords(srvQuery).map((record) => canonicalName(record.target)));
  const questions = MICROSOFT_365_RECORDS.filter((spec) => spec.kind !== 'federation')
    .map((spec) => ({ name: spec.name(target.domain), type: spec.queryType }))
    .filter((question) => !(question.type === 'A' && srvTargets.has(question.name)));
  await Promise.all(questions.map((question) => ask(target, question.name, question.type, settings.resolvers, settings)));
}
