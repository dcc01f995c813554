// A size-bounded map that evicts the least recently used entry (the decrypt-side DEK cache).
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize <= 0) throw new RangeError('maxSize must be > 0');
  }

  get size(): number { return this.map.size; }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      // Map keeps insertion order; re-inserting moves the entry to the young end.
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.maxSize) this.map.delete(this.map.keys().next().value as K);
  }

  clear(): void { this.map.clear(); }
}
