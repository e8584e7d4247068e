// Observations are what the gather layer saw on the wire, as plain serialisable data.
// Checks judge them; `--replay` re-judges them from a saved JSON report. Nothing here may
// hold a function, a Buffer or a Date: only JSON-safe values.
import type { AuthoritativeObservations } from './authoritative.js';
import type { CipherSuiteProbes } from './ciphers.js';
import type { RevocationObservations } from './revocation.js';

/** A DNS server as given by the user (`--resolver 192.0.2.53:5353`) or read from the system. */
export interface ResolverAddress {
  host: string;
  port: number;
}

/** How a DNS exchange ended when no usable response came back. */
export type DnsErrorClass =
  | 'timeout' // no answer within the per-query timeout or the run deadline
  | 'connection-refused' // ICMP port unreachable (UDP) or RST (TCP)
  | 'unreachable' // no route, network down
  | 'malformed' // the server sent bytes that are not a DNS message for our query
  | 'aborted' // the run deadline ended the question: before it was sent (udpTries 0), or while waiting for the answer
  | 'other';

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** One resource record. Names are lower-case, without the trailing dot; the root is ".". */
interface NamedDataRecord<T extends string> {
  name: string;
  type: T;
  ttl: number;
  /** An address (A, AAAA) or a canonical domain name (CNAME, PTR, NS). */
  data: string;
}

export type DnsRecord =
  | { name: string; type: 'SRV'; ttl: number; data: SrvData }
  | NamedDataRecord<'A'>
  | NamedDataRecord<'AAAA'>
  | NamedDataRecord<'CNAME'>
  | NamedDataRecord<'PTR'>
  | NamedDataRecord<'NS'>
  | { name: string; type: 'TXT'; ttl: number; data: string[] }
  | { name: string; type: 'SOA'; ttl: number; data: SoaData }
  | { name: string; type: 'OTHER'; ttl: number; rrtype: string; data: string };

export interface DnsFlags {
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  authenticData: boolean;
  checkingDisabled: boolean;
}

export type DnsQueryType = 'SRV' | 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'SOA' | 'NS' | 'TXT';

/**
 * One question asked of one resolver, and everything about how it was answered.
 * `rcode` is present when a DNS response arrived (even an error response);
 * `error` is present when none did.
 */
export interface DnsQueryObservation {
  name: string;
  type: DnsQueryType;
  /** "host:port", IPv6 hosts in brackets: "[::1]:53". */
  resolver: string;
  /** Transport of the response that was used; "tcp" after a truncated UDP answer. */
  transport: 'udp' | 'tcp';
  /** True when the UDP answer had TC set and the query was retried over TCP. */
  retriedOverTcp: boolean;
  /**
   * How many UDP datagrams carried the question (the first and its retransmissions) before an
   * answer, the timeout or the run deadline ended the wait; 0 when nothing was sent. Absent in
   * reports written before fedcheck retransmitted.
   */
  udpTries?: number;
  rcode?: string;
  flags?: DnsFlags;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  durationMs: number;
  error?: { class: DnsErrorClass; message: string };
}

/** Where a query's outcome falls for the checks. */
export type DnsOutcome =
  | 'answer' // NOERROR with at least one record of the asked type (after any CNAME chain)
  | 'nodata' // NOERROR, name exists, no record of that type
  | 'nxdomain'
  | 'servfail'
  | 'refused'
  | 'other-rcode'
  | 'timeout'
  | 'connection-refused'
  | 'unreachable'
  | 'malformed'
  | 'aborted'
  | 'error';

// ---------------------------------------------------------------------------------------------
// TLS

export type TlsProtocol = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' | 'SSLv3' | string;

export interface CertificateInfo {
  /** PEM of the certificate exactly as the server sent it. */
  pem: string;
  subject: string; // RFC 4514-like one-line rendering, e.g. "CN=sip.example.com, O=Example"
  subjectCN?: string;
  issuer: string;
  issuerCN?: string;
  serialNumber: string; // upper-case hex
  notBefore: string; // ISO 8601
  notAfter: string; // ISO 8601
  fingerprintSha256: string; // upper-case hex with colons
  sanDnsNames: string[]; // lower-case
  sanIpAddresses: string[];
  /** Whether a subjectAltName extension is present at all (CN counts only when it is not). */
  hasSanExtension: boolean;
  keyType: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'rsa-pss' | 'unknown';
  keyBits?: number; // RSA/DSA modulus size, EC field size
  curve?: string; // e.g. "prime256v1"
  signatureAlgorithm: string; // e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", "RSASSA-PSS"
  signatureAlgorithmOid: string;
  /** Extended key usage OIDs' names ("serverAuth", "clientAuth", or the dotted OID); undefined = no EKU extension. */
  extendedKeyUsage?: string[];
  /** Key usage bit names ("digitalSignature", "keyEncipherment", …); undefined = no extension. */
  keyUsage?: string[];
  crlDistributionPoints: string[];
  /** The OCSP URIs of Authority Information Access (absent in reports of older versions). */
  ocspResponders?: string[];
  isCA: boolean;
  selfIssued: boolean; // subject == issuer
  /** Set when part of the certificate could not be parsed; the other fields hold what could. */
  parseError?: string;
}

export type TrustVerdict =
  | 'trusted'
  | 'self-signed'
  | 'untrusted-root'
  | 'incomplete-chain' // an intermediate is missing
  | 'expired'
  | 'not-yet-valid'
  | 'no-certificate'
  | 'unknown';

export type TcpConnectOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable' | 'error' | 'aborted';

export type TlsHandshakeOutcome =
  | 'ok'
  | 'client-certificate-required' // server demanded mutual TLS and we had none (or it rejected ours)
  | 'plaintext' // the server answered with something that is not TLS
  | 'reset'
  | 'closed' // orderly close before the handshake finished
  | 'timeout' // stall: no handshake within the probe's own per-connection timeout
  | 'aborted' // the run deadline (--timeout) passed during the handshake: nothing is known about the peer
  | 'alert' // a TLS alert other than certificate_required
  | 'protocol-mismatch' // no protocol version in common (our floor is TLS 1.2 for the main probe)
  | 'error';

export interface LegacyProtocolProbe {
  protocol: 'TLSv1' | 'TLSv1.1';
  /** accepted: the server completed a handshake at that version; refused: the server said no; error: the probe itself failed (not the server's verdict). */
  result: 'accepted' | 'refused' | 'error' | 'not-tested';
  detail?: string;
}

export interface TlsProbeObservation {
  /** The name used for SNI and name checks (the SRV target). */
  host: string;
  address: string;
  port: number;
  family: 4 | 6;
  purpose: 'federation' | 'imp';
  connect: { outcome: TcpConnectOutcome; durationMs: number; error?: string };
  handshake?: {
    outcome: TlsHandshakeOutcome;
    durationMs: number;
    protocol?: TlsProtocol;
    cipher?: string;
    error?: string;
    alert?: string;
    /** The first bytes the server sent, when it was not TLS (printable rendering). */
    plaintextSample?: string;
  };
  /** Leaf first, as sent by the server; stops at a repeated fingerprint. */
  chain: CertificateInfo[];
  /**
   * `path`: the certificates the verdict was built on, as indexes into `chain` in path order (the
   * leaf, its issuers, the trust anchor when the server sent it). Certificates sent but not on it
   * play no part in validation. Absent in reports of older versions: the whole chain then counts.
   * `anchor`: for a trusted chain, whether it verifies to the system store (a public CA) or a --ca anchor.
   * `nodeError`: Node's own verification error, in reports written before fedcheck judged trust
   * by its path building alone; cert-trust still quotes it when replaying one.
   */
  trust?: { verdict: TrustVerdict; detail: string; anchor?: 'system' | 'ca'; nodeError?: string; path?: number[] };
  legacyProtocols: LegacyProtocolProbe[];
  /** Which of Microsoft's TLS 1.2 cipher suites the peer accepts (absent in reports of older versions). */
  ciphers?: CipherSuiteProbes;
  /**
   * The OCSP response the server stapled to the main handshake, base64 (absent: none). A report
   * keeps it once, under "revocationBodies", a probe naming it by stapledOcspKey.
   */
  stapledOcsp?: string;
  clientAuth: {
    /** Whether the server asked for / demanded a client certificate. */
    requested: 'required' | 'requested' | 'not-requested' | 'unknown';
    /** With --cert/--key: whether a handshake presenting that certificate succeeded. */
    presentedCertificate?: {
      subject: string;
      accepted: boolean;
      error?: string;
      /** The run's --timeout ended that handshake before the server answered: nothing is known. */
      cutShort?: boolean;
    };
  };
  sipOptions?: SipOptionsObservation;
}

export interface SipOptionsObservation {
  outcome: 'response' | 'timeout' | 'not-sip' | 'closed' | 'error' | 'not-sent';
  statusLine?: string;
  statusCode?: number;
  server?: string;
  userAgent?: string;
  rttMs?: number;
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Everything seen for one target (a domain checked in one role).

export interface TargetObservations {
  domain: string;
  role: 'local' | 'partner';
  /** The resolvers the external view used, "host:port". */
  resolvers: string[];
  /** Every DNS question asked for this target, in the order they were started. */
  dns: DnsQueryObservation[];
  /** TLS probes of the selected SRV target's addresses (and, for IM and Presence, the IM/P FQDN). */
  tls: TlsProbeObservation[];
  /**
   * Internal-view resolvers (`--internal-resolver`), when given. The own-domain SRV and target
   * address questions are then asked of both views (queries carry their resolver).
   */
  internalResolvers?: string[];
  /**
   * IM and Presence (`--imp-fqdn`), recorded on the first local target: its DNS questions are in
   * `dns` (asked of `imp.resolvers`), its TLS probes in `tls` with purpose 'imp'.
   */
  imp?: ImpObservations;
  /** CRLs and OCSP of the certificates in `tls` (absent in reports of older versions). */
  revocation?: RevocationObservations;
  /**
   * The authoritative name servers of the zone holding the federation SRV record, each asked
   * directly (dns-authoritative). Absent in reports from before it was gathered.
   */
  authoritative?: AuthoritativeObservations;
  /** Set when the run deadline cut gathering short. */
  deadlineExceeded?: boolean;
}

export interface ImpObservations {
  /** The Federation Routing IM/P FQDN. */
  fqdn: string;
  /** The TLS peer-authentication listener port (default 5062). */
  port: number;
  /** The resolvers the Expressway-C would use: --internal-resolver, else --resolver. */
  resolvers: string[];
  /** `--imp-publisher`: the publisher's FQDN, looked up on the external view. */
  publisher?: string;
}
