// A known byte stream for the Sequencer's tests: byte i is a hash of (seed, i), so any thread can produce
// any chunk, and a sink can check what it gets without keeping it. Plus chunkings, sinks and drivers.
import type { FileDriver, FileHandle } from "../../mod.ts";
import { defaultDriver } from "../../src/io/driver_select.ts";

/** The bytes [offset, offset + length) of stream `seed`, in a fresh (transferable) buffer. */
export function streamBytes(seed: number, offset: number, length: number): Uint8Array {
  return streamInto(seed, offset, new Uint8Array(length));
}

/** Fills `into` with the bytes of stream `seed` from `offset` (no allocation: for memory-bound tests). */
export function streamInto(seed: number, offset: number, into: Uint8Array): Uint8Array {
  let index = -1;
  let word = 0;
  for (let i = 0; i < into.length; i++) {
    const at = offset + i;
    const wanted = Math.floor(at / 4);
    if (wanted !== index) {
      index = wanted;
      // lowbias32 (Chris Wellons): every output bit depends on every input bit.
      let x = (index ^ seed) >>> 0;
      x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
      x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
      word = x ^ (x >>> 16);
    }
    into[i] = word >>> ((at % 4) * 8);
  }
  return into;
}

/** A seeded PRNG (splitmix32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  };
}

/** [0, total) cut at random into chunks of min..max bytes, as [start, end] pairs. */
export function randomChunks(next: () => number, total: number, min: number, max: number): Array<[number, number]> {
  const chunks: Array<[number, number]> = [];
  for (let start = 0; start < total;) {
    const end = Math.min(total, start + min + Math.floor(next() * (max - min + 1)));
    chunks.push([start, end]);
    start = end;
  }
  return chunks;
}

/** Fisher-Yates, in place. */
export function shuffle<T>(next: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** The index of the first byte where `got` differs from stream `seed` at `offset`, or -1. */
export function firstMismatch(seed: number, offset: number, got: Uint8Array, scratch?: Uint8Array): number {
  const want = streamInto(seed, offset, scratch && scratch.length >= got.length ? scratch.subarray(0, got.length) : new Uint8Array(got.length));
  for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) return offset + i;
  return -1;
}

/** A WritableStream that keeps every chunk, in the order received. */
export function collectingStream(): { stream: WritableStream<Uint8Array>; bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  const stream = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
  return {
    stream,
    bytes() {
      const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const chunk of chunks) {
        all.set(chunk, at);
        at += chunk.length;
      }
      return all;
    },
  };
}

/** A WritableStream that checks each chunk against stream `seed` as it comes, keeping nothing. */
export function checkingStream(seed: number): { stream: WritableStream<Uint8Array>; length(): number; mismatch(): number } {
  let length = 0;
  let mismatch = -1;
  let scratch = new Uint8Array(0);
  const stream = new WritableStream<Uint8Array>({
    write(chunk) {
      if (scratch.length < chunk.length) scratch = new Uint8Array(chunk.length);
      if (mismatch < 0) mismatch = firstMismatch(seed, length, chunk, scratch);
      length += chunk.length;
    },
  });
  return { stream, length: () => length, mismatch: () => mismatch };
}

/** What a recording driver saw. */
export interface DriverLog {
  opens: Array<{ path: string; mode: string }>;
  closes: number;
  /** The highest byte written to the target (not the dump) when each fdatasync began. */
  syncs: number[];
}

/**
 * The default driver, recording opens, closes and syncs, and calling `fault(path, operation)` before each
 * operation so a test can throw from it (disk full, unwritable directory...).
 */
export function recordingDriver(fault: (path: string, operation: "open" | "write" | "read" | "sync") => void = () => {}): { driver: FileDriver; log: DriverLog } {
  const base = defaultDriver();
  const log: DriverLog = { opens: [], closes: 0, syncs: [] };
  const driver: FileDriver = {
    open(path, mode): FileHandle {
      fault(path, "open");
      const file = base.open(path, mode);
      log.opens.push({ path, mode });
      let end = 0;
      return {
        write(bytes, position) {
          fault(path, "write");
          const n = file.write(bytes, position);
          end = Math.max(end, (position ?? 0) + n);
          return n;
        },
        read(into, position) {
          fault(path, "read");
          return file.read!(into, position);
        },
        sync() {
          fault(path, "sync");
          log.syncs.push(end);
          file.sync();
        },
        close() {
          log.closes++;
          file.close();
        },
      };
    },
  };
  return { driver, log };
}

/** A promise with its resolve function outside, for sinks that a test releases by hand. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
