// "buffered-offthread" (the article's BufferedWritesOffThread): each thread gathers records in its own
// block (blockSize, 8 KiB by default); a full block goes into a queue in shared memory
// (assembly/block_queue.ts) and the thread takes an empty one from the free list; one background writer
// thread (buffered_offthread_worker.ts) appends queued blocks to the file in queue order and
// returns them to the free list. Appending threads never do file IO.
//
// The article's close() stops its writer thread while blocks are still queued (they are lost). Here:
// the opener marks the log CLOSING (appends stop, block.ts B1), queues every thread's partial block, each
// under its lock, then marks it DRAINING (unless the writer failed meanwhile: FAILED stays, log_state.ts S1);
// the writer exits only once the log is DRAINING (or FAILED) AND the queue is empty.
// flush() queues this thread's partial block and waits until the writer has finished every block queued
// before it (block_queue.ts Q4).
import { BlockPool } from "./block_pool.ts";
import { onExit } from "../runtime/exit_hook.ts";
import { siblingModule, workerEntry } from "../runtime/module_url.ts";
import type { OpenOptions } from "../options.ts";
import type { LogEvent } from "../record/event_line.ts";
import { startWriterThread, type WriterThread } from "../runtime/writer_thread.ts";
import { StrategyLog, writerState } from "./strategy_log.ts";
import { createStrategyLog, type StrategyHandle } from "./strategy_memory.ts";
import { waitForWord } from "../runtime/wait.ts";

// At process exit, wait this long at most for the writer to drain the queue.
const EXIT_DRAIN_MS = 10_000;

class OffthreadLog extends StrategyLog {
  readonly #pool: BlockPool;
  readonly #blockSize: number;
  readonly #writer: WriterThread | undefined;
  readonly #unregister: (() => void) | undefined;
  /** i64 index of the full queue's finished-ticket word (block_queue.ts Q4): flushes wait on it. */
  readonly #finishedAt: number;
  /** This thread's block, 0 when it has none (before its first append, after it or a flush queued it). */
  #block = 0;
  /** The owner count blockTake gave this thread for #block (block.ts B4). */
  #taken = 0;

  constructor(handle: StrategyHandle, writer?: WriterThread) {
    super(handle, writer !== undefined);
    this.#pool = new BlockPool(this.core, this.layout, handle.memory, handle.plan, this.state, handle.settings.blockTimeoutMs);
    this.#blockSize = handle.settings.blockSize;
    this.#finishedAt = (handle.plan.full + this.layout.QUEUE_FINISHED) / 8;
    this.#writer = writer;
    // Exit safety: queue every partial block and let the writer drain (workers die only after exit hooks).
    // It stays registered until the writer thread has exited, also while a close() is under way.
    this.#unregister = writer !== undefined ? onExit(() => this.#drainAtExit(), () => this.#flushAtError()) : undefined;
  }

  protected append(source: string | Uint8Array | LogEvent, isEvent: boolean): boolean {
    const bytes = this.encode(source, isEvent);
    const { core, layout } = this;
    for (;;) {
      if (this.#block === 0) {
        // No free block: queue other threads' partial blocks, free empty ones (block_pool.ts: a thread that
        // ended without close() never gives its block back).
        const { block, taken } = this.#pool.take(() => (this.isOpen() ? undefined : this.closedError()), (b) => this.#reclaim(b));
        this.#block = block;
        this.#taken = taken;
      }
      const b = this.#block;
      this.lock(b);
      let at: number;
      try {
        if (!this.#pool.owns(b, this.#taken)) {
          this.#block = 0; // queued by a flush or close of another thread, maybe re-taken since (B4)
          continue;
        }
        at = core.blockAppend(b, this.state, bytes.length, this.#blockSize);
        if (at === layout.BLOCK_IS_CLOSED) throw this.closedError();
        if (at === layout.BLOCK_NO_ROOM) this.#queue(b);
        else this.u8.set(bytes, at);
      } finally {
        core.mutexUnlock(b);
      }
      if (at !== layout.BLOCK_NO_ROOM) return true;
      core.logWake(this.state);
    }
  }

  /** Holding b's lock: hands b to the writer (B3: only an OWNED block is queued, once). */
  #queue(b: number): void {
    const { core, layout } = this;
    core.blockSetState(b, layout.BLOCK_QUEUED);
    core.queuePush(this.handle.plan.full, (b - this.handle.plan.blocks) / this.handle.plan.blockStride);
    core.logCountMax(this.state, layout.COUNT_OCCUPANCY, core.queueLength(this.handle.plan.full) * this.#blockSize);
    if (b === this.#block) this.#block = 0;
  }

  /** take()'s reclaim, holding the lock of another thread's OWNED block: queue it, or free it if empty. */
  #reclaim(b: number): boolean {
    if (this.core.blockFill(b) === 0) return true;
    this.#queue(b); // the writer frees it once written
    this.core.logWake(this.state);
    return false;
  }

  /** Queues b if it is still some thread's partial block (not queued meanwhile by its owner or a closer). */
  #queuePartial(b: number): void {
    this.lock(b);
    try {
      if (b === this.#block && !this.#pool.owns(b, this.#taken)) this.#block = 0; // another thread took it
      else if (this.core.blockState(b) === this.layout.BLOCK_OWNED && this.core.blockFill(b) > 0) this.#queue(b);
    } finally {
      this.core.mutexUnlock(b);
    }
  }

  /** Opener: stop appends, queue every partial block, then let the writer finish (see the top). */
  #closeAll(): void {
    if (!this.core.logClose(this.state)) return;
    for (const b of this.#pool.owned()) this.#queuePartial(b);
    this.writer.publishLifecycle(this.layout.DRAINING); // never over a FAILED the writer thread published (S1)
    this.core.logWake(this.state);
  }

  /**
   * At process exit: close (unless a close() already did) and wait for the writer thread to put every
   * queued block in the file. Idempotent: when a close() is under way, it only waits.
   */
  #drainAtExit(): void {
    this.#closeAll();
    const started = performance.now();
    this.writer.waitForEndSync(EXIT_DRAIN_MS);
    if (this.writer.lifecycle() !== this.layout.DONE) this.#unwritten(performance.now() - started);
  }

  /** Throws, for the exit hook to report (runtime/exit_hook.ts), what the drain left in blocks. */
  #unwritten(waitedMs: number): never {
    let records = 0;
    let bytes = 0;
    for (let n = 0; n < this.handle.plan.blockCount; n++) {
      const b = this.#pool.address(n);
      if (this.core.blockState(b) === this.layout.BLOCK_FREE) continue;
      records += this.core.blockRecords(b);
      bytes += this.core.blockFill(b);
    }
    const failure = this.failure();
    const why = failure ? `the file failed: ${failure.message}` : `the exit drain gave up after ${Math.round(waitedMs)} ms (its bound: ${EXIT_DRAIN_MS} ms): the writer thread's file writes did not finish in time`;
    throw new Error(`ringlog: ${records} records (${bytes} bytes) of ${JSON.stringify(this.handle.path)} did not reach the file at exit; ${why}`);
  }

  /**
   * Deno's uncaught error, which the program may still handle: queue every partial block and wait for the
   * writer to finish what is queued, but leave the log open.
   */
  #flushAtError(): void {
    for (const b of this.#pool.owned()) this.#queuePartial(b);
    this.core.logWake(this.state);
    const target = this.core.queuePushed(this.handle.plan.full);
    const finishedAt = this.#finishedAt;
    const started = performance.now();
    for (let finished = Atomics.load(this.i64, finishedAt); ((Number(finished) | 0) - target | 0) < 0; finished = Atomics.load(this.i64, finishedAt)) {
      if (performance.now() >= started + EXIT_DRAIN_MS || this.failure()) this.#unwritten(performance.now() - started);
      Atomics.wait(this.i64, finishedAt, finished, 100);
    }
  }

  protected async flushOwn(): Promise<void> {
    if (this.#block !== 0) this.#queuePartial(this.#block);
    this.core.logWake(this.state);
    // The writer finishes blocks in ticket order: once it passed every ticket handed out so far, every
    // block this thread queued (or a closer queued for it) is in the file.
    const target = this.core.queuePushed(this.handle.plan.full);
    await waitForWord(this.i64, this.#finishedAt, (finished) => ((Number(finished) | 0) - target | 0) >= 0, () => this.failure());
  }

  protected async closeOwn(): Promise<void> {
    if (this.#writer !== undefined) {
      this.#closeAll();
      this.#writer.ref();
      try {
        await this.#writer.exited;
      } finally {
        // Only now: a process.exit() while the writer still drains must still wait for it (#drainAtExit).
        this.#unregister!();
      }
      const error = this.failure();
      if (error) throw error;
      return;
    }
    await this.flushOwn();
    const b = this.#block;
    if (b !== 0) {
      this.lock(b);
      try {
        // Empty (flushOwn queued whatever it held): give it back unless another thread took it (B4).
        if (this.#pool.owns(b, this.#taken) && this.core.blockFill(b) === 0) this.#pool.give(b);
      } finally {
        this.core.mutexUnlock(b);
      }
      this.#block = 0;
    }
  }
}

export async function openBufferedOffthread(path: string, options: OpenOptions | undefined): Promise<OffthreadLog> {
  const { handle, layout } = createStrategyLog("buffered-offthread", path, options);
  const state = writerState(handle, layout);
  const writer = await startWriterThread({
    entry: workerEntry(siblingModule(import.meta.url, "./buffered_offthread_worker")),
    workerData: handle,
    path,
    role: "writer",
    died: (message) => state.publishFailure({ message }),
    failure: () => state.failure(),
  });
  return new OffthreadLog(handle, writer);
}

export function attachBufferedOffthread(handle: StrategyHandle): OffthreadLog {
  return new OffthreadLog(handle);
}
