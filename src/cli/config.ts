// The deployment config file (`--config FILE`, or fedcheck.config.json in the working directory):
// the command line's settings written down once, so a scheduled run needs a single flag. Every
// value is validated and normalised exactly as its command-line twin; anything wrong is a
// UsageError naming the file, the key and what was expected.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ALL_CHECKS } from '../checks/index.js';
import type { ResolverAddress } from '../model/observations.js';
import { FORMATS, type ClientCertificate, type Format, type SeverityOverride } from '../model/options.js';
import { matchedClientCertificate, readCaFile, readCertificatePem, readDomainsFile, readPrivateKeyPem, readTextFile } from './files.js';
import { UsageError, normaliseDomain, parseInteger, parseResolver } from './input.js';

export const DEFAULT_CONFIG_FILE = 'fedcheck.config.json';

/**
 * What a config file says, validated and normalised. A key the file leaves out is undefined, so
 * the command line and the defaults can fill it. Paths are absolute.
 */
export interface DeploymentConfig {
  /** The config file, absolute. */
  file: string;
  /** `domains` followed by the entries of `domainsFile`, without repeats. */
  domains?: string[];
  partners?: string[];
  resolvers?: ResolverAddress[];
  internalResolvers?: ResolverAddress[];
  /** `port` is undefined when the file leaves it out (DEFAULT_IMP_PORT applies). */
  imp?: { fqdn: string; port?: number; publisher?: string };
  caFiles?: string[];
  caCertificates?: string[];
  clientCertificate?: ClientCertificate;
  timeoutMs?: number;
  warnDays?: number;
  critDays?: number;
  concurrency?: number;
  sipOptions?: boolean;
  strict?: boolean;
  format?: Format;
  output?: string;
  checkOverrides?: Record<string, SeverityOverride>;
}

const TOP_LEVEL_KEYS = [
  'domains',
  'domainsFile',
  'partners',
  'resolvers',
  'internalResolvers',
  'imp',
  'ca',
  'clientCertificate',
  'timeoutMs',
  'warnDays',
  'critDays',
  'concurrency',
  'sipOptions',
  'strict',
  'format',
  'output',
  'checks',
  '$schema',
  '$comment',
] as const;
const IMP_KEYS = ['fqdn', 'port', 'publisher'] as const;
const CLIENT_CERTIFICATE_KEYS = ['cert', 'key'] as const;
const SEVERITY_OVERRIDES: readonly SeverityOverride[] = ['off', 'info', 'warn', 'fail'];

/** The same bounds as the command line (args.ts), so a value means the same in both places. */
const TIMEOUT_RANGE = [100, 3_600_000] as const;
const DAYS_RANGE = [0, 3650] as const;
const CONCURRENCY_RANGE = [1, 1024] as const;
const PORT_RANGE = [1, 65535] as const;

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

function validateConfig(parsed: unknown, file: string): DeploymentConfig {
  const folder = dirname(file);
  if (!isPlainObject(parsed)) {
    throw new UsageError(`the file must hold one JSON object such as { "domains": ["ciscoexample.com"] }, got ${describe(parsed)}`);
  }
  const entries = keysChecked(parsed, TOP_LEVEL_KEYS, '');
  const config: DeploymentConfig = { file };

  const domains = entries.has('domains') ? domainList(entries.get('domains'), 'domains') : undefined;
  let fileDomains: string[] | undefined;
  if (entries.has('domainsFile')) {
    const domainsFile = pathAt(entries.get('domainsFile'), 'domainsFile', folder);
    fileDomains = underKey('domainsFile', () => readDomainsFile(domainsFile, 'domains file'));
  }
  if (domains || fileDomains) config.domains = [...new Set([...(domains ?? []), ...(fileDomains ?? [])])];
  if (entries.has('partners')) config.partners = [...new Set(domainList(entries.get('partners'), 'partners'))];
  if (entries.has('resolvers')) config.resolvers = resolverList(entries.get('resolvers'), 'resolvers');
  if (entries.has('internalResolvers')) config.internalResolvers = resolverList(entries.get('internalResolvers'), 'internalResolvers');
  if (entries.has('imp')) config.imp = impAt(entries.get('imp'));
  if (entries.has('ca')) {
    const caFiles = listAt(entries.get('ca'), 'ca', 'PEM file paths').map((value, index) => pathAt(value, `ca[${index}]`, folder));
    config.caFiles = caFiles;
    config.caCertificates = caFiles.flatMap((caFile, index) => underKey(`ca[${index}]`, () => readCaFile(caFile, 'CA file')));
  }
  if (entries.has('clientCertificate')) config.clientCertificate = clientCertificateAt(entries.get('clientCertificate'), folder);
  if (entries.has('timeoutMs')) config.timeoutMs = integerAt(entries.get('timeoutMs'), 'timeoutMs', TIMEOUT_RANGE);
  if (entries.has('warnDays')) config.warnDays = integerAt(entries.get('warnDays'), 'warnDays', DAYS_RANGE);
  if (entries.has('critDays')) config.critDays = integerAt(entries.get('critDays'), 'critDays', DAYS_RANGE);
  if (config.warnDays !== undefined && config.critDays !== undefined && config.warnDays < config.critDays) {
    throw new UsageError(`"warnDays" (${config.warnDays}) must not be less than "critDays" (${config.critDays})`);
  }
  if (entries.has('concurrency')) config.concurrency = integerAt(entries.get('concurrency'), 'concurrency', CONCURRENCY_RANGE);
  if (entries.has('sipOptions')) config.sipOptions = booleanAt(entries.get('sipOptions'), 'sipOptions');
  if (entries.has('strict')) config.strict = booleanAt(entries.get('strict'), 'strict');
  if (entries.has('format')) config.format = formatAt(entries.get('format'));
  if (entries.has('output')) config.output = pathAt(entries.get('output'), 'output', folder);
  if (entries.has('checks')) config.checkOverrides = checkOverridesAt(entries.get('checks'));
  return config;
}

function impAt(value: unknown): NonNullable<DeploymentConfig['imp']> {
  const entries = keysChecked(objectAt(value, 'imp', '{ "fqdn": …, "port": …, "publisher": … }'), IMP_KEYS, 'imp.');
  if (!entries.has('fqdn')) throw new UsageError('"imp.fqdn" is missing (the Federation Routing IM/P FQDN, e.g. IMP1-public.ciscoexample.com)');
  const imp: NonNullable<DeploymentConfig['imp']> = { fqdn: domainAt(entries.get('fqdn'), 'imp.fqdn') };
  if (entries.has('port')) imp.port = integerAt(entries.get('port'), 'imp.port', PORT_RANGE);
  if (entries.has('publisher')) imp.publisher = domainAt(entries.get('publisher'), 'imp.publisher');
  return imp;
}

function clientCertificateAt(value: unknown, folder: string): ClientCertificate {
  const entries = keysChecked(
    objectAt(value, 'clientCertificate', '{ "cert": "<PEM file>", "key": "<PEM file>" }'),
    CLIENT_CERTIFICATE_KEYS,
    'clientCertificate.',
  );
  if (!entries.has('cert')) throw new UsageError('"clientCertificate.cert" is missing (the PEM certificate to present)');
  if (!entries.has('key')) throw new UsageError('"clientCertificate.key" is missing (the PEM private key of "clientCertificate.cert")');
  const certFile = pathAt(entries.get('cert'), 'clientCertificate.cert', folder);
  const keyFile = pathAt(entries.get('key'), 'clientCertificate.key', folder);
  const certPem = underKey('clientCertificate.cert', () => readCertificatePem(certFile, 'certificate file'));
  const keyPem = underKey('clientCertificate.key', () => readPrivateKeyPem(keyFile, 'key file'));
  return underKey('clientCertificate', () =>
    matchedClientCertificate({ file: certFile, pem: certPem }, { file: keyFile, pem: keyPem }, { cert: 'certificate file', key: 'key file' }),
  );
}

function checkOverridesAt(value: unknown): Record<string, SeverityOverride> {
  const entries = Object.entries(objectAt(value, 'checks', '{ "<check-id>": "off" | "info" | "warn" | "fail" }'));
  const checkIds = ALL_CHECKS.map((check) => check.meta.id);
  const overrides: Record<string, SeverityOverride> = {};
  for (const [id, severity] of entries) {
    if (!checkIds.includes(id)) {
      const suggestion = closestName(id, checkIds);
      throw new UsageError(
        `unknown check id ${JSON.stringify(id)} in "checks" (${suggestion ? `did you mean ${JSON.stringify(suggestion)}? ` : ''}fedcheck explain lists the check ids)`,
      );
    }
    if (typeof severity !== 'string' || !SEVERITY_OVERRIDES.includes(severity as SeverityOverride)) {
      throw new UsageError(`${keyLabel(`checks.${id}`)} must be one of ${SEVERITY_OVERRIDES.map((s) => `"${s}"`).join(', ')}, got ${describe(severity)}`);
    }
    overrides[id] = severity as SeverityOverride;
  }
  return overrides;
}

function formatAt(value: unknown): Format {
  if (typeof value !== 'string' || !FORMATS.includes(value as Format)) {
    throw new UsageError(`"format" must be one of ${FORMATS.map((f) => `"${f}"`).join(', ')}, got ${describe(value)}`);
  }
  return value as Format;
}

function domainList(value: unknown, path: string): string[] {
  return listAt(value, path, 'domain names').map((entry, index) => domainAt(entry, `${path}[${index}]`));
}

function domainAt(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new UsageError(`${keyLabel(path)} must be a domain name (a string), got ${describe(value)}`);
  return normaliseDomain(value, keyLabel(path));
}

function resolverList(value: unknown, path: string): ResolverAddress[] {
  return listAt(value, path, '"ip[:port]" strings').map((entry, index) => {
    const label = keyLabel(`${path}[${index}]`);
    if (typeof entry !== 'string') throw new UsageError(`${label} must be a resolver address "ip[:port]" (a string), got ${describe(entry)}`);
    return parseResolver(entry, label);
  });
}

function listAt(value: unknown, path: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw new UsageError(`${keyLabel(path)} must be a list of ${what}, got ${describe(value)}`);
  return value;
}

function pathAt(value: unknown, path: string, folder: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${keyLabel(path)} must be a file path (a non-empty string), got ${describe(value)}`);
  }
  return resolve(folder, value);
}

function integerAt(value: unknown, path: string, [min, max]: readonly [number, number]): number {
  const label = keyLabel(path);
  const expected = new UsageError(`${label} must be a whole number between ${min} and ${max}, got ${describe(value)}`);
  // parseInteger would accept "5062" as well; a config file says what it means, so a string is a mistake.
  if (typeof value !== 'number') throw expected;
  try {
    return parseInteger(value, label, min, max);
  } catch (error) {
    if (error instanceof UsageError) throw expected;
    throw error;
  }
}

function booleanAt(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new UsageError(`${keyLabel(path)} must be true or false, got ${describe(value)}`);
  return value;
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

function underKey<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${keyLabel(path)}: ${error.message}`);
    throw error;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyLabel(path: string): string {
  return JSON.stringify(path);
}

/** A short, one-line picture of a wrong value for an error message. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = JSON.stringify(value);
    return shown.length > 60 ? `${shown.slice(0, 56)}…"` : shown;
  }
  return String(value);
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

// ---- JSON with comments and trailing commas (JSONC, as tsconfig.json) ----

/** Where a JSONC text is wrong, 1-based, in UTF-16 code units like editors count. */
export class JsoncSyntaxError extends Error {
  override name = 'JsoncSyntaxError';
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    /** Set when the text is well-formed but repeats a key: where the first one was. */
    readonly duplicateOf?: { path: string; line: number; column: number },
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/**
 * JSONC → value. Comments and trailing commas are blanked out in place (so offsets, lines and
 * columns stay those of the original text), a scanner finds the first syntax error or repeated
 * key with its exact position (V8's JSON.parse messages do not always carry one), then JSON.parse
 * builds the value.
 */
export function parseJsonc(text: string): unknown {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const stripped = stripJsonc(withoutBom);
  new JsonScanner(stripped).scan();
  return JSON.parse(stripped);
}

/**
 * Replaces `//` and `/* *\/` comments outside strings, and commas directly before `}` or `]`
 * that follow a value, with spaces; line breaks stay. A comment that is never closed is left in
 * place for the scanner to report.
 */
export function stripJsonc(text: string): string {
  const chars = text.split('');
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') chars[i++] = ' ';
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) break;
      for (; i < close + 2; i++) if (text[i] !== '\n' && text[i] !== '\r') chars[i] = ' ';
    } else {
      i++;
    }
  }

  const uncommented = chars.join('');
  let previous = '';
  i = 0;
  while (i < uncommented.length) {
    const c = uncommented[i]!;
    if (c === '"') {
      i = endOfString(uncommented, i);
      previous = '"';
      continue;
    }
    if (c === ',') {
      let next = i + 1;
      while (next < uncommented.length && isJsonWhitespace(uncommented[next]!)) next++;
      const closes = uncommented[next] === '}' || uncommented[next] === ']';
      // Only a comma after a value is trailing; `[,]` or `{"a":,}` stay broken for the scanner.
      if (closes && previous !== '' && !'{[,:'.includes(previous)) {
        chars[i] = ' ';
        i++;
        continue;
      }
    }
    if (!isJsonWhitespace(c)) previous = c;
    i++;
  }
  return chars.join('');
}

/** Index just past the string opening at `start`; an unclosed string ends at the line break. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '\n' || c === '\r') return i;
    else i++;
  }
  return text.length;
}

function isJsonWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      column = 1;
    } else if (c !== '\r') {
      column++;
    }
  }
  return { line, column };
}

/** Far deeper than any config; keeps a hostile file from exhausting the stack. */
const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD = /[A-Za-z0-9_$]+/y;
const LITERALS = ['true', 'false', 'null'];

/** Checks JSON syntax (RFC 8259) and key uniqueness, reporting the first problem's position. */
class JsonScanner {
  private offset = 0;

  constructor(private readonly text: string) {}

  scan(): void {
    this.skipWhitespace();
    this.value(0, '');
    this.skipWhitespace();
    if (this.offset < this.text.length) this.fail(this.offset, `expected the end of the file after the JSON value, found ${this.found(this.offset)}`);
  }

  private value(depth: number, path: string): void {
    if (depth > MAX_DEPTH) this.fail(this.offset, `nested more than ${MAX_DEPTH} levels deep`);
    const c = this.text[this.offset];
    if (c === '{') this.object(depth, path);
    else if (c === '[') this.array(depth, path);
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else this.literal();
  }

  private object(depth: number, path: string): void {
    this.offset++;
    this.skipWhitespace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return;
    }
    const seen = new Map<string, number>();
    for (;;) {
      const keyStart = this.offset;
      if (this.text[keyStart] !== '"') this.fail(keyStart, `expected a property name in double quotes, found ${this.found(keyStart)}`);
      this.string();
      const key = JSON.parse(this.text.slice(keyStart, this.offset)) as string;
      const keyPath = path === '' ? key : `${path}.${key}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        const here = lineAndColumn(this.text, keyStart);
        throw new JsoncSyntaxError(here.line, here.column, `duplicate key ${JSON.stringify(keyPath)}`, {
          path: keyPath,
          ...lineAndColumn(this.text, earlier),
        });
      }
      seen.set(key, keyStart);
      this.skipWhitespace();
      if (this.text[this.offset] !== ':') this.fail(this.offset, `expected ':' after the property name, found ${this.found(this.offset)}`);
      this.offset++;
      this.skipWhitespace();
      this.value(depth + 1, keyPath);
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === '}') {
        this.offset++;
        return;
      }
      if (next !== ',') this.fail(this.offset, `expected ',' or '}' after a property value, found ${this.found(this.offset)}`);
      this.offset++;
      this.skipWhitespace();
    }
  }

  private array(depth: number, path: string): void {
    this.offset++;
    this.skipWhitespace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value(depth + 1, `${path}[${index}]`);
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === ']') {
        this.offset++;
        return;
      }
      if (next !== ',') this.fail(this.offset, `expected ',' or ']' after a list element, found ${this.found(this.offset)}`);
      this.offset++;
      this.skipWhitespace();
    }
  }

  private string(): void {
    const start = this.offset;
    let i = start + 1;
    for (;;) {
      const c = this.text[i];
      if (c === undefined) this.fail(start, 'string is never closed (missing ")');
      if (c === '"') break;
      if (c === '\n' || c === '\r') this.fail(start, 'string is not closed before the end of the line');
      if (c === '\\') {
        const escaped = this.text[i + 1];
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(i + 2, i + 6))) this.fail(i, 'invalid \\u escape (it needs four hex digits)');
          i += 6;
        } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) {
          i += 2;
        } else {
          this.fail(i, `invalid escape ${escaped === undefined ? '\\' : JSON.stringify(`\\${escaped}`)} (a literal backslash is written \\\\)`);
        }
        continue;
      }
      if (c < ' ') this.fail(i, `control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} inside a string (write it as an escape such as \\t)`);
      i++;
    }
    this.offset = i + 1;
  }

  private number(): void {
    NUMBER.lastIndex = this.offset;
    const match = NUMBER.exec(this.text);
    const end = match ? this.offset + match[0].length : this.offset;
    if (!match || /[0-9A-Za-z.+-]/.test(this.text[end] ?? '')) this.fail(this.offset, 'invalid number');
    this.offset = end;
  }

  private literal(): void {
    WORD.lastIndex = this.offset;
    const word = WORD.exec(this.text)?.[0];
    if (word !== undefined && LITERALS.includes(word)) {
      this.offset += word.length;
      return;
    }
    this.fail(this.offset, `expected a value, found ${this.found(this.offset)}`);
  }

  private skipWhitespace(): void {
    while (this.offset < this.text.length && isJsonWhitespace(this.text[this.offset]!)) this.offset++;
  }

  /** The offending text at `offset`, described for a human. */
  private found(offset: number): string {
    const c = this.text[offset];
    if (c === undefined) return 'the end of the file';
    if (this.text.startsWith('/*', offset)) return 'a comment that is never closed (missing */)';
    if (c === "'") return "' (strings and property names need double quotes)";
    WORD.lastIndex = offset;
    const word = WORD.exec(this.text)?.[0];
    if (word !== undefined && /[A-Za-z_$]/.test(c)) {
      return `${JSON.stringify(word)} (text needs double quotes; the bare words are true, false and null)`;
    }
    if (c < ' ' || c > '~') return `U+${this.text.codePointAt(offset)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return `'${c}'`;
  }

  private fail(offset: number, reason: string): never {
    const { line, column } = lineAndColumn(this.text, offset);
    throw new JsoncSyntaxError(line, column, reason);
  }
}
