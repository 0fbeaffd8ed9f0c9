// "atomic-position" (the article's AtomicPositionWrites): no lock. Each record is encoded in this thread,
// its file range reserved with one atomic fetch-add on a shared i64, and written there with a positional
// write on this thread's own fd (positional_writer.ts, assembly/file_position.ts).
// close() by the opener closes reservations and waits until the written prefix reaches the final end:
// every range reserved before close is written; a write reserving after it throws, having written nothing.
// A range whose writer died before completing it makes flush() and close() reject after unblockTimeoutMs,
// naming the stuck byte position, instead of hanging (positional_writer.ts).
import type { OpenOptions } from "../options.ts";
import { PositionalWriter } from "./positional_writer.ts";
import type { LogEvent } from "../record/event_line.ts";
import { StrategyLog } from "./strategy_log.ts";
import { createStrategyLog, type StrategyHandle } from "./strategy_memory.ts";

class AtomicPositionLog extends StrategyLog {
  readonly #writer: PositionalWriter;

  constructor(handle: StrategyHandle, opener: boolean) {
    super(handle, opener);
    this.#writer = new PositionalWriter(this.core, this.layout, handle.memory, handle.plan.position, this.state, handle.settings.unblockTimeoutMs);
    this.file = this.openOwnFile("write");
  }

  protected append(source: string | Uint8Array | LogEvent, isEvent: boolean): boolean {
    const bytes = this.encode(source, isEvent);
    if (bytes.length > 0 && !this.#writer.write(this.file!, bytes, 1)) throw this.closedError();
    return true;
  }

  protected async flushOwn(): Promise<void> {
    await this.#writer.written(this.#writer.lastEnd());
  }

  protected async closeOwn(): Promise<void> {
    try {
      if (this.opener) {
        this.core.logClose(this.state);
        await this.#writer.written(this.#writer.close());
        this.writer.publishLifecycle(this.layout.DONE);
      } else {
        await this.flushOwn();
      }
    } finally {
      this.file!.close(); // also when a stuck range (positional_writer.ts) makes the wait fail
    }
  }
}

export async function openAtomicPosition(path: string, options: OpenOptions | undefined): Promise<AtomicPositionLog> {
  return new AtomicPositionLog(createStrategyLog("atomic-position", path, options).handle, true);
}

export function attachAtomicPosition(handle: StrategyHandle): AtomicPositionLog {
  return new AtomicPositionLog(handle, false);
}
