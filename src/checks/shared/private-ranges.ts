// Address ranges the Internet cannot route to: an SRV target resolving to one on the external
// view sends Microsoft's edges nowhere (dns-views).
import { inNetwork, parseIpAddress, unmapIpv4, type IpAddressBytes } from '../../model/ip.js';

interface AddressRange {
  network: IpAddressBytes;
  bits: number;
  label: string;
}

function range(cidr: string, label: string): AddressRange {
  const [text = '', bits = ''] = cidr.split('/');
  const network = parseIpAddress(text);
  if (!network) throw new Error(`bad range ${cidr}`);
  return { network, bits: Number(bits), label: `${cidr}, ${label}` };
}

// Loopback (127.0.0.0/8, ::1) is deliberately absent: it is no more reachable from the Internet
// than these, but the embedded lab serves every scenario on 127.x, and a loopback answer in a
// report can only come from a test setup, so counting it as private would make the lab unable
// to show a healthy split-DNS pass.
const PRIVATE_RANGES: AddressRange[] = [
  range('10.0.0.0/8', 'private (RFC 1918)'),
  range('172.16.0.0/12', 'private (RFC 1918)'),
  range('192.168.0.0/16', 'private (RFC 1918)'),
  range('100.64.0.0/10', 'carrier-grade NAT shared space (RFC 6598)'),
  range('169.254.0.0/16', 'link-local (RFC 3927)'),
  range('fc00::/7', 'unique local (RFC 4193)'),
  range('fe80::/10', 'link-local (RFC 4291)'),
];

/**
 * The private range an address belongs to ("10.0.0.0/8, private (RFC 1918)"), or undefined for
 * an address the Internet can route to, or text that is not an address. IPv4-mapped IPv6
 * addresses (::ffff:10.0.0.1) are judged as the IPv4 address they carry.
 */
export function privateAddressRange(address: string): string | undefined {
  const parsed = parseIpAddress(address);
  if (!parsed) return undefined;
  const judged = unmapIpv4(parsed);
  return PRIVATE_RANGES.find((candidate) => inNetwork(judged, candidate.network, candidate.bits))?.label;
}
