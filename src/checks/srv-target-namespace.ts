import type { Finding } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import { microsoft365Cloud } from '../model/microsoft365.js';
import { hostAddresses } from './shared/addresses.js';
import { findingBuilder } from './shared/findings.js';
import { hostInDomain, namespacePosition } from './shared/namespace.js';
import { SRV_TARGET_PREREQUISITE_CODES, judgeFederationSrvTarget, type FederationSrv } from './shared/srv.js';
import { isPartner, quotedList } from './shared/wording.js';
import { addressZoneLine, srvZoneLine, zoneLine } from './shared/zone-file.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const MS_DIAGNOSTICS_1009 = 'ms-diagnostics: 1009;reason="No match for domain in DNS SRV results"';
const SEED_NAMESPACE = 'Seed "Limitations Related to DNS" › Domain Namespace Compatibility for Microsoft Skype for Business';
const TAC_212383 = `${SEED_NAMESPACE}; Cisco TAC document 212383`;

const meta = {
  id: 'srv-target-namespace',
  title: 'SRV target is in the SIP domain namespace',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'The SRV target Microsoft selects is <host>.<domain>, directly in the SIP domain. Outside the domain is ' +
    'rejected by Microsoft; a deeper subdomain (a.b.<domain>) is reported rejected too. For partners this is information only.',
  impact:
    'Microsoft edges refuse to federate with an edge outside the SIP domain namespace (ms-diagnostics 1009) ' +
    'unless every Microsoft organization configures the domain by hand, so open federation fails.',
  msDiagnostics: '1009;reason="No match for domain in DNS SRV results"',
  source: `${SEED_NAMESPACE}; Cisco TAC document 212383; DESIGN.md §2`,
  remediation:
    'Give the Expressway-E cluster a name directly in the SIP domain (sip.<domain>) with A/AAAA records for ' +
    'its peers, point the SRV record at it, and include that name in the Expressway-E certificate.',
  codes: {
    pass: { status: 'pass', summary: 'The SRV target is directly in the SIP domain (<host>.<domain>).' },
    apex: { status: 'pass', summary: 'The SRV target is the SIP domain itself.' },
    deeper: { status: 'warn', summary: 'The SRV target is in a deeper subdomain (a.b.<domain>), which Microsoft is reported to reject.' },
    outside: { status: 'fail', summary: 'The SRV target is outside the SIP domain: Microsoft rejects it (ms-diagnostics 1009).' },
    microsoft365: { status: 'info', summary: 'The SRV target is a Microsoft 365 federation edge: the domain is hosted by Microsoft.' },
    'partner-deeper': { status: 'info', summary: "A partner's SRV target is in a deeper subdomain: the partner's to fix, not your federation's problem." },
    'partner-outside': { status: 'info', summary: "A partner's SRV target is outside its domain: the partner's to fix, not your federation's problem." },
    ...SRV_TARGET_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function run({ target }: CheckContext): Finding[] {
  return judgeFederationSrvTarget(target, found, (srv) => judgeNamespace(target, srv));
}

function judgeNamespace(target: TargetObservations, srv: FederationSrv): Finding[] {
  const { host } = srv;
  const domain = target.domain;
  const partner = isPartner(target);
  const cloud = microsoft365Cloud(host);
  const position = namespacePosition(host, domain);
  const data: Record<string, unknown> = { target: host, domain, position };

  if (cloud) {
    data.microsoft365 = cloud;
    if (partner) {
      return [
        found.info(
          'microsoft365',
          host,
          `${domain} is hosted by ${cloud}: its SRV record points at Microsoft's federation edge ${host}. Federation ` +
            `with it is federation with Microsoft 365, so the tenant must allow external access for your domain.`,
          { data },
        ),
      ];
    }
    return [
      found.info(
        'microsoft365',
        host,
        `${domain} is hosted by ${cloud}: its SRV record points at Microsoft's federation edge ${host}, so Microsoft ` +
          'routes federation traffic for it to Microsoft 365 (Teams), not to your Expressway-E. The namespace rule does ' +
          'not apply to Microsoft-hosted domains.',
        {
          data,
          remediation: `If ${domain} users are meant to be on Cisco IM and Presence, point "${zoneLine(srv.selectedRecord)}" at your Expressway-E cluster FQDN instead.`,
        },
      ),
    ];
  }

  switch (position) {
    case 'child':
      return [found.pass('pass', host, `${host} is directly in ${domain}, the namespace Microsoft edges require.`, { data })];
    case 'apex':
      return [
        found.pass(
          'apex',
          host,
          `${host} is the SIP domain itself, which is inside its own namespace, so Microsoft accepts it. Its A/AAAA ` +
            `records must then be the ${partner ? 'federation edge servers' : 'Expressway-E peers'} (not, say, a web ` +
            `server), and the ${partner ? "edge's" : 'Expressway-E'} certificate must carry ${domain}.`,
          { data },
        ),
      ];
    case 'deeper': {
      const message =
        `${host} is in a subdomain of ${domain}, not directly in it. Microsoft edges require the federation edge in ` +
        "the SIP domain's namespace, and Cisco TAC (document 212383) reports they reject targets in a deeper subdomain too.";
      if (partner) return [partnerInfo('partner-deeper', host, message, data)];
      return [found.warn('deeper', host, message, remediation(target, srv), { data, reference: TAC_212383 })];
    }
    case 'outside': {
      const message =
        `${host} is outside ${domain}'s namespace. Microsoft edges require the federation edge in the SIP domain's ` +
        `namespace and reject the connection with ${MS_DIAGNOSTICS_1009}, unless each Microsoft organization adds ` +
        `${domain} with this edge FQDN to its federated domains by hand.`;
      if (partner) return [partnerInfo('partner-outside', host, message, data)];
      return [found.fail('outside', host, message, remediation(target, srv), { data })];
    }
  }
}

function partnerInfo(variant: 'partner-deeper' | 'partner-outside', host: string, message: string, data: Record<string, unknown>): Finding {
  return found.info(
    variant,
    host,
    `${message} That rule is applied by Microsoft edges, not by your Expressway-E: your outbound federation to ` +
      "this partner is not affected by it; it matters for other Microsoft organizations and is the partner's to fix.",
    { data },
  );
}

function remediation(target: TargetObservations, srv: FederationSrv): string {
  const { host, selectedRecord } = srv;
  const newHost = hostInDomain(host, target.domain);
  const addresses = hostAddresses(target, host).addresses;
  const create =
    addresses.length > 0
      ? `Create ${quotedList(addresses.map((address) => addressZoneLine(newHost, address)))}`
      : `Create one A/AAAA record of ${newHost} for each Expressway-E peer's public address`;
  const newSrv = srvZoneLine(selectedRecord.name, { ...selectedRecord.data, target: newHost }, selectedRecord.ttl);
  return (
    `${create}, then change "${zoneLine(selectedRecord)}" to "${newSrv}". The Expressway-E certificate must ` +
    `carry ${newHost} in its subject alternative names.`
  );
}

export const check: Check = { meta, run };
