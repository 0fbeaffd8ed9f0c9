// The background writer thread of "buffered-offthread": it opens the file itself (Deno threads do not
// share fds), then appends queued blocks in queue order, returns each to the free list and marks its ticket
// finished, until the log is DRAINING and the queue is empty (runtime/writer_thread.ts orders the steps
// and reports their errors, with their codes, as the ring's flusher does).
import { parentPort, workerData } from "node:worker_threads";
import { BlockPool } from "./block_pool.ts";
import { type FileHandle, openFile, reportingFile, writeFully } from "../io/driver.ts";
import { defaultDriver } from "../io/driver_select.ts";
import { strategyCore } from "../core/strategy_core.ts";
import { runWriterThread } from "../runtime/writer_thread.ts";
import { writerState } from "./strategy_log.ts";
import type { StrategyHandle } from "./strategy_memory.ts";

// With nothing to do, sleep at most this long (a queued block or close wakes the writer at once anyway).
const IDLE_MS = 1000;

const handle = workerData as StrategyHandle;
const { memory, plan } = handle;
const { core, layout } = strategyCore(handle.module, memory);
const state = writerState(handle, layout);

await runWriterThread(parentPort!, handle.path, {
  open: () => Promise.resolve(reportingFile(openFile(defaultDriver(), handle.path, "append"), handle.path)),
  run,
  done: () => state.publishLifecycle(layout.DONE),
  failed: (error) => state.publishFailure(error),
});

function run(file: FileHandle): void {
  const pool = new BlockPool(core, layout, memory, plan, plan.state, handle.settings.blockTimeoutMs);
  const u8 = new Uint8Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const wakeAt = (plan.state + layout.LOG_WAKE) / 4;
  const closed = () => state.lifecycle() >= layout.DRAINING;
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
    // DRAINING is stored after the closer queued every partial block under its lock: the queue is final.
    if (closed()) return;
    core.logSleeping(plan.state);
    if (core.queueLength(plan.full) === 0 && !closed()) Atomics.wait(i32, wakeAt, layout.LOG_SLEEPING, IDLE_MS);
    core.logRunning(plan.state);
  }
}
