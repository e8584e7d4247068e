import { describe, expect, it } from 'vitest';
import { deferred } from './fake-probe.js';
import { ResultCache } from '../../src/serve/result-cache.js';

describe('ResultCache', () => {
  it('keeps at most maxEntries finished results, dropping the oldest, never a probe in flight', async () => {
    const clock = { now: 0 };
    const cache = new ResultCache<string>({ ttlMs: 1_000, maxEntries: 2, now: () => clock.now });
    const inFlight = deferred<string>();
    cache.get('running', () => inFlight.promise);
    await cache.get('a', () => Promise.resolve('a')).promise;
    await cache.get('b', () => Promise.resolve('b')).promise;
    expect(cache.size).toBe(2);
    expect(cache.get('running', () => Promise.resolve('second')).shared).toBe(true);
    expect(cache.get('b', () => Promise.resolve('b again')).shared).toBe(true);
    expect(cache.get('a', () => Promise.resolve('a again')).shared).toBe(false);
    inFlight.resolve('done');
  });

  it('forgets a failed probe so that the next request tries again', async () => {
    const cache = new ResultCache<string>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    await expect(cache.get('k', () => Promise.reject(new Error('no'))).promise).rejects.toThrow('no');
    await Promise.resolve();
    expect(cache.get('k', () => Promise.resolve('yes')).shared).toBe(false);
  });
});
