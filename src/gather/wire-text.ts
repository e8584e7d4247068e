// How the gather layer words what a peer or the socket layer said: one line per error, and the
// bytes a server sent rendered safe for any terminal or report.

/** One line for a socket or TLS error: OpenSSL's reason without its prefix, with the errno code. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const parts = error.message.split(':');
  const reason = error.message.includes(':error:') && parts.length > 5 ? parts[5]?.trim() : undefined;
  const text = reason ?? error.message.split('\n')[0] ?? error.message;
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

/** Printable ASCII kept, CR/LF/TAB and backslash escaped, the rest as \xNN: safe to show anywhere. */
export function printable(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0x0d) text += '\\r';
    else if (byte === 0x0a) text += '\\n';
    else if (byte === 0x09) text += '\\t';
    else if (byte === 0x5c) text += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text;
}
