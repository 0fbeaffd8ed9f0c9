// "buffered" (the article's BufferedWrites): each thread gathers records in its own 8 KiB block (option
// blockSize); when the next record does not fit, the block's range is reserved with one fetch-add and
// written with a positional write (positional_writer.ts), from the appending thread.
//
// The article's close() writes other threads' buffers while they may still append to them (a race). Here
// the blocks live in shared memory, each guarded by its own mutex (assembly/block.ts, B1-B3): an append,
// a full block's write, and another thread's take of a partial block are each one critical section of that
// block's lock. flush() takes every thread's partial block; close() by the opener first marks the log
// CLOSING, so after its sweep no append can follow, then closes reservations and waits for the written
// prefix to reach the end: nothing lost, nothing twice, no torn line. A thread that ends without close()
// leaves its block OWNED; take() reclaims such blocks when the free list runs dry (block_pool.ts), so they
// neither pin memory forever nor keep their records from the file.
import { onExit } from "../runtime/exit_hook.ts";
import { BlockPool } from "./block_pool.ts";
import type { OpenOptions } from "../options.ts";
import { PositionalWriter } from "./positional_writer.ts";
import type { LogEvent } from "../record/event_line.ts";
import { StrategyLog } from "./strategy_log.ts";
import { createStrategyLog, type StrategyHandle } from "./strategy_memory.ts";

class BufferedLog extends StrategyLog {
  readonly #pool: BlockPool;
  readonly #writer: PositionalWriter;
  readonly #blockSize: number;
  readonly #unregister: (() => void) | undefined;
  /** This thread's block, 0 until its first append (or after another thread reclaimed it, block_pool.ts). */
  #block = 0;
  /** The owner count blockTake gave this thread for #block (block.ts B4). */
  #taken = 0;

  constructor(handle: StrategyHandle, opener: boolean) {
    super(handle, opener);
    const { plan, settings } = handle;
    this.#pool = new BlockPool(this.core, this.layout, handle.memory, plan, this.state, settings.blockTimeoutMs);
    this.#writer = new PositionalWriter(this.core, this.layout, handle.memory, plan.position, this.state, settings.unblockTimeoutMs);
    this.#blockSize = settings.blockSize;
    this.file = this.openOwnFile("write");
    // Exit safety: the opener writes every thread's partial block when the process ends (src/runtime/exit_hook.ts
    // says which event fires in which runtime).
    // Deno's uncaught error, which the program may still handle, only sweeps: the log stays open.
    this.#unregister = opener ? onExit(() => this.#closeAll(), () => this.#sweep()) : undefined;
  }

  protected append(source: string | Uint8Array | LogEvent, isEvent: boolean): boolean {
    const bytes = this.encode(source, isEvent);
    const core = this.core;
    for (;;) {
      if (this.#block === 0) {
        // No free block: write other threads' partial blocks and free them (a thread that ended without
        // close() never gives its block back, block_pool.ts).
        const { block, taken } = this.#pool.take(() => this.#stopped(), (b) => this.#writeBlock(b));
        this.#block = block;
        this.#taken = taken;
      }
      const b = this.#block;
      this.lock(b);
      try {
        if (!this.#pool.owns(b, this.#taken)) {
          this.#block = 0; // another thread wrote and freed it (B4): take another
          continue;
        }
        let at = core.blockAppend(b, this.state, bytes.length, this.#blockSize);
        if (at === this.layout.BLOCK_NO_ROOM) {
          this.#writeBlock(b);
          at = core.blockAppend(b, this.state, bytes.length, this.#blockSize);
        }
        if (at === this.layout.BLOCK_IS_CLOSED) throw this.closedError();
        this.u8.set(bytes, at);
        return true;
      } finally {
        core.mutexUnlock(b);
      }
    }
  }

  #stopped(): Error | undefined {
    return this.isOpen() ? undefined : this.closedError();
  }

  /** Holding b's lock: writes what b holds at a freshly reserved position, then empties it (B2). */
  #writeBlock(b: number): true {
    const bytes = this.#pool.bytes(b, this.u8);
    if (bytes.length === 0) return true;
    // Reservations close only after every block was swept (closeOwn), so this never finds them closed.
    if (!this.#writer.write(this.file!, bytes, this.core.blockRecords(b))) throw this.closedError();
    this.core.blockReset(b, this.core.blockState(b));
    return true;
  }

  /**
   * Writes every thread's partial block, each under its lock. A block whose lock stays held (its holder
   * died mid-append) does not stop the others: the first such error is thrown once all were tried.
   */
  #sweep(): void {
    let first: Error | undefined;
    let failed = 0;
    for (const b of this.#pool.owned()) {
      try {
        this.lock(b);
      } catch (error) {
        first ??= error as Error;
        failed++;
        continue;
      }
      try {
        this.#writeBlock(b);
      } catch (error) {
        first ??= error as Error;
        failed++;
      } finally {
        this.core.mutexUnlock(b);
      }
    }
    if (first !== undefined) {
      throw failed === 1 ? first : new Error(`${first.message} (and ${failed - 1} more blocks could not be written)`, { cause: first });
    }
  }

  /** Opener, also at process exit: no append after this, and every partial block is in the file. */
  #closeAll(): void {
    this.core.logClose(this.state);
    this.#sweep();
  }

  protected async flushOwn(): Promise<void> {
    this.#sweep();
    // Every record appended before this call is now in a range reserved below this point.
    await this.#writer.written(this.#writer.reserved());
  }

  protected async closeOwn(): Promise<void> {
    try {
      if (this.opener) {
        this.#unregister!();
        let swept: unknown;
        try {
          this.#closeAll();
        } catch (error) {
          swept = error; // the other blocks were written: finish the close, then report it
        }
        await this.#writer.written(this.#writer.close());
        this.writer.publishLifecycle(this.layout.DONE);
        if (swept !== undefined) throw swept;
      } else {
        await this.flushOwn();
        const b = this.#block;
        if (b !== 0) {
          this.lock(b);
          try {
            if (this.#pool.owns(b, this.#taken)) {
              this.#writeBlock(b); // empty unless an append slipped in since the sweep
              this.#pool.give(b);
            }
          } finally {
            this.core.mutexUnlock(b);
          }
          this.#block = 0;
        }
      }
    } finally {
      this.file!.close();
    }
  }
}
export async function openBuffered(path: string, options: OpenOptions | undefined): Promise<BufferedLog> {
  return new BufferedLog(createStrategyLog("buffered", path, options).handle, true);
}

export function attachBuffered(handle: StrategyHandle): BufferedLog {
  return new BufferedLog(handle, false);
}
