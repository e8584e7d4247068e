// The registry of checks, in report order, and how a target is judged with them.
//
// Each file beside this one holds one check: its meta (id, rule, source, and the codes of every
// finding variant it makes) and a pure run over the observations. What several checks share
// lives in shared/ (findings, SRV prerequisites, addresses, peers, TLS session and certificate
// readings, the chain judge, wording and zone-file lines); no check imports another.
import type { Finding, Summary } from '../model/findings.js';
import { STATUSES, exitCodeFor, worstStatus } from '../model/findings.js';
import type { TargetObservations } from '../model/observations.js';
import type { SeverityOverride } from '../model/options.js';
import { fullCode } from './shared/findings.js';
import type { Check, CodeDeclaration } from './types.js';
// The own domain's DNS: presence of the SRV record first, then what Microsoft does with it, then its target.
import { check as srvPresent } from './srv-present.js';
import { check as srvAvailable } from './srv-available.js';
import { check as srvSingle } from './srv-single.js';
import { check as srvPort } from './srv-port.js';
import { check as srvTargetNamespace } from './srv-target-namespace.js';
import { check as srvTargetAlias } from './srv-target-alias.js';
import { check as srvTargetAddress } from './srv-target-address.js';
import { check as srvTargetPeers } from './srv-target-peers.js';
// The zone behind the record: every authoritative server, and the domain's other Teams / Skype records.
import { check as dnsAuthoritative } from './dns-authoritative.js';
import { check as m365Records } from './m365-records.js';
// TLS on every peer: reachability, the handshake, what the certificate says, the cross-peer and mutual-TLS views.
import { check as tlsConnect } from './tls-connect.js';
import { check as tlsHandshake } from './tls-handshake.js';
import { check as tlsVersion } from './tls-version.js';
import { check as tlsCiphers } from './tls-ciphers.js';
import { check as certTrust } from './cert-trust.js';
import { check as certValidity } from './cert-validity.js';
import { check as certName } from './cert-name.js';
import { check as certEku } from './cert-eku.js';
import { check as certKey } from './cert-key.js';
import { check as certSignature } from './cert-signature.js';
import { check as certRevocation } from './cert-revocation.js';
import { check as certConsistent } from './cert-consistent.js';
import { check as tlsClientAuth } from './tls-client-auth.js';
import { check as sipOptions } from './sip-options.js';
// IM and Presence (--imp-fqdn, --imp-publisher), then the comparison of the DNS views (--internal-resolver).
import { check as impFqdnAddress } from './imp-fqdn-address.js';
import { check as impFqdnNoPtr } from './imp-fqdn-no-ptr.js';
import { check as impTls } from './imp-tls.js';
import { check as impPublisherPublic } from './imp-publisher-public.js';
import { check as dnsViews } from './dns-views.js';

// The pipeline and the CLI judge through the registry; the model owns these rules (reports use them too).
export { exitCodeFor, worstStatus };

/** Every check, in report order. Ids and codes are stable: they are part of the JSON and CLI contract. */
export const ALL_CHECKS: readonly Check[] = [
  srvPresent,
  srvAvailable,
  srvSingle,
  srvPort,
  srvTargetNamespace,
  srvTargetAlias,
  srvTargetAddress,
  srvTargetPeers,
  dnsAuthoritative,
  m365Records,
  tlsConnect,
  tlsHandshake,
  tlsVersion,
  tlsCiphers,
  certTrust,
  certValidity,
  certName,
  certEku,
  certKey,
  certSignature,
  certRevocation,
  certConsistent,
  tlsClientAuth,
  sipOptions,
  impFqdnAddress,
  impFqdnNoPtr,
  impTls,
  impPublisherPublic,
  dnsViews,
];

/**
 * Check ids that became part of another check. `explain` and severity overrides still accept
 * them, for their successor, so a config file written for an older version keeps its meaning.
 */
export const RETIRED_CHECK_IDS: Readonly<Record<string, string>> = { 'cert-crl': 'cert-revocation' };

/** The check with this id (a retired id finds its successor). */
export function findCheck(id: string): Check | undefined {
  const current = RETIRED_CHECK_IDS[id] ?? id;
  return ALL_CHECKS.find((check) => check.meta.id === current);
}

export interface DeclaredCode extends CodeDeclaration {
  /** `<check-id>.<variant>` */
  code: string;
}

/** The codes a check declares, in declaration order. */
export function declaredCodes(check: Check): DeclaredCode[] {
  return Object.entries(check.meta.codes).map(([variant, declaration]) => ({ code: fullCode(check.meta.id, variant), ...declaration }));
}

const ALL_CODES: ReadonlySet<string> = new Set(ALL_CHECKS.flatMap((check) => declaredCodes(check).map(({ code }) => code)));

/** The check that declares a full code ("srv-port.port-zero"), or undefined. */
export function findCheckByCode(code: string): Check | undefined {
  return ALL_CODES.has(code) ? findCheck(code.slice(0, code.indexOf('.'))) : undefined;
}

/** True for what a severity override may name: a check id, or a full code a check declares. */
export function isOverrideKey(key: string): boolean {
  return findCheck(key) !== undefined || ALL_CODES.has(key);
}

export interface JudgeSettings {
  now: Date;
  warnDays: number;
  critDays: number;
  /** By check id or full code; a code's override wins over its check's. */
  checkOverrides: Record<string, SeverityOverride>;
}

export function judgeTarget(target: TargetObservations, settings: JudgeSettings): Finding[] {
  const overrides = withSuccessors(settings.checkOverrides);
  const findings: Finding[] = [];
  for (const check of ALL_CHECKS) {
    if (!check.meta.roles.includes(target.role)) continue;
    if (overrides[check.meta.id] === 'off' && !overridesAnyCode(check, overrides)) continue;
    const produced = check.run({
      target,
      now: settings.now,
      warnDays: settings.warnDays,
      critDays: settings.critDays,
    });
    for (const finding of produced) {
      const override = overrides[finding.code] ?? overrides[check.meta.id];
      if (override === 'off') continue;
      findings.push(override ? applyOverride(finding, override) : finding);
    }
  }
  return findings;
}

/** An override of a retired check id applies to its successor, unless the successor has its own. */
function withSuccessors(overrides: Record<string, SeverityOverride>): Record<string, SeverityOverride> {
  const result = { ...overrides };
  for (const [retired, successor] of Object.entries(RETIRED_CHECK_IDS)) {
    const override = overrides[retired];
    if (override !== undefined && result[successor] === undefined) result[successor] = override;
  }
  return result;
}

function overridesAnyCode(check: Check, overrides: Record<string, SeverityOverride>): boolean {
  return declaredCodes(check).some(({ code }) => overrides[code] !== undefined);
}

/** A severity override changes what a broken rule costs; it never turns a pass or an error into something else. */
function applyOverride(finding: Finding, override: Exclude<SeverityOverride, 'off'>): Finding {
  if (finding.status !== 'warn' && finding.status !== 'fail') return finding;
  if (finding.status === override) return finding;
  return { ...finding, status: override, data: { ...finding.data, severityOverriddenFrom: finding.status } };
}

export function summarise(findings: Iterable<Finding>): Summary {
  const summary = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Summary;
  for (const finding of findings) summary[finding.status]++;
  return summary;
}
