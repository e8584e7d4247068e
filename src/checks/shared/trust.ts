// What the trust verdict gather recorded means for a chain that was sent, as cert-trust and
// imp-tls both read it. Dates are cert-validity's business: Node's verifier (OpenSSL) checks
// validity periods only after it has built the path to a trusted anchor, so an 'expired' or
// 'not-yet-valid' verdict says that the path itself is sound.
import type { CertificateInfo, TlsProbeObservation } from '../../model/observations.js';
import { certificateLabel } from './certificates.js';

export type TrustReading =
  | { kind: 'trusted' }
  /** The path to a trusted root is sound; the verifier objected to dates only. */
  | { kind: 'dates-only' }
  /** The leaf signs itself (or is all the server sends) and is no trust anchor. */
  | { kind: 'self-signed' }
  /** The chain ends at a self-signed root that is no trust anchor: a private CA. */
  | { kind: 'private-root'; root: string }
  /** The chain leads to a CA that is no trust anchor. */
  | { kind: 'untrusted-root'; root: string }
  /** The server does not send the issuer of its last certificate, and no trust anchor issued it. */
  | { kind: 'incomplete-chain'; missingIssuer: string }
  /** The verdict says there is no certificate, yet the chain has one: gather contradicts itself. */
  | { kind: 'contradiction' }
  | { kind: 'undetermined' };

/** Reads the trust verdict of a probe whose chain is not empty; undefined when none was recorded. */
export function readTrust(probe: TlsProbeObservation): TrustReading | undefined {
  const trust = probe.trust;
  if (!trust) return undefined;
  const chain = probe.chain;
  const leaf = chain[0]!;
  const last = chain[chain.length - 1]!;
  switch (trust.verdict) {
    case 'trusted':
      return { kind: 'trusted' };
    case 'expired':
    case 'not-yet-valid':
      return { kind: 'dates-only' };
    case 'self-signed':
      return leaf.selfIssued || chain.length === 1 ? { kind: 'self-signed' } : { kind: 'private-root', root: certificateLabel(last) };
    case 'untrusted-root':
      return { kind: 'untrusted-root', root: untrustedRootName(last) };
    case 'incomplete-chain':
      return { kind: 'incomplete-chain', missingIssuer: last.issuer };
    case 'no-certificate':
      return { kind: 'contradiction' };
    default:
      return { kind: 'undetermined' };
  }
}

/** The CA a chain leads to: the last certificate when it is a root, else the issuer it names. */
function untrustedRootName(last: CertificateInfo): string {
  return last.selfIssued ? certificateLabel(last) : last.issuer;
}
