// imp-publisher-public: with --imp-publisher, the IM and Presence publisher's FQDN resolves on
// the external view, the DNS the Internet sees.
import type { Finding } from '../model/findings.js';
import { canonicalName } from '../model/dns.js';
import { absoluteName, addressRecordPlacement, DEFAULT_ZONE_TTL, deadlineAdvice, findingBuilder, hostAddresses, listOf } from './support.js';
import { addressesDefinitive, describeAddressLookups, throughAliases } from './dns-views.js';
import { deadlineNote } from './imp-fqdn-address.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta: CheckMeta = {
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
};

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
        host,
        `${host}, the IM and Presence publisher, resolves${via} on ${view} to ${listOf(resolved.addresses)}: it is ` +
          'publicly resolvable, as routing federation requests by its FQDN requires.',
        { data },
      ),
    ];
  }
  if (!resolved.ipv4.last && !resolved.ipv6.last) {
    return [found.error(host, `Could not determine whether ${host} is publicly resolvable: it was never looked up${deadlineNote(target)}.`, { data })];
  }
  if (!addressesDefinitive(resolved)) {
    return [
      found.error(
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
