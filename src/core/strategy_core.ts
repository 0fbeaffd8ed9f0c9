// The wasm core as the article's strategies use it: the exports of assembly/log_state.ts, mutex.ts,
// file_position.ts, block_queue.ts and block.ts, typed, and their layout constants read from the module.
import { instantiateCore, type SharedLayout } from "./core.ts";

/** The strategies' wasm exports (addresses are numbers; positions are f64, exact below 2^53). */
export interface StrategyCore {
  logInit(state: number): void;
  logClose(state: number): number;
  logLifecycle(state: number): number;
  logCountWrite(state: number, records: number, bytes: number): void;
  logCountAdd(state: number, counter: number, delta: number): void;
  logCountMax(state: number, counter: number, value: number): void;
  logWake(state: number): void;
  logSleeping(state: number): void;
  logRunning(state: number): void;
  mutexTryLock(mutex: number): number;
  mutexLockContended(mutex: number): number;
  mutexUnlock(mutex: number): void;
  positionInit(position: number, start: number, slotCount: number): void;
  positionReserve(position: number, length: number): number;
  positionComplete(position: number): number;
  positionLastEnd(): number;
  positionWritten(position: number): number;
  positionReserved(position: number): number;
  positionWaiting(position: number, delta: number): void;
  positionClose(position: number): number;
  queueInit(queue: number, capacity: number): void;
  queuePush(queue: number, value: number): number;
  queuePop(queue: number): number;
  queuePopped(queue: number): number;
  queuePushed(queue: number): number;
  queueLength(queue: number): number;
  queueFinish(queue: number, ticket: number): void;
  blockAppend(block: number, state: number, length: number, blockSize: number): number;
  blockFill(block: number): number;
  blockRecords(block: number): number;
  blockReset(block: number, state: number): void;
  blockState(block: number): number;
  blockSetState(block: number, state: number): void;
  blockTake(block: number): number;
  blockOwnedBy(block: number, taken: number): number;
}

/** Layout constants and codes, as exported by the assembly/ files above (one source of truth). */
export interface StrategyLayout extends SharedLayout {
  readonly LOG_LIFECYCLE: number;
  readonly LOG_WAKE: number;
  readonly LOG_COUNTERS: number;
  readonly LOG_ERROR: number;
  readonly LOG_ERROR_CAPACITY: number;
  readonly LOG_STATE_SIZE: number;
  readonly LOG_SLEEPING: number;
  readonly MUTEX_CONTENDED: number;
  readonly POSITION_WRITTEN: number;
  readonly POSITION_SLOTS: number;
  readonly POSITION_MASK: bigint;
  readonly POSITION_IS_CLOSED: number;
  readonly POSITION_TOO_LARGE: number;
  readonly POSITION_FULL: number;
  readonly QUEUE_PUSHED: number;
  readonly QUEUE_FINISHED: number;
  readonly QUEUE_CELLS: number;
  readonly QUEUE_EMPTY: number;
  readonly BLOCK_DATA: number;
  readonly BLOCK_FREE: number;
  readonly BLOCK_OWNED: number;
  readonly BLOCK_QUEUED: number;
  readonly BLOCK_IS_CLOSED: number;
  readonly BLOCK_NO_ROOM: number;
}

/** A thread's own instance of the core over the log's shared memory. */
export function strategyCore(module: WebAssembly.Module, memory: WebAssembly.Memory): { core: StrategyCore; layout: StrategyLayout } {
  const { core, layout } = instantiateCore(module, memory);
  return { core: core as unknown as StrategyCore, layout: layout as unknown as StrategyLayout };
}
