// JSON with comments and trailing commas (JSONC, as tsconfig.json), the format of the config
// file. Read with exact positions: a config error names the line and column to fix.

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

/** Editors on Windows start UTF-8 files with a byte order mark, which JSON.parse rejects. */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * JSONC → value. Comments and trailing commas are blanked out in place (so offsets, lines and
 * columns stay those of the original text), a scanner finds the first syntax error or repeated
 * key with its exact position (V8's JSON.parse messages do not always carry one), then JSON.parse
 * builds the value.
 */
export function parseJsonc(text: string): unknown {
  const stripped = stripJsonc(withoutByteOrderMark(text));
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
