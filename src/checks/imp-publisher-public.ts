// imp-publisher-public: with --imp-publisher, the IM and Presence publisher's FQDN resolves on
// the external view, the DNS the Internet sees.
import type { Finding } from '../model/findings.js';
import { canonicalName } from '../model/dns.js';
import { addressRecordPlacement, addressesDefinitive, describeAddressLookups, hostAddresses, throughAliases } from './shared/addresses.js';
import { deadlineAdvice, deadlineNote } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { listOf } from './shared/wording.js';
import { DEFAULT_ZONE_TTL, absoluteName } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'imp-publisher-public',
  title: 'IM and Presence publisher FQDN is publicly resolvable',
  severity: 'fail',
  roles: ['local'],
  rule: 'With --imp-publisher: the FQDN of the routing IM and Presence node (the publisher) has an A or AAAA record on the external view (--resolver).',
  impact:
    'SIP federation requests are routed based on the FQDN of the routing IM and Presence node, which travels in the SIP ' +
    'messages it sends; a Microsoft edge that cannot resolve it cannot route requests back, and federation fails.',
  source: 'Seed "Process Summary for Microsoft Federation" 1a: "the FQDN of the routing IM and Presence Service node (publisher) must be publicly resolvable"; DESIGN.md §2 "IM and Presence"',
  remediation: "Publish an A (or AAAA) record of the publisher's FQDN in your public DNS zone.",
  codes: {
    pass: { status: 'pass', summary: "The publisher's FQDN resolves on the external view." },
    missing: { status: 'fail', summary: "The publisher's FQDN does not resolve on the external view." },
    'lookup-failed': { status: 'error', summary: 'The lookups failed, so whether it resolves is unknown.' },
    'not-queried': { status: 'error', summary: "The publisher's FQDN was never looked up." },
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  const publisher = target.imp?.publisher;
  if (publisher === undefined) return [];
  const host = canonicalName(publisher);
  const view = `the external view (${target.resolvers.length > 0 ? listOf(target.resolvers) : 'no resolver'})`;
  const resolved = hostAddresses(target, host, target.resolvers);
  const via = throughAliases(resolved);
  const data = {
    publisher: host,
    resolvers: target.resolvers,
    ipv4: resolved.ipv4Addresses,
    ipv6: resolved.ipv6Addresses,
    aliases: resolved.aliases.map((link) => ({ name: link.name, target: link.data })),
  };

  if (resolved.addresses.length > 0) {
    return [
      found.pass(
        'pass',
        host,
        `${host}, the IM and Presence publisher, resolves${via} on ${view} to ${listOf(resolved.addresses)}: it is ` +
          'publicly resolvable, as routing federation requests by its FQDN requires.',
        { data },
      ),
    ];
  }
  if (!resolved.ipv4.last && !resolved.ipv6.last) {
    return [found.error('not-queried', host, `Could not determine whether ${host} is publicly resolvable: it was never looked up${deadlineNote(target)}.`, { data })];
  }
  if (!addressesDefinitive(resolved)) {
    return [
      found.error(
        'lookup-failed',
        host,
        `Could not determine whether ${host}, the IM and Presence publisher, is publicly resolvable: ` +
          `${describeAddressLookups(resolved)}.${deadlineAdvice(resolved.ipv4, resolved.ipv6)}`,
        { data },
      ),
    ];
  }
  const owner = resolved.canonicalHost;
  const aliasFix = addressRecordPlacement(host, resolved);
  return [
    found.fail(
      'missing',
      host,
      `${host}, the IM and Presence publisher, does not resolve on ${view}${via} (${describeAddressLookups(resolved)}). ` +
        'The deployment guide requires it to be publicly resolvable: federation requests are routed based on this FQDN, ' +
        'so a Microsoft edge that cannot resolve it cannot route requests back to IM and Presence.',
      `Publish the publisher's FQDN in your public DNS zone: "${absoluteName(owner)} ${DEFAULT_ZONE_TTL} IN A <public address>"${aliasFix}.`,
      { data },
    ),
  ];
}

export const check: Check = { meta, run };
