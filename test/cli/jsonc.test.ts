import { describe, expect, it } from 'vitest';
import { JsoncSyntaxError, parseJsonc, stripJsonc } from '../../src/cli/jsonc.js';

describe('stripJsonc', () => {
  it('blanks comments and trailing commas, keeping every offset and line break', () => {
    const text = '{ // note\n  "a": [1, 2, /* two\n lines */],\n  "b": 3, // last\n}\n';
    const stripped = stripJsonc(text);
    expect(stripped).toHaveLength(text.length);
    expect(stripped.split('\n').length).toBe(text.split('\n').length);
    expect(stripped.replace(/\s+/g, '')).toBe('{"a":[1,2],"b":3}');
    expect(JSON.parse(stripped)).toEqual({ a: [1, 2], b: 3 });
  });

  it('preserves comment-like and comma-like text inside strings', () => {
    const text = String.raw`{"url": "https://example.com//x", "glob": "/* not a comment */", "quote": "say \"// hi\" ,}", "path": "c:\\", "list": ",]"} // real`;
    expect(parseJsonc(text)).toEqual({
      url: 'https://example.com//x',
      glob: '/* not a comment */',
      quote: 'say "// hi" ,}',
      path: 'c:\\',
      list: ',]',
    });
  });

  it('leaves commas that do not follow a value for the parser to reject', () => {
    for (const text of ['[,]', '{,}', '[1,,]', '{"a":,}']) {
      expect(stripJsonc(text)).toBe(text);
      expect(() => parseJsonc(text)).toThrow(JsoncSyntaxError);
    }
  });

  it('accepts trailing commas in nested lists and objects, before comments too', () => {
    expect(parseJsonc('{"a": {"b": [1, [2, 3,], {"c": 4,},],}, /* x */ }')).toEqual({ a: { b: [1, [2, 3], { c: 4 }] } });
    expect(parseJsonc('[1, // one\n]')).toEqual([1]);
  });
});

describe('parseJsonc agrees with JSON.parse', () => {
  const VALID = [
    '0',
    '-0.5e-3',
    '1E+2',
    '"\\u00e9\\n\\/"',
    '[]',
    '{}',
    ' \t\r\n[ true , false , null ] ',
    '{"a":{"b":[{"c":"d"}]},"e":""}',
    '"\u2028 is allowed raw in JSON strings"',
  ];

  it.each(VALID)('parses %j as JSON.parse does', (text) => {
    expect(parseJsonc(text)).toEqual(JSON.parse(text));
  });

  it('accepts exactly what JSON.parse accepts, on thousands of mutated documents', () => {
    const seedText = '{"domains": ["ciscoexample.com", "exp.ciscoexample.com"], "imp": {"fqdn": "a.example", "port": 5062}, "x": [1.5e3, -0, true, false, null, "\\u00e9\\"\\\\"]}';
    const alphabet = '{}[]:,"\\ 0123456789-+.eEtrufalsn\t\nx';
    let state = 20240601;
    const random = (limit: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % limit;
    };
    let agreed = 0;
    for (let round = 0; round < 5000; round++) {
      let text = seedText;
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(text.length + 1);
        const action = random(3);
        const c = alphabet[random(alphabet.length)]!;
        text = action === 0 ? text.slice(0, at) + c + text.slice(at) : action === 1 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + c + text.slice(at + 1);
      }
      const stripped = stripJsonc(text);
      let nativeOk = true;
      try {
        JSON.parse(stripped);
      } catch {
        nativeOk = false;
      }
      let oursOk = true;
      try {
        parseJsonc(text);
      } catch (error) {
        expect(error).toBeInstanceOf(JsoncSyntaxError);
        if ((error as JsoncSyntaxError).duplicateOf) continue;
        oursOk = false;
      }
      expect({ text, ok: oursOk }).toEqual({ text, ok: nativeOk });
      agreed++;
    }
    expect(agreed).toBeGreaterThan(4000);
  });
});
