// The background writer thread of "buffered-offthread": it opens the file itself (Deno threads do not
// share fds), reports "ready" or the open error, then appends queued blocks in queue order, returns each to
// the free list and marks its ticket finished, until the log is CLOSED and the queue is empty.
import { parentPort, workerData } from "node:worker_threads";
import { BlockPool } from "./block_pool.ts";
import { type FileHandle, openFile, writeFully } from "./driver.ts";
import { defaultDriver } from "./driver_select.ts";
import { strategyCore } from "./strategy_core.ts";
import { publishStrategyFailure } from "./strategy_log.ts";
import type { StrategyHandle } from "./strategy_memory.ts";

// With nothing to do, sleep at most this long (a queued block or close wakes the writer at once anyway).
const IDLE_MS = 1000;

const handle = workerData as StrategyHandle;
const { memory, plan } = handle;
const { core, layout } = strategyCore(handle.module, memory);
const port = parentPort!;

let file: FileHandle | undefined;
try {
  file = openFile(defaultDriver(), handle.path, "append");
} catch (error) {
  port.postMessage({ type: "error", message: (error as Error).message });
}

if (file !== undefined) {
  port.postMessage({ type: "ready" });
  try {
    run(file);
    file.close();
    core.logSetLifecycle(plan.state, layout.LOG_DONE);
  } catch (error) {
    publishStrategyFailure(core, layout, memory, plan.state, `ringlog: writing ${JSON.stringify(handle.path)} failed: ${(error as Error)?.message ?? error}`);
    try {
      file.close();
    } catch {
      // The file's first error is the one reported.
    }
  }
}

function run(file: FileHandle): void {
  const pool = new BlockPool(core, layout, memory, plan, plan.state, handle.settings.blockTimeoutMs);
  const u8 = new Uint8Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const wakeAt = (plan.state + layout.LOG_WAKE) / 4;
  const closed = () => core.logLifecycle(plan.state) >= layout.LOG_CLOSED;
  for (;;) {
    const n = core.queuePop(plan.full);
    if (n >= 0) {
      const ticket = core.queuePopped(plan.full) - 1; // the only consumer: the pop just made was this one
      const b = pool.address(n);
      const bytes = pool.bytes(b, u8);
      writeFully(file, bytes);
      core.logCountWrite(plan.state, core.blockRecords(b), bytes.length);
      pool.give(b);
      core.queueFinish(plan.full, ticket);
      continue;
    }
    // Empty, or a push still in progress (then the length is > 0 and we look again).
    if (core.queueLength(plan.full) > 0) continue;
    // CLOSED is stored after the closer queued every partial block under its lock: the queue is final.
    if (closed()) return;
    core.logSleeping(plan.state);
    if (core.queueLength(plan.full) === 0 && !closed()) Atomics.wait(i32, wakeAt, layout.LOG_SLEEPING, IDLE_MS);
    core.logRunning(plan.state);
  }
}
