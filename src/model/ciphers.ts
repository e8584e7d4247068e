// The TLS 1.2 cipher suites Microsoft documents for Microsoft 365 / Teams SIP, and what the TLS
// probes learned about which of them a peer accepts. Gather offers them (by OpenSSL name); checks
// judge them (by the IANA names Microsoft's documentation uses).

export interface MicrosoftCipherSuite {
  /** IANA name, as Microsoft writes it. */
  name: string;
  /** OpenSSL's name, what a client offers. */
  openssl: string;
  /** The two-byte code point in a ServerHello. */
  code: number;
  /** ECDHE key exchange: forward secrecy. The TLS_RSA_ suites have none. */
  forwardSecret: boolean;
  /** One of the four Direct Routing still accepts (ECDHE with AES-GCM or a SHA-2 MAC; enforced since April 2022). */
  directRouting: boolean;
}

/** In Microsoft's order: a client offering them lists them so (Microsoft 365 encryption technical reference). */
export const MICROSOFT_CIPHER_SUITES: readonly MicrosoftCipherSuite[] = [
  { name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', openssl: 'ECDHE-RSA-AES256-GCM-SHA384', code: 0xc030, forwardSecret: true, directRouting: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', openssl: 'ECDHE-RSA-AES128-GCM-SHA256', code: 0xc02f, forwardSecret: true, directRouting: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', openssl: 'ECDHE-RSA-AES256-SHA384', code: 0xc028, forwardSecret: true, directRouting: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', openssl: 'ECDHE-RSA-AES128-SHA256', code: 0xc027, forwardSecret: true, directRouting: true },
  { name: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', openssl: 'ECDHE-RSA-AES256-SHA', code: 0xc014, forwardSecret: true, directRouting: false },
  { name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', openssl: 'ECDHE-RSA-AES128-SHA', code: 0xc013, forwardSecret: true, directRouting: false },
  { name: 'TLS_RSA_WITH_AES_256_GCM_SHA384', openssl: 'AES256-GCM-SHA384', code: 0x009d, forwardSecret: false, directRouting: false },
  { name: 'TLS_RSA_WITH_AES_128_GCM_SHA256', openssl: 'AES128-GCM-SHA256', code: 0x009c, forwardSecret: false, directRouting: false },
];

export function microsoftSuite(name: string): MicrosoftCipherSuite | undefined {
  return MICROSOFT_CIPHER_SUITES.find((suite) => suite.name === name || suite.openssl === name);
}

/**
 * Which of Microsoft's TLS 1.2 suites a peer accepts, found by elimination: Microsoft's list is
 * offered in Microsoft's order, the suite the server picks is noted and removed, and the rest
 * offered again. Probing stops at the first Direct Routing suite the server picks (what the
 * verdict needs: nothing later can change it), or when the server refuses what is left.
 */
export interface CipherSuiteProbes {
  /** What the server picked from Microsoft's whole list, in Microsoft's order; absent when it refused them all. */
  microsoftPick?: string;
  /** Microsoft's suites the server accepted (IANA names), in the order it picked them. */
  accepted: string[];
  /** Microsoft's suites the server refused: those still offered when it refused. Empty when probing stopped at a Direct Routing suite. */
  refused: string[];
  /** When it accepted none of Microsoft's suites: the TLS 1.2 suite it picked from every suite OpenSSL offers, if any. */
  otherPick?: string;
  /** Set when probing could not finish (connection or handshake failures, the run deadline): not the server's refusal. */
  error?: string;
  /** Handshakes started, for the record. */
  handshakes: number;
}
