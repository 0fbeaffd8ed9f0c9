// A mutex in shared memory for the locked strategies ("locked-writer", "locked-stream") and for the blocks
// of the buffered ones (each block is guarded by its own). Drepper's three-state futex mutex ("Futexes Are
// Tricky", mutex 2): the lock word alone, no separate waiter count, so an uncontended lock + unlock is two
// atomic RMWs and no notify.
//
//   M + 0   word   i32   MUTEX_FREE | MUTEX_LOCKED | MUTEX_CONTENDED (locked, and someone may be waiting)
//
// The wait itself is done by the caller (src/strategies/mutex.ts, Atomics.wait on this word): blocking belongs
// to the thread, and Atomics.wait on the main thread is allowed in Node, Deno and Bun (measured here; only a
// browser's main thread refuses to block).
//
// Invariants:
//   M1  the lock is held by exactly one thread from a successful mutexTryLock / mutexLockContended until its
//       mutexUnlock; the word is FREE only when nobody holds it.
//   M2  a thread that waits has first made the word CONTENDED (mutexLockContended's exchange), so the holder's
//       unlock sees a value other than LOCKED and notifies: no waiter sleeps through an unlock.
//   M3  never an unbounded spin: a waiter retries at most a few times, then sleeps on the word.

export const MUTEX_FREE: i32 = 0;
export const MUTEX_LOCKED: i32 = 1;
export const MUTEX_CONTENDED: i32 = 2;

/** Takes the lock if it is free. The fast path: one CAS. */
export function mutexTryLock(m: usize): bool {
  return atomic.cmpxchg<i32>(m, MUTEX_FREE, MUTEX_LOCKED) == MUTEX_FREE;
}

/**
 * Marks the lock contended and takes it if it was free meanwhile. When it returns false the caller waits on
 * the word while it reads MUTEX_CONTENDED, then calls this again (M2).
 */
export function mutexLockContended(m: usize): bool {
  return atomic.xchg<i32>(m, MUTEX_CONTENDED) == MUTEX_FREE;
}

/** Releases the lock; wakes one waiter only when the word says there may be one. */
export function mutexUnlock(m: usize): void {
  if (atomic.sub<i32>(m, 1) != MUTEX_LOCKED) {
    atomic.store<i32>(m, MUTEX_FREE);
    atomic.notify(m, 1);
  }
}
