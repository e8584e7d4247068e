import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { hostAddresses } from './shared/addresses.js';
import { findingBuilder } from './shared/findings.js';
import { SRV_TARGET_PREREQUISITE_CODES, judgeFederationSrvTarget } from './shared/srv.js';
import { isPartner, listOf, plural, quotedList } from './shared/wording.js';
import { zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

/** An Expressway-E cluster has at most 6 peers, each with one public address per family. */
const MAX_EXPRESSWAY_PEERS = 6;

const meta = {
  id: 'srv-target-peers',
  title: 'SRV target holds at most 6 peers',
  severity: 'warn',
  roles: ['local', 'partner'],
  rule:
    'The SRV target has at most 6 A records and at most 6 AAAA records: an Expressway-E cluster has up to 6 ' +
    'peers, published as round-robin A/AAAA records of one name.',
  impact:
    'Round-robin DNS hands every address to Microsoft edges in turn; addresses beyond the cluster peers are ' +
    'stale or foreign hosts, and the federation connections sent to them fail.',
  source: 'Seed "DNS Summary" Table 3 ("one record for each peer in the Expressway-E cluster (Up to 6 records)"); DESIGN.md §2',
  remediation: 'Delete the A/AAAA records of the SRV target that are not Expressway-E cluster peers.',
  codes: {
    pass: { status: 'pass', summary: 'The SRV target has at most 6 addresses per family.' },
    'too-many': { status: 'warn', summary: 'The SRV target has more than 6 A or AAAA records: some are not Expressway-E peers.' },
    'partner-many': { status: 'info', summary: "A partner's SRV target has more than 6 addresses: the Expressway-E limit does not apply to a Microsoft edge." },
    'no-address': { status: 'skip', summary: 'The SRV target has no addresses to count (see srv-target-address).' },
    ...SRV_TARGET_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  return judgeFederationSrvTarget(target, found, ({ host }) => judgePeerCount(target, host));
}

function judgePeerCount(target: TargetObservations, host: string): Finding[] {
  const resolved = hostAddresses(target, host);
  const { addresses, ipv4Addresses, ipv6Addresses, canonicalHost } = resolved;
  const data = { target: host, count: addresses.length, ipv4: ipv4Addresses, ipv6: ipv6Addresses };
  if (addresses.length === 0) {
    return [found.skip('no-address', host, `Not checked: ${host} has no addresses to count (see srv-target-address).`, { data })];
  }

  const families = `${ipv4Addresses.length} IPv4, ${ipv6Addresses.length} IPv6`;
  const probed = `fedcheck probes ${addresses.length === 1 ? 'it' : `all ${addresses.length}`} on TLS: ${listOf(addresses)}.`;
  const crowded = [
    { family: 'IPv4', type: 'A', list: ipv4Addresses },
    { family: 'IPv6', type: 'AAAA', list: ipv6Addresses },
  ].filter(({ list }) => list.length > MAX_EXPRESSWAY_PEERS);

  if (crowded.length === 0) {
    const dualStack =
      addresses.length > MAX_EXPRESSWAY_PEERS
        ? ` That is more than ${MAX_EXPRESSWAY_PEERS} addresses, but no more than ${MAX_EXPRESSWAY_PEERS} per family: dual-stack peers each have an A and an AAAA record.`
        : '';
    return [
      found.pass(
        'pass',
        host,
        `${host} has ${plural(addresses.length, 'peer address', 'peer addresses')} (${families}); ${probed}${dualStack}`,
        { data },
      ),
    ];
  }

  const excess = crowded.map(({ family, type, list }) => `${list.length} ${type} records (${family})`).join(' and ');
  if (isPartner(target)) {
    return [
      found.info(
        'partner-many',
        host,
        `${host} has ${excess}. ${target.domain} runs a Microsoft edge, not an Expressway-E cluster, so the ` +
          `${MAX_EXPRESSWAY_PEERS}-peer limit does not apply; ${probed}`,
        { data },
      ),
    ];
  }
  const records = resolved.records.filter((record) => crowded.some(({ type }) => type === record.type));
  return [
    found.warn(
      'too-many',
      host,
      `${host} has ${excess}, more than the ${MAX_EXPRESSWAY_PEERS} peers an Expressway-E cluster can have, so some ` +
        'of these addresses are not Expressway-E peers (a decommissioned peer, another service). Round-robin DNS hands ' +
        'each address to Microsoft edges in turn, so a share of federation connections goes to hosts that are not ' +
        `peers. ${probed} The tls-* findings show which ones answer.`,
      `Delete the records of ${canonicalHost} that are not Expressway-E cluster peers, keeping at most ` +
        `${MAX_EXPRESSWAY_PEERS} per address family; the current records are ${quotedList(records.map(zoneLine))}.`,
      { data },
    ),
  ];
}

export const check: Check = { meta, run };
