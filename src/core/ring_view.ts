// One thread's view of one ring (assembly/ring.ts): its own instance of the core over the shared memory,
// the typed views, and the index of every control word computed once, as Agrona's ManyToOneRingBuffer does
// in its constructor. The writer (ring/ring_log.ts), the opener (ring/ring_open.ts) and the flusher
// (flusher/flusher.ts) each make one and pass it instead of (memory, layout, ring).
import { instantiateCore, type Core, type RingLayout } from "./core.ts";
import { type FailureText, WriterState } from "./writer_state.ts";

export class RingView {
  readonly core: Core;
  readonly layout: RingLayout;
  readonly memory: WebAssembly.Memory;
  /** Address of the ring's control block. */
  readonly ring: number;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly i64: BigInt64Array;
  /** i64 indices of the positions. */
  readonly headAt: number;
  readonly tailAt: number;
  readonly syncedAt: number;
  readonly syncRequestedAt: number;
  /** i32 index of the flusher's sleep word. */
  readonly wakeAt: number;
  /** Lifecycle, failure text and counters. */
  readonly state: WriterState;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, ring: number) {
    const { core, layout } = instantiateCore(module, memory);
    this.core = core;
    this.layout = layout;
    this.memory = memory;
    this.ring = ring;
    this.u8 = new Uint8Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.i64 = new BigInt64Array(memory.buffer);
    this.headAt = (ring + layout.HEAD) / 8;
    this.tailAt = (ring + layout.TAIL) / 8;
    this.syncedAt = (ring + layout.SYNCED) / 8;
    this.syncRequestedAt = (ring + layout.SYNC_REQUESTED) / 8;
    this.wakeAt = (ring + layout.WAKE) / 4;
    this.state = new WriterState(memory, layout, {
      lifecycle: ring + layout.LIFECYCLE,
      counters: ring + layout.COUNTERS,
      error: ring + layout.ERROR,
      errorCapacity: layout.ERROR_CAPACITY,
    });
  }

  /**
   * The flusher, closing its file: which file it was ("dev:ino", two unsigned 64-bit integers), so that a
   * durable flush after close() syncs that file wherever it is by then (src/io/sync_last_file.ts), not
   * whatever is at `path`. An identity of another shape (a custom driver's) is not stored: the late flush
   * then syncs the file at `path`, as without stat.
   */
  recordLastFile(identity: string): void {
    const parts = /^(\d+):(\d+)$/.exec(identity);
    if (parts === null) return;
    const [dev, ino] = [BigInt(parts[1]), BigInt(parts[2])];
    if (dev >= 1n << 64n || ino >= 1n << 64n || ino === 0n) return;
    const at = (this.ring + this.layout.LAST_FILE) / 8;
    Atomics.store(this.i64, at, BigInt.asIntN(64, dev)); // stored as the same 64 bits (inodes may pass 2^63)
    Atomics.store(this.i64, at + 1, BigInt.asIntN(64, ino));
  }

  /** The file the flusher closed last, as "dev:ino", or undefined when it did not say. */
  lastFile(): string | undefined {
    const at = (this.ring + this.layout.LAST_FILE) / 8;
    const dev = BigInt.asUintN(64, Atomics.load(this.i64, at));
    const ino = BigInt.asUintN(64, Atomics.load(this.i64, at + 1));
    return ino === 0n ? undefined : `${dev}:${ino}`;
  }

  head(): bigint {
    return Atomics.load(this.i64, this.headAt);
  }

  /** Bytes ever claimed, without the CLOSED bit. */
  tail(): bigint {
    return Atomics.load(this.i64, this.tailAt) & ~this.layout.CLOSED;
  }

  /**
   * The flusher failed: store the error (message and code), publish FAILED, close the ring, then wake every
   * kind of waiter so each sees it. FAILED before the close: a writer whose claim finds the ring closed
   * must find the file's error too, not a plain "closed". The wake after the close: a blocked writer woken
   * earlier could find the ring still open and full, and go back to sleep.
   */
  publishFailure(error: FailureText): void {
    this.state.publishFailure(error);
    this.core.close(this.ring);
    Atomics.notify(this.i64, this.headAt);
    Atomics.notify(this.i64, this.syncedAt);
  }
}
