// The positional write shared by "atomic-position" and "buffered": reserve the range with one fetch-add
// (assembly/file_position.ts), write it at that position from this thread's own fd, report it complete.
// flush() waits on the contiguous written prefix the core keeps (OpenFileCtx's nextOffset, HDFS-4971):
// "my end is below the prefix" means my bytes AND everything before them are in the file.
//
// A writer that dies between its reservation and its completion stops the prefix at its range for good
// (file_position P7). Every wait on the prefix is therefore bounded: when the prefix has not moved for
// unblockTimeoutMs while a waiter needs it to, the wait fails with an error naming the stuck byte position
// (the ring instead skips a dead producer's record; here its bytes may still be written by a thread that
// is only slow, so nothing is skipped, and flush()/close() report instead of hanging).
import { type FileHandle, writeFully } from "../io/driver.ts";
import type { StrategyCore, StrategyLayout } from "../core/strategy_core.ts";
import { waitForWord } from "../runtime/wait.ts";

// A completer that finds the slot ring full waits for the prefix to move, in slices of this.
const FULL_SLICE_MS = 100;

export class PositionalWriter {
  readonly #core: StrategyCore;
  readonly #layout: StrategyLayout;
  readonly #i64: BigInt64Array;
  readonly #position: number;
  readonly #state: number;
  readonly #writtenAt: number;
  readonly #stallMs: number;

  constructor(core: StrategyCore, layout: StrategyLayout, memory: WebAssembly.Memory, position: number, state: number, stallMs: number) {
    this.#core = core;
    this.#layout = layout;
    this.#i64 = new BigInt64Array(memory.buffer);
    this.#position = position;
    this.#state = state;
    this.#writtenAt = (position + layout.POSITION_WRITTEN) / 8;
    this.#stallMs = stallMs;
  }

  /**
   * Writes `bytes` (not empty) as one range of the file. Returns false, writing nothing, when the log is
   * closed. A failed write still completes its range (leaving a hole the writer was told about), so the
   * prefix, and every other thread's flush and close, never hang on it.
   */
  write(file: FileHandle, bytes: Uint8Array, records: number): boolean {
    const core = this.#core;
    const position = core.positionReserve(this.#position, bytes.length);
    if (position < 0) {
      if (position === this.#layout.POSITION_IS_CLOSED) return false;
      this.#complete(); // the range was taken all the same: complete it, writing nothing (P6)
      throw new RangeError("ringlog: the log file would grow past 4 TiB, the positional strategies' limit");
    }
    try {
      writeFully(file, bytes, position);
    } finally {
      this.#complete();
    }
    core.logCountWrite(this.#state, records, bytes.length);
    return true;
  }

  #complete(): void {
    const core = this.#core;
    if (core.positionComplete(this.#position) !== this.#layout.POSITION_FULL) return;
    core.logCountAdd(this.#state, this.#layout.COUNT_FULL_WAITS, 1);
    const stalled = this.#stallWatch();
    // P5: count this waiter first, then read the value to wait on, then look again: a completer that moved
    // the prefix before the count was seen is caught by the second look, one after it notifies.
    core.positionWaiting(this.#position, 1);
    try {
      for (;;) {
        const seen = Atomics.load(this.#i64, this.#writtenAt);
        if (core.positionComplete(this.#position) !== this.#layout.POSITION_FULL) return;
        const error = stalled();
        if (error) throw error;
        Atomics.wait(this.#i64, this.#writtenAt, seen, FULL_SLICE_MS);
      }
    } finally {
      core.positionWaiting(this.#position, -1);
    }
  }

  /** An error once the prefix has not moved for unblockTimeoutMs since this was called or it last moved. */
  #stallWatch(): () => Error | undefined {
    let seen = Atomics.load(this.#i64, this.#writtenAt);
    let since = performance.now();
    return () => {
      const now = Atomics.load(this.#i64, this.#writtenAt);
      if (now !== seen) {
        seen = now;
        since = performance.now();
        return undefined;
      }
      if (performance.now() - since < this.#stallMs) return undefined;
      const start = Number(now & this.#layout.POSITION_MASK);
      const reserved = this.reserved();
      return new Error(
        `ringlog: the file range starting at byte ${start} was reserved by a writer that has not completed it for unblockTimeoutMs (${this.#stallMs} ms): ` +
          `the thread died or hangs mid-write, so bytes ${start} to ${reserved} cannot be confirmed written`,
      );
    };
  }

  /** End of this thread's latest range. */
  lastEnd(): number {
    return this.#core.positionLastEnd();
  }

  /** Everything reserved so far, by every thread. */
  reserved(): number {
    return this.#core.positionReserved(this.#position);
  }

  /** Closes reservations; returns the final end of the file (file_position P4). */
  close(): number {
    return this.#core.positionClose(this.#position);
  }

  /**
   * Resolves once the contiguous written prefix reaches `target`; rejects when the prefix stops moving
   * below it for unblockTimeoutMs (a writer that died mid-write, P7).
   */
  async written(target: number): Promise<void> {
    const mask = this.#layout.POSITION_MASK;
    const done = (word: bigint) => Number(word & mask) >= target;
    if (done(Atomics.load(this.#i64, this.#writtenAt))) return;
    this.#core.positionWaiting(this.#position, 1);
    try {
      await waitForWord(this.#i64, this.#writtenAt, done, this.#stallWatch());
    } finally {
      this.#core.positionWaiting(this.#position, -1);
    }
  }
}
