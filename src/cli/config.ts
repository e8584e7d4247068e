// The deployment config file (`--config FILE`, or fedcheck.config.json in the working directory):
// the command line's settings written down once, so a scheduled run needs a single flag. Its keys,
// kinds and ranges come from the table of settings (options.ts), so a value means the same here
// as on the command line; anything wrong is a UsageError naming the file, the key and what was
// expected.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ALL_CHECKS, declaredCodes, isOverrideKey } from '../checks/index.js';
import { SEVERITY_OVERRIDES, type ClientCertificate, type Format, type RunOptions, type SeverityOverride } from '../model/options.js';
import { MODULE_NAME } from '../serve/defaults.js';
import { matchedClientCertificate, readCaFile, readCertificatePem, readDomainsFile, readPrivateKeyPem, readTextFile } from './files.js';
import { UsageError } from './input.js';
import { JsoncSyntaxError, parseJsonc } from './jsonc.js';
import { SETTINGS, requireWarnNotBelowCrit, setting, type Setting, type SettingName, type SettingValue } from './options.js';
import { describe, keyLabel, valueFromConfig } from './values.js';

export const DEFAULT_CONFIG_FILE = 'fedcheck.config.json';

/** The settings of one probe, which an exporter module may set again for its own probes. */
export type ProbeSettings = Partial<
  Pick<
    RunOptions,
    | 'resolvers'
    | 'internalResolvers'
    | 'caFiles'
    | 'caCertificates'
    | 'clientCertificate'
    | 'timeoutMs'
    | 'warnDays'
    | 'critDays'
    | 'sipOptions'
    | 'revocation'
    | 'strict'
    | 'checkOverrides'
  >
> & {
  /** `port` is undefined when the file leaves it out (the default applies). */
  imp?: { fqdn: string; port?: number; publisher?: string };
};

/** An exporter module (`fedcheck serve`, `/probe?module=<name>`): what it sets over the top level. */
export type ModuleConfig = ProbeSettings & {
  /** How its targets are probed; undefined: as a partner when the config lists them as one. */
  role?: 'local' | 'partner';
};

/**
 * What a config file says, validated and normalised. A key the file leaves out is undefined, so
 * the command line and the defaults can fill it. Paths are absolute.
 */
export type DeploymentConfig = ProbeSettings &
  Partial<Pick<RunOptions, 'domains' | 'partners' | 'concurrency'>> & {
    /** The config file, absolute. */
    file: string;
    format?: Format;
    output?: string;
    /** Exporter modules by name, in the file's order. */
    modules?: Map<string, ModuleConfig>;
    exporterConcurrency?: number;
    exporterQueueLength?: number;
    exporterCacheTtlMs?: number;
  };

/** Keys an editor or a person may add; fedcheck reads past them. */
const IGNORED_KEYS = ['$schema', '$comment'];

/** The keys of the object `prefix` ("" for the top level), in the table's order, at the top level or in a module. */
function keysUnder(prefix: string, where: 'top' | 'module' = 'top'): string[] {
  const keys = Object.values<Setting>(SETTINGS).flatMap(({ key, module }) => {
    const allowed = where === 'top' ? module !== 'only' : module !== undefined;
    return allowed && key?.startsWith(prefix) ? [key.slice(prefix.length).split('.')[0]!] : [];
  });
  return [...new Set(keys)];
}

const TOP_LEVEL_KEYS = [...keysUnder(''), ...IGNORED_KEYS];
const MODULE_KEYS = [...keysUnder('', 'module'), ...IGNORED_KEYS];

/** `cwd/fedcheck.config.json` when it exists (even as something unreadable, so loading says why). */
export function findDefaultConfig(cwd: string): string | undefined {
  const candidate = join(resolve(cwd), DEFAULT_CONFIG_FILE);
  return existsSync(candidate) ? candidate : undefined;
}

/** Reads, parses and validates a config file. Throws UsageError with a one-line message. */
export function loadConfig(file: string): DeploymentConfig {
  const absolute = resolve(file);
  const text = readTextFile(file, 'config file');
  try {
    return validateConfig(parseConfigText(text), absolute);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

function parseConfigText(text: string): unknown {
  try {
    return parseJsonc(text);
  } catch (error) {
    if (error instanceof JsoncSyntaxError) {
      throw new UsageError(
        error.duplicateOf
          ? `key ${JSON.stringify(error.duplicateOf.path)} appears twice (line ${error.duplicateOf.line}, column ${error.duplicateOf.column} and line ${error.line}, column ${error.column}); JSON would silently keep only the last`
          : `invalid JSON at line ${error.line}, column ${error.column}: ${error.reason}`,
      );
    }
    throw error;
  }
}

/**
 * The setting's value in `entries` (the object its key sits in), validated; undefined when absent.
 * `prefix` is where that object sits ("modules.partner." for a module), for messages.
 */
function read<N extends SettingName>(name: N, entries: Map<string, unknown>, folder: string, prefix = ''): SettingValue<N> | undefined {
  const key = setting(name).key!;
  const own = key.slice(key.lastIndexOf('.') + 1);
  return entries.has(own) ? (valueFromConfig(setting(name), entries.get(own), prefix + key, folder) as SettingValue<N>) : undefined;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function validateConfig(parsed: unknown, file: string): DeploymentConfig {
  const folder = dirname(file);
  if (!isPlainObject(parsed)) {
    throw new UsageError(`the file must hold one JSON object such as { "domains": ["ciscoexample.com"] }, got ${describe(parsed)}`);
  }
  const entries = keysChecked(parsed, TOP_LEVEL_KEYS, '');
  const config: DeploymentConfig = { file };
  const copy = (name: SettingName & keyof DeploymentConfig) => {
    const value = read(name, entries, folder);
    if (value !== undefined) Object.assign(config, { [name]: value });
  };

  const domains = read('domains', entries, folder);
  const domainsFile = read('domainsFile', entries, folder);
  const fileDomains = domainsFile === undefined ? undefined : underKey('domainsFile', () => readDomainsFile(domainsFile, 'domains file'));
  if (domains || fileDomains) config.domains = unique([...(domains ?? []), ...(fileDomains ?? [])]);
  const partners = read('partners', entries, folder);
  if (partners) config.partners = unique(partners);
  Object.assign(config, probeSettingsAt(entries, folder, ''));
  copy('concurrency');
  copy('format');
  copy('output');
  if (entries.has('serve')) {
    const exporter = keysChecked(objectAt(entries.get('serve'), 'serve', '{ "concurrency": …, "queueLength": …, "cacheTtlMs": … }'), keysUnder('serve.'), 'serve.');
    for (const name of ['exporterConcurrency', 'exporterQueueLength', 'exporterCacheTtlMs'] as const) {
      const value = read(name, exporter, folder);
      if (value !== undefined) config[name] = value;
    }
  }
  if (entries.has(SETTINGS.modules.key)) config.modules = modulesAt(entries.get(SETTINGS.modules.key), folder);
  return config;
}

/** The settings of a probe in `entries`, the object at `prefix` ("" for the top level, "modules.<name>." for a module). */
function probeSettingsAt(entries: Map<string, unknown>, folder: string, prefix: string): ProbeSettings {
  const settings: ProbeSettings = {};
  const copy = (name: SettingName & keyof ProbeSettings) => {
    const value = read(name, entries, folder, prefix);
    if (value !== undefined) Object.assign(settings, { [name]: value });
  };
  copy('resolvers');
  copy('internalResolvers');
  if (entries.has('imp')) settings.imp = impAt(entries.get('imp'), folder, prefix);
  const caFiles = read('caFiles', entries, folder, prefix);
  if (caFiles) {
    settings.caFiles = caFiles;
    settings.caCertificates = caFiles.flatMap((caFile, index) => underKey(`${prefix}ca[${index}]`, () => readCaFile(caFile, 'CA file')));
  }
  if (entries.has('clientCertificate')) settings.clientCertificate = clientCertificateAt(entries.get('clientCertificate'), folder, prefix);
  copy('timeoutMs');
  copy('warnDays');
  copy('critDays');
  if (settings.warnDays !== undefined && settings.critDays !== undefined) {
    requireWarnNotBelowCrit(
      { days: settings.warnDays, label: keyLabel(prefix + SETTINGS.warnDays.key) },
      { days: settings.critDays, label: keyLabel(prefix + SETTINGS.critDays.key) },
    );
  }
  copy('sipOptions');
  copy('revocation');
  copy('strict');
  if (entries.has(SETTINGS.checkOverrides.key)) settings.checkOverrides = checkOverridesAt(entries.get(SETTINGS.checkOverrides.key), prefix);
  return settings;
}

/** "modules": each a name a request can give and the probe settings it changes. */
function modulesAt(value: unknown, folder: string): Map<string, ModuleConfig> {
  const modules = new Map<string, ModuleConfig>();
  for (const [name, moduleValue] of Object.entries(objectAt(value, 'modules', '{ "<name>": { "role": …, "resolvers": …, … } }'))) {
    if (!MODULE_NAME.test(name)) {
      throw new UsageError(
        `module name ${JSON.stringify(name)} in "modules" is not usable in a request: letters, digits, "_", "." and "-", starting with a letter or digit, at most 64 characters`,
      );
    }
    const prefix = `modules.${name}.`;
    const entries = keysChecked(objectAt(moduleValue, `modules.${name}`, '{ "role": …, "resolvers": …, … }'), MODULE_KEYS, prefix);
    const role = read('role', entries, folder, prefix);
    const settings = probeSettingsAt(entries, folder, prefix);
    if (role === 'partner' && settings.imp) {
      throw new UsageError(
        `${keyLabel(`${prefix}imp`)} checks IM and Presence, which serves local domains, but ${keyLabel(`${prefix}role`)} is "partner": remove one of them`,
      );
    }
    modules.set(name, { ...settings, ...(role ? { role } : {}) });
  }
  return modules;
}

function impAt(value: unknown, folder: string, prefix: string): NonNullable<ProbeSettings['imp']> {
  const entries = keysChecked(objectAt(value, `${prefix}imp`, '{ "fqdn": …, "port": …, "publisher": … }'), keysUnder('imp.'), `${prefix}imp.`);
  const fqdn = read('impFqdn', entries, folder, prefix);
  if (fqdn === undefined) throw new UsageError(`${keyLabel(`${prefix}imp.fqdn`)} is missing (the Federation Routing IM/P FQDN, e.g. IMP1-public.ciscoexample.com)`);
  const port = read('impPort', entries, folder, prefix);
  const publisher = read('impPublisher', entries, folder, prefix);
  return { fqdn, ...(port !== undefined ? { port } : {}), ...(publisher !== undefined ? { publisher } : {}) };
}

function clientCertificateAt(value: unknown, folder: string, prefix: string): ClientCertificate {
  const at = `${prefix}clientCertificate`;
  const entries = keysChecked(objectAt(value, at, '{ "cert": "<PEM file>", "key": "<PEM file>" }'), keysUnder('clientCertificate.'), `${at}.`);
  if (!entries.has('cert')) throw new UsageError(`${keyLabel(`${at}.cert`)} is missing (the PEM certificate to present)`);
  if (!entries.has('key')) throw new UsageError(`${keyLabel(`${at}.key`)} is missing (the PEM private key of ${keyLabel(`${at}.cert`)})`);
  const certFile = read('cert', entries, folder, prefix)!;
  const keyFile = read('key', entries, folder, prefix)!;
  const certPem = underKey(`${at}.cert`, () => readCertificatePem(certFile, 'certificate file'));
  const keyPem = underKey(`${at}.key`, () => readPrivateKeyPem(keyFile, 'key file'));
  return underKey(at, () =>
    matchedClientCertificate({ file: certFile, pem: certPem }, { file: keyFile, pem: keyPem }, { cert: 'certificate file', key: 'key file' }),
  );
}

function checkOverridesAt(value: unknown, prefix: string): Record<string, SeverityOverride> {
  const severities = SEVERITY_OVERRIDES.map((s) => `"${s}"`);
  const entries = Object.entries(objectAt(value, `${prefix}checks`, `{ "<check-id>": ${severities.join(' | ')} }`));
  const overrides: Record<string, SeverityOverride> = {};
  for (const [key, severity] of entries) {
    requireOverrideKey(key, keyLabel(`${prefix}checks`));
    if (typeof severity !== 'string' || !SEVERITY_OVERRIDES.includes(severity as SeverityOverride)) {
      throw new UsageError(`${keyLabel(`${prefix}checks.${key}`)} must be one of ${severities.join(', ')}, got ${describe(severity)}`);
    }
    overrides[key] = severity as SeverityOverride;
  }
  return overrides;
}

/**
 * What may name a severity override: a check id or a finding code. The one place that decides
 * it, for a config file's "checks" and a replayed report's recorded overrides (`where`, a key label).
 */
export function requireOverrideKey(key: string, where: string): void {
  if (isOverrideKey(key)) return;
  const isCode = key.includes('.');
  const suggestion = closestName(
    key,
    isCode ? ALL_CHECKS.flatMap((check) => declaredCodes(check).map(({ code }) => code)) : ALL_CHECKS.map((check) => check.meta.id),
  );
  throw new UsageError(
    `unknown ${isCode ? 'finding code' : 'check id'} ${JSON.stringify(key)} in ${where} (${suggestion ? `did you mean ${JSON.stringify(suggestion)}? ` : ''}fedcheck explain lists the check ids and their codes)`,
  );
}

function objectAt(value: unknown, path: string, shape: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new UsageError(`${keyLabel(path)} must be an object ${shape}, got ${describe(value)}`);
  return value;
}

/** The object's entries, after rejecting any key not in `known` (with the closest known key as a hint). */
function keysChecked(object: Record<string, unknown>, known: readonly string[], prefix: string): Map<string, unknown> {
  const entries = new Map(Object.entries(object));
  for (const key of entries.keys()) {
    if (known.includes(key)) continue;
    const suggestion = closestName(key, known);
    const hint = suggestion
      ? `did you mean ${keyLabel(prefix + suggestion)}?`
      : prefix === ''
        ? `known keys: ${known.join(', ')}`
        : `the keys of ${keyLabel(prefix.slice(0, -1))} are ${known.join(', ')}`;
    throw new UsageError(`unknown key ${keyLabel(prefix + key)} (${hint})`);
  }
  return entries;
}

function underKey<T>(path: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${keyLabel(path)}: ${error.message}`);
    throw error;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The candidate the user most plausibly meant: the same name up to case, `-` and `_`
 * (warn-days → warnDays), else the nearest by edit distance when it is close enough to be a typo.
 */
export function closestName(input: string, candidates: readonly string[]): string | undefined {
  const fold = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
  const same = candidates.find((candidate) => fold(candidate) === fold(input));
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  return bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring characters each cost one, so "prot" is one typo away from "port".
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
