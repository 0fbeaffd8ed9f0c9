// open() and attach(), and the table that maps each Strategy to its implementation: the one place that
// knows every strategy. The ring and the article's strategies stand side by side; neither imports this.
import type { HandleBase, Log, LogHandle } from "./log.ts";
import type { OpenOptions, Strategy } from "./options.ts";
import { describe } from "./describe.ts";
import { logPath } from "./io/log_path.ts";
import { holdSignals } from "./runtime/signals.ts";
import { attachRing } from "./ring/ring_log.ts";
import { openRing } from "./ring/ring_open.ts";
import { attachAtomicPosition, openAtomicPosition } from "./strategies/atomic_position.ts";
import { attachBuffered, openBuffered } from "./strategies/buffered.ts";
import { attachBufferedOffthread, openBufferedOffthread } from "./strategies/buffered_offthread.ts";
import { attachLocked, openLocked } from "./strategies/locked.ts";
import { attachNull, openNull } from "./strategies/null.ts";

interface StrategyImpl {
  open(path: string, options: OpenOptions | undefined): Promise<Log>;
  // deno-lint-ignore no-explicit-any
  attach(handle: any): Log;
}

const strategies: Record<Strategy, StrategyImpl> = {
  ring: { open: openRing, attach: attachRing },
  "locked-writer": { open: (path, options) => openLocked("locked-writer", path, options), attach: attachLocked },
  "locked-stream": { open: (path, options) => openLocked("locked-stream", path, options), attach: attachLocked },
  "atomic-position": { open: openAtomicPosition, attach: attachAtomicPosition },
  buffered: { open: openBuffered, attach: attachBuffered },
  "buffered-offthread": { open: openBufferedOffthread, attach: attachBufferedOffthread },
  null: { open: openNull, attach: attachNull },
};

/**
 * Opens (or creates) `path` for many threads to append to, and starts its flusher thread.
 *
 * @example
 * ```ts
 * import { open } from "@ringlog/ringlog";
 * const log = await open("app.log");
 * log.record({ message: "started" });
 * log.write("raw line\n");
 * await log.close();
 * ```
 */
export async function open(path: string | URL, options?: OpenOptions): Promise<Log> {
  const strategy = options?.strategy ?? "ring";
  const impl = Object.hasOwn(strategies, strategy) ? strategies[strategy] : undefined;
  if (impl === undefined) {
    throw new TypeError(`ringlog: strategy must be one of ${Object.keys(strategies).map((s) => JSON.stringify(s)).join(", ")}, got ${describe(strategy)}`);
  }
  const log = await impl.open(logPath(path), options);
  if (options?.handleSignals === true) {
    // Here, not in each strategy: one place serves them all, and nothing is added to the write path.
    // Released once close() has drained the log, not when it starts: a signal meanwhile still drains.
    // SIGHUP reopens the logs whose flusher can switch files (the ring).
    const release = holdSignals(strategy === "ring" ? () => log.reopen() : undefined);
    const close = log.close.bind(log);
    log.close = () => close().finally(release);
  }
  return log;
}

/**
 * A writer in this thread for a log opened elsewhere: give it `log.handle`, posted to this worker.
 *
 * @example
 * ```ts
 * import { attach, open } from "@ringlog/ringlog";
 * const log = await open("app.log");
 * // In worker.ts, started with { workerData: log.handle }: const inWorker = attach(workerData);
 * const inWorker = attach(structuredClone(log.handle)); // the clone a worker receives
 * inWorker.record({ message: "hello from a worker" });
 * await inWorker.close(); // this thread's records are in the file; the log stays open for the others
 * await log.close();
 * ```
 */
export function attach(handle: LogHandle): Log {
  const h = handle as Partial<HandleBase> | undefined;
  const impl = typeof h === "object" && h !== null && h.ringlog === 1 && h.memory instanceof WebAssembly.Memory &&
    h.module instanceof WebAssembly.Module && Object.hasOwn(strategies, h.strategy!) ? strategies[h.strategy!] : undefined;
  if (impl === undefined) {
    throw new TypeError(`ringlog: attach() takes the handle of an open log (log.handle, posted to this thread), got ${describe(handle)}`);
  }
  return impl.attach(handle);
}
