// Every setting of a check, written once: its flag, its key in the config file, the kind of value
// it holds, its range, its default and its help line. yargs, the config-file reader and the
// merge (command line over config file over default) all read this table; its order is the
// order of --help.
import type { ResolverAddress } from '../model/observations.js';
import { FORMATS, type Format, type SeverityOverride } from '../model/options.js';
import { DEFAULT_LISTEN_HOST, DEFAULT_LISTEN_PORT, EXPORTER_DEFAULTS } from '../serve/defaults.js';
import { UsageError } from './input.js';

/** What a setting holds; src/cli/values.ts reads each kind from an argument and from a config file. */
export interface KindValues {
  /** A whole number inside the setting's `range`. */
  integer: number;
  boolean: boolean;
  format: Format;
  /** A domain name, normalised (lower case, no trailing dot, punycode). */
  domain: string;
  /** ip[:port] */
  resolver: ResolverAddress;
  /** A file; in a config file, relative to the file's folder. */
  path: string;
  /** A PEM file (certificate or key), a path like `path`. */
  pem: string;
  /** The config file's "checks": check id → severity. */
  overrides: Record<string, SeverityOverride>;
  /** How an exporter module probes its targets. */
  role: 'local' | 'partner';
  /** ip:port the exporter listens on. */
  listen: ResolverAddress;
  /** The config file's "modules": name → settings (read by config.ts, like "checks"). */
  modules: Record<string, unknown>;
}
export type Kind = keyof KindValues;

export interface Setting {
  kind: Kind;
  /** The command-line flag, without dashes; none for what only a config file sets. */
  flag?: string;
  alias?: string;
  /** Set for the positional argument: how messages name one of its values. */
  positional?: string;
  /** The key in the config file, dotted inside an object ("imp.port"); none for command-line-only flags. */
  key?: string;
  /** Repeatable on the command line, a list in the config file. */
  list?: boolean;
  range?: readonly [min: number, max: number];
  default?: number | string | boolean;
  /** The --help line; a number or word default is appended to it. */
  help?: string;
  /**
   * Whether an exporter module (the config file's "modules") may set it too ('also'), or only a
   * module may ('only'); a module's value replaces the top-level one for the module's probes.
   */
  module?: 'also' | 'only';
}

export const SETTINGS = {
  domains: { kind: 'domain', list: true, positional: 'domain', key: 'domains' },
  resolvers: {
    kind: 'resolver',
    list: true,
    flag: 'resolver',
    key: 'resolvers',
    module: 'also',
    help: 'DNS server to ask, ip[:port] (repeatable; default: the system resolvers)',
  },
  partners: {
    kind: 'domain',
    list: true,
    flag: 'partner',
    key: 'partners',
    help: 'a Microsoft partner domain to check as the Expressway-E reaches it (repeatable)',
  },
  domainsFile: { kind: 'path', flag: 'domains-file', key: 'domainsFile', help: 'read SIP domains from a file, one per line, # comments' },
  internalResolvers: {
    kind: 'resolver',
    list: true,
    flag: 'internal-resolver',
    key: 'internalResolvers',
    module: 'also',
    help: 'DNS server of the internal view (what the Expressway-C uses), ip[:port] (repeatable)',
  },
  impFqdn: { kind: 'domain', flag: 'imp-fqdn', key: 'imp.fqdn', module: 'also', help: 'the Federation Routing IM/P FQDN of the IM and Presence cluster' },
  impPort: {
    kind: 'integer',
    flag: 'imp-port',
    key: 'imp.port',
    module: 'also',
    range: [1, 65535],
    default: 5062,
    help: 'IM and Presence TLS peer-authentication listener port',
  },
  impPublisher: { kind: 'domain', flag: 'imp-publisher', key: 'imp.publisher', module: 'also', help: 'the IM and Presence publisher FQDN, which must resolve publicly' },
  config: {
    kind: 'path',
    flag: 'config',
    help: 'deployment config file (default: fedcheck.config.json here, when present, named on stderr; --no-config reads none)',
  },
  sipOptions: { kind: 'boolean', flag: 'sip-options', key: 'sipOptions', module: 'also', default: false, help: 'send a SIP OPTIONS request over each TLS connection' },
  revocation: {
    kind: 'boolean',
    flag: 'revocation',
    key: 'revocation',
    module: 'also',
    default: true,
    help: "fetch every certificate's CRLs and ask its OCSP responders (--no-revocation: do not; cert-revocation is then skipped)",
  },
  caFiles: { kind: 'pem', list: true, flag: 'ca', key: 'ca', module: 'also', help: 'extra trusted CA certificates, PEM file (repeatable)' },
  cert: { kind: 'pem', flag: 'cert', key: 'clientCertificate.cert', module: 'also', help: 'client certificate (PEM) to present in the mutual TLS handshake' },
  key: { kind: 'pem', flag: 'key', key: 'clientCertificate.key', module: 'also', help: 'private key (PEM) of --cert' },
  timeoutMs: { kind: 'integer', flag: 'timeout', key: 'timeoutMs', module: 'also', range: [100, 3_600_000], default: 10_000, help: 'deadline for the whole run in ms' },
  warnDays: {
    kind: 'integer',
    flag: 'warn-days',
    key: 'warnDays',
    module: 'also',
    range: [0, 3650],
    default: 30,
    help: 'warn when a certificate expires within this many days',
  },
  critDays: {
    kind: 'integer',
    flag: 'crit-days',
    key: 'critDays',
    module: 'also',
    range: [0, 3650],
    default: 14,
    help: 'fail when a certificate expires within this many days',
  },
  concurrency: { kind: 'integer', flag: 'concurrency', key: 'concurrency', range: [1, 1024], default: 32, help: 'domains checked at once' },
  format: { kind: 'format', flag: 'format', key: 'format', default: 'human', help: `output format: ${FORMATS.join('|')}` },
  json: { kind: 'boolean', flag: 'json', help: 'same as --format json' },
  output: { kind: 'path', flag: 'output', key: 'output', help: 'write the report to this file (atomically) instead of stdout' },
  replay: { kind: 'path', flag: 'replay', help: 're-judge the observations in a saved JSON report, without network access' },
  baseline: { kind: 'path', flag: 'baseline', help: 'an earlier JSON report: also report what changed since it' },
  markdown: { kind: 'boolean', flag: 'markdown', help: 'with explain: print the check reference as a Markdown table' },
  strict: { kind: 'boolean', flag: 'strict', key: 'strict', module: 'also', default: false, help: 'warnings fail the run (exit 2)' },
  color: { kind: 'boolean', flag: 'color', help: 'colour the human report (--no-color or NO_COLOR turn it off)' },
  verbose: { kind: 'boolean', flag: 'verbose', help: 'human report: every finding in full, passes and skips included' },
  checkOverrides: { kind: 'overrides', key: 'checks', module: 'also' },
  role: { kind: 'role', key: 'role', module: 'only' },
  modules: { kind: 'modules', key: 'modules' },
  listen: {
    kind: 'listen',
    flag: 'listen',
    help: `serve: the address and port to listen on, ip:port (default ${DEFAULT_LISTEN_HOST}:${DEFAULT_LISTEN_PORT})`,
  },
  allowAnyTarget: {
    kind: 'boolean',
    flag: 'allow-any-target',
    help: "serve: probe any domain a request names, not only the config file's (an open prober)",
  },
  exporterConcurrency: { kind: 'integer', key: 'serve.concurrency', range: [1, 256], default: EXPORTER_DEFAULTS.concurrency },
  exporterQueueLength: { kind: 'integer', key: 'serve.queueLength', range: [0, 4096], default: EXPORTER_DEFAULTS.queueLength },
  exporterCacheTtlMs: { kind: 'integer', key: 'serve.cacheTtlMs', range: [0, 3_600_000], default: EXPORTER_DEFAULTS.cacheTtlMs },
  help: { kind: 'boolean', flag: 'help', alias: 'h', help: 'show help' },
  version: { kind: 'boolean', flag: 'version', help: 'show the version' },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
type SettingOf<N extends SettingName> = (typeof SETTINGS)[N];
export type SettingValue<N extends SettingName> = SettingOf<N> extends { list: true }
  ? KindValues[SettingOf<N>['kind']][]
  : KindValues[SettingOf<N>['kind']];
/** The settings that have a default, with its type widened (30, not the literal 30). */
export type DefaultedName = { [N in SettingName]: SettingOf<N> extends { default: unknown } ? N : never }[SettingName];

export function setting(name: SettingName): Setting {
  return SETTINGS[name];
}

export function defaultOf<N extends DefaultedName>(name: N): SettingValue<N> {
  return SETTINGS[name].default as SettingValue<N>;
}

/** The --help line, with the default when it is a number or a word. */
export function helpLine(entry: Setting): string {
  const shown = typeof entry.default === 'number' || typeof entry.default === 'string' ? ` (default ${entry.default})` : '';
  return `${entry.help ?? ''}${shown}`;
}

/** How a message names an option: its flag, or the word for a positional argument. */
export function argumentLabel(entry: Setting): string {
  return entry.flag ? `--${entry.flag}` : entry.positional ?? 'argument';
}

/** A certificate-expiry threshold and how a message names where it came from. */
export interface Threshold {
  days: number;
  label: string;
}

/** Failing a certificate before warning about it makes no sense: warn-days must not be below crit-days. */
export function requireWarnNotBelowCrit(warn: Threshold, crit: Threshold): void {
  if (warn.days < crit.days) {
    throw new UsageError(`${warn.label} (${warn.days}) must not be less than ${crit.label} (${crit.days})`);
  }
}
