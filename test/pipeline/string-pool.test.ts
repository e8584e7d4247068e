import { describe, expect, it } from 'vitest';
import { StringPool } from '../../src/pipeline/string-pool.js';

/** A plain object whose `name` records every value written to it. */
function recordingHolder(initial: string): { holder: Record<string, unknown>; writes: string[] } {
  const writes: string[] = [];
  let value = initial;
  const holder: Record<string, unknown> = {};
  Object.defineProperty(holder, 'name', {
    enumerable: true,
    get: () => value,
    set: (next: string) => {
      writes.push(next);
      value = next;
    },
  });
  return { holder, writes };
}

describe('StringPool', () => {
  it('keeps one copy of each distinct text, however it was built', () => {
    const pool = new StringPool();
    const port = 5061;
    expect(pool.intern(`sip.example.com:${port}`)).toBe('sip.example.com:5061');
    expect(pool.intern('sip.example.com:5061')).toBe('sip.example.com:5061');
    expect(pool.size).toBe(1);
    pool.intern('edge.example.com:5061');
    expect(pool.size).toBe(2);
  });

  it('leaves long texts (certificates, CRL bodies) out of the pool', () => {
    const pool = new StringPool();
    const long = 'x'.repeat(5000);
    expect(pool.intern(long)).toBe(long);
    expect(pool.size).toBe(0);
  });

  it('replaces every string of nested plain objects and arrays with the pool copy, values unchanged', () => {
    const pool = new StringPool();
    const target = {
      domain: 'example.com',
      dns: [{ name: `_sipfederationtls._tcp.${'example.com'}`, answers: [['a', 3600, 'SRV', '100 1 5061 sip.example.com.']] }],
      nested: { deeper: { text: 'example.com', count: 3, flag: true, none: null, missing: undefined } },
    };
    const before = structuredClone(target);
    pool.internAll(target);
    expect(target).toEqual(before);
    // example.com, the SRV name, a, SRV, the SRV data: 'example.com' met twice is held once.
    expect(pool.size).toBe(5);
    const { holder, writes } = recordingHolder('sip.example.com');
    pool.internAll({ list: [holder] });
    expect(writes).toEqual(['sip.example.com']);
  });

  it('leaves buffers, dates, maps and class instances alone', () => {
    const pool = new StringPool();
    class Probe {
      #label = 'kept';
      writes = 0;
      get label(): string {
        return this.#label;
      }
      set label(next: string) {
        this.writes++;
        this.#label = next;
      }
    }
    const buffer = Buffer.from('abc');
    const when = new Date(0);
    const map = new Map([['k', 'v']]);
    const probe = new Probe();
    const holder = { buffer, when, map, probe };
    pool.internAll(holder);
    expect(holder.buffer).toBe(buffer);
    expect(holder.when).toBe(when);
    expect(holder.map).toBe(map);
    expect(holder.probe).toBe(probe);
    expect(probe.writes).toBe(0);
    expect(pool.size).toBe(0);
  });

  it('walks objects shared or cyclic once, without looping', () => {
    const pool = new StringPool();
    const { holder, writes } = recordingHolder('edge.example.com');
    holder.self = holder;
    pool.internAll({ a: holder, b: holder, list: [holder, holder] });
    expect(writes).toHaveLength(1);
  });
});
