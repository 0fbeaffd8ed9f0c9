// The strategies open() can use, by name: the one place that maps a Strategy to its implementation.
import type { Log } from "./log.ts";
import type { OpenOptions, Strategy } from "./options.ts";
import { attachRing, openRing } from "./ring_log.ts";
import { attachAtomicPosition, openAtomicPosition } from "./strategy_atomic_position.ts";
import { attachBuffered, openBuffered } from "./strategy_buffered.ts";
import { attachBufferedOffthread, openBufferedOffthread } from "./strategy_buffered_offthread.ts";
import { attachLocked, openLocked } from "./strategy_locked.ts";
import { attachNull, openNull } from "./strategy_null.ts";

/** Every strategy's handle carries these; the rest is the strategy's own. */
export interface HandleBase {
  readonly ringlog: 1;
  readonly strategy: Strategy;
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
}

export interface StrategyImpl {
  open(path: string, options: OpenOptions | undefined): Promise<Log>;
  // deno-lint-ignore no-explicit-any
  attach(handle: any): Log;
}

export const strategies: Partial<Record<Strategy, StrategyImpl>> = {
  ring: { open: openRing, attach: attachRing },
  "locked-writer": { open: (path, options) => openLocked("locked-writer", path, options), attach: attachLocked },
  "locked-stream": { open: (path, options) => openLocked("locked-stream", path, options), attach: attachLocked },
  "atomic-position": { open: openAtomicPosition, attach: attachAtomicPosition },
  buffered: { open: openBuffered, attach: attachBuffered },
  "buffered-offthread": { open: openBufferedOffthread, attach: attachBufferedOffthread },
  null: { open: openNull, attach: attachNull },
};
