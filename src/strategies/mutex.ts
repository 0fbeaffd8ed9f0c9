// Taking a mutex of shared memory (assembly/mutex.ts) from a thread: a CAS, a few retries, then sleep on
// the lock word. Never an unbounded spin, never an unbounded wait: a lock held longer than blockTimeoutMs
// means its holder died (a terminated worker) and the caller gets an error instead of a hang.
import type { StrategyCore } from "../core/strategy_core.ts";

// Retries before sleeping: a lock is held for one write(2), so a few tries often win without a syscall,
// and on 2 cores with 8 writers a longer spin only burns the holder's time slice.
const SPINS = 4;
// Sleep in slices, so the deadline is checked even if a notify were missed.
const SLICE_MS = 100;

export interface MutexContext {
  readonly core: StrategyCore;
  readonly i32: Int32Array;
  readonly contended: number;
  readonly timeoutMs: number;
  /** Called once per lock that had to sleep (the waits counter). */
  onWait(): void;
}

/** Takes the lock at `at`. Throws when it stays held for longer than timeoutMs. */
export function lockMutex(context: MutexContext, at: number): void {
  const { core } = context;
  for (let spin = 0; spin < SPINS; spin++) if (core.mutexTryLock(at)) return;
  context.onWait();
  const deadline = performance.now() + context.timeoutMs;
  while (!core.mutexLockContended(at)) {
    const left = deadline - performance.now();
    if (left <= 0) {
      throw new Error(`ringlog: a lock of this log stayed held for blockTimeoutMs (${context.timeoutMs} ms): the thread holding it died or is stuck; the record was not written`);
    }
    Atomics.wait(context.i32, at / 4, context.contended, Math.min(left, SLICE_MS));
  }
}
