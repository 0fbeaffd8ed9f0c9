// The blocks of the buffered strategies and their free list (assembly/block.ts, assembly/block_queue.ts):
// a thread takes a block when it first appends, and gives it back when it detaches ("buffered") or when the
// background writer has written it ("buffered-offthread"). capacity / blockSize blocks in all.
//
// A thread that ends without close() never gives its block back. So when take() finds the free list empty
// it reclaims: every OWNED block whose lock is free is emptied (its records written or queued, by the
// strategy's callback) and freed, whoever owns it. A live owner notices at its next append (block.ts B4:
// the block is no longer OWNED with its `taken` count) and takes another; a dead one's block is back in use.
import type { StrategyCore, StrategyLayout } from "../core/strategy_core.ts";
import type { StrategyPlan } from "./strategy_memory.ts";

const SLICE_MS = 100;

/** A block as its owner knows it: the address and the owner count blockTake returned (block.ts B4). */
export interface TakenBlock {
  readonly block: number;
  readonly taken: number;
}

export class BlockPool {
  readonly #core: StrategyCore;
  readonly #layout: StrategyLayout;
  readonly #i32: Int32Array;
  readonly #plan: StrategyPlan;
  readonly #state: number;
  readonly #timeoutMs: number;

  /** i32 index of the free list's push counter: a thread waiting for a free block waits on it. */
  readonly #freePushedAt: number;

  constructor(core: StrategyCore, layout: StrategyLayout, memory: WebAssembly.Memory, plan: StrategyPlan, state: number, timeoutMs: number) {
    this.#core = core;
    this.#layout = layout;
    this.#i32 = new Int32Array(memory.buffer);
    this.#plan = plan;
    this.#state = state;
    this.#timeoutMs = timeoutMs;
    this.#freePushedAt = (plan.free + layout.QUEUE_PUSHED) / 4;
  }

  address(n: number): number {
    return this.#plan.blocks + n * this.#plan.blockStride;
  }

  /** Where block b's bytes are, as a view of the shared memory. */
  bytes(b: number, u8: Uint8Array): Uint8Array {
    const data = b + this.#layout.BLOCK_DATA;
    return u8.subarray(data, data + this.#core.blockFill(b));
  }

  /**
   * A free block, now BLOCK_OWNED by the caller. While every block is in use it reclaims (see the top) and
   * waits, up to blockTimeoutMs. `stopped()` gives the error to throw instead once the log is closed or
   * failed. `empty(b)`, called holding b's lock for an OWNED block of another thread, writes or queues
   * what b holds and returns true when b is then empty and may be freed here.
   */
  take(stopped: () => Error | undefined, empty?: (b: number) => boolean): TakenBlock {
    const core = this.#core;
    const free = this.#plan.free;
    const pushedAt = this.#freePushedAt;
    let deadline = 0;
    for (;;) {
      const seen = Atomics.load(this.#i32, pushedAt);
      const n = core.queuePop(free);
      if (n >= 0) {
        const block = this.address(n);
        return { block, taken: core.blockTake(block) };
      }
      const error = stopped();
      if (error) throw error;
      if (empty !== undefined && this.#reclaim(empty)) continue;
      const now = performance.now();
      if (deadline === 0) {
        deadline = now + this.#timeoutMs;
        core.logCountAdd(this.#state, this.#layout.COUNT_FULL_WAITS, 1);
      } else if (now >= deadline) {
        throw new Error(`ringlog: no free block for blockTimeoutMs (${this.#timeoutMs} ms): all ${this.#plan.blockCount} blocks (capacity / blockSize) are in use by writer threads or queued; the record was not written`);
      }
      Atomics.wait(this.#i32, pushedAt, seen, Math.min(SLICE_MS, deadline - now));
    }
  }

  /** Frees every OWNED block whose lock is free and that `empty` emptied. True if it freed any. */
  #reclaim(empty: (b: number) => boolean): boolean {
    const core = this.#core;
    let freed = false;
    for (const b of this.owned()) {
      if (!core.mutexTryLock(b)) continue; // in use right now: its owner is alive
      try {
        if (core.blockState(b) === this.#layout.BLOCK_OWNED && empty(b)) {
          this.give(b);
          freed = true;
        }
      } finally {
        core.mutexUnlock(b);
      }
    }
    return freed;
  }

  /** Holding b's lock: true while the caller, which got `taken` from take(), still owns b (block.ts B4). */
  owns(b: number, taken: number): boolean {
    return this.#core.blockOwnedBy(b, taken) !== 0;
  }

  /** Empties block b and returns it to the free list; wakes a thread waiting for one. */
  give(b: number): void {
    this.#core.blockReset(b, this.#layout.BLOCK_FREE);
    this.#core.queuePush(this.#plan.free, (b - this.#plan.blocks) / this.#plan.blockStride);
    Atomics.notify(this.#i32, this.#freePushedAt, 1);
  }

  /** Every block some thread appends to (a snapshot: the caller locks each and re-checks). */
  *owned(): Generator<number> {
    for (let n = 0; n < this.#plan.blockCount; n++) {
      const b = this.address(n);
      if (this.#core.blockState(b) === this.#layout.BLOCK_OWNED) yield b;
    }
  }
}
