// The machine's own DNS servers, as Node read them from /etc/resolv.conf (or the OS), in the
// shapes dns.getServers() reports: "1.2.3.4", "1.2.3.4:53", "[::1]:53", "::1".
import dns from 'node:dns';
import net from 'node:net';
import type { ResolverAddress } from '../../model/observations.js';

export const DNS_PORT = 53;

/**
 * The system's resolvers, in order, without duplicates; entries that cannot be read are skipped.
 * Read through the module object: dns.setServers() rebinds it, while a named import stays stale.
 */
export function systemResolvers(servers: readonly string[] = dns.getServers()): ResolverAddress[] {
  const resolvers: ResolverAddress[] = [];
  const seen = new Set<string>();
  for (const server of servers) {
    const resolver = parseResolverAddress(server);
    if (!resolver) continue;
    const key = `${resolver.host.toLowerCase()}|${resolver.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    resolvers.push(resolver);
  }
  return resolvers;
}

/**
 * Reads "ip", "ip:port", "[ipv6]" or "[ipv6]:port" (a bare IPv6 address has no port); the port
 * defaults to 53. Undefined when the text is not an IP address with an optional valid port.
 */
export function parseResolverAddress(text: string, defaultPort = DNS_PORT): ResolverAddress | undefined {
  const trimmed = text.trim();
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (net.isIPv6(host) === false) return undefined;
  } else if (net.isIPv6(trimmed)) {
    host = trimmed;
  } else {
    const hostAndPort = /^([^:]+)(?::(\d+))?$/.exec(trimmed);
    if (!hostAndPort) return undefined;
    host = hostAndPort[1]!;
    portText = hostAndPort[2];
    if (!net.isIPv4(host)) return undefined;
  }
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}
