// Revocation of the certificates the TLS peers sent: every CRL and OCSP response fetched for
// them, what each said, and the bytes themselves (within a bound) so `--replay` can read them
// again. Plain JSON, like every observation.
//
// Who does what: gather fetches over HTTP and reads what came back (DER parsing and signature
// verification are deterministic functions of the bytes, the certificate and its issuer: no
// clock, no policy; see src/gather/revocation/crl.ts and ocsp.ts). The reading is recorded next
// to the bytes, because a public CA's CRL can be megabytes and only small bodies are kept in the
// report; --replay reads the kept bodies again.
// Checks judge readings against the run's clock and policy: whether a response is current, what
// revoked or unknown means, whether enough sources were reached.
import type { CertificateInfo } from './observations.js';

/** How one HTTP exchange for a CRL or an OCSP response ended. */
export type RevocationFetchOutcome =
  | 'ok' // HTTP 200 with a body within the size limit
  | 'http-status' // the server answered with another status (httpStatus says which)
  | 'too-large' // the body was larger than the size limit
  | 'redirect-refused' // a redirect to something other than http:, or too many redirects
  | 'unsupported-scheme' // not an http: URL (ldap:, https:, file:): not fetched, as an edge would not
  | 'not-asked' // no request could be made (OCSP needs the issuer, and it is unknown)
  | 'dns-failure' // the URL's host name has no address
  | 'refused'
  | 'unreachable'
  | 'reset'
  | 'timeout' // no complete answer within the per-request timeout
  | 'aborted' // the run deadline passed first: nothing is known about the server
  | 'error';

export interface RevocationFetch {
  /** The URL asked, as named in the certificate. */
  url: string;
  method: 'GET' | 'POST';
  outcome: RevocationFetchOutcome;
  /** The status of the last HTTP response, when one came back. */
  httpStatus?: number;
  contentType?: string;
  /** Every Location followed, in order. */
  redirects?: string[];
  /** The address of the last connection. */
  address?: string;
  /** Body length (outcome ok), or how far it got before the size limit. */
  bytes?: number;
  durationMs: number;
  error?: string;
}

/** Why a response cannot be relied on. */
export type RevocationReadingProblem =
  | 'malformed' // not the DER (or PEM) of a CRL / OCSP response
  | 'ocsp-error' // the responder answered with an error status (tryLater, unauthorized, …)
  | 'no-issuer' // the certificate's issuer is unknown, so the signature cannot be checked
  | 'wrong-issuer' // the CRL was issued by another CA than the certificate's issuer
  | 'unsupported-signature' // a signature algorithm we cannot verify
  | 'bad-signature' // the signature does not verify with the signer's key
  | 'unauthorized-responder' // the OCSP signer is neither the issuer nor a responder it delegated
  | 'wrong-certificate'; // the OCSP response is not about this certificate

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/** What a CRL or OCSP response says about one certificate, as read from its bytes. */
export interface RevocationReading {
  source: 'crl' | 'ocsp';
  /** Set when the response cannot be relied on; the other fields hold what could still be read. */
  problem?: { code: RevocationReadingProblem; detail: string };
  /** CRL: revoked when the serial is listed, else good. OCSP: the responder's answer. */
  status?: RevocationStatus;
  revokedAt?: string;
  /** The RFC 5280 CRLReason name ("keyCompromise", "superseded", …), when given. */
  reason?: string;
  thisUpdate?: string;
  /** Absent: the CRL or responder does not say when newer information will be available. */
  nextUpdate?: string;
  /** OCSP: when the responder signed the response. */
  producedAt?: string;
  /** Who signed it: the certificate's issuer, or an OCSP responder the issuer delegated to. */
  signer?: { kind: 'issuer' | 'delegated-responder'; subject: string; notBefore?: string; notAfter?: string };
  /** CRL: how many certificates it lists. */
  entries?: number;
}

/** One CRL distribution point or OCSP responder, asked about one certificate. */
export interface RevocationSource extends RevocationFetch {
  /**
   * The response body, base64, when the fetch succeeded and it is small enough to keep. A report
   * keeps each body once, under "revocationBodies", a source naming it by bodyKey.
   */
  body?: string;
  /** What the body says (absent when nothing usable came back). */
  reading?: RevocationReading;
}

/** An OCSP response a TLS peer stapled to its handshake (the body is in that probe's stapledOcsp). */
export interface StapledOcspReading {
  address: string;
  port: number;
  reading: RevocationReading;
}

/** The issuer of a certificate, and where it was found. */
export interface RevocationIssuer {
  /** chain: sent by the server; ca: a --ca trust anchor; system: the system trust store. */
  source: 'chain' | 'ca' | 'system';
  /** The issuer's certificate: in a report, a key of its "certificates", as a chain's are. */
  certificate: CertificateInfo;
}

/** The revocation status of one certificate of the chains (roots and self-signed ones excluded). */
export interface CertificateRevocation {
  fingerprintSha256: string;
  subject: string;
  serialNumber: string;
  /** Absent when the issuer is neither in the chain nor a trust anchor. */
  issuer?: RevocationIssuer;
  /** Every URI of the CRL distribution points extension, http: or not. */
  crlDistributionPoints: string[];
  /** Every OCSP URI of the Authority Information Access extension. */
  ocspResponders: string[];
  crls: RevocationSource[];
  ocsp: RevocationSource[];
  stapled: StapledOcspReading[];
}

export interface RevocationObservations {
  /** Set when nothing was fetched on purpose: 'no-revocation' (the --no-revocation option). */
  skipped?: 'no-revocation';
  certificates: CertificateRevocation[];
}
