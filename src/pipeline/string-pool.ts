// A batch keeps every target's observations and findings until the report is written, and most
// of their strings say the same thing for thousands of domains: the resolver, a shared edge's
// endpoint, its certificate's issuer, a check's reference, the fix for the edge's one problem.
// Each was built separately (a template literal makes a tree of string pieces per target), so a
// 5,000-domain batch held about 400,000 string pieces, a fifth of its heap, for some 46,000
// distinct values. The pool keeps one flat copy of each value for the run.

/** Longer strings (certificates, CRL bodies) are already one object shared by every target that holds them. */
const MAX_POOLED_LENGTH = 4096;

export class StringPool {
  readonly #strings = new Map<string, string>();

  /** How many distinct strings the pool holds. */
  get size(): number {
    return this.#strings.size;
  }

  /** The pool's copy of `text`: the first one met, flattened. */
  intern(text: string): string {
    if (text.length > MAX_POOLED_LENGTH) return text;
    const known = this.#strings.get(text);
    if (known !== undefined) return known;
    // Converting a string to a number makes V8 flatten a string built of pieces into one, in place.
    Number(text);
    this.#strings.set(text, text);
    return text;
  }

  /**
   * Replaces, in place, every string held by `value`'s plain objects and arrays with the pool's
   * copy. Other objects (buffers, dates, class instances) are left as they are. `visited` is
   * per call: remembering every object of a 5,000-domain batch took about 40 MB more at its peak.
   */
  internAll(value: unknown, visited: Set<object> = new Set()): void {
    if (typeof value !== 'object' || value === null || visited.has(value)) return;
    visited.add(value);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (typeof item === 'string') value[index] = this.intern(item);
        else this.internAll(item, visited);
      }
      return;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (typeof item === 'string') record[key] = this.intern(item);
      else this.internAll(item, visited);
    }
  }
}
