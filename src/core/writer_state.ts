// The words through which a log's writer thread (the ring's flusher, or a strategy's background writer)
// tells every other thread how it is doing: its lifecycle (assembly/lifecycle.ts), its failure text and the
// counters (assembly/counters.ts). The ring keeps them in its control block (assembly/ring.ts), the
// strategies in their state block (assembly/log_state.ts); WriterState is the one reader and publisher of
// both, made once per thread with every index computed up front (as Agrona's ManyToOneRingBuffer does in
// its constructor).
//
// Failure text at `errorAt`:  i32 length | UTF-8: the error's code (empty if none), "\n", its message
// The code goes first so that a message cut at the capacity still keeps it: callers test `error.code`
// ("ENOSPC", "EIO") in every thread, as they would on an error from node:fs.
import type { LogStats } from "../log.ts";
import type { SharedLayout } from "./core.ts";

/** Where one log's writer-state words are, in bytes from the start of the memory. */
export interface WriterWords {
  lifecycle: number;
  counters: number;
  error: number;
  errorCapacity: number;
}

/** An error as it crosses threads: its message and, when the file API gave one, its code. */
export interface FailureText {
  message: string;
  code?: string;
}

export class WriterState {
  readonly #layout: SharedLayout;
  readonly #u8: Uint8Array;
  readonly #i32: Int32Array;
  readonly #i64: BigInt64Array;
  readonly #lifecycleAt: number;
  readonly #countersAt: number;
  readonly #errorAt: number;
  readonly #errorCapacity: number;

  constructor(memory: WebAssembly.Memory, layout: SharedLayout, words: WriterWords) {
    this.#layout = layout;
    this.#u8 = new Uint8Array(memory.buffer);
    this.#i32 = new Int32Array(memory.buffer);
    this.#i64 = new BigInt64Array(memory.buffer);
    this.#lifecycleAt = words.lifecycle / 4;
    this.#countersAt = words.counters / 8;
    this.#errorAt = words.error;
    this.#errorCapacity = words.errorCapacity;
  }

  lifecycle(): number {
    return Atomics.load(this.#i32, this.#lifecycleAt);
  }

  /**
   * Blocks this thread until the writer thread is DONE or FAILED, for at most `timeoutMs`; true when it
   * is. For the exit drains, which must finish synchronously (workers die once exit handlers return).
   */
  waitForEndSync(timeoutMs: number): boolean {
    const deadline = performance.now() + timeoutMs;
    for (let state = this.lifecycle(); state < this.#layout.DONE; state = this.lifecycle()) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.#i32, this.#lifecycleAt, state, Math.min(left, 100));
    }
    return true;
  }

  /**
   * Moves the lifecycle on to `state`, never back, and wakes whoever waits on the word: a CAS, so that a
   * FAILED another thread published stays FAILED (assembly/log_state.ts S1). Every thread's every lifecycle
   * move after OPEN goes through here, the ring's and the strategies' alike.
   */
  publishLifecycle(state: number): void {
    for (let seen = Atomics.load(this.#i32, this.#lifecycleAt); seen < state;) {
      const was = Atomics.compareExchange(this.#i32, this.#lifecycleAt, seen, state);
      if (was === seen) break;
      seen = was;
    }
    Atomics.notify(this.#i32, this.#lifecycleAt);
  }

  /**
   * The writer failed: store the text, then raise the lifecycle to FAILED (the seq-cst CAS orders the two,
   * so whoever sees FAILED reads the whole text). A log that has failed already keeps its first error: its
   * text is not rewritten under readers. The caller then wakes its own kinds of waiters.
   */
  publishFailure(error: FailureText): void {
    if (this.lifecycle() === this.#layout.FAILED) return;
    const bytes = new TextEncoder().encode(`${error.code ?? ""}\n${error.message}`).subarray(0, this.#errorCapacity);
    this.#u8.set(bytes, this.#errorAt + 4);
    Atomics.store(this.#i32, this.#errorAt / 4, bytes.length);
    this.publishLifecycle(this.#layout.FAILED);
  }

  /** The writer's failure as an Error with its `code`, or undefined while it has not failed. */
  failure(): (Error & { code?: string }) | undefined {
    if (this.lifecycle() !== this.#layout.FAILED) return undefined;
    const length = Atomics.load(this.#i32, this.#errorAt / 4);
    // TextDecoder refuses views of shared memory: copy the few bytes out first.
    const text = new TextDecoder().decode(this.#u8.slice(this.#errorAt + 4, this.#errorAt + 4 + length));
    const newline = text.indexOf("\n");
    const failed = new Error(text.slice(newline + 1));
    return newline > 0 ? Object.assign(failed, { code: text.slice(0, newline) }) : failed;
  }

  counter(n: number): number {
    return Number(Atomics.load(this.#i64, this.#countersAt + n));
  }

  /** Every counter, as Log.stats() reports them (the same for every strategy: assembly/counters.ts). */
  stats(): LogStats {
    const layout = this.#layout;
    return {
      records: this.counter(layout.COUNT_RECORDS),
      bytes: this.counter(layout.COUNT_BYTES),
      dropped: this.counter(layout.COUNT_DROPPED),
      fullWaits: this.counter(layout.COUNT_FULL_WAITS),
      flushBatches: this.counter(layout.COUNT_BATCHES),
      maxOccupancy: this.counter(layout.COUNT_OCCUPANCY),
      unblocked: this.counter(layout.COUNT_UNBLOCKED),
      syncs: this.counter(layout.COUNT_SYNCS),
      lost: this.counter(layout.COUNT_LOST),
      rotations: this.counter(layout.COUNT_ROTATIONS),
      error: this.failure()?.message,
    };
  }
}
