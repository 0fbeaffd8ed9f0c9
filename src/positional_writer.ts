// The positional write shared by "atomic-position" and "buffered": reserve the range with one fetch-add
// (assembly/file_position.ts), write it at that position from this thread's own fd, report it complete.
// flush() waits on the contiguous written prefix the core keeps (OpenFileCtx's nextOffset, ANCHORS.md §4):
// "my end is below the prefix" means my bytes AND everything before them are in the file.
import { type FileHandle, writeFully } from "./driver.ts";
import type { StrategyCore, StrategyLayout } from "./strategy_core.ts";
import { waitForWord } from "./wait.ts";

// A completer that finds the slot ring full waits for the prefix to move, in slices of this.
const FULL_SLICE_MS = 100;

export class PositionalWriter {
  readonly #core: StrategyCore;
  readonly #layout: StrategyLayout;
  readonly #i64: BigInt64Array;
  readonly #position: number;
  readonly #state: number;
  readonly #writtenAt: number;

  constructor(core: StrategyCore, layout: StrategyLayout, memory: WebAssembly.Memory, position: number, state: number) {
    this.#core = core;
    this.#layout = layout;
    this.#i64 = new BigInt64Array(memory.buffer);
    this.#position = position;
    this.#state = state;
    this.#writtenAt = (position + layout.POSITION_WRITTEN) / 8;
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
    core.logCountAdd(this.#state, this.#layout.LOG_COUNT_WAITS, 1);
    core.positionWaiting(this.#position, 1);
    try {
      do {
        Atomics.wait(this.#i64, this.#writtenAt, Atomics.load(this.#i64, this.#writtenAt), FULL_SLICE_MS);
      } while (core.positionComplete(this.#position) === this.#layout.POSITION_FULL);
    } finally {
      core.positionWaiting(this.#position, -1);
    }
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

  /** Resolves once the contiguous written prefix reaches `target`. */
  async written(target: number): Promise<void> {
    const mask = this.#layout.POSITION_MASK;
    if (Number(Atomics.load(this.#i64, this.#writtenAt) & mask) >= target) return;
    this.#core.positionWaiting(this.#position, 1);
    try {
      await waitForWord(this.#i64, this.#writtenAt, (word) => Number(word & mask) >= target, () => undefined);
    } finally {
      this.#core.positionWaiting(this.#position, -1);
    }
  }
}
