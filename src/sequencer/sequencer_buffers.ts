// Reusable buffers for the Sequencer's copies of pending bytes. Spilling recycles a buffer the moment its
// bytes are in the dump file, so a long out-of-order run reuses a few buffers instead of allocating one per
// write: garbage collectors free ArrayBuffers lazily (Deno's RSS grew ~60 MiB over 50 MiB of 64 KiB copies,
// plateauing whatever the stream's length), and the point of spilling is to keep resident memory down.
// Only buffers nobody else can still hold come back: spilled ones, and ones a file has finished writing (a
// sequential sink may keep the chunks it was given).

const MIN_CLASS = 12; // 4 KiB: smaller copies are cheap to allocate
const MAX_CLASS = 20; // 1 MiB: larger ones are rare and not worth keeping

/**
 * Free lists of power-of-two buffers from 4 KiB to 1 MiB, holding at most `limit` bytes in all:
 * take(1000) gives a 1000-byte view of a 4 KiB buffer, which give() returns to its list.
 */
export class BufferPool {
  readonly #limit: number;
  readonly #free: ArrayBuffer[][] = [];
  #held = 0;

  constructor(limit: number) {
    this.#limit = limit;
    for (let c = 0; c <= MAX_CLASS; c++) this.#free.push([]);
  }

  /** A zero-offset view of `length` bytes (contents undefined), from the pool when one is free. */
  take(length: number): Uint8Array {
    const c = sizeClass(length);
    if (c > MAX_CLASS) return new Uint8Array(length);
    const buffer = this.#free[c].pop();
    if (buffer === undefined) return new Uint8Array(new ArrayBuffer(1 << c), 0, length);
    this.#held -= buffer.byteLength;
    return new Uint8Array(buffer, 0, length);
  }

  /** Returns a view's buffer to the pool. Only for views from take() that nothing else references any more. */
  give(view: Uint8Array): void {
    const buffer = view.buffer as ArrayBuffer;
    const c = Math.log2(buffer.byteLength);
    if (!Number.isInteger(c) || c < MIN_CLASS || c > MAX_CLASS || this.#held + buffer.byteLength > this.#limit) return;
    this.#held += buffer.byteLength;
    this.#free[c].push(buffer);
  }
}

function sizeClass(length: number): number {
  return Math.max(MIN_CLASS, 32 - Math.clz32(Math.max(1, length) - 1));
}
