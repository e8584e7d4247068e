import type tls from 'node:tls';

/** How long a polite close may take before the sockets are torn down anyway. */
const LINGER_MS = 250;

/**
 * Ends a TLS connection with close_notify and gives our last records time to leave, so the
 * server logs a completed connection rather than a failed one; `destroyAll` runs either way.
 */
export function closePolitely(secure: tls.TLSSocket, destroyAll: () => void): void {
  const linger = setTimeout(destroyAll, LINGER_MS);
  linger.unref();
  secure.once('close', () => {
    clearTimeout(linger);
    destroyAll();
  });
  secure.end();
}
