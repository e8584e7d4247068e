// Readings of a result that several renderers share, so that "days left", a peer's label and
// the order of statuses mean the same thing in every format.
import { STATUS_RANK, type Finding, type Status, type TargetResult } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { formatEndpoint } from '../model/ip.js';
import { wholeDaysBetween } from '../model/time.js';

/** Most urgent first: the order in which findings are listed. */
export const STATUS_SEVERITY_ORDER: readonly Status[] = ['fail', 'error', 'warn', 'info', 'pass', 'skip'];

export { STATUS_RANK };

/** Status as a word that reads without colour. */
export function statusWord(status: Status): string {
  return status.toUpperCase();
}

/**
 * Whole days from `now` until `notAfter`, rounded down (so a certificate expiring in 13.9 days
 * counts as 13, as a threshold of 14 expects); negative once expired. Undefined when either
 * date cannot be read, e.g. a certificate whose validity failed to parse.
 */
export function daysLeft(notAfter: string, now: string): number | undefined {
  const end = Date.parse(notAfter);
  const start = Date.parse(now);
  if (Number.isNaN(end) || Number.isNaN(start)) return undefined;
  return wholeDaysBetween(new Date(start), new Date(end));
}

/** "192.0.2.10:5061", "[2001:db8::10]:5061": the subject the TLS checks use. */
export function peerLabel(probe: TlsProbeObservation): string {
  return formatEndpoint(probe.address, probe.port);
}

export function leafCertificate(probe: TlsProbeObservation): CertificateInfo | undefined {
  return probe.chain[0];
}

export function probesFor(target: TargetResult, purpose: TlsProbeObservation['purpose']): TlsProbeObservation[] {
  return target.observations.tls.filter((probe) => probe.purpose === purpose);
}

/** Findings most urgent first; findings of one status keep the order the checks gave them. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return STATUS_SEVERITY_ORDER.flatMap((status) => findings.filter((finding) => finding.status === status));
}

export function countStatuses(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, info: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const finding of findings) {
    if (finding.status in counts) counts[finding.status] += 1;
  }
  return counts;
}

/** A threshold from `result.options`, which is free-form: only a finite number counts. */
export function numericOption(options: Record<string, unknown>, name: string): number | undefined {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function roleTitle(target: TargetResult): string {
  return target.role === 'local' ? `Local SIP domain ${target.domain}` : `Partner ${target.domain}`;
}
