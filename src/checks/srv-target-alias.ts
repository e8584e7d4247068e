import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { microsoft365Cloud } from '../model/microsoft365.js';
import { breakAliasLoop, describeAddressLookups, hostAddresses, lookupIsDefinitive, type HostAddresses } from './shared/addresses.js';
import { deadlineAdvice, neverQueriedEnding } from './shared/deadline.js';
import { findingBuilder } from './shared/findings.js';
import { namespacePosition } from './shared/namespace.js';
import { SRV_TARGET_PREREQUISITE_CODES, judgeFederationSrvTarget, srvTargetLookupCodes, type FederationSrv } from './shared/srv.js';
import { aliasChainText, askPartner, isPartner, quotedList } from './shared/wording.js';
import { addressZoneLine, srvZoneLine, zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'srv-target-alias',
  title: 'SRV target is not an alias',
  severity: 'warn',
  roles: ['local', 'partner'],
  rule:
    'The SRV target Microsoft selects is a name with its own A/AAAA records, not a CNAME (RFC 2782: the target must not be an alias). ' +
    'An alias chain that loops back to a name already on it fails: the target cannot be resolved at all.',
  impact:
    'SIP stacks may refuse to follow an aliased SRV target; when they do follow it, federation also depends on ' +
    'the alias chain and every zone it crosses.',
  source: 'RFC 2782 (Target: "the name MUST NOT be an alias"); DESIGN.md §2',
  remediation:
    'Point the SRV record at the canonical name, or replace the CNAME with A/AAAA records for the Expressway-E peers.',
  codes: {
    pass: { status: 'pass', summary: 'The SRV target has its own A/AAAA records.' },
    alias: { status: 'warn', summary: 'The SRV target is an alias (CNAME), which RFC 2782 forbids.' },
    'alias-loop': { status: 'fail', summary: "The SRV target's alias chain loops: no resolver can resolve it." },
    microsoft365: { status: 'info', summary: "The SRV target is an alias of Microsoft 365's federation edge, as Microsoft runs its DNS." },
    'no-address': { status: 'skip', summary: 'The SRV target has no address records and is not an alias (see srv-target-address).' },
    ...srvTargetLookupCodes('whether it is an alias'),
    ...SRV_TARGET_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  return judgeFederationSrvTarget(target, found, (srv) => judgeAlias(target, srv));
}

function judgeAlias(target: TargetObservations, srv: FederationSrv): Finding[] {
  const { host } = srv;
  const resolved = hostAddresses(target, host);
  const { aliases } = resolved;
  const data = {
    target: host,
    aliases: aliases.map((link) => ({ name: link.name, target: link.data })),
    canonicalHost: resolved.canonicalHost,
  };

  if (resolved.aliasLoop && resolved.addresses.length === 0) {
    const loop = resolved.aliasLoop;
    return [
      found.fail(
        'alias-loop',
        host,
        `${host}, the SRV target Microsoft selects, is an alias whose chain loops (${aliasChainText(host, loop)}): it never ` +
          'reaches a name with A/AAAA records, so no resolver can resolve it and Microsoft edges have nowhere to connect ' +
          '(srv-target-address). RFC 2782 forbids an alias as SRV target in any case.',
        breakAliasLoop(target, host, loop),
        { data: { ...data, aliasLoop: loop.map((link) => ({ name: link.name, target: link.data })) } },
      ),
    ];
  }

  if (aliases.length > 0) {
    const chain = aliasChainText(host, aliases);
    const cloud = microsoft365Cloud(host);
    if (cloud) {
      return [
        found.info(
          'microsoft365',
          host,
          `${host} is an alias (${chain}). It is the federation edge of ${cloud}, and Microsoft runs its DNS ` +
            'that way; nothing to change.',
          { data },
        ),
      ];
    }
    return [
      found.warn(
        'alias',
        host,
        `${host}, the SRV target Microsoft selects, is an alias (${chain}). RFC 2782 forbids an alias as SRV target: ` +
          'SIP stacks may refuse to follow it, and federation then also depends on every zone the chain crosses.',
        remediation(target, srv, resolved),
        { data },
      ),
    ];
  }

  if (resolved.addresses.length > 0) {
    return [found.pass('pass', host, `${host} is not an alias: it has its own A/AAAA records, as RFC 2782 requires.`, { data })];
  }
  if (!resolved.ipv4.last && !resolved.ipv6.last) {
    const why = neverQueriedEnding(target, 'the lookups');
    return [found.error('not-queried', host, `Could not determine whether ${host} is an alias: it was never looked up${why}`, { data })];
  }
  if (lookupIsDefinitive(resolved.ipv4) || lookupIsDefinitive(resolved.ipv6)) {
    return [
      found.skip(
        'no-address',
        host,
        `Not checked: ${host} has no address records and is not an alias (${describeAddressLookups(resolved)}); ` +
          'srv-target-address reports it.',
        { data },
      ),
    ];
  }
  return [
    found.error(
      'lookup-failed',
      host,
      `Could not determine whether ${host} is an alias: ${describeAddressLookups(resolved)}.${deadlineAdvice(resolved.ipv4, resolved.ipv6)}`,
      { data },
    ),
  ];
}

function remediation(target: TargetObservations, srv: FederationSrv, resolved: HostAddresses): string {
  const { host, selectedRecord } = srv;
  const canonical = resolved.canonicalHost;
  const firstAlias = resolved.aliases[0];
  const inDomain = (name: string) => ['child', 'apex'].includes(namespacePosition(name, target.domain));
  const who = isPartner(target) ? "edge's" : 'Expressway-E';
  let action: string;
  // Pointing the SRV at a canonical name outside the SIP domain would trade this warning for a
  // namespace failure (srv-target-namespace), so a target inside the domain keeps its name and
  // the alias gives way to address records instead.
  if (firstAlias && inDomain(host) && !inDomain(canonical)) {
    const peer = isPartner(target) ? 'edge server' : 'Expressway-E peer';
    const addresses =
      resolved.addresses.length > 0
        ? quotedList(resolved.addresses.map((address) => addressZoneLine(host, address, firstAlias.ttl)))
        : `one A/AAAA record of ${host} per ${peer}`;
    action =
      `replace "${zoneLine(firstAlias)}" with ${addresses}, so that ${host} stays in ${target.domain} ` +
      `(${canonical} is outside it, and Microsoft rejects SRV targets outside the SIP domain).`;
  } else {
    const newSrv = srvZoneLine(selectedRecord.name, { ...selectedRecord.data, target: canonical }, selectedRecord.ttl);
    const namespace = inDomain(canonical)
      ? ''
      : ` ${canonical} is not directly in ${target.domain} either: srv-target-namespace says how to move the target into it.`;
    action =
      `change "${zoneLine(selectedRecord)}" to "${newSrv}" (the canonical name); the ${who} certificate must ` +
      `then carry ${canonical}.${namespace}`;
  }
  return isPartner(target) ? askPartner(target.domain, action) : action.charAt(0).toUpperCase() + action.slice(1);
}

export const check: Check = { meta, run };
