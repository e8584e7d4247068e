// Running checks on hand-made targets, with the fixed clock and default margins of the builders:
//
//   const finding = singleFinding(check, federationTarget({ srv: [srv(10, 10, 5062, 'sip.ciscoexample.com')] }));
//   const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate({ sanDnsNames: ['other.example.com'] })] }));
//   expect(finding.code).toBe('cert-name.mismatch');
import type { Check, CheckContext } from '../../../src/checks/types.js';
import type { Finding } from '../../../src/model/findings.js';
import type { TargetObservations, TlsProbeObservation } from '../../../src/model/observations.js';
import { NOW } from './dns.js';
import { tlsTarget, type TlsTargetOptions } from './tls.js';

export type ContextOverrides = Partial<Omit<CheckContext, 'target'>>;

export function checkContext(target: TargetObservations, overrides: ContextOverrides = {}): CheckContext {
  return { target, now: NOW, warnDays: 30, critDays: 14, ...overrides };
}

export function runCheck(check: Check, target: TargetObservations, overrides?: ContextOverrides): Finding[] {
  return check.run(checkContext(target, overrides));
}

/** Runs the check and returns its only finding; throws when it produced none or several. */
export function singleFinding(check: Check, target: TargetObservations, overrides?: ContextOverrides): Finding {
  const findings = runCheck(check, target, overrides);
  if (findings.length !== 1 || !findings[0]) {
    throw new Error(`${check.meta.id} produced ${findings.length} findings, expected exactly one`);
  }
  return findings[0];
}

/** Runs the check on a target made of these probes. */
export function judgeAll(check: Check, probes: TlsProbeObservation[], options: TlsTargetOptions & ContextOverrides = {}): Finding[] {
  const { role, deadlineExceeded, revocation, ...context } = options;
  return runCheck(check, tlsTarget(probes, { role, deadlineExceeded, revocation }), context);
}

/** Runs the check on a target with this one probe and returns its only finding. */
export function judgeOne(check: Check, probe: TlsProbeObservation, options: TlsTargetOptions & ContextOverrides = {}): Finding {
  const { role, deadlineExceeded, revocation, ...context } = options;
  return singleFinding(check, tlsTarget([probe], { role, deadlineExceeded, revocation }), context);
}

/** The codes of findings, in order: what check tests compare. */
export function codesOf(findings: readonly Finding[]): string[] {
  return findings.map((finding) => finding.code);
}
