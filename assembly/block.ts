// A block: a thread's buffer in shared memory for the buffered strategies ("buffered" 8 KiB blocks, the
// article's BlockSize, and "buffered-offthread"). It lives in shared memory, not in the thread, so that
// flush() and close() in another thread can take it: the article's versions race there (BufferedWrites
// writes other threads' buffers while they append; BufferedWritesOffThread drops queued ones).
//
// Block b (128-aligned), `stride` bytes apart:
//
//   B +   0  lock     i32  a mutex word (assembly/mutex.ts) guarding everything below
//   B +   4  state    i32  BLOCK_FREE | BLOCK_OWNED (a thread appends to it) | BLOCK_QUEUED (full, queued)
//   B +   8  fill     i32  bytes of data[] in use
//   B +  12  records  i32  records in data[]
//   B +  16  taken    i32  how many times the block was taken from the free list (wraps): with state OWNED,
//                          it names the thread that owns the block (each remembers the count it got)
//   B + 128  data[blockSize]
//
// The protocol (each step under the block's lock):
//   B1  an append checks the log's lifecycle first and appends only while it is OPEN. A closer sets
//       CLOSING, then takes every block's lock once and writes (or queues) what it holds: an append
//       either finished before (and is taken) or comes after (and sees CLOSING). Nothing is lost or doubled.
//   B2  the bytes of a block go to the file (or the queue) and fill returns to 0 in one critical section, so
//       no one else's take of the same block sees them again.
//   B3  state changes only under the lock (or, for blockTake, by the one thread that popped the block
//       from the free list), so a closer's sweep and the owner never both queue a block.
//   B4  a block may be taken away from its owner (written or queued by another thread, then freed: a
//       thread that died never gives its block back) and taken again by another thread. So a thread acts
//       on "its" block only after checking, under the lock, that it is OWNED with the `taken` count the
//       thread got from blockTake; otherwise it takes a new one. No block is ever freed twice.

import { OPEN } from "./lifecycle";
import { LOG_LIFECYCLE } from "./log_state";

export const BLOCK_LOCK: i32 = 0;
export const BLOCK_STATE: i32 = 4;
export const BLOCK_FILL: i32 = 8;
export const BLOCK_RECORDS: i32 = 12;
export const BLOCK_TAKEN: i32 = 16;
export const BLOCK_DATA: i32 = 128;

export const BLOCK_FREE: i32 = 0;
export const BLOCK_OWNED: i32 = 1;
export const BLOCK_QUEUED: i32 = 2;

export const BLOCK_IS_CLOSED: i32 = -1;
export const BLOCK_NO_ROOM: i32 = 0;

/**
 * Holding b's lock: makes room for a record of `length` bytes. Returns the address to copy it to,
 * BLOCK_NO_ROOM (write or queue the block first), or BLOCK_IS_CLOSED (the log at s is closing, B1).
 */
export function blockAppend(b: usize, s: usize, length: i32, blockSize: i32): i32 {
  if (atomic.load<i32>(s, LOG_LIFECYCLE) != OPEN) return BLOCK_IS_CLOSED;
  const fill = load<i32>(b, BLOCK_FILL);
  if (fill + length > blockSize) return BLOCK_NO_ROOM;
  store<i32>(b, fill + length, BLOCK_FILL);
  store<i32>(b, load<i32>(b, BLOCK_RECORDS) + 1, BLOCK_RECORDS);
  return <i32>(b + BLOCK_DATA + <usize>fill);
}

/** Holding b's lock, or as the background writer of a queued block: the bytes in use. */
export function blockFill(b: usize): i32 {
  return load<i32>(b, BLOCK_FILL);
}

export function blockRecords(b: usize): i32 {
  return load<i32>(b, BLOCK_RECORDS);
}

/** Holding b's lock (or owning a queued block): empties it (B2) and sets its state. */
export function blockReset(b: usize, state: i32): void {
  store<i32>(b, 0, BLOCK_FILL);
  store<i32>(b, 0, BLOCK_RECORDS);
  atomic.store<i32>(b, state, BLOCK_STATE);
}

export function blockState(b: usize): i32 {
  return atomic.load<i32>(b, BLOCK_STATE);
}

/** Holding b's lock: sets its state (B3). */
export function blockSetState(b: usize, state: i32): void {
  atomic.store<i32>(b, state, BLOCK_STATE);
}

/** By the thread that just popped b from the free list: b is now OWNED by it. Returns its owner count (B4). */
export function blockTake(b: usize): i32 {
  const taken = atomic.add<i32>(b, 1, BLOCK_TAKEN) + 1;
  atomic.store<i32>(b, BLOCK_OWNED, BLOCK_STATE);
  return taken;
}

/** Holding b's lock: true while b is OWNED by the thread whose blockTake returned `taken` (B4). */
export function blockOwnedBy(b: usize, taken: i32): bool {
  return atomic.load<i32>(b, BLOCK_STATE) == BLOCK_OWNED && atomic.load<i32>(b, BLOCK_TAKEN) == taken;
}
