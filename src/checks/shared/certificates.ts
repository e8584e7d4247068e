// Reading the certificates a peer sends: which element of the chain is which, how to name one,
// extensions the parser could not decode, and the per-peer loop of the certificate checks.
import type { Finding } from '../../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../../model/observations.js';
import type { CheckContext, CodeTable } from '../types.js';
import type { Skipper } from './findings.js';
import { NO_PEERS_CODES, judgeEachPeer } from './peers.js';
import { certificateUnavailable } from './tls-session.js';

/** The skip variants of a check that judges each peer's certificate (judgeEachCertificate). */
export const CERTIFICATE_PREREQUISITE_CODES = {
  'no-certificate': { status: 'skip', summary: 'The peer sent no certificate to examine (see tls-connect, tls-handshake).' },
  ...NO_PEERS_CODES,
} satisfies CodeTable;

/**
 * One finding per federation peer for a certificate check: a "no-certificate" skip with the
 * reason when the peer sent no certificate, otherwise judged on its leaf (chain[0]) and chain.
 */
export function judgeEachCertificate(
  context: CheckContext,
  found: Skipper<'no-peers' | 'no-certificate'>,
  judge: (probe: TlsProbeObservation, subject: string, leaf: CertificateInfo) => Finding,
): Finding[] {
  return judgeEachPeer(context, found, (probe, subject) => {
    const leaf = probe.chain[0];
    const unavailable = certificateUnavailable(probe);
    if (leaf === undefined || unavailable !== undefined) {
      return found.skip('no-certificate', subject, unavailable ?? `${subject} sent no certificate, so there is nothing to examine.`);
    }
    return judge(probe, subject, leaf);
  });
}

export type ChainElementRole = 'leaf' | 'intermediate' | 'root';

/** The leaf is first; a self-issued certificate after it is the root the server chose to send. */
export function chainElementRole(chain: readonly CertificateInfo[], index: number): ChainElementRole {
  if (index === 0) return 'leaf';
  return chain[index]?.selfIssued ? 'root' : 'intermediate';
}

/** "the leaf CN=sip.example.com", "the intermediate CN=Example CA", for messages. */
export function describeChainElement(chain: readonly CertificateInfo[], index: number): string {
  const certificate = chain[index];
  return `the ${chainElementRole(chain, index)} ${certificate ? certificateLabel(certificate) : `#${index}`}`;
}

export function certificateLabel(certificate: CertificateInfo): string {
  return certificate.subject || (certificate.subjectCN ? `CN=${certificate.subjectCN}` : `serial ${certificate.serialNumber}`);
}

/** "CN=sip.example.com → CN=Example Issuing CA", then who issued the last one. */
export function chainSummary(chain: readonly CertificateInfo[]): string {
  const last = chain[chain.length - 1];
  const sent = chain.map(certificateLabel).join(' → ');
  return last && !last.selfIssued ? `${sent} (issued by ${last.issuer})` : sent;
}

export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_EXTENDED_KEY_USAGE = '2.5.29.37';

/**
 * The parser's note on an extension the certificate carries but that could not be decoded
 * ("extension 2.5.29.17 (subjectAltName) unreadable: …"), or undefined. Such an extension is not
 * absent: judging the certificate as if it were would pass what a strict client rejects.
 */
export function unreadableExtension(certificate: CertificateInfo, oid: string): string | undefined {
  return certificate.parseError?.split('; ').find((problem) => problem.startsWith(`extension ${oid} `));
}

/** A sentence to append when the parser could not read everything, since a missing field may be why a rule failed. */
export function parseNote(certificate: CertificateInfo): string {
  return certificate.parseError ? ` (Part of the certificate could not be parsed: ${certificate.parseError}.)` : '';
}
