// imp-fqdn-address: the Federation Routing IM/P FQDN has an A record on the DNS the
// Expressway-C uses.
import type { Finding } from '../model/findings.js';
import { canonicalName } from '../model/dns.js';
import { addressRecordPlacement, describeAddressLookups, describeLookup, lookupIsDefinitive, throughAliases } from './shared/addresses.js';
import { deadlineAdvice, deadlineNote } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { impFqdnAddresses, impView } from './shared/imp.js';
import { listOf } from './shared/wording.js';
import { DEFAULT_ZONE_TTL, absoluteName } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'imp-fqdn-address',
  title: 'Federation Routing IM/P FQDN has an internal A record',
  severity: 'fail',
  roles: ['local'],
  rule:
    'With --imp-fqdn: the Federation Routing IM/P FQDN has an A record, with the IM and Presence publisher\'s address, on ' +
    'the DNS the Expressway-C uses (--internal-resolver, else --resolver).',
  impact:
    'Presence and IM from Microsoft reach IM and Presence through an Expressway-C search rule on the Federation Routing ' +
    'IM/P FQDN; when the Expressway-C cannot resolve that name it cannot route those requests (the NOTIFY messages of ' +
    'federated presence among them) to IM and Presence, and federated presence fails.',
  source:
    'Seed "More About Configuring Search Rules on Expressway" ("Also create a DNS A record so that Expressway-C can ' +
    'resolve the Federation Routing IM/P FQDN") and "Internal DNS Records" (Table 4); DESIGN.md §2 "IM and Presence"',
  remediation:
    'On the internal DNS the Expressway-C uses, create an A record of the Federation Routing IM/P FQDN with the IM and ' +
    'Presence publisher\'s IP address, and no PTR record for it.',
  codes: {
    pass: { status: 'pass', summary: 'The routing FQDN has an A record on the Expressway-C\'s DNS.' },
    'ipv6-only': { status: 'warn', summary: 'The routing FQDN has only AAAA records, no A record.' },
    missing: { status: 'fail', summary: 'The routing FQDN has no A record: the Expressway-C cannot route to IM and Presence.' },
    'lookup-failed': { status: 'error', summary: 'The A lookup failed, so whether the record exists is unknown.' },
    'not-queried': { status: 'error', summary: 'The routing FQDN was never looked up.' },
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  const imp = target.imp;
  if (!imp) return [];
  const fqdn = canonicalName(imp.fqdn);
  const view = impView(target, imp);
  const resolved = impFqdnAddresses(target, imp);
  const { ipv4, ipv4Addresses, ipv6Addresses } = resolved;
  const via = throughAliases(resolved);
  const data = {
    fqdn,
    resolvers: imp.resolvers,
    ipv4: ipv4Addresses,
    ipv6: ipv6Addresses,
    aliases: resolved.aliases.map((link) => ({ name: link.name, target: link.data })),
  };

  if (ipv4Addresses.length > 0) {
    const alsoIpv6 = ipv6Addresses.length > 0 ? ` (and IPv6 ${listOf(ipv6Addresses)})` : '';
    return [
      found.pass(
        'pass',
        fqdn,
        `${fqdn} resolves${via} on ${view} to ${listOf(ipv4Addresses)}${alsoIpv6}: the Expressway-C can resolve the ` +
          'Federation Routing IM/P FQDN.',
        { data },
      ),
    ];
  }
  if (!ipv4.last) {
    return [found.error('not-queried', fqdn, `Could not determine whether ${fqdn} has an A record: it was never looked up${deadlineNote(target)}.`, { data })];
  }
  if (!lookupIsDefinitive(ipv4)) {
    return [
      found.error(
        'lookup-failed',
        fqdn,
        `Could not determine whether ${fqdn} has an A record on ${view}: ${describeLookup(ipv4, 'A')}. Whether the ` +
          `Expressway-C can resolve the Federation Routing IM/P FQDN is unknown until this lookup succeeds.${deadlineAdvice(ipv4)}`,
        { data },
      ),
    ];
  }

  const owner = resolved.canonicalHost;
  const aliasFix = addressRecordPlacement(fqdn, resolved);
  const remediation =
    `On the internal DNS the Expressway-C uses (${listOf(imp.resolvers)}), create ` +
    `"${absoluteName(owner)} ${DEFAULT_ZONE_TTL} IN A <IM and Presence publisher IP>"${aliasFix}, with no PTR record ` +
    `for that address pointing back to ${fqdn} (see imp-fqdn-no-ptr).`;
  if (ipv6Addresses.length > 0) {
    return [
      found.warn(
        'ipv6-only',
        fqdn,
        `${fqdn}${via} has no A record on ${view} (${describeLookup(ipv4, 'A')}), only IPv6 addresses: ` +
          `${listOf(ipv6Addresses)}. The deployment guide asks for an A record with the publisher's IPv4 address; the ` +
          'Expressway-C reaches IM and Presence over IPv6 only where both have IPv6 configured.',
        remediation,
        { data },
      ),
    ];
  }
  return [
    found.fail(
      'missing',
      fqdn,
      `${fqdn}${via} has no A record on ${view} (${describeAddressLookups(resolved)}): the Expressway-C cannot ` +
        'resolve the Federation Routing IM/P FQDN, so its search rule cannot route presence and IM from Microsoft ' +
        '(the NOTIFY messages of federated presence among them) to IM and Presence.',
      remediation,
      { data },
    ),
  ];
}

export const check: Check = { meta, run };
