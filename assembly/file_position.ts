// File positions for the positional strategies ("atomic-position", "buffered"): every write reserves its
// range of the file with ONE atomic fetch-add, writes it with a positional write from its own thread, then
// reports it complete. Completed ranges may arrive in any order; the core keeps the contiguous written
// prefix, so flush() can wait for "everything below my end is in the file". This is the Hadoop NFS
// gateway's OpenFileCtx idea (HDFS-4971): pending ranges plus nextOffset, here lock-free.
//
// One block at address P (128-aligned); the two hot words on their own 128-byte lines:
//
//   P +   0  reserved   i64  packed: what has been handed out                        writers: fetch-add
//   P + 128  written    i64  packed: the contiguous prefix known to be in the file   completers: CAS
//   P + 256  waiters    i32  threads waiting on `written` (flush, full slot ring)    waiters: add
//   P + 260  slotCount  i32  completion slots, a power of two <= 2^19                immutable
//   P + 384  slots      i64 × slotCount: slots[s & (slotCount - 1)] = packed end of reservation number s
//
// Packed word: bits 0..42 position (8 TiB), bit 43 POSITION_CLOSED, bits 44..63 reservation number mod 2^20.
// A reservation adds (length | 1 << 44): in one fetch-add it gets both its position and its number, and
// the packed value after it (its "end") carries number + 1. The carry out of bit 63 is simply dropped.
//
// Invariants (test/strategies.test.ts's stress runs would catch each one broken):
//   P1  ranges never overlap and leave no gap: each is [old, old + length) of one fetch-add.
//   P2  `written` only moves from the packed start of reservation s to its packed end, by a CAS, after s
//       stored its end in its slot; so every byte below written's position is in the file.
//   P3  a slot is stored only when its reservation number s < number(written) + slotCount: the slot of
//       s - slotCount (same index) has then been consumed. So a slot holds either its current reservation's
//       end or the end of the one a lap earlier, whose number differs: the check "number(end) ==
//       number(written) + 1" cannot be fooled. Numbering starts at 1 so an unused slot (0) never matches.
//       When the ring is full (slotCount ranges written out of order ahead of a slow one) the completer
//       waits for `written` to move (POSITION_FULL); the slow range belongs to another running thread that
//       needs no slot to finish its own write, so the oldest pending range always completes.
//   P4  close sets POSITION_CLOSED with a CAS and returns the final position F. A fetch-add made after it
//       sees the bit, writes nothing and never completes (Aeron's rule: fetch-add only where overshoot is
//       harmless; here the overshoot lies beyond F, where nothing is ever written). Every range below F was
//       reserved before close and completes, so written reaches F exactly.
//   P5  a completer that moved `written` notifies only when someone waits (waiters > 0): no notify per write.
//       A waiter adds itself to `waiters` BEFORE it reads the value of `written` it will wait on, and a
//       completer stores `written` before it reads `waiters` (a Dekker pair, sequentially consistent
//       atomics): either the completer sees the waiter and notifies, or the waiter reads the moved value.
//   P6  a reservation that overshoots POSITION_LIMIT (POSITION_TOO_LARGE) has still taken its range with the
//       fetch-add: it becomes this thread's latest reservation like any other, and the caller completes it
//       without writing, so `written` never stops below it. Every later reservation lies beyond the limit
//       too and is refused the same way, so the file itself never has a hole.
//   P7  a reservation whose writer died before completing it stops `written` at its start for good: the
//       TypeScript side bounds every wait on `written` by unblockTimeoutMs and then names that position.
//
// Per-thread state (wasm globals live in the instance, i.e. the thread): the latest reservation, which the
// thread completes before it reserves again.

export const POSITION_RESERVED: i32 = 0;
export const POSITION_WRITTEN: i32 = 128;
export const POSITION_WAITERS: i32 = 256;
export const POSITION_SLOT_COUNT: i32 = 260;
export const POSITION_SLOTS: i32 = 384;

export const POSITION_MASK: i64 = (1 << 43) - 1;
export const POSITION_CLOSED: i64 = 1 << 43;
const NUMBER_SHIFT: i64 = 44;
const NUMBER_MASK: i64 = (1 << 20) - 1;
// Real positions stay below 2^42, so up to 4 TiB of overshoot after close cannot carry into bit 43.
const POSITION_LIMIT: i64 = 1 << 42;

export const POSITION_IS_CLOSED: i32 = -1;
export const POSITION_TOO_LARGE: i32 = -2;
export const POSITION_DONE: i32 = 0;
export const POSITION_FULL: i32 = 1;

let lastStart: i64 = 0; // packed start of this thread's latest reservation
let lastEnd: i64 = 0; // packed end of it

@inline function number(packed: i64): i64 {
  return (packed >>> NUMBER_SHIFT) & NUMBER_MASK;
}

/** Opener only, before any writer exists: the first position (the file's size when appending). */
export function positionInit(p: usize, start: f64, slotCount: i32): void {
  const first = (<i64>1 << NUMBER_SHIFT) | <i64>start;
  store<i32>(p, slotCount, POSITION_SLOT_COUNT);
  atomic.store<i64>(p, first, POSITION_WRITTEN);
  atomic.store<i64>(p, first, POSITION_RESERVED);
}

/**
 * Reserves `length` (> 0) bytes. Returns the file position to write them at, POSITION_IS_CLOSED (write
 * nothing: the log is closed, P4) or POSITION_TOO_LARGE (write nothing, but call positionComplete: the
 * range was taken, P6). A position is returned as f64: exact below 2^53.
 */
export function positionReserve(p: usize, length: i32): f64 {
  const start = atomic.add<i64>(p, <i64>length | (<i64>1 << NUMBER_SHIFT), POSITION_RESERVED);
  if (start & POSITION_CLOSED) return <f64>POSITION_IS_CLOSED;
  const position = start & POSITION_MASK;
  lastStart = start;
  lastEnd = start + (<i64>length | (<i64>1 << NUMBER_SHIFT));
  if (position + <i64>length > POSITION_LIMIT) return <f64>POSITION_TOO_LARGE; // taken: complete it (P6)
  return <f64>position;
}

/**
 * The latest reservation's bytes are in the file. Stores its end in its slot and moves `written` over
 * every contiguous completed range. Returns POSITION_DONE, or POSITION_FULL when the slot ring has no room
 * yet (P3): the caller waits for `written` to change, then calls again.
 */
export function positionComplete(p: usize): i32 {
  const slotCount = <i64>load<i32>(p, POSITION_SLOT_COUNT);
  const s = number(lastStart);
  if (((s - number(atomic.load<i64>(p, POSITION_WRITTEN))) & NUMBER_MASK) >= slotCount) return POSITION_FULL;
  const slots = p + POSITION_SLOTS;
  atomic.store<i64>(slots + 8 * <usize>(s & (slotCount - 1)), lastEnd);
  let moved = false;
  let written = atomic.load<i64>(p, POSITION_WRITTEN);
  for (;;) {
    const end = atomic.load<i64>(slots + 8 * <usize>(number(written) & (slotCount - 1)));
    if (number(end) != ((number(written) + 1) & NUMBER_MASK)) break; // not completed yet (or a lap ago)
    const seen = atomic.cmpxchg<i64>(p, written, end, POSITION_WRITTEN);
    if (seen == written) {
      moved = true;
      written = end;
    } else {
      written = seen; // another completer moved it: carry on from there
    }
  }
  if (moved && atomic.load<i32>(p, POSITION_WAITERS) > 0) atomic.notify(p + POSITION_WRITTEN, -1);
  return POSITION_DONE;
}

/** The end position of this thread's latest reservation: what its flush() waits for. */
export function positionLastEnd(): f64 {
  return <f64>(lastEnd & POSITION_MASK);
}

/** The contiguous written prefix: every byte below it is in the file. */
export function positionWritten(p: usize): f64 {
  return <f64>(atomic.load<i64>(p, POSITION_WRITTEN) & POSITION_MASK);
}

/** Everything reserved so far (the end of the file once all of it is written). */
export function positionReserved(p: usize): f64 {
  return <f64>(atomic.load<i64>(p, POSITION_RESERVED) & POSITION_MASK);
}

/** A thread starts (+1) or stops (-1) waiting on `written` (P5). */
export function positionWaiting(p: usize, delta: i32): void {
  atomic.add<i32>(p, delta, POSITION_WAITERS);
}

/** Closes reservations (P4). Returns the final position: written reaches it once every writer completed. */
export function positionClose(p: usize): f64 {
  let word = atomic.load<i64>(p, POSITION_RESERVED);
  while (!(word & POSITION_CLOSED)) {
    const seen = atomic.cmpxchg<i64>(p, word, word | POSITION_CLOSED, POSITION_RESERVED);
    if (seen == word) break;
    word = seen;
  }
  return <f64>(word & POSITION_MASK);
}
