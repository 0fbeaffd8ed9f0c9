// The Sequencer's index of accepted bytes not yet written: disjoint half-open ranges [start, end) sorted by
// start, as OpenFileCtx's pendingWrites (HDFS-4971). Sorted so that the next range to write is the first
// (O(1)) and the farthest, spilled first, is the last. Ranges never overlap: a write that overlaps what is
// already held is trimmed to its new parts before it gets here (HDFS-9092), so each byte has one owner and
// is charged to the memory counter exactly once.

/** One accepted range not yet written. Its bytes are in memory, or in the dump file once spilled. */
export interface PendingRange {
  start: number;
  end: number;
  /** The bytes while in memory; null once spilled. */
  bytes: Uint8Array | null;
  /** Where the bytes start in the dump file once spilled; -1 while in memory. */
  dumpAt: number;
  /** Set while the drain task writes it: the spill leaves it alone, overlap checks still see it. */
  writing: boolean;
  /** Above a hole (the drain cannot reach it yet): its in-memory bytes count toward the watermark. */
  ahead: boolean;
}

/**
 * Disjoint pending ranges in offset order. Insertion is a binary search plus a splice: pending counts are
 * thousands at most (a range is at least one write), and a splice moves pointers, not bytes.
 */
export class PendingRanges {
  #ranges: PendingRange[] = [];

  /** How many ranges are pending. */
  get size(): number {
    return this.#ranges.length;
  }

  /** The range with the lowest offset. */
  first(): PendingRange | undefined {
    return this.#ranges[0];
  }

  /** The range at `index` in offset order. */
  at(index: number): PendingRange | undefined {
    return this.#ranges[index];
  }

  /** Index of the first range that ends after `offset` (the size if none does). */
  firstEndingAfter(offset: number): number {
    let low = 0;
    let high = this.#ranges.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#ranges[mid].end <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Adds a range that overlaps none held. */
  insert(range: PendingRange): void {
    const index = this.firstEndingAfter(range.start);
    const next = this.#ranges[index];
    if (next !== undefined && next.start < range.end) {
      throw new Error(`ringlog: internal error: pending range [${range.start}, ${range.end}) overlaps [${next.start}, ${next.end})`);
    }
    this.#ranges.splice(index, 0, range);
  }

  /** Removes a range held. */
  remove(range: PendingRange): void {
    const index = this.firstEndingAfter(range.start);
    if (this.#ranges[index] !== range) throw new Error(`ringlog: internal error: pending range [${range.start}, ${range.end}) is not held`);
    this.#ranges.splice(index, 1);
  }

  /** The farthest range still in memory, not being written, that starts after `after`: the next to spill. */
  farthestInMemory(after: number): PendingRange | undefined {
    for (let i = this.#ranges.length - 1; i >= 0; i--) {
      const range = this.#ranges[i];
      if (range.start <= after) return undefined;
      if (range.bytes !== null && !range.writing) return range;
    }
    return undefined;
  }

  /** Removes and returns every range (close and failure discard them). */
  clear(): PendingRange[] {
    const all = this.#ranges;
    this.#ranges = [];
    return all;
  }
}
