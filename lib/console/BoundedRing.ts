/**
 * The newest entries up to `capacity` entries and `maxBytes` bytes (as `sizeOf` counts them):
 * adding is O(1) amortized, an entry that pushes past either bound evicts the oldest ones.
 */
export class BoundedRing<T> {
  private readonly items: Array<T | undefined>;
  private readonly sizes: Float64Array;
  private head = 0;
  private count = 0;
  private held = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number,
    private readonly sizeOf: (item: T) => number,
  ) {
    this.items = new Array<T | undefined>(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /** Entries held now. */
  get length(): number {
    return this.count;
  }

  /** Bytes held now, as `sizeOf` counts them. */
  get bytes(): number {
    return this.held;
  }

  push(item: T): void {
    const size = this.sizeOf(item);
    if (size > this.maxBytes) return;
    if (this.count === this.capacity) this.dropOldest();
    while (this.held + size > this.maxBytes && this.count > 0) this.dropOldest();
    const i = (this.head + this.count) % this.capacity;
    this.items[i] = item;
    this.sizes[i] = size;
    this.held += size;
    this.count++;
  }

  /** Newest first, those `keep` accepts, at most `limit`. */
  newest(limit: number, keep: (item: T) => boolean = () => true): T[] {
    const out: T[] = [];
    for (let n = this.count - 1; n >= 0 && out.length < limit; n--) {
      const item = this.items[(this.head + n) % this.capacity] as T;
      if (keep(item)) out.push(item);
    }
    return out;
  }

  private dropOldest(): void {
    this.held -= this.sizes[this.head]!;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
  }
}
