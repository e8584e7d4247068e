import type { ResolverAddress } from './observations.js';

export const FORMATS = ['human', 'json', 'junit', 'nagios', 'prometheus', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const SEVERITY_OVERRIDES = ['off', 'info', 'warn', 'fail'] as const;
export type SeverityOverride = (typeof SEVERITY_OVERRIDES)[number];

/** A client certificate to present (`--cert/--key`). The key never leaves the TLS layer. */
export interface ClientCertificate {
  certFile: string;
  certPem: string;
  keyPem: string;
}

/**
 * Everything a run needs, validated and normalised by its caller (the CLI from the command line
 * and the config file, the demo, an exporter). The defaults are in src/cli/options.ts.
 */
export interface RunOptions {
  /** Local SIP domains, normalised (lower-case, no trailing dot, punycode). */
  domains: string[];
  /** Microsoft partner domains (`--partner`). */
  partners: string[];
  /** External view; empty means the system's resolvers. */
  resolvers: ResolverAddress[];
  /** Internal view (`--internal-resolver`); empty means none. */
  internalResolvers: ResolverAddress[];
  impFqdn?: string;
  impPort: number;
  impPublisher?: string;
  /** Extra trust anchors (`--ca`), PEM certificates. */
  caFiles: string[];
  caCertificates: string[];
  clientCertificate?: ClientCertificate;
  /** One deadline for the whole run. */
  timeoutMs: number;
  warnDays: number;
  critDays: number;
  concurrency: number;
  sipOptions: boolean;
  /** Fetch CRLs and ask OCSP responders (false: --no-revocation). */
  revocation: boolean;
  strict: boolean;
  checkOverrides: Record<string, SeverityOverride>;
}

/** Each DNS question gets at most this long (further bounded by the run deadline). */
export const DNS_QUERY_TIMEOUT_MS = 2_000;
/** Each TCP connect + TLS handshake gets at most this long (further bounded by the run deadline). */
export const TLS_PROBE_TIMEOUT_MS = 4_000;
/** Each CRL download or OCSP exchange, redirects included, gets at most this long (further bounded by the run deadline). */
export const REVOCATION_FETCH_TIMEOUT_MS = 4_000;
