// A bounded queue of block numbers in shared memory, for the buffered strategies: the free list (blocks
// nobody writes into) and, for "buffered-offthread", the queue of full blocks for the background writer.
// Dmitry Vyukov's bounded MPMC queue: each cell carries a sequence number that says whose turn it is, so
// producers and consumers only CAS their own position word and never lock.
//
// One queue at address Q (128-aligned):
//
//   Q +   0  pushed    i32  push position (tickets handed to producers)              producers: CAS
//   Q + 128  popped    i32  pop position                                             consumers: CAS
//   Q + 256  finished  i64  tickets whose item the consumer has finished, as u32 (single consumer)  store
//   Q + 264  capacity  i32  cells, a power of two                                    immutable
//   Q + 384  cells     { sequence i32, value i32 } × capacity
//
// Positions are i32 and wrap; every comparison is a signed difference, exact while fewer than 2^31 items
// are in flight.
//
// Invariants:
//   Q1  cell i is the producer's when sequence == push position (i + k·capacity), the consumer's when
//       sequence == that position + 1; the owner's store of the next sequence hands it over, after the value.
//   Q2  FIFO: a consumer takes values in push-ticket order, so one producer's blocks keep their order.
//   Q3  the queue never holds more than the number of blocks, and capacity >= that number, so a push of a
//       block number never finds the queue full.
//   Q4  `finished` (used when there is one consumer) moves to t + 1 only after the item of ticket t and all
//       earlier ones are written: flush() waits on it with the ticket of its push.

export const QUEUE_PUSHED: i32 = 0;
export const QUEUE_POPPED: i32 = 128;
export const QUEUE_FINISHED: i32 = 256;
export const QUEUE_CAPACITY: i32 = 264;
export const QUEUE_CELLS: i32 = 384;

export const QUEUE_EMPTY: i32 = -1;
export const QUEUE_IS_FULL: i32 = -2;

/** Opener only: an empty queue of `capacity` cells (a power of two). */
export function queueInit(q: usize, capacity: i32): void {
  store<i32>(q, capacity, QUEUE_CAPACITY);
  for (let i = 0; i < capacity; i++) atomic.store<i32>(q + QUEUE_CELLS + 8 * <usize>i, i);
}

/** Appends `value` (>= 0). Returns its ticket (the push position), or QUEUE_IS_FULL (never, by Q3). */
export function queuePush(q: usize, value: i32): i32 {
  const mask = load<i32>(q, QUEUE_CAPACITY) - 1;
  let position = atomic.load<i32>(q, QUEUE_PUSHED);
  let cell: usize;
  for (;;) {
    cell = q + QUEUE_CELLS + 8 * <usize>(position & mask);
    const difference = atomic.load<i32>(cell) - position;
    if (difference == 0) {
      const seen = atomic.cmpxchg<i32>(q, position, position + 1, QUEUE_PUSHED);
      if (seen == position) break;
      position = seen;
    } else if (difference < 0) {
      return QUEUE_IS_FULL;
    } else {
      position = atomic.load<i32>(q, QUEUE_PUSHED);
    }
  }
  store<i32>(cell, value, 4);
  atomic.store<i32>(cell, position + 1); // Q1: hand the cell to the consumer, after the value
  return position;
}

/**
 * Takes the oldest value, or QUEUE_EMPTY (also while the oldest push is still in progress: try again).
 * The ticket of the value taken is queuePopped(q) - 1 for a single consumer.
 */
export function queuePop(q: usize): i32 {
  const capacity = load<i32>(q, QUEUE_CAPACITY);
  const mask = capacity - 1;
  let position = atomic.load<i32>(q, QUEUE_POPPED);
  let cell: usize;
  for (;;) {
    cell = q + QUEUE_CELLS + 8 * <usize>(position & mask);
    const difference = atomic.load<i32>(cell) - (position + 1);
    if (difference == 0) {
      const seen = atomic.cmpxchg<i32>(q, position, position + 1, QUEUE_POPPED);
      if (seen == position) break;
      position = seen;
    } else if (difference < 0) {
      return QUEUE_EMPTY;
    } else {
      position = atomic.load<i32>(q, QUEUE_POPPED);
    }
  }
  const value = load<i32>(cell, 4);
  atomic.store<i32>(cell, position + capacity); // Q1: hand the cell back to producers, a lap later
  return value;
}

/** The pop position: single consumer, the ticket of the value it popped last is this minus one. */
export function queuePopped(q: usize): i32 {
  return atomic.load<i32>(q, QUEUE_POPPED);
}

/** How many values are queued (a snapshot). */
export function queueLength(q: usize): i32 {
  return atomic.load<i32>(q, QUEUE_PUSHED) - atomic.load<i32>(q, QUEUE_POPPED);
}

/** The push position: every ticket below it has been handed out (its push may still be in progress). */
export function queuePushed(q: usize): i32 {
  return atomic.load<i32>(q, QUEUE_PUSHED);
}

/**
 * Single consumer: the item of `ticket` and all before it are done (Q4); wakes flush() waiters. Stored as
 * an i64 (the u32 of ticket + 1) so waiters can use the same async wait as every other word (src/runtime/wait.ts).
 */
export function queueFinish(q: usize, ticket: i32): void {
  atomic.store<i64>(q, <i64><u32>(ticket + 1), QUEUE_FINISHED);
  atomic.notify(q + QUEUE_FINISHED, -1);
}
