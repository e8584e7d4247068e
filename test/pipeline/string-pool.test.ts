import { describe, expect, it } from 'vitest';
import { StringPool } from '../../src/pipeline/string-pool.js';

describe('StringPool', () => {
  it('gives back the same text, built in pieces or not', () => {
    const pool = new StringPool();
    const port = 5061;
    const built = `sip.example.com:${port}`;
    expect(pool.intern(built)).toBe('sip.example.com:5061');
    expect(pool.intern('sip.example.com:5061')).toBe('sip.example.com:5061');
    expect(pool.intern('')).toBe('');
  });

  it('keeps every value of nested plain objects and arrays as it was', () => {
    const pool = new StringPool();
    const target = {
      domain: 'example.com',
      dns: [{ name: `_sipfederationtls._tcp.${'example.com'}`, answers: [['a', 3600, 'SRV', '100 1 5061 sip.example.com.']] }],
      nested: { deeper: { text: 'x'.repeat(5000), count: 3, flag: true, none: null, missing: undefined } },
    };
    const before = structuredClone(target);
    pool.internAll(target);
    expect(target).toEqual(before);
  });

  it('leaves buffers, dates, maps and class instances alone', () => {
    const pool = new StringPool();
    class Probe {
      constructor(public label: string) {}
    }
    const buffer = Buffer.from('abc');
    const when = new Date(0);
    const map = new Map([['k', 'v']]);
    const probe = new Probe('kept');
    const holder = { buffer, when, map, probe };
    pool.internAll(holder);
    expect(holder.buffer).toBe(buffer);
    expect(holder.when).toBe(when);
    expect(holder.map).toBe(map);
    expect(holder.probe).toBe(probe);
    expect(probe.label).toBe('kept');
  });

  it('walks objects shared or cyclic once, without looping', () => {
    const pool = new StringPool();
    const shared: Record<string, unknown> = { name: 'edge.example.com' };
    shared.self = shared;
    const holder = { a: shared, b: shared, list: [shared, shared] };
    pool.internAll(holder);
    expect(holder.a).toBe(shared);
    expect(shared.name).toBe('edge.example.com');
  });
});
