// The article's two locked strategies: a mutex in shared memory (assembly/mutex.ts) around each record's
// file write, done by the calling thread on its own fd (Deno threads do not share fds: one opened in
// another thread is EBADF here, measured in Deno 2).
//   "locked-writer" (LockedWriter.java): the lock is held while the record is formatted AND written.
//   "locked-stream" (LockedStream.java): the record is formatted into a thread-local buffer first; the lock
//   is held only around the write.
// One class with one flag, because that one line is all that differs between them.
//
// Every thread's fd is opened O_APPEND, so the file offset is the kernel's and writes under the lock land
// one after the other. A record is in the file when write() returns, so flush() has nothing to wait for.
// close() by the opener takes the lock, marks the log closed, releases it: a write that held the lock
// before is complete; one that takes it after sees the log closed and throws (nothing half-written).
import { writeFully } from "../io/driver.ts";
import type { OpenOptions } from "../options.ts";
import type { LogEvent } from "../record/event_line.ts";
import { StrategyLog } from "./strategy_log.ts";
import { createStrategyLog, type StrategyHandle } from "./strategy_memory.ts";

class LockedLog extends StrategyLog {
  readonly #formatUnderLock: boolean;
  readonly #mutex: number;

  constructor(handle: StrategyHandle, opener: boolean) {
    super(handle, opener);
    this.#formatUnderLock = handle.strategy === "locked-writer";
    this.#mutex = handle.plan.mutex;
    this.file = this.openOwnFile("append");
  }

  protected append(source: string | Uint8Array | LogEvent, isEvent: boolean): boolean {
    let bytes = this.#formatUnderLock ? undefined : this.encode(source, isEvent);
    this.lock(this.#mutex);
    try {
      if (!this.isOpen()) throw this.closedError();
      bytes ??= this.encode(source, isEvent);
      writeFully(this.file!, bytes);
    } finally {
      this.core.mutexUnlock(this.#mutex);
    }
    this.core.logCountWrite(this.state, 1, bytes.length);
    return true;
  }

  protected async flushOwn(): Promise<void> {}

  protected async closeOwn(): Promise<void> {
    if (this.opener) {
      this.lock(this.#mutex);
      this.core.logClose(this.state);
      this.core.mutexUnlock(this.#mutex);
    }
    this.file!.close();
  }
}

export async function openLocked(strategy: "locked-writer" | "locked-stream", path: string, options: OpenOptions | undefined): Promise<LockedLog> {
  return new LockedLog(createStrategyLog(strategy, path, options).handle, true);
}

export function attachLocked(handle: StrategyHandle): LockedLog {
  return new LockedLog(handle, false);
}
