// Where a host sits relative to a SIP domain, the namespace rule of Microsoft's edges.
import { canonicalName } from '../../model/dns.js';

/**
 * Where a host sits relative to a SIP domain: the domain itself ('apex'), one label below it
 * ('child', e.g. sip.example.com), further below ('deeper', e.g. a.b.example.com), or elsewhere.
 */
export type NamespacePosition = 'apex' | 'child' | 'deeper' | 'outside';

export function namespacePosition(host: string, domain: string): NamespacePosition {
  const name = canonicalName(host);
  const zone = canonicalName(domain);
  if (name === zone) return 'apex';
  if (!name.endsWith(`.${zone}`)) return 'outside';
  const labelsBelow = name.slice(0, -(zone.length + 1)).split('.').length;
  return labelsBelow === 1 ? 'child' : 'deeper';
}

/** The host's first label moved directly under the domain: sip.edge.other.com → sip.example.com. */
export function hostInDomain(host: string, domain: string): string {
  const firstLabel = canonicalName(host).split('.')[0] || 'sip';
  return `${firstLabel}.${canonicalName(domain)}`;
}
