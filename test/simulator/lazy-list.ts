// A list that starts as "n entries computed from their index" and becomes a real array on the first write.
// Seeded 50,000-entry playlists and libraries cost nothing until someone changes them.

export class LazyList<T> {
  private array: T[] | undefined;
  private seededLength: number;

  constructor(
    length: number,
    private readonly generate: (index: number) => T,
  ) {
    this.seededLength = length;
  }

  static of<T>(items: T[]): LazyList<T> {
    const list = new LazyList<T>(0, () => {
      throw new Error('unreachable: the list is materialised');
    });
    list.array = items;
    return list;
  }

  /** True once a write turned it into a real array (what costs memory). */
  get materialised(): boolean {
    return this.array !== undefined;
  }

  get length(): number {
    return this.array ? this.array.length : this.seededLength;
  }

  at(index: number): T {
    return this.array ? this.array[index] : this.generate(index);
  }

  slice(start: number, end: number): T[] {
    const stop = Math.min(end, this.length);
    if (this.array) return this.array.slice(start, stop);
    const out: T[] = [];
    for (let i = start; i < stop; i++) out.push(this.generate(i));
    return out;
  }

  /** The materialised array; writes go through it. */
  items(): T[] {
    if (!this.array) {
      this.array = this.slice(0, this.seededLength);
      this.seededLength = 0;
    }
    return this.array;
  }

  /**
   * Keeps the entries that pass, in place: whoever holds the array (a test reading `state`) sees the change.
   * Returns how many were dropped.
   */
  retain(keep: (item: T, index: number) => boolean): number {
    const arr = this.items();
    let w = 0;
    for (let r = 0; r < arr.length; r++) if (keep(arr[r], r)) arr[w++] = arr[r];
    const dropped = arr.length - w;
    arr.length = w;
    return dropped;
  }

  /** Replaces every entry, in place. */
  replace(items: T[]): void {
    const arr = this.items();
    arr.length = 0;
    for (const item of items) arr.push(item);
  }
}
