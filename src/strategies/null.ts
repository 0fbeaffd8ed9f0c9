// "null": formats and encodes every record like the others, then writes nothing. The benchmark's baseline
// (the article's NullLogger): what the record's formatting alone costs.
import type { OpenOptions } from "../options.ts";
import type { LogEvent } from "../record/event_line.ts";
import { StrategyLog } from "./strategy_log.ts";
import { createStrategyLog, type StrategyHandle } from "./strategy_memory.ts";

class NullLog extends StrategyLog {
  protected append(source: string | Uint8Array | LogEvent, isEvent: boolean): boolean {
    this.encode(source, isEvent);
    if (!this.isOpen()) throw this.closedError();
    return true;
  }

  protected async flushOwn(): Promise<void> {}

  protected async closeOwn(): Promise<void> {
    if (this.opener) this.core.logClose(this.state);
  }
}

export async function openNull(path: string, options: OpenOptions | undefined): Promise<NullLog> {
  return new NullLog(createStrategyLog("null", path, options).handle, true);
}

export function attachNull(handle: StrategyHandle): NullLog {
  return new NullLog(handle, false);
}
