// The XML reader is what the JUnit tests trust, so it must itself reject malformed documents.
import { describe, expect, it } from 'vitest';
import { XmlSyntaxError, childElements, parseXml, textContent } from './xml-reader.js';

describe('xml reader', () => {
  it('reads elements, attributes, references and text', () => {
    const root = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><a x="1 &amp; 2" y='&#10;&#x41;'><b/><c>t&lt;&gt;&quot;&apos;</c></a>\n`,
    );
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1 & 2', y: '\nA' });
    expect(childElements(root).map((child) => child.name)).toEqual(['b', 'c']);
    expect(textContent(childElements(root, 'c')[0]!)).toBe(`t<>"'`);
  });

  it('normalises literal whitespace in attribute values to spaces', () => {
    expect(parseXml('<a v="x\ny\tz"/>').attributes.v).toBe('x y z');
  });

  it.each([
    ['an unclosed element', '<a><b></a>'],
    ['a mismatched closing tag', '<a></b>'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a reference to an illegal character', '<a>&#27;</a>'],
    ['"<" in an attribute', '<a v="<"/>'],
    ['an unquoted attribute', '<a v=1/>'],
    ['a duplicate attribute', '<a v="1" v="2"/>'],
    ['attributes without whitespace between them', '<a v="1"w="2"/>'],
    ['a control character', '<a>\u001b[31m</a>'],
    ['a lone surrogate', '<a>\ud800</a>'],
    ['two root elements', '<a/><b/>'],
    ['text after the root', '<a/>text'],
    ['no root element', '<?xml version="1.0"?>'],
    ['"]]>" in text', '<a>]]></a>'],
    ['"--" in a comment', '<a><!-- a -- b --></a>'],
  ])('rejects %s', (_case, source) => {
    expect(() => parseXml(source)).toThrow(XmlSyntaxError);
  });
});
