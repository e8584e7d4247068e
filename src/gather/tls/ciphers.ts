// Which of Microsoft's TLS 1.2 cipher suites a peer accepts, found by elimination: offer
// Microsoft's list in Microsoft's order, note the suite the server picks, remove it, offer the
// rest, until the server refuses or picks one of the four Direct Routing suites (after that no
// answer can change the verdict, and each handshake costs the server a signature). A server that
// accepts none of them is asked once more with every suite OpenSSL offers, to say what it does
// accept. The handshakes themselves are probe.ts's; this file decides what each one meant.
import { MICROSOFT_CIPHER_SUITES, type CipherSuiteProbes, type MicrosoftCipherSuite } from '../../model/ciphers.js';
import { RUN_DEADLINE_REACHED, lastAlert, type ConnectionFacts } from './classify.js';

/** What one TLS 1.2 handshake offering `ciphers` said about them. */
export type CipherAnswer =
  | { kind: 'picked'; suite: string }
  | { kind: 'refused'; detail: string }
  | { kind: 'failed'; detail: string };

/** Every TLS 1.2 suite OpenSSL knows, at security level 0 (a weak server must still be able to answer). */
export const EVERY_TLS12_SUITE = 'ALL:@SECLEVEL=0';

/** An OpenSSL cipher list offering exactly these suites, in this order. */
export function offerOf(suites: readonly MicrosoftCipherSuite[]): string {
  return `${suites.map((suite) => suite.openssl).join(':')}:@SECLEVEL=0`;
}

/**
 * The suite the server chose is in its ServerHello, read from the wire: it is known even when the
 * handshake then fails (a server demanding a client certificate), and needs no finished handshake.
 */
export function cipherAnswer(facts: ConnectionFacts): CipherAnswer {
  const { connect, flight } = facts;
  if (connect.outcome !== 'connected') return { kind: 'failed', detail: `TCP connect ${connect.outcome}${connect.error ? ` (${connect.error})` : ''}` };
  if (flight.cipherSuite !== undefined && flight.protocol === 'TLSv1.2') {
    const known = MICROSOFT_CIPHER_SUITES.find((suite) => suite.code === flight.cipherSuite);
    return { kind: 'picked', suite: known?.name ?? (facts.ending === 'secure' && facts.cipher ? facts.cipher : codePoint(flight.cipherSuite)) };
  }
  if (facts.ending === 'secure' && facts.cipher) return { kind: 'picked', suite: facts.cipher };
  // Stopped at a ServerHello that is not TLS 1.2, to a TLS 1.2-only offer.
  if (facts.ending === 'server-hello') return { kind: 'failed', detail: `the server answered a TLS 1.2 offer with ${flight.protocol ?? 'an unknown version'}` };
  if (facts.ending === 'aborted') return { kind: 'failed', detail: RUN_DEADLINE_REACHED };
  if (facts.ending === 'timeout') return { kind: 'failed', detail: `no answer to the ClientHello within ${facts.handshakeMs} ms` };
  if (facts.ending === 'local-error' || facts.outboundBytes === 0) {
    return { kind: 'failed', detail: `our client could not offer the suites: ${facts.error?.message ?? 'unknown error'}` };
  }
  if (flight.notTls) return { kind: 'failed', detail: 'the server answered with something that is not TLS' };
  const alert = lastAlert(facts);
  if (alert) return { kind: 'refused', detail: `alert ${alert}` };
  if (facts.rawReset) return { kind: 'refused', detail: 'the server reset the connection' };
  if (facts.rawEnded || facts.ending === 'closed') return { kind: 'refused', detail: 'the server closed the connection' };
  return { kind: 'failed', detail: facts.error?.message ?? 'the handshake failed' };
}

function codePoint(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Runs the elimination with `handshake` (one TLS 1.2 connection offering an OpenSSL cipher list). */
export async function probeCipherSuites(handshake: (ciphers: string) => Promise<ConnectionFacts>): Promise<CipherSuiteProbes> {
  const result: CipherSuiteProbes = { accepted: [], refused: [], handshakes: 0 };
  let offered = [...MICROSOFT_CIPHER_SUITES];
  while (offered.length > 0) {
    result.handshakes++;
    const answer = cipherAnswer(await handshake(offerOf(offered)));
    if (answer.kind === 'failed') {
      result.error = answer.detail;
      return result;
    }
    if (answer.kind === 'refused') {
      result.refused = offered.map((suite) => suite.name);
      break;
    }
    const picked = offered.find((suite) => suite.name === answer.suite);
    if (!picked) {
      // A server that answers with a suite we did not offer breaks TLS; nothing more to learn.
      result.error = `the server picked ${answer.suite}, which was not offered`;
      return result;
    }
    result.microsoftPick ??= picked.name;
    result.accepted.push(picked.name);
    if (picked.directRouting) return result;
    offered = offered.filter((suite) => suite !== picked);
  }
  if (result.accepted.length === 0) {
    result.handshakes++;
    const answer = cipherAnswer(await handshake(EVERY_TLS12_SUITE));
    if (answer.kind === 'picked') result.otherPick = answer.suite;
  }
  return result;
}
