// Small wording helpers for messages and remediations.
import type { TargetObservations } from '../../model/observations.js';
import { canonicalName } from '../../model/dns.js';
import type { CnameRecord } from './zone-file.js';

/** "1 record", "2 records"; pass the plural when it is not singular + "s". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Each item in double quotes, listed: `"a" and "b"` (zone lines in remediation). */
export function quotedList(items: readonly string[]): string {
  return listOf(items.map((item) => `"${item}"`));
}

/** "sip.example.com → edge.example.net → lb.example.net" */
export function aliasChainText(start: string, chain: readonly CnameRecord[]): string {
  return [canonicalName(start), ...chain.map((link) => link.data)].join(' → ');
}

/** Remediation for a partner domain: the fix is theirs, so it is phrased as a request. */
export function askPartner(domain: string, action: string): string {
  return `Ask the administrators of ${domain} (it is their DNS and edge) to ${action}`;
}

export function isPartner(target: TargetObservations): boolean {
  return target.role === 'partner';
}

export function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** "1 day", "3 days". */
export function days(count: number): string {
  return plural(count, 'day');
}
