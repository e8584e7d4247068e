// Whether one certificate of a chain is inside its validity period at the run's `now`, with the
// --warn-days and --crit-days margins, and how to say it: cert-validity and imp-tls both judge so.
import type { CertificateInfo } from '../../model/observations.js';
import { DAY_MS, wholeDaysBetween } from '../../model/time.js';
import type { CheckContext } from '../types.js';
import { certificateLabel, type ChainElementRole } from './certificates.js';
import type { ElementJudgement } from './chain.js';
import { days } from './wording.js';

/** What is wrong with an element's dates; each is a variant of cert-validity and imp-tls. */
export type ValidityProblem = 'expired' | 'not-yet-valid' | 'expiring-critical' | 'expiring' | 'unreadable-date';

export interface ElementValidity extends ElementJudgement {
  subject: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (floor); negative once expired; NaN when the dates are unreadable. */
  daysLeft: number;
  problem?: ValidityProblem;
}

export type ValidityMargins = Pick<CheckContext, 'now' | 'warnDays' | 'critDays'>;

/**
 * Thresholds count whole days left: fewer than warnDays is a warning, fewer than critDays a
 * failure. floor(x) < n ⇔ x < n for whole n, so comparing the floored days is exact.
 */
export function judgeValidity(
  chain: readonly CertificateInfo[],
  index: number,
  element: ChainElementRole,
  margins: ValidityMargins,
): ElementValidity {
  const certificate = chain[index]!;
  const notBefore = Date.parse(certificate.notBefore);
  const notAfter = Date.parse(certificate.notAfter);
  const now = margins.now.getTime();
  const base = { index, element, subject: certificateLabel(certificate), notBefore: certificate.notBefore, notAfter: certificate.notAfter };
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) {
    return { ...base, daysLeft: Number.NaN, status: 'error', problem: 'unreadable-date' };
  }
  const daysLeft = wholeDaysBetween(margins.now, new Date(notAfter));
  if (now < notBefore) return { ...base, daysLeft, status: 'fail', problem: 'not-yet-valid' };
  if (now > notAfter) return { ...base, daysLeft, status: 'fail', problem: 'expired' };
  if (daysLeft < margins.critDays) return { ...base, daysLeft, status: 'fail', problem: 'expiring-critical' };
  if (daysLeft < margins.warnDays) return { ...base, daysLeft, status: 'warn', problem: 'expiring' };
  return { ...base, daysLeft, status: 'pass' };
}

/** An instant as ISO 8601 to the second: "2025-06-01T12:00:00Z". */
export function isoInstant(timestamp: number): string {
  return new Date(timestamp).toISOString().replace('.000Z', 'Z');
}

/** "the leaf CN=… expired on … (3 days ago)", "the intermediate CN=… expires on …, in 12 days". */
export function describeValidity(validity: ElementValidity, now: Date): string {
  const who = `the ${validity.element} ${validity.subject}`;
  switch (validity.problem) {
    case 'unreadable-date':
      return `${who} has a validity period that could not be read (notBefore "${validity.notBefore}", notAfter "${validity.notAfter}")`;
    case 'not-yet-valid': {
      const wait = Math.ceil((Date.parse(validity.notBefore) - now.getTime()) / DAY_MS);
      return `${who} is not valid until ${isoInstant(Date.parse(validity.notBefore))} (in ${days(wait)})`;
    }
    case 'expired': {
      const ago = wholeDaysBetween(new Date(Date.parse(validity.notAfter)), now);
      return `${who} expired on ${isoInstant(Date.parse(validity.notAfter))} (${ago === 0 ? 'less than a day' : days(ago)} ago)`;
    }
    default:
      return `${who} expires on ${isoInstant(Date.parse(validity.notAfter))}, ${validity.daysLeft === 0 ? 'within a day' : `in ${days(validity.daysLeft)}`}`;
  }
}

/** " (warning within 30 days, failure within 14 days)" for an expiring element, else "". */
export function marginsNote(problem: ValidityProblem | undefined, margins: ValidityMargins): string {
  return problem === 'expiring' || problem === 'expiring-critical'
    ? ` (warning within ${days(margins.warnDays)}, failure within ${days(margins.critDays)})`
    : '';
}

/** The element that expires first among those whose dates could be read. */
export function firstToExpire(elements: readonly ElementValidity[]): ElementValidity | undefined {
  return elements
    .filter((element) => !Number.isNaN(element.daysLeft))
    .reduce<ElementValidity | undefined>((soonest, element) => (soonest === undefined || element.daysLeft < soonest.daysLeft ? element : soonest), undefined);
}
