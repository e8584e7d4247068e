// IP address text, read and written in one place for every layer: the DNS views judge private
// ranges, the certificate parser renders SAN iPAddress entries, the lab encodes them.

/** The one label of a network endpoint, resolver or peer: "192.0.2.10:5061", "[2001:db8::10]:5061". */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A probed peer's endpoint: the subject of the findings about it, and its name in every report. */
export function peerEndpoint(peer: { address: string; port: number }): string {
  return formatEndpoint(peer.address, peer.port);
}

export interface IpAddressBytes {
  family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: number[];
}

/**
 * The bytes of an IPv4 dotted quad or an IPv6 address (with "::", an embedded IPv4 tail and a
 * "%zone" suffix accepted), or undefined for text that is not an address.
 */
export function parseIpAddress(text: string): IpAddressBytes | undefined {
  const ipv4 = ipv4Bytes(text);
  if (ipv4) return { family: 4, bytes: ipv4 };
  const ipv6 = ipv6Bytes(text);
  return ipv6 ? { family: 6, bytes: ipv6 } : undefined;
}

/** The text form of 4 or 16 address bytes (IPv6 per RFC 5952), or undefined for another length. */
export function formatIpAddress(bytes: ArrayLike<number>): string | undefined {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return undefined;
  const groups: number[] = [];
  for (let offset = 0; offset < 16; offset += 2) groups.push(((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0));
  return formatIpv6Groups(groups);
}

/** The canonical text of an address ("2001:DB8:0::1" → "2001:db8::1"), or undefined for text that is not one. */
export function canonicalIpAddress(text: string): string | undefined {
  const parsed = parseIpAddress(text);
  return parsed ? formatIpAddress(parsed.bytes) : undefined;
}

/**
 * Whether `address` lies inside `network`/`bits` (both as bytes of the same family). IPv4-mapped
 * IPv6 addresses are not unwrapped here: callers decide whether ::ffff:10.0.0.1 counts as IPv4.
 */
export function inNetwork(address: IpAddressBytes, network: IpAddressBytes, bits: number): boolean {
  if (address.family !== network.family) return false;
  for (let bit = 0; bit < bits; bit++) {
    const index = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((address.bytes[index] ?? 0) & mask) !== ((network.bytes[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) carries; the address itself otherwise. */
export function unmapIpv4(address: IpAddressBytes): IpAddressBytes {
  if (address.family !== 6) return address;
  const mapped = address.bytes.slice(0, 10).every((byte) => byte === 0) && address.bytes[10] === 0xff && address.bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: address.bytes.slice(12) } : address;
}

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

function ipv6Bytes(text: string): number[] | undefined {
  const address = (text.split('%')[0] ?? '').toLowerCase();
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string | undefined): string[] | undefined => {
    if (part === undefined || part === '') return [];
    const groups = part.split(':');
    const last = groups[groups.length - 1] ?? '';
    if (last.includes('.')) {
      const embedded = ipv4Bytes(last);
      if (!embedded) return undefined;
      groups.splice(-1, 1, hex16(embedded[0]!, embedded[1]!), hex16(embedded[2]!, embedded[3]!));
    }
    return groups.every((group) => /^[0-9a-f]{1,4}$/.test(group)) ? groups : undefined;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function hex16(high: number, low: number): string {
  return ((high << 8) | low).toString(16);
}

/** RFC 5952 text form: lower-case, leading zeros dropped, the longest run of ≥2 zero groups as "::". */
function formatIpv6Groups(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < groups.length; ) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < groups.length && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
