// The bytes a peer sent, rendered safe for any terminal or report (socket-errors.ts words what
// the socket layer said).

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
