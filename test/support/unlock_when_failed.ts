// Holds one block's lock until the log's writer thread has failed, then lets it go: stands in for a writer
// thread that is slow to give its block to a closer, so that the closer's close runs in two halves with the
// writer's failure between them (strategy_faults.test.ts, lifecycle S1).
import { parentPort, workerData } from "node:worker_threads";
import { strategyCore } from "../../src/core/strategy_core.ts";
import type { StrategyHandle } from "../../src/strategies/strategy_memory.ts";

const { handle, block } = workerData as { handle: StrategyHandle; block: number };
const { core, layout } = strategyCore(handle.module, handle.memory);
const lifecycle = new Int32Array(handle.memory.buffer);
const at = (handle.plan.state + layout.LOG_LIFECYCLE) / 4;
if (!core.mutexTryLock(block)) throw new Error(`the block at ${block} is locked already`);
parentPort!.postMessage("locked");
const deadline = performance.now() + 10_000;
let state = Atomics.load(lifecycle, at);
while (state !== layout.FAILED && performance.now() < deadline) {
  Atomics.wait(lifecycle, at, state, 50);
  state = Atomics.load(lifecycle, at);
}
core.mutexUnlock(block);
parentPort!.postMessage(state === layout.FAILED ? "unlocked after the failure" : "unlocked, no failure seen");
