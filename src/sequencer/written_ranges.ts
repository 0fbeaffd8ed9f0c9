// What the Sequencer has written: disjoint, coalesced half-open intervals sorted by start. With a sequential
// sink, or a file without write-ahead, it is one interval [0, written). A file writing ahead of holes holds
// islands until the holes fill; commit only ever reports the prefix (HDFS-7387: OpenFileCtx
// answered a commit while the last write was still in flight).

/**
 * A set of written byte intervals that merges neighbours as they are added: after add(10, 20) the prefix
 * is 0, after add(0, 10) too it is 20.
 */
export class WrittenRanges {
  // Flat [start0, end0, start1, end1, ...]: few intervals, no objects per interval.
  #bounds: number[] = [];

  /** End of the interval that starts at 0: every byte below it is written. */
  prefix(): number {
    return this.#bounds.length > 0 && this.#bounds[0] === 0 ? this.#bounds[1] : 0;
  }

  /** Bytes written in all, prefix and islands. */
  total(): number {
    let sum = 0;
    for (let i = 0; i < this.#bounds.length; i += 2) sum += this.#bounds[i + 1] - this.#bounds[i];
    return sum;
  }

  /** Records [start, end) as written, merging it with the intervals it touches. */
  add(start: number, end: number): void {
    const b = this.#bounds;
    // First interval whose end reaches start (touching counts: [0,10) + [10,20) is [0,20)).
    let i = 0;
    while (i < b.length && b[i + 1] < start) i += 2;
    let j = i;
    let low = start;
    let high = end;
    while (j < b.length && b[j] <= end) {
      low = Math.min(low, b[j]);
      high = Math.max(high, b[j + 1]);
      j += 2;
    }
    b.splice(i, j - i, low, high);
  }

  /** The parts of [start, end) that are written, as [start, end] pairs in order. */
  within(start: number, end: number): Array<[number, number]> {
    const parts: Array<[number, number]> = [];
    const b = this.#bounds;
    for (let i = 0; i < b.length && b[i] < end; i += 2) {
      if (b[i + 1] > start) parts.push([Math.max(start, b[i]), Math.min(end, b[i + 1])]);
    }
    return parts;
  }

  /** End of the written interval that holds `offset`, or `offset` when none does. */
  endOfIntervalAt(offset: number): number {
    const b = this.#bounds;
    for (let i = 0; i < b.length && b[i] <= offset; i += 2) if (b[i + 1] > offset) return b[i + 1];
    return offset;
  }
}
