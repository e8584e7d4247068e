// How each kind of setting (options.ts) is read: from a command-line argument, which is text,
// and from a config-file value, which is JSON and must already have the right type. Every
// rejection is a UsageError naming the flag or the key.
import { resolve } from 'node:path';
import { FORMATS, type Format } from '../model/options.js';
import { DEFAULT_LISTEN_PORT } from '../serve/defaults.js';
import { UsageError, normaliseDomain, parseInteger, parseListenAddress, parseResolver } from './input.js';
import type { Kind, KindValues, Setting } from './options.js';

/** The kinds a config file holds as plain values; "overrides" needs the checks and "modules" the whole table (config.ts). */
type PlainKind = Exclude<Kind, 'overrides' | 'modules'>;

const ROLES: readonly KindValues['role'][] = ['local', 'partner'];

interface KindReader<T> {
  /** How yargs reads the flag: numbers as text too, so that fedcheck says what is wrong with them. */
  yargsType: 'string' | 'boolean';
  /** What a config-file list of these is called in messages (kinds that come in lists). */
  plural?: string;
  /** From one command-line value; undefined for booleans, which yargs reads itself. */
  fromArgument?: (text: string, label: string, entry: Setting) => T;
  /** From a config-file value at `path` ("imp.port", "ca[0]"); relative paths resolve against `folder`. */
  fromConfig: (value: unknown, path: string, entry: Setting, folder: string) => T;
}

const KINDS: { [K in PlainKind]: KindReader<KindValues[K]> } = {
  integer: {
    yargsType: 'string',
    fromArgument: (text, label, entry) => parseInteger(text, label, ...rangeOf(entry)),
    fromConfig: (value, path, entry) => {
      const label = keyLabel(path);
      const [min, max] = rangeOf(entry);
      const expected = new UsageError(`${label} must be a whole number between ${min} and ${max}, got ${describe(value)}`);
      // parseInteger would accept "5062" as well; a config file says what it means, so a string is a mistake.
      if (typeof value !== 'number') throw expected;
      try {
        return parseInteger(value, label, min, max);
      } catch (error) {
        if (error instanceof UsageError) throw expected;
        throw error;
      }
    },
  },
  boolean: {
    yargsType: 'boolean',
    fromConfig: (value, path) => {
      if (typeof value !== 'boolean') throw new UsageError(`${keyLabel(path)} must be true or false, got ${describe(value)}`);
      return value;
    },
  },
  format: {
    yargsType: 'string',
    fromArgument: (text, label) => {
      if (!isFormat(text)) throw new UsageError(`${label} must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(text)}`);
      return text;
    },
    fromConfig: (value, path) => {
      if (!isFormat(value)) throw new UsageError(`${keyLabel(path)} must be one of ${FORMATS.map((f) => `"${f}"`).join(', ')}, got ${describe(value)}`);
      return value;
    },
  },
  domain: {
    yargsType: 'string',
    plural: 'domain names',
    fromArgument: (text, label) => normaliseDomain(text, label),
    fromConfig: (value, path) => {
      if (typeof value !== 'string') throw new UsageError(`${keyLabel(path)} must be a domain name (a string), got ${describe(value)}`);
      return normaliseDomain(value, keyLabel(path));
    },
  },
  resolver: {
    yargsType: 'string',
    plural: '"ip[:port]" strings',
    fromArgument: (text, label) => parseResolver(text, label),
    fromConfig: (value, path) => {
      if (typeof value !== 'string') throw new UsageError(`${keyLabel(path)} must be a resolver address "ip[:port]" (a string), got ${describe(value)}`);
      return parseResolver(value, keyLabel(path));
    },
  },
  listen: {
    yargsType: 'string',
    fromArgument: (text, label) => parseListenAddress(text, label, DEFAULT_LISTEN_PORT),
    fromConfig: (value, path) => {
      if (typeof value !== 'string') throw new UsageError(`${keyLabel(path)} must be an address to listen on "ip:port" (a string), got ${describe(value)}`);
      return parseListenAddress(value, keyLabel(path), DEFAULT_LISTEN_PORT);
    },
  },
  role: {
    yargsType: 'string',
    fromConfig: (value, path) => {
      if (!ROLES.includes(value as KindValues['role'])) throw new UsageError(`${keyLabel(path)} must be "local" or "partner", got ${describe(value)}`);
      return value as KindValues['role'];
    },
  },
  path: { yargsType: 'string', plural: 'file paths', fromArgument: (text) => text, fromConfig: filePath },
  pem: { yargsType: 'string', plural: 'PEM file paths', fromArgument: (text) => text, fromConfig: filePath },
};

function isFormat(value: unknown): value is Format {
  return typeof value === 'string' && (FORMATS as readonly string[]).includes(value);
}

function rangeOf(entry: Setting): readonly [number, number] {
  return entry.range ?? [0, Number.MAX_SAFE_INTEGER];
}

function filePath(value: unknown, path: string, _entry: Setting, folder: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${keyLabel(path)} must be a file path (a non-empty string), got ${describe(value)}`);
  }
  return resolve(folder, value);
}

function plainKind(entry: Setting): PlainKind {
  if (entry.kind === 'overrides' || entry.kind === 'modules') throw new Error(`${entry.key} is not a plain value`);
  return entry.kind;
}

export function yargsType(entry: Setting): 'string' | 'boolean' {
  return entry.kind === 'overrides' || entry.kind === 'modules' ? 'string' : KINDS[entry.kind].yargsType;
}

/**
 * One command-line value of the setting (one element of a repeatable flag). Booleans are read
 * by yargs and never come here.
 */
export function valueFromArgument(entry: Setting, text: string, label: string): unknown {
  const read = KINDS[plainKind(entry)].fromArgument;
  if (!read) throw new Error(`--${entry.flag} is read by yargs`);
  return read(text, label, entry);
}

/** The setting's value in a config file (`path` is where it sits), a list for a list setting. */
export function valueFromConfig(entry: Setting, value: unknown, path: string, folder: string): unknown {
  const kind = KINDS[plainKind(entry)];
  if (!entry.list) return kind.fromConfig(value, path, entry, folder);
  if (!Array.isArray(value)) throw new UsageError(`${keyLabel(path)} must be a list of ${kind.plural ?? 'values'}, got ${describe(value)}`);
  return value.map((item, index) => kind.fromConfig(item, `${path}[${index}]`, entry, folder));
}

/** How a message names a config-file key. */
export function keyLabel(path: string): string {
  return JSON.stringify(path);
}

/** A short, one-line picture of a wrong value for an error message. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = JSON.stringify(value);
    return shown.length > 60 ? `${shown.slice(0, 56)}…"` : shown;
  }
  return String(value);
}
