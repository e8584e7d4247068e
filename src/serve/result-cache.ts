// Probe results shared between scrapes: Prometheus servers run in pairs for availability, and
// both scrape every target at nearly the same moment. Identical requests (same module, same
// target) share the probe in flight and, for a few seconds after, its result, so the domain's
// peers see one probe instead of two. Failed probes are never kept.

interface Entry<T> {
  promise: Promise<T>;
  /** When the probe finished; undefined while it runs. */
  settledAt?: number;
}

export interface ResultCacheOptions {
  /** How long a finished probe's result is served again; 0 shares only probes in flight. */
  ttlMs: number;
  /** At most this many results are kept; the oldest go first. */
  maxEntries: number;
  /** Milliseconds on a monotonic clock. */
  now: () => number;
}

export class ResultCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(readonly options: ResultCacheOptions) {}

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The result for `key`: a fresh one or the probe in flight (`shared`), else what `start`
   * begins now. The caller of `start` is the only one that sees its synchronous errors.
   */
  get(key: string, start: () => Promise<T>): { promise: Promise<T>; shared: boolean } {
    const existing = this.#entries.get(key);
    if (existing && this.#fresh(existing)) return { promise: existing.promise, shared: true };
    if (existing) this.#entries.delete(key);
    this.#evict();
    const entry: Entry<T> = { promise: start() };
    this.#entries.set(key, entry);
    entry.promise.then(
      () => {
        entry.settledAt = this.options.now();
        if (this.options.ttlMs <= 0) this.#forget(key, entry);
      },
      () => this.#forget(key, entry),
    );
    return { promise: entry.promise, shared: false };
  }

  #fresh(entry: Entry<T>): boolean {
    return entry.settledAt === undefined || this.options.now() - entry.settledAt < this.options.ttlMs;
  }

  #forget(key: string, entry: Entry<T>): void {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
  }

  /** Drops stale results, then the oldest finished ones while the cache is full. */
  #evict(): void {
    for (const [key, entry] of this.#entries) if (!this.#fresh(entry)) this.#entries.delete(key);
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size < this.options.maxEntries) break;
      if (entry.settledAt !== undefined) this.#entries.delete(key);
    }
  }
}
