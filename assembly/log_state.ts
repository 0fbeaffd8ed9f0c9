// The shared state of a log written by one of the article's strategies (every strategy but "ring", whose
// control block is in ring.ts): its lifecycle, its counters, the background writer's wake word and the
// failure text. One block at address S (128-aligned); each hot word on its own 128-byte line.
//
//   S +    0  lifecycle  i32  OPEN | CLOSING | DRAINING | DONE | FAILED (lifecycle.ts) closer, writer
//   S +  128  wake       i32  LOG_RUNNING | LOG_SLEEPING: the background writer's sleep word   both: CAS, notify
//   S +  256  counters   i64 × 10, see counters.ts                                              any thread: add
//   S + 1024  error      i32 length + UTF-8 text of the background writer's failure             writer, once
//   S + 2048             end (LOG_STATE_SIZE)
//
// Lifecycle (lifecycle.ts): OPEN -> CLOSING (the closer stopped new records: every append checks the lifecycle under the
// lock that guards what it appends to, so after the closer has taken each such lock once, nothing more is
// appended) -> DRAINING (the closer has handed everything to the writer thread) -> DONE (all in the file).
// FAILED replaces any of them when the file could not be written; the error text is stored before it.
//
// Invariants:
//   S1  the lifecycle only moves forward: logClose is a CAS from OPEN, so one closer wins; every later state
//       (DRAINING, DONE, FAILED) is raised by WriterState.publishLifecycle (src/core/writer_state.ts), a CAS
//       that never moves it back, so a FAILED is never overwritten (FAILED is the highest state, lifecycle.ts).
//       The background writer may publish FAILED between the closer's queuing of the last blocks and its
//       DRAINING: a plain store of DRAINING erased the failure, and the exit drain then waited out its bound
//       and called the file's failure a timeout (buffered-offthread, a writer thread late under load).
//   S2  the writer sleeps only after storing SLEEPING and then finding no work (see the strategies), and a
//       producer calls logWake after publishing work: with sequentially consistent atomics one sees the
//       other, so no work is left unseen (the same argument as ring.ts's prepareSleep).

import { atomicMax } from "./atomic_max";
import { CLOSING, OPEN } from "./lifecycle";
import { COUNT_BATCHES, COUNT_BYTES, COUNT_RECORDS } from "./counters";


export const LOG_LIFECYCLE: i32 = 0;
export const LOG_WAKE: i32 = 128;
export const LOG_COUNTERS: i32 = 256;
export const LOG_ERROR: i32 = 1024;
export const LOG_ERROR_CAPACITY: i32 = 1020;
export const LOG_STATE_SIZE: i32 = 2048;

export const LOG_RUNNING: i32 = 0;
export const LOG_SLEEPING: i32 = 1;

/** The opener, once the block is laid out: OPEN (zeroed memory reads OPENING). */
export function logInit(s: usize): void {
  atomic.store<i32>(s, OPEN, LOG_LIFECYCLE);
}

/** Moves OPEN -> CLOSING. True for the one caller that did it (S1). */
export function logClose(s: usize): bool {
  return atomic.cmpxchg<i32>(s, OPEN, CLOSING, LOG_LIFECYCLE) == OPEN;
}

export function logLifecycle(s: usize): i32 {
  return atomic.load<i32>(s, LOG_LIFECYCLE);
}

/** One file write of `records` records, `bytes` bytes. */
export function logCountWrite(s: usize, records: i32, bytes: i32): void {
  const at = s + LOG_COUNTERS;
  atomic.add<i64>(at + 8 * COUNT_RECORDS, <i64>records);
  atomic.add<i64>(at + 8 * COUNT_BYTES, <i64>bytes);
  atomic.add<i64>(at + 8 * COUNT_BATCHES, 1);
}

/** Rare-path counters (waits, syncs). */
export function logCountAdd(s: usize, counter: i32, delta: i32): void {
  atomic.add<i64>(s + LOG_COUNTERS + 8 * <usize>counter, <i64>delta);
}

/** Raises a high-water counter to `value` if it is higher. */
export function logCountMax(s: usize, counter: i32, value: i32): void {
  atomicMax(s + LOG_COUNTERS + 8 * <usize>counter, <i64>value);
}

/** Wakes a sleeping background writer: a load, and a notify only when it sleeps (S2). */
export function logWake(s: usize): void {
  if (atomic.load<i32>(s, LOG_WAKE) == LOG_SLEEPING && atomic.cmpxchg<i32>(s, LOG_SLEEPING, LOG_RUNNING, LOG_WAKE) == LOG_SLEEPING) {
    atomic.notify(s + LOG_WAKE, 1);
  }
}

/** Background writer: announces it is about to sleep; it must then look for work once more (S2). */
export function logSleeping(s: usize): void {
  atomic.store<i32>(s, LOG_SLEEPING, LOG_WAKE);
}

/** Background writer: awake again, whether notified or timed out. */
export function logRunning(s: usize): void {
  atomic.store<i32>(s, LOG_RUNNING, LOG_WAKE);
}
