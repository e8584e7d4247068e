import type net from 'node:net';
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

/** A warning alert user_canceled, then close_notify, as TLS 1.2 records in the clear. */
const USER_CANCELED_THEN_CLOSE_NOTIFY = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x5a, 0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00]);

/**
 * Ends a handshake we no longer need, before our second flight: says so (user_canceled, then
 * close_notify, as RFC 5246 §7.2.1 asks), sends FIN and reads what is still in flight until the
 * server closes, so it logs a cancelled handshake rather than a reset.
 */
export function abandonHandshake(raw: net.Socket): void {
  const linger = setTimeout(() => raw.destroy(), LINGER_MS);
  linger.unref();
  raw.once('close', () => clearTimeout(linger));
  raw.on('error', () => raw.destroy());
  raw.on('data', () => undefined);
  raw.resume();
  raw.end(USER_CANCELED_THEN_CLOSE_NOTIFY);
}
