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
//   B + 128  data[blockSize]
//
// The protocol (each step under the block's lock):
//   B1  an append checks the log's lifecycle first and appends only while it is LOG_OPEN. A closer sets
//       LOG_CLOSING, then takes every block's lock once and writes (or queues) what it holds: an append
//       either finished before (and is taken) or comes after (and sees CLOSING). Nothing is lost or doubled.
//   B2  the bytes of a block go to the file (or the queue) and fill returns to 0 in one critical section, so
//       no one else's take of the same block sees them again.
//   B3  state changes only under the lock, so a closer's sweep and the owner never both queue a block.

import { LOG_LIFECYCLE, LOG_OPEN } from "./log_state";

export const BLOCK_LOCK: i32 = 0;
export const BLOCK_STATE: i32 = 4;
export const BLOCK_FILL: i32 = 8;
export const BLOCK_RECORDS: i32 = 12;
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
  if (atomic.load<i32>(s, LOG_LIFECYCLE) != LOG_OPEN) return BLOCK_IS_CLOSED;
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
