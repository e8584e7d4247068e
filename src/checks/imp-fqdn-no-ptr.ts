// imp-fqdn-no-ptr: no address of the Federation Routing IM/P FQDN has a PTR record naming that
// FQDN. The PTR questions were asked of the Expressway-C's DNS server itself (never /etc/hosts),
// so the answers are what the Expressway-C and IM and Presence get on a reverse lookup.
import type { Finding } from '../model/findings.js';
import type { ImpObservations, TargetObservations } from '../model/observations.js';
import { canonicalName, describeOutcome, dnsOutcome, effectiveQuery, finalRecords, reverseName } from '../model/dns.js';
import { deadlineAdvice, deadlineNote } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { IMP_FQDN_PREREQUISITE_CODES, impFqdnAddresses, impFqdnWithoutAddress, impView } from './shared/imp.js';
import { listOf, quotedList } from './shared/wording.js';
import { zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'imp-fqdn-no-ptr',
  title: 'No PTR record points back to the Federation Routing IM/P FQDN',
  severity: 'fail',
  roles: ['local'],
  rule:
    'With --imp-fqdn: no address of the Federation Routing IM/P FQDN has a PTR record naming that FQDN on the DNS the ' +
    "Expressway-C uses. A PTR record naming another host (the IM and Presence node's own hostname) is normal.",
  impact:
    "The routing FQDN is an extra name for the publisher's address. A PTR record naming it makes reverse lookups of the " +
    "publisher's address return the routing FQDN instead of the node's own hostname, so IM and Presence and the " +
    'Expressway-C identify the node by the wrong name and federation routing breaks.',
  source:
    'Seed "More About Configuring Search Rules on Expressway": "This DNS A record must not have a pointer record (PTR) ' +
    'associated with it"; DESIGN.md §2 "IM and Presence"',
  remediation:
    'Delete the PTR record that names the Federation Routing IM/P FQDN; if the address needs a reverse record, point it ' +
    "at the IM and Presence node's own hostname.",
  codes: {
    pass: { status: 'pass', summary: 'The address has no PTR record.' },
    'other-name': { status: 'info', summary: "The address has a PTR record naming another host (normally the node's own hostname)." },
    'points-back': { status: 'fail', summary: 'A PTR record of the address names the routing FQDN.' },
    'lookup-failed': { status: 'error', summary: 'The PTR lookup failed, so whether a record exists is unknown.' },
    'not-queried': { status: 'error', summary: 'The reverse name was never looked up.' },
    ...IMP_FQDN_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  const imp = target.imp;
  if (!imp) return [];
  const fqdn = canonicalName(imp.fqdn);
  const resolved = impFqdnAddresses(target, imp);
  if (resolved.addresses.length === 0) {
    return [found.skip('no-address', fqdn, impFqdnWithoutAddress(target, imp, resolved, 'pointer record to look for'))];
  }
  return resolved.addresses.map((address) => judgeAddress(target, imp, fqdn, address));
}

function judgeAddress(target: TargetObservations, imp: ImpObservations, fqdn: string, address: string): Finding {
  const reverse = reverseName(address);
  const query = effectiveQuery(target, reverse, 'PTR', imp.resolvers);
  if (!query) {
    return found.error(
      'not-queried',
      reverse,
      `Could not determine whether ${address} (an address of ${fqdn}) has a PTR record: ${reverse} was never looked up${deadlineNote(target)}.`,
      { data: { fqdn, address, reverseName: reverse } },
    );
  }
  const outcome = dnsOutcome(query);
  const records = finalRecords(query, 'PTR');
  const data = {
    fqdn,
    address,
    reverseName: reverse,
    resolver: query.resolver,
    outcome,
    ptr: records.map((record) => record.data),
  };

  if (outcome === 'nxdomain' || outcome === 'nodata') {
    return found.pass(
      'pass',
      reverse,
      `${address}, the address of ${fqdn}, has no PTR record: ${reverse} ${describeOutcome(query)}. Reverse lookups ` +
        `do not return the Federation Routing IM/P FQDN, as the deployment guide requires.`,
      { data },
    );
  }
  if (outcome !== 'answer') {
    return found.error(
      'lookup-failed',
      reverse,
      `Could not determine whether ${address} (an address of ${fqdn}) has a PTR record: ${reverse} ${describeOutcome(query)}.` +
        deadlineAdvice(query),
      { data },
    );
  }

  const pointingBack = records.filter((record) => canonicalName(record.data) === fqdn);
  const others = records.filter((record) => canonicalName(record.data) !== fqdn);
  const otherNames = others.map((record) => canonicalName(record.data));
  if (pointingBack.length === 0) {
    return found.info(
      'other-name',
      reverse,
      `${address}, the address of ${fqdn}, has a PTR record naming ${listOf(otherNames)} (at ${query.resolver}), not ` +
        "the routing FQDN: that is normal, typically the IM and Presence node's own hostname.",
      { data },
    );
  }
  const lines = pointingBack.map(zoneLine);
  const keep =
    others.length > 0
      ? ` Keep ${quotedList(others.map(zoneLine))} (the node's own name).`
      : ` If ${address} needs a reverse record, point it at the IM and Presence node's own hostname instead.`;
  return found.fail(
    'points-back',
    reverse,
    `${address}, the address of ${fqdn}, has a PTR record naming the Federation Routing IM/P FQDN: ${quotedList(lines)} ` +
      `(at ${query.resolver}). The deployment guide: "This DNS A record must not have a pointer record (PTR) associated ` +
      "with it.\" Reverse lookups of the publisher's address return the routing FQDN instead of the node's own " +
      'hostname, so IM and Presence and the Expressway-C identify the node by the wrong name and federation routing breaks.',
    `Delete ${quotedList(lines)} from the reverse zone on ${impView(target, imp)}.${keep}`,
    { data },
  );
}

export const check: Check = { meta, run };
