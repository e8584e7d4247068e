import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import {
  addressesDefinitive,
  breakAliasLoop,
  describeAddressLookups,
  describeLookup,
  hostAddresses,
  lookupIsDefinitive,
  throughAliases,
} from './shared/addresses.js';
import { deadlineAdvice, neverQueriedEnding } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { SRV_TARGET_PREREQUISITE_CODES, judgeFederationSrvTarget, srvTargetLookupCodes } from './shared/srv.js';
import { aliasChainText, askPartner, isPartner, listOf, plural } from './shared/wording.js';
import { DEFAULT_ZONE_TTL, absoluteName } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'srv-target-address',
  title: 'SRV target has addresses',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule: 'The SRV target Microsoft selects (after any alias) has at least one A or AAAA record.',
  impact:
    'Microsoft edges find the SRV record but cannot resolve its target, so they have nowhere to connect and ' +
    'federation with the domain fails.',
  source: 'Seed "DNS Summary" Table 3 (A/AAAA per Expressway-E peer) and "Limitations Related to DNS"; DESIGN.md §2',
  remediation: 'Create one A (and/or AAAA) record on the SRV target for each Expressway-E peer public address.',
  codes: {
    pass: { status: 'pass', summary: 'The SRV target resolves to at least one address.' },
    missing: { status: 'fail', summary: 'The SRV target has no A or AAAA record.' },
    'alias-loop': { status: 'fail', summary: "The SRV target's alias chain loops, so it never reaches an address." },
    ...srvTargetLookupCodes('whether it has addresses'),
    ...SRV_TARGET_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  return judgeFederationSrvTarget(target, found, ({ host }) => judgeAddresses(target, host));
}

function judgeAddresses(target: TargetObservations, host: string): Finding[] {
  const resolved = hostAddresses(target, host);
  const { ipv4, ipv6, canonicalHost } = resolved;
  const data = {
    target: host,
    canonicalHost,
    ipv4: resolved.ipv4Addresses,
    ipv6: resolved.ipv6Addresses,
    aliases: resolved.aliases.map((link) => ({ name: link.name, target: link.data })),
  };
  const via = throughAliases(resolved);

  if (resolved.addresses.length > 0) {
    const failed = [
      { lookup: ipv4, type: 'A' as const },
      { lookup: ipv6, type: 'AAAA' as const },
    ].filter(({ lookup }) => lookup.last !== undefined && !lookupIsDefinitive(lookup));
    const note = failed.map(
      ({ lookup, type }) =>
        ` The ${type} lookup did not complete (${describeLookup(lookup, type)}), so ${type === 'A' ? 'IPv4' : 'IPv6'} peers may be missing.`,
    );
    return [
      found.pass(
        'pass',
        host,
        `${host} resolves${via} to ${plural(resolved.addresses.length, 'address', 'addresses')}: ${listOf(resolved.addresses)}.${note.join('')}`,
        { data },
      ),
    ];
  }

  if (!ipv4.last && !ipv6.last) {
    const why = neverQueriedEnding(target, 'the lookups');
    return [found.error('not-queried', host, `Could not determine the addresses of ${host}: it was never looked up${why}`, { data })];
  }
  const partner = isPartner(target);
  const who = partner ? 'your Expressway-E and Microsoft edges' : 'Microsoft edges';
  // A loop is in the answers themselves: whatever the other lookup says, no resolver gets further.
  if (resolved.aliasLoop) {
    const loop = aliasChainText(host, resolved.aliasLoop);
    return [
      found.fail(
        'alias-loop',
        host,
        `${host} cannot be resolved: its alias chain loops (${loop}), so it never reaches an A or AAAA record: ${who} ` +
          `find the SRV record but cannot resolve its target, so they have nowhere to connect and federation with ` +
          `${target.domain} fails.`,
        breakAliasLoop(target, host, resolved.aliasLoop),
        { data: { ...data, aliasLoop: resolved.aliasLoop.map((link) => ({ name: link.name, target: link.data })) } },
      ),
    ];
  }
  const outcomes = describeAddressLookups(resolved);
  if (!addressesDefinitive(resolved)) {
    return [
      found.error(
        'lookup-failed',
        host,
        `Could not determine the addresses of ${host}${via}: ${outcomes}. Whether it has any is unknown until ` +
          `these lookups succeed.${deadlineAdvice(ipv4, ipv6)}`,
        { data },
      ),
    ];
  }

  const aliasFix =
    resolved.aliases.length > 0 ? ` (${host} is an alias, so the records belong on ${canonicalHost}, its canonical name)` : '';
  const remediation = partner
    ? askPartner(target.domain, `publish the public addresses of their federation edge as A/AAAA records of ${canonicalHost}${aliasFix}.`)
    : `Create one record on ${canonicalHost} for each Expressway-E peer's public address${aliasFix}: ` +
      `"${absoluteName(canonicalHost)} ${DEFAULT_ZONE_TTL} IN A <peer public IPv4>" and/or ` +
      `"${absoluteName(canonicalHost)} ${DEFAULT_ZONE_TTL} IN AAAA <peer public IPv6>", up to 6 peers.`;
  return [
    found.fail(
      'missing',
      host,
      `${host}${via} has no A or AAAA record (${outcomes}): ${who} find the SRV record but cannot resolve its ` +
        `target, so they have nowhere to connect and federation with ${target.domain} fails.`,
      remediation,
      { data },
    ),
  ];
}

export const check: Check = { meta, run };
