// Validation of what the user typed. Every rejection is a UsageError: one line on stderr, exit 3.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { ResolverAddress } from '../model/observations.js';

export class UsageError extends Error {
  override name = 'UsageError';
  /** Set when the run asked for Nagios output, which must then say UNKNOWN on stdout. */
  nagios = false;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A SIP domain or host name as DNS sees it: lower case, no trailing dot, IDN as punycode.
 * `what` names the option in error messages ("domain", "--imp-fqdn").
 */
export function normaliseDomain(input: string, what = 'domain'): string {
  const shown = JSON.stringify(input);
  const trimmed = input.trim();
  if (trimmed === '') throw new UsageError(`${what} is empty`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /^sips?:/i.test(trimmed)) {
    throw new UsageError(`${what} ${shown} is a URI; give only the domain, e.g. ciscoexample.com`);
  }
  if (trimmed.includes('@')) {
    throw new UsageError(`${what} ${shown} is an address; give only the part after the @`);
  }
  if (/[/\\:;|&$`'"<>(){}[\]*?!#%^=,~]/.test(trimmed)) {
    throw new UsageError(`${what} ${shown} contains characters that cannot appear in a domain name`);
  }
  if (/\s/.test(trimmed)) throw new UsageError(`${what} ${shown} contains white space`);
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  if (withoutDot === '' || withoutDot.startsWith('.') || withoutDot.includes('..')) {
    throw new UsageError(`${what} ${shown} has an empty label`);
  }
  const ascii = domainToASCII(withoutDot.toLowerCase());
  if (ascii === '') throw new UsageError(`${what} ${shown} is not a valid internationalised domain name`);
  if (ascii.length > 253) throw new UsageError(`${what} ${shown} is longer than 253 characters`);
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length > 63) throw new UsageError(`${what} ${shown} has a label longer than 63 characters`);
    if (!LABEL.test(label)) {
      throw new UsageError(`${what} ${shown} has an invalid label "${label}" (letters, digits and inner hyphens only)`);
    }
  }
  if (labels.length < 2) throw new UsageError(`${what} ${shown} needs at least two labels, e.g. ciscoexample.com`);
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) {
    throw new UsageError(`${what} ${shown} looks like an IP address; give a domain name`);
  }
  return ascii;
}

/** `ip`, `ip:port`, `[ipv6]:port` or a bare IPv6 address. */
export function parseResolver(input: string, option = '--resolver'): ResolverAddress {
  return parseEndpoint(input, option, { defaultPort: 53, minPort: 1, shape: 'give the resolver as ip or ip:port' });
}

/** Where the exporter listens: like a resolver address; port 0 lets the system choose one. */
export function parseListenAddress(input: string, option: string, defaultPort: number): ResolverAddress {
  return parseEndpoint(input, option, { defaultPort, minPort: 0, shape: 'give the address to listen on as ip:port, e.g. 127.0.0.1:9561' });
}

function parseEndpoint(input: string, option: string, rules: { defaultPort: number; minPort: number; shape: string }): ResolverAddress {
  const text = input.trim();
  const bad = (why: string) => new UsageError(`${option} ${JSON.stringify(input)}: ${why}`);
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else if (isIP(text) === 6) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0 && text.indexOf(':') !== colon) throw bad('put an IPv6 address with a port in brackets: [2001:db8::53]:53');
    host = colon >= 0 ? text.slice(0, colon) : text;
    portText = colon >= 0 ? text.slice(colon + 1) : undefined;
  }
  if (isIP(host) === 0) throw bad(`not an IP address (${rules.shape})`);
  let port = rules.defaultPort;
  if (portText !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portText)) throw bad('the port is not a number');
    port = Number(portText);
    if (port < rules.minPort || port > 65535) throw bad(`the port must be between ${rules.minPort} and 65535`);
  }
  return { host, port };
}

/** A whole number of at least `min`, from a command-line or config value. */
export function parseInteger(value: unknown, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (/^-[0-9]+$/.test(text)) {
    throw new UsageError(`${option} must be ${min > 0 ? 'positive' : 'zero or more'} (between ${min} and ${max}), got ${text}`);
  }
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${option} must be a whole number, got ${JSON.stringify(value)}`);
  const number = Number(text);
  if (number < min || number > max) {
    throw new UsageError(`${option} must be between ${min} and ${max}, got ${number}`);
  }
  return number;
}
