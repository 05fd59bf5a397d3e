/**
 * A least-recently-used map bounded by the total size of its values (bytes, as the caller counts
 * them) and by its number of entries. Map iteration order is insertion order, so re-inserting on a
 * hit makes the first key the least recently used.
 * @module
 */
export class Lru<V> {
  private readonly map = new Map<string, { value: V; size: number }>();
  private total = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxEntries = 100_000,
  ) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  /** Stores `value`; a value larger than the whole budget is not kept. */
  set(key: string, value: V, size: number): void {
    const old = this.map.get(key);
    if (old) {
      this.total -= old.size;
      this.map.delete(key);
    }
    if (size > this.maxBytes) return;
    this.map.set(key, { value, size });
    this.total += size;
    while (this.total > this.maxBytes || this.map.size > this.maxEntries) {
      const [k, v] = this.map.entries().next().value!;
      this.map.delete(k);
      this.total -= v.size;
    }
  }

  /** The value without marking it used. */
  peek(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  delete(key: string): void {
    const old = this.map.get(key);
    if (!old) return;
    this.total -= old.size;
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.total;
  }
}
