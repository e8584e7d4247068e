// A strict, minimal XML 1.0 reader for the tests: it accepts the subset the JUnit renderer
// writes (declaration, comments, elements, attributes, text, entity and character references)
// and throws on anything that is not well-formed, so a test can parse the output and then
// assert on the tree. It reads character by character; no regular expressions.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | { text: string };

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at offset ${position}`);
  }
}

function isXmlCharacter(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function isNameStart(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (
    (character >= 'a' && character <= 'z') ||
    (character >= 'A' && character <= 'Z') ||
    character === '_' ||
    character === ':' ||
    code >= 0xc0
  );
}

function isNameCharacter(character: string): boolean {
  return isNameStart(character) || (character >= '0' && character <= '9') || character === '-' || character === '.';
}

function isWhitespace(character: string | undefined): boolean {
  return character === ' ' || character === '\t' || character === '\n' || character === '\r';
}

class Reader {
  position = 0;
  constructor(readonly source: string) {}

  get done(): boolean {
    return this.position >= this.source.length;
  }

  peek(offset = 0): string | undefined {
    return this.source[this.position + offset];
  }

  startsWith(text: string): boolean {
    return this.source.startsWith(text, this.position);
  }

  fail(message: string): never {
    throw new XmlSyntaxError(message, this.position);
  }

  expect(text: string): void {
    if (!this.startsWith(text)) this.fail(`expected ${JSON.stringify(text)}`);
    this.position += text.length;
  }

  skipWhitespace(): boolean {
    const start = this.position;
    while (isWhitespace(this.peek())) this.position += 1;
    return this.position > start;
  }

  name(): string {
    const first = this.peek();
    if (first === undefined || !isNameStart(first)) this.fail('expected a name');
    const start = this.position;
    while (!this.done && isNameCharacter(this.peek()!)) this.position += 1;
    return this.source.slice(start, this.position);
  }

  /** An entity or character reference, the "&" already seen. */
  reference(): string {
    this.expect('&');
    let body = '';
    while (this.peek() !== ';') {
      if (this.done || body.length > 10) this.fail('unterminated reference');
      body += this.peek();
      this.position += 1;
    }
    this.position += 1;
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (body in named) return named[body]!;
    if (body.startsWith('#')) {
      const hex = body[1] === 'x';
      const digits = body.slice(hex ? 2 : 1);
      const allowed = hex ? '0123456789abcdefABCDEF' : '0123456789';
      if (digits === '' || [...digits].some((digit) => !allowed.includes(digit))) {
        this.fail(`bad character reference &${body};`);
      }
      const code = Number.parseInt(digits, hex ? 16 : 10);
      if (!isXmlCharacter(code)) this.fail(`character reference to an illegal character &${body};`);
      return String.fromCodePoint(code);
    }
    return this.fail(`unknown entity &${body};`);
  }

  comment(): void {
    this.expect('<!--');
    const end = this.source.indexOf('-->', this.position);
    if (end < 0) this.fail('unterminated comment');
    if (this.source.slice(this.position, end).includes('--')) this.fail('"--" inside a comment');
    this.position = end + 3;
  }

  attributeValue(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted attribute value');
    this.position += 1;
    let value = '';
    for (;;) {
      const character = this.peek();
      if (character === undefined) this.fail('unterminated attribute value');
      if (character === quote) break;
      if (character === '<') this.fail('"<" in an attribute value');
      if (character === '&') {
        value += this.reference();
        continue;
      }
      // Attribute-value normalisation: literal whitespace characters become spaces.
      value += isWhitespace(character) ? ' ' : character;
      this.position += 1;
    }
    this.position += 1;
    return value;
  }

  element(): XmlElement {
    this.expect('<');
    const name = this.name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const spaced = this.skipWhitespace();
      if (this.startsWith('/>')) {
        this.position += 2;
        return { name, attributes, children: [] };
      }
      if (this.peek() === '>') {
        this.position += 1;
        break;
      }
      if (!spaced) this.fail('expected whitespace before an attribute');
      const attribute = this.name();
      if (Object.hasOwn(attributes, attribute)) this.fail(`duplicate attribute ${attribute}`);
      this.skipWhitespace();
      this.expect('=');
      this.skipWhitespace();
      attributes[attribute] = this.attributeValue();
    }
    const children: XmlNode[] = [];
    let text = '';
    const flushText = (): void => {
      if (text !== '') children.push({ text });
      text = '';
    };
    for (;;) {
      if (this.done) this.fail(`element <${name}> is not closed`);
      if (this.startsWith('</')) {
        flushText();
        this.position += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
        this.skipWhitespace();
        this.expect('>');
        return { name, attributes, children };
      }
      if (this.startsWith('<!--')) {
        this.comment();
      } else if (this.startsWith('<![CDATA[') || this.startsWith('<?') || this.startsWith('<!')) {
        this.fail('CDATA, processing instructions and declarations are not expected inside elements');
      } else if (this.peek() === '<') {
        flushText();
        children.push(this.element());
      } else if (this.peek() === '&') {
        text += this.reference();
      } else {
        if (this.startsWith(']]>')) this.fail('"]]>" in text');
        text += this.peek();
        this.position += 1;
      }
    }
  }

  misc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.startsWith('<!--')) this.comment();
      else return;
    }
  }
}

/** Parses a whole document and returns its root element; throws XmlSyntaxError when not well-formed. */
export function parseXml(source: string): XmlElement {
  for (let index = 0; index < source.length; ) {
    const code = source.codePointAt(index)!;
    if (!isXmlCharacter(code)) {
      throw new XmlSyntaxError(`illegal XML character U+${code.toString(16).padStart(4, '0')}`, index);
    }
    index += code > 0xffff ? 2 : 1;
  }
  const reader = new Reader(source);
  if (reader.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) reader.fail('unterminated XML declaration');
    reader.position = end + 2;
  }
  reader.misc();
  if (reader.peek() !== '<') reader.fail('expected the root element');
  const root = reader.element();
  reader.misc();
  if (!reader.done) reader.fail('content after the root element');
  return root;
}

export function isElement(node: XmlNode): node is XmlElement {
  return 'name' in node;
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter(isElement).filter((child) => name === undefined || child.name === name);
}

/** All elements of that name anywhere below (and including) `element`, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found = element.name === name ? [element] : [];
  return [...found, ...childElements(element).flatMap((child) => descendants(child, name))];
}

export function textContent(element: XmlElement): string {
  return element.children.map((node) => (isElement(node) ? textContent(node) : node.text)).join('');
}
