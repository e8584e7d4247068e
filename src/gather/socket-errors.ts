// What a socket or TLS error means and how it reads, decided once for the DNS client, the TLS
// prober and the SIP probe: each maps the kind onto its own observation values.

/** What a socket error says about the peer, or about the path to it. */
export type SocketErrorKind =
  | 'refused' // nothing listens there (TCP RST to our SYN, ICMP port unreachable on a connected UDP socket)
  | 'reset' // the peer tore down an established connection (RST; EPIPE is a write after one)
  | 'unreachable' // no route, network down, no such local address or address family
  | 'timeout' // the kernel gave up (our own timers are not errors)
  | 'other';

export function socketErrorKind(error: unknown): SocketErrorKind {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return 'unreachable';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

/** One line for a socket or TLS error: OpenSSL's reason without its prefix, with the errno code. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const parts = error.message.split(':');
  const reason = error.message.includes(':error:') && parts.length > 5 ? parts[5]?.trim() : undefined;
  const text = reason ?? error.message.split('\n')[0] ?? error.message;
  return code && !text.includes(code) ? `${text} (${code})` : text;
}
