// A parser for the BIND master-file subset the lab's zones use (RFC 1035 §5): enough to write
// realistic federation zones by hand, strict enough that a typo fails loudly with file and line
// instead of serving a zone that silently differs from what the scenario meant.
import { readFile } from 'node:fs/promises';
import net from 'node:net';

/** One resource record; `data` is in the shape dns-packet encodes for `type`. */
export interface ZoneRecord {
  /** Lower-case, without the trailing dot; the root is ".". */
  name: string;
  type: string;
  ttl: number;
  data: unknown;
}

export interface Zone {
  /** The apex: the SOA owner, else the origin the file started with. Lower-case, no trailing dot. */
  origin: string;
  records: ZoneRecord[];
}

export interface ZoneParseOptions {
  /** The origin before any $ORIGIN, as `named.conf` would give it. */
  origin?: string;
  /** Values for `{{NAME}}` placeholders, inserted verbatim as zone text before parsing. */
  variables?: Record<string, string | number>;
  /** Named in error messages. */
  fileName?: string;
}

export class ZoneParseError extends Error {
  constructor(
    readonly fileName: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${fileName}:${line}: ${reason}`);
    this.name = 'ZoneParseError';
  }
}

export const SUPPORTED_RECORD_TYPES = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'SRV', 'PTR', 'TXT'] as const;

const MAX_TTL = 0x7fffffff; // RFC 2181 §8
const MAX_UINT32 = 0xffffffff;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const UNSUPPORTED_CLASSES = new Set(['CH', 'CS', 'HS', 'ANY', 'NONE']);

export async function loadZoneFile(path: string, options: ZoneParseOptions = {}): Promise<Zone> {
  const text = await readFile(path, 'utf8');
  return parseZone(text, { ...options, fileName: options.fileName ?? path });
}

export function parseZone(text: string, options: ZoneParseOptions = {}): Zone {
  return new ZoneParser(text, options).parse();
}

/**
 * Zone text with its {{NAME}} placeholders filled in (comments untouched), for the lab's parser
 * and for other servers that read the same zone files (BIND in the tests).
 */
export function fillZonePlaceholders(text: string, variables: Record<string, string | number>, fileName = '<zone>'): string {
  return text
    .split(/\r?\n/)
    .map((line, index) => {
      const lineNumber = index + 1;
      const commentAt = commentStart(line);
      const code = commentAt === undefined ? line : line.slice(0, commentAt);
      const comment = commentAt === undefined ? '' : line.slice(commentAt);
      if (!code.includes('{{') && !code.includes('}}')) return line;
      const leftover = code.replace(PLACEHOLDER, '');
      if (leftover.includes('{{') || leftover.includes('}}')) {
        throw new ZoneParseError(fileName, lineNumber, 'malformed placeholder: write {{NAME}} with a letter or _ first');
      }
      const replaced = code.replace(PLACEHOLDER, (_match, name: string) => {
        if (!Object.prototype.hasOwnProperty.call(variables, name)) {
          throw new ZoneParseError(fileName, lineNumber, `unknown placeholder {{${name}}}`);
        }
        const value = String(variables[name]);
        if (/[\r\n]/.test(value)) throw new ZoneParseError(fileName, lineNumber, `the value of {{${name}}} contains a line break`);
        return value;
      });
      return replaced + comment;
    })
    .join('\n');
}

interface Token {
  /** Unquoted tokens keep their backslash escapes; quoted ones are already unescaped. */
  text: string;
  quoted: boolean;
  /** For quoted strings: the exact bytes (a \DDD escape may produce bytes that are not UTF-8). */
  bytes?: Buffer;
  line: number;
}

interface Entry {
  line: number;
  /** The entry's first line started with white space: the owner is the previous record's. */
  blankOwner: boolean;
  tokens: Token[];
}

class ZoneParser {
  private readonly fileName: string;
  private origin: string | undefined;
  private firstOrigin: string | undefined;
  private defaultTtl: number | undefined;
  private lastTtl: number | undefined;
  private lastOwner: string | undefined;
  private soa: { record: ZoneRecord; line: number } | undefined;
  private readonly records: { record: ZoneRecord; line: number }[] = [];
  private readonly seenRecords = new Set<string>();
  private readonly typesByOwner = new Map<string, Set<string>>();

  constructor(
    private readonly text: string,
    private readonly options: ZoneParseOptions,
  ) {
    this.fileName = options.fileName ?? '<zone>';
  }

  parse(): Zone {
    if (this.options.origin !== undefined) {
      // The option is always absolute, as in named.conf; line 0 says the error is not in the text.
      const origin = this.options.origin.endsWith('.') ? this.options.origin : `${this.options.origin}.`;
      this.origin = this.absoluteName(origin, 0, 'the origin option');
      this.firstOrigin = this.origin;
    }
    const lines = fillZonePlaceholders(this.text, this.options.variables ?? {}, this.fileName).split(/\r?\n/);
    for (const entry of this.entries(lines)) {
      const first = entry.tokens[0]!;
      if (!entry.blankOwner && !first.quoted && first.text.startsWith('$')) this.directive(entry);
      else this.record(entry);
    }
    const origin = this.soa?.record.name ?? this.firstOrigin;
    if (origin === undefined) {
      throw new ZoneParseError(this.fileName, 1, "cannot tell the zone's origin: add an SOA record or $ORIGIN");
    }
    for (const { record, line } of this.records) {
      if (!isAtOrBelow(record.name, origin)) {
        throw this.error(line, `"${record.name}" is outside the zone "${origin}"`);
      }
    }
    return { origin, records: this.records.map(({ record }) => record) };
  }

  private error(line: number, reason: string): ZoneParseError {
    return new ZoneParseError(this.fileName, line, reason);
  }

  // ---- tokens ---------------------------------------------------------------------------------

  private *entries(lines: string[]): Generator<Entry> {
    let depth = 0;
    let openedAt = 0;
    let entry: Entry | undefined;
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      const lineNumber = index + 1;
      if (depth === 0) entry = { line: lineNumber, blankOwner: /^[ \t]/.test(line), tokens: [] };
      const current = entry!;
      let position = 0;
      while (position < line.length) {
        const char = line[position]!;
        if (char === ' ' || char === '\t') {
          position++;
        } else if (char === ';') {
          break;
        } else if (char === '(') {
          if (depth === 0) openedAt = lineNumber;
          depth++;
          position++;
        } else if (char === ')') {
          if (depth === 0) throw this.error(lineNumber, '")" without a matching "("');
          depth--;
          position++;
        } else if (char === '"') {
          const { bytes, end } = this.quoted(line, position, lineNumber);
          current.tokens.push({ text: bytes.toString('utf8'), bytes, quoted: true, line: lineNumber });
          position = end;
        } else {
          let end = position;
          while (end < line.length && !' \t;()"'.includes(line[end]!)) end += line[end] === '\\' ? 2 : 1;
          current.tokens.push({ text: line.slice(position, end), quoted: false, line: lineNumber });
          position = end;
        }
      }
      if (depth === 0 && current.tokens.length > 0) yield current;
    }
    if (depth > 0) throw this.error(openedAt, '"(" is never closed');
  }

  /** Reads a quoted string starting at the opening quote; returns its bytes and the index after it. */
  private quoted(line: string, start: number, lineNumber: number): { bytes: Buffer; end: number } {
    const parts: Buffer[] = [];
    let position = start + 1;
    while (position < line.length) {
      const char = line[position]!;
      if (char === '"') return { bytes: Buffer.concat(parts), end: position + 1 };
      if (char === '\\') {
        const { bytes, length } = this.escape(line, position, lineNumber);
        parts.push(bytes);
        position += length;
      } else {
        const codePoint = line.codePointAt(position)!;
        const text = String.fromCodePoint(codePoint);
        parts.push(Buffer.from(text, 'utf8'));
        position += text.length;
      }
    }
    throw this.error(lineNumber, 'unterminated quoted string');
  }

  /** One backslash escape at `position`: \DDD is a decimal byte, \X is X itself. */
  private escape(text: string, position: number, lineNumber: number): { bytes: Buffer; length: number } {
    const decimal = /^\\(\d{3})/.exec(text.slice(position, position + 4));
    if (decimal) {
      const value = Number(decimal[1]);
      if (value > 255) throw this.error(lineNumber, `escape \\${decimal[1]} is not a byte (0-255)`);
      return { bytes: Buffer.from([value]), length: 4 };
    }
    const next = text.codePointAt(position + 1);
    if (next === undefined) throw this.error(lineNumber, 'a backslash ends the text');
    const escaped = String.fromCodePoint(next);
    return { bytes: Buffer.from(escaped, 'utf8'), length: 1 + escaped.length };
  }

  private unescapedBytes(token: Token): Buffer {
    if (token.bytes) return token.bytes;
    const parts: Buffer[] = [];
    let position = 0;
    while (position < token.text.length) {
      if (token.text[position] === '\\') {
        const { bytes, length } = this.escape(token.text, position, token.line);
        parts.push(bytes);
        position += length;
      } else {
        const text = String.fromCodePoint(token.text.codePointAt(position)!);
        parts.push(Buffer.from(text, 'utf8'));
        position += text.length;
      }
    }
    return Buffer.concat(parts);
  }

  // ---- directives -----------------------------------------------------------------------------

  private directive(entry: Entry): void {
    const [keyword, ...args] = entry.tokens;
    const directive = keyword!.text.toUpperCase();
    switch (directive) {
      case '$ORIGIN': {
        if (args.length !== 1) throw this.error(entry.line, '$ORIGIN takes exactly one domain name');
        this.origin = this.name(args[0]!, 'the $ORIGIN');
        this.firstOrigin ??= this.origin;
        return;
      }
      case '$TTL': {
        if (args.length !== 1) throw this.error(entry.line, '$TTL takes exactly one TTL');
        const ttl = parseTtl(args[0]!.text);
        if (ttl === undefined) throw this.error(entry.line, `$TTL "${args[0]!.text}" is not a TTL`);
        this.defaultTtl = ttl;
        return;
      }
      case '$INCLUDE':
      case '$GENERATE':
        throw this.error(entry.line, `${directive} is not supported: keep each lab zone in one file`);
      default:
        throw this.error(entry.line, `unknown directive ${keyword!.text}`);
    }
  }

  // ---- records --------------------------------------------------------------------------------

  private record(entry: Entry): void {
    const tokens = entry.tokens;
    let index = 0;
    let owner: string;
    if (entry.blankOwner) {
      if (this.lastOwner === undefined) {
        throw this.error(entry.line, 'the line starts with white space but there is no previous owner name');
      }
      owner = this.lastOwner;
    } else {
      owner = this.name(tokens[0]!, 'the owner name');
      index = 1;
    }

    let ttl: number | undefined;
    let sawClass = false;
    while (index < tokens.length) {
      const token = tokens[index]!;
      const upper = token.text.toUpperCase();
      if (token.quoted) break;
      if (ttl === undefined && /^\d/.test(token.text)) {
        ttl = parseTtl(token.text);
        if (ttl === undefined) throw this.error(token.line, `"${token.text}" is not a TTL`);
      } else if (!sawClass && upper === 'IN') {
        sawClass = true;
      } else if (!sawClass && UNSUPPORTED_CLASSES.has(upper)) {
        throw this.error(token.line, `class ${upper} is not supported: only IN`);
      } else {
        break;
      }
      index++;
    }

    const typeToken = tokens[index];
    if (!typeToken) throw this.error(entry.line, `no record type after "${tokens[index - 1]?.text ?? ''}"`);
    const type = typeToken.text.toUpperCase();
    if (typeToken.quoted || !(SUPPORTED_RECORD_TYPES as readonly string[]).includes(type)) {
      throw this.error(
        typeToken.line,
        `unsupported record type "${typeToken.text}" (supported: ${SUPPORTED_RECORD_TYPES.join(', ')})`,
      );
    }
    const rdata = tokens.slice(index + 1);
    const data = this.rdata(type, rdata, typeToken.line);

    if (ttl === undefined) {
      ttl = this.defaultTtl ?? this.lastTtl ?? (type === 'SOA' ? (data as { minimum: number }).minimum : undefined);
    }
    if (ttl === undefined) throw this.error(entry.line, 'no TTL: give one on the record or add a $TTL line first');
    if (ttl > MAX_TTL) throw this.error(entry.line, `TTL ${ttl} exceeds ${MAX_TTL}`);
    this.lastTtl = ttl;
    this.lastOwner = owner;
    this.add({ name: owner, type, ttl, data }, entry.line);
  }

  private add(record: ZoneRecord, line: number): void {
    const types = this.typesByOwner.get(record.name) ?? new Set<string>();
    if (record.type === 'CNAME' && types.has('CNAME')) {
      throw this.error(line, `"${record.name}" already has a CNAME: a name has at most one`);
    }
    if (record.type === 'CNAME' ? types.size > 0 : types.has('CNAME')) {
      throw this.error(line, `"${record.name}" cannot have a CNAME and other records (RFC 1034 §3.6.2)`);
    }
    if (record.type === 'SOA') {
      if (this.soa) throw this.error(line, `a second SOA record (the first is on line ${this.soa.line})`);
      this.soa = { record, line };
    }
    const identity = `${record.name} ${record.type} ${JSON.stringify(record.data)}`;
    // RFC 2181 §5: an RRset holds no duplicate records; BIND drops them too.
    if (this.seenRecords.has(identity)) return;
    this.seenRecords.add(identity);
    types.add(record.type);
    this.typesByOwner.set(record.name, types);
    this.records.push({ record, line });
  }

  private rdata(type: string, fields: Token[], line: number): unknown {
    const expect = (count: number, layout: string): void => {
      if (fields.length !== count) {
        throw this.error(line, `${type} needs ${layout}, got ${fields.length} field${fields.length === 1 ? '' : 's'}`);
      }
    };
    switch (type) {
      case 'A': {
        expect(1, 'one IPv4 address');
        const address = fields[0]!.text;
        if (fields[0]!.quoted || !net.isIPv4(address)) throw this.error(line, `"${address}" is not an IPv4 address`);
        return address;
      }
      case 'AAAA': {
        expect(1, 'one IPv6 address');
        const address = fields[0]!.text;
        if (fields[0]!.quoted || !net.isIPv6(address) || address.includes('%')) {
          throw this.error(line, `"${address}" is not an IPv6 address`);
        }
        return address.toLowerCase();
      }
      case 'CNAME':
      case 'NS':
      case 'PTR':
        expect(1, 'one domain name');
        return this.name(fields[0]!, `the ${type} target`);
      case 'SRV': {
        expect(4, 'priority, weight, port and target');
        return {
          priority: this.integer(fields[0]!, 0xffff, 'SRV priority'),
          weight: this.integer(fields[1]!, 0xffff, 'SRV weight'),
          port: this.integer(fields[2]!, 0xffff, 'SRV port'),
          target: this.name(fields[3]!, 'the SRV target'),
        };
      }
      case 'SOA': {
        expect(7, 'mname, rname, serial, refresh, retry, expire and minimum');
        return {
          mname: this.name(fields[0]!, 'the SOA mname'),
          rname: this.name(fields[1]!, 'the SOA rname'),
          serial: this.integer(fields[2]!, MAX_UINT32, 'SOA serial'),
          refresh: this.period(fields[3]!, 'SOA refresh'),
          retry: this.period(fields[4]!, 'SOA retry'),
          expire: this.period(fields[5]!, 'SOA expire'),
          minimum: this.period(fields[6]!, 'SOA minimum'),
        };
      }
      case 'TXT': {
        if (fields.length === 0) throw this.error(line, 'TXT needs at least one string');
        const strings = fields.map((field) => {
          const bytes = this.unescapedBytes(field);
          if (bytes.length > 255) {
            throw this.error(field.line, `TXT string of ${bytes.length} bytes: split it into strings of at most 255`);
          }
          return bytes;
        });
        const asText = strings.map((bytes) => bytes.toString('utf8'));
        const allText = asText.every((text, i) => Buffer.from(text, 'utf8').equals(strings[i]!));
        return allText ? asText : strings;
      }
      default:
        throw this.error(line, `unsupported record type "${type}"`);
    }
  }

  private integer(token: Token, max: number, what: string): number {
    if (token.quoted || !/^\d+$/.test(token.text) || Number(token.text) > max) {
      throw this.error(token.line, `${what} "${token.text}" is not an integer from 0 to ${max}`);
    }
    return Number(token.text);
  }

  private period(token: Token, what: string): number {
    const value = token.quoted ? undefined : parseTtl(token.text);
    if (value === undefined || value > MAX_UINT32) {
      throw this.error(token.line, `${what} "${token.text}" is not a time value (seconds, or units like 1h30m)`);
    }
    return value;
  }

  /** A domain name in the file, made absolute against the current origin. */
  private name(token: Token, what: string): string {
    if (token.quoted) throw this.error(token.line, `${what} must not be quoted`);
    return this.absoluteName(token.text, token.line, what);
  }

  private absoluteName(text: string, line: number, what: string): string {
    if (text.includes('\\')) throw this.error(line, `${what} "${text}": escapes in names are not supported`);
    let name: string;
    if (text === '@') {
      if (this.origin === undefined) throw this.error(line, `${what} is "@" but no origin is set`);
      name = this.origin;
    } else if (text === '.') {
      name = '.';
    } else if (text.endsWith('.')) {
      name = text.slice(0, -1);
    } else {
      if (this.origin === undefined) {
        throw this.error(line, `${what} "${text}" is relative but no origin is set: add $ORIGIN or end it with "."`);
      }
      name = this.origin === '.' ? text : `${text}.${this.origin}`;
    }
    name = name.toLowerCase();
    if (name === '.') return name;
    if (Buffer.byteLength(name) > 253) throw this.error(line, `${what} "${name}" is longer than 253 bytes`);
    for (const label of name.split('.')) {
      if (label.length === 0) throw this.error(line, `${what} "${text}" has an empty label`);
      if (Buffer.byteLength(label) > 63) throw this.error(line, `${what} has a label longer than 63 bytes: "${label}"`);
    }
    return name;
  }
}

/** Seconds, or BIND's unit form ("1w2d", "1h30m", "90s"). */
export function parseTtl(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+[wdhms])+$/i.test(text)) return undefined;
  const seconds: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([wdhms])/gi)) {
    total += Number(amount) * seconds[unit!.toLowerCase()]!;
  }
  return total;
}

export function isAtOrBelow(name: string, origin: string): boolean {
  return origin === '.' || name === origin || name.endsWith(`.${origin}`);
}

/** Where the comment starts on a line (an unquoted ";"), or undefined. */
function commentStart(line: string): number | undefined {
  let inQuote = false;
  for (let position = 0; position < line.length; position++) {
    const char = line[position];
    if (char === '\\') position++;
    else if (char === '"') inQuote = !inQuote;
    else if (char === ';' && !inQuote) return position;
  }
  return undefined;
}
