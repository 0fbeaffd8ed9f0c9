// The many-to-one ring: any number of producer threads append records, one flusher thread consumes them.
// After Agrona's ManyToOneRingBuffer (real-logic/agrona), with Aeron's dead-producer recovery.
//
// One ring lives at address R of the shared WebAssembly.Memory (R is 128-aligned; the opener picks it).
// Every control word sits on its own 128-byte line so producers and the flusher do not false-share.
//
//   R +    0  tail          i64  bytes ever claimed; bit 62 = CLOSED (claims fail)       producers: CAS
//   R +  128  headCache     i64  a recent head, so producers rarely touch the flusher's line  producers
//   R +  256  head          i64  bytes ever consumed (written to the file, then zeroed)  flusher: store
//   R +  384  wake          i32  RUNNING | SLEEPING | LINGERING | HURRY: the flusher's   both: CAS, notify
//                                sleep word (see wake, hurry, linger)
//   R +  512  lifecycle     i32  OPENING | OPEN | DONE | FAILED (lifecycle.ts)           flusher: raise (CAS)
//   R +  516  capacity      i32  bytes in data[], a power of two                         immutable
//   R +  520  maxRecord     i32  largest payload accepted, <= capacity / 8               immutable
//   R +  524  nextTag       i32  producer tags handed out by attach                      producers: add
//   R +  640  syncRequested i64  highest position a flush({ durable }) waits for         producers: CAS max
//   R +  648  synced        i64  position up to which the file is fdatasync'd           flusher: store
//   R +  656  hurryUntil    i64  highest position someone waits to see written: no      producers: CAS max
//                                lingering while head is below it
//   R +  768  counters      i64 × 10, see counters.ts                                   see each
//   R +  896  rotateAsked   i64  rotate() calls so far: a caller's ticket is the value its   requesters: add
//                                add made (src/rotation/rotation_requests.ts)
//   R +  904  rotateAnswered i64 the highest rotate() ticket answered                        flusher: store, notify
//   R +  912  rotateAfter   i64  highest position a rotate() caller needs in the old file    requesters: CAS max
//   R +  920  reopenAsked   i64  reopen() calls so far (tickets, as rotateAsked)             requesters: add
//   R +  928  reopenAnswered i64 the highest reopen() ticket answered                        flusher: store, notify
//   R +  936  lastFile     i64 × 2  device and inode of the file the flusher closed last (0, 0:     flusher: store
//                                unknown): a durable flush after close() syncs that file (ring_log.ts)
//   R + 1024  error         i32 length + UTF-8 text of the flusher's failure             flusher, once
//   R + 2048  deaths        i32 count + i32 owner[63]: threads reported dead (watch)     any: add, store
//   R + 3072  rotated       32 × 32 bytes: the names the latest requested rotations gave  flusher: seqlock
//                                (rotation_requests.ts); read by the rotate() callers
//   R + 4096  crcTable      16 KiB, CRC-32C slicing tables (assembly/crc32c.ts)          init, then immutable
//   R +20480  owners        i64[1024] (tag | owner << 32) at slot tag % 1024             attach: store
//   R +28672  data[capacity]   the records
//   R +28672 + capacity        staging[stagingSize + 8]: payloads gathered for one file write   flusher only
//                              (8 bytes of slack: gather copies whole 8-byte words)
//
// A record, 8-aligned in data[]:  [ i32 length | i32 tag ][ payload ... ][ zero pad to 8 ]
//   length = 8 + payload bytes: 0 = free, negative = claimed and being written, positive = committed.
//   tag = the producer's attach tag, or PADDING for the filler a producer leaves before wrapping.
//   With format "frames" the payload is itself a frame, exactly as it goes to the file (commitFrame):
//     [ u32 n | u32 crc32c(u32 n, bytes) ][ n bytes ]      little-endian
//   The CRC covers the length too, so a run of zero bytes (a hole a crash left) never passes for frames.
//
// Owners: a producer's owner is its thread (threadId + 1; 0 when the runtime gives none). A thread that
// created a worker learns of its death (the worker's exit event) and records the owner in deaths; the
// flusher, stalled on a claim at head whose tag maps to a dead owner, revokes it at once instead of after
// the unblock timeout. The owners table is only a hint: a slot overwritten by a later tag no longer
// matches and the claim simply waits out the timeout.
//
// Invariants (each one is what a stress test in test/ring.test.ts would catch if broken):
//   I1  head <= tail <= head + capacity (tail taken without the CLOSED bit): claims never overrun the flusher.
//   I2  every byte of data[] outside [head, tail) is zero, because the flusher zeroes what it consumed
//       BEFORE it publishes the new head. A producer therefore always claims zeroed memory, and the flusher
//       reading a header of 0 means "not written yet", never a stale record from the previous lap.
//   I3  the range [old tail, new tail) belongs to the one producer whose CAS moved tail; only it writes
//       there until it commits. Commit is the single store that makes a record visible (length > 0), made
//       after the payload, so the flusher never reads a torn record.
//   I4  the flusher consumes records strictly in position order and stops at the first uncommitted one,
//       so each record reaches the file exactly once and each producer's records keep their order.
//   I5  a producer writes its header with a CAS from 0, and commits with a CAS from (-length, tag) to
//       (+length, tag). Either fails only when the flusher revoked the claim after it stayed uncommitted for
//       the unblock timeout (dead producer, see unblock): that producer learns its record was lost instead of
//       corrupting memory that now belongs to someone else. Residual risk, as in Agrona: a producer frozen
//       for the whole stall timeout between moving tail and its header CAS (a few straight-line wasm
//       instructions) can be padded over; hence unblockTimeoutMs >= 1 s.
//
// No mutable static data: every instantiate in every thread rewrites the data segments into the shared
// memory. The two mutable globals below are per instance, i.e. per thread, which is what they are for.

import { atomicMax } from "./atomic_max";
import { crc32c, crc32cInit, crc32cU32 } from "./crc32c";
import { OPENING } from "./lifecycle";
import { COUNT_BATCHES, COUNT_BYTES, COUNT_LOST, COUNT_OCCUPANCY, COUNT_RECORDS, COUNT_SYNCS, COUNT_UNBLOCKED } from "./counters";

export const CLOSED: i64 = 1 << 62;
export const HEADER: i32 = 8;
export const PADDING: i32 = -1;

export const TAIL: i32 = 0;
export const HEAD_CACHE: i32 = 128;
export const HEAD: i32 = 256;
export const WAKE: i32 = 384;
export const LIFECYCLE: i32 = 512;
export const CAPACITY: i32 = 516;
export const MAX_RECORD: i32 = 520;
export const NEXT_TAG: i32 = 524;
export const SYNC_REQUESTED: i32 = 640;
export const SYNCED: i32 = 648;
export const HURRY_UNTIL: i32 = 656;
export const COUNTERS: i32 = 768;
export const ROTATE_ASKED: i32 = 896;
export const ROTATE_ANSWERED: i32 = 904;
export const ROTATE_AFTER: i32 = 912;
export const REOPEN_ASKED: i32 = 920;
export const REOPEN_ANSWERED: i32 = 928;
export const LAST_FILE: i32 = 936;
export const ROTATED: i32 = 3072;
export const ROTATED_SLOTS: i32 = 32;
export const ERROR: i32 = 1024;
export const ERROR_CAPACITY: i32 = 1020;
export const DEATHS: i32 = 2048;
export const CRC_TABLE: i32 = 4096;
export const OWNERS: i32 = 20480;
export const DATA: i32 = 28672;
export const FRAME_HEADER: i32 = 8;
const DEATH_SLOTS: i32 = 63;
const OWNER_SLOTS: i32 = 1024;

export const RUNNING: i32 = 0;
export const SLEEPING: i32 = 1; //  idle; the next commit wakes it
export const LINGERING: i32 = 2; // awake, letting a batch build up for a while; commits do not wake it
export const HURRY: i32 = 3; //     someone waits (flush, close, a full ring): no lingering now

export const CLAIM_FULL: i32 = -1;
export const CLAIM_CLOSED: i32 = -2;
export const CLAIM_REVOKED: i32 = -3;

// Per thread (wasm globals live in the instance, not in the shared memory).
let claimEnd: i64 = 0; // end position of this thread's latest claim: what its flush() waits for
let gatherEnd: i64 = 0; // flusher: position up to which the last gather() consumed
let gatherRecords: i64 = 0; // flusher: records and payload bytes in the last gather(), counted at release()
let gatherBytes: i64 = 0;

@inline function align8(n: i32): i32 {
  return (n + 7) & ~7;
}

// Copies a payload in 8-byte words: for small records, memory.copy's call costs more than the copy
// (gather took 30 ns per 120-byte record with it, 9 ns like this). It reads up to 7 bytes past the payload,
// still inside the record (zero padding up to 8-alignment), and writes as far past `dst`: staging has 8
// bytes of slack, and the next payload overwrites the rest.
@inline function copyWords(dst: usize, src: usize, n: i32): void {
  if (n > 1024) {
    memory.copy(dst, src, <usize>n);
    return;
  }
  for (let i: i32 = 0; i < n; i += 8) store<u64>(dst + <usize>i, load<u64>(src + <usize>i));
}

@inline function header(length: i32, tag: i32): i64 {
  return (<i64>(<u32>length)) | ((<i64>tag) << 32);
}

/** Opener only, before any producer or flusher exists: the memory is fresh (zeroed) from new Memory(). */
export function init(r: usize, capacity: i32, maxRecord: i32): void {
  store<i32>(r, capacity, CAPACITY);
  store<i32>(r, maxRecord, MAX_RECORD);
  crc32cInit(r + CRC_TABLE);
  atomic.store<i32>(r, OPENING, LIFECYCLE);
}

/**
 * A tag that identifies this producer in its record headers (never 0 or PADDING), noted with its owner
 * thread (threadId + 1, or 0 for unknown) so that the thread's reported death can be matched to its claims.
 */
export function attach(r: usize, owner: i32): i32 {
  const tag = atomic.add<i32>(r, 1, NEXT_TAG) + 1;
  atomic.store<i64>(r + OWNERS + (<usize>(tag & (OWNER_SLOTS - 1)) << 3), header(tag, owner));
  return tag;
}

/** The thread `owner` has ended (a worker's exit event): its claims can never be committed. */
export function ownerDied(r: usize, owner: i32): void {
  if (owner == 0) return;
  const n = atomic.add<i32>(r, 1, DEATHS);
  atomic.store<i32>(r + DEATHS + 4 + (<usize>(n % DEATH_SLOTS) << 2), owner);
  wake(r);
}

/** Flusher, stalled: is the record at head claimed (header written) by a thread reported dead? */
export function headOwnerDead(r: usize): bool {
  const capacity = <i64>load<i32>(r, CAPACITY);
  const word = atomic.load<i64>(r + DATA + <usize>(atomic.load<i64>(r, HEAD) & (capacity - 1)));
  if (<i32>word >= 0) return false; // free (a gap, judged by the timeout) or committed
  const tag = <i32>(word >> 32);
  const slot = atomic.load<i64>(r + OWNERS + (<usize>(tag & (OWNER_SLOTS - 1)) << 3));
  if (<i32>slot != tag) return false; // the slot belongs to a later tag now: unknown owner
  const owner = <i32>(slot >> 32);
  if (owner == 0) return false;
  const deaths = min(atomic.load<i32>(r, DEATHS), DEATH_SLOTS);
  for (let i: i32 = 0; i < deaths; i++) {
    if (atomic.load<i32>(r + DEATHS + 4 + (<usize>i << 2)) == owner) return true;
  }
  return false;
}

/**
 * Claims room for a record of `payload` bytes and marks it as being written.
 * Returns the payload's address, or CLAIM_FULL / CLAIM_CLOSED. The caller has checked payload <= maxRecord.
 */
export function claim(r: usize, payload: i32, tag: i32): i32 {
  const capacity = <i64>load<i32>(r, CAPACITY);
  const mask = capacity - 1;
  const length = payload + HEADER;
  const required = <i64>align8(length);
  let head = atomic.load<i64>(r, HEAD_CACHE);
  let tail: i64;
  let index: i64;
  let padding: i64;
  do {
    tail = atomic.load<i64>(r, TAIL);
    if (tail & CLOSED) return CLAIM_CLOSED;
    if (required > capacity - (tail - head)) {
      head = atomic.load<i64>(r, HEAD);
      if (required > capacity - (tail - head)) return CLAIM_FULL;
      atomic.store<i64>(r, head, HEAD_CACHE);
    }
    padding = 0;
    index = tail & mask;
    const toEnd = capacity - index;
    if (required > toEnd) {
      // Wrap: the record goes at index 0, so [0, required) must already be consumed (head's index past it).
      let headIndex = head & mask;
      if (required > headIndex) {
        head = atomic.load<i64>(r, HEAD);
        headIndex = head & mask;
        if (required > headIndex) return CLAIM_FULL;
        atomic.store<i64>(r, head, HEAD_CACHE);
      }
      padding = toEnd;
    }
  } while (atomic.cmpxchg<i64>(r, tail, tail + padding + required, TAIL) != tail);

  const data = r + DATA;
  if (padding != 0) {
    atomic.store<i64>(data + <usize>index, header(<i32>padding, PADDING));
    index = 0;
  }
  claimEnd = tail + padding + required;
  const at = data + <usize>index;
  if (atomic.cmpxchg<i64>(at, 0, header(-length, tag)) != 0) {
    counterAdd(r, COUNT_LOST, 1); // padded over (I5)
    return CLAIM_REVOKED;
  }
  return <i32>(at + HEADER);
}

/** Publishes a claimed record (I3, I5) and wakes the flusher if, and only if, it sleeps. */
export function commit(r: usize, payloadAt: usize, tag: i32): bool {
  const at = payloadAt - HEADER;
  const length = load<i32>(at); // our own store from claim(): -(8 + payload)
  const claimed = header(length, tag);
  const committed = atomic.cmpxchg<i64>(at, claimed, header(-length, tag)) == claimed;
  if (!committed) counterAdd(r, COUNT_LOST, 1); // revoked (I5): the record is lost, the ring intact
  wake(r);
  return committed;
}

/**
 * format "frames": the claim holds [u32 n][u32 crc][n payload bytes] with the payload copied in; fills in
 * the frame header (the CRC computed here, by the producer, so the one flusher thread does no CRC work),
 * then commits as commit() does.
 */
export function commitFrame(r: usize, payloadAt: usize, tag: i32): bool {
  const n = -load<i32>(payloadAt - HEADER) - HEADER - FRAME_HEADER;
  store<u32>(payloadAt, n);
  const table = r + CRC_TABLE;
  store<u32>(payloadAt, crc32c(table, crc32cU32(table, 0, n), payloadAt + FRAME_HEADER, n), 4);
  return commit(r, payloadAt, tag);
}

/**
 * Gives up a claimed record whose payload could not be copied (the caller's buffer failed): it becomes
 * padding, so the flusher skips it at once instead of waiting the unblock timeout for a commit.
 */
export function abort(r: usize, payloadAt: usize, tag: i32): bool {
  const at = payloadAt - HEADER;
  const length = load<i32>(at);
  const claimed = header(length, tag);
  const aborted = atomic.cmpxchg<i64>(at, claimed, header(align8(-length), PADDING)) == claimed;
  wake(r);
  return aborted;
}

/** Wakes a sleeping flusher. A load, and a notify only when it sleeps: no syscall per record. */
export function wake(r: usize): void {
  if (atomic.load<i32>(r, WAKE) == SLEEPING && atomic.cmpxchg<i32>(r, SLEEPING, RUNNING, WAKE) == SLEEPING) {
    atomic.notify(r + WAKE, 1);
  }
}

/**
 * Someone waits for the file to reach `position` (flush, a durable flush, a full ring; 0: everything
 * claimed so far). Wakes the flusher whether it sleeps or lingers, and keeps it from lingering again until
 * head has reached the position: a single HURRY state would be lost to the next prepareSleep.
 */
export function hurry(r: usize, position: i64): void {
  atomicMax(r + HURRY_UNTIL, position != 0 ? position : atomic.load<i64>(r, TAIL) & ~CLOSED);
  let state = atomic.load<i32>(r, WAKE);
  while (state != HURRY) {
    const seen = atomic.cmpxchg<i32>(r, state, HURRY, WAKE);
    if (seen == state) {
      if (state != RUNNING) atomic.notify(r + WAKE, 1);
      return;
    }
    state = seen;
  }
}

/**
 * Flusher, after a small write or a wake-up: true when it may linger (wait on WAKE == LINGERING for a
 * moment) so that the rest of a burst lands in one file write. Not when someone asked it to hurry.
 * While it lingers, commits see it awake and make no syscall.
 */
export function linger(r: usize): bool {
  if (atomic.load<i64>(r, TAIL) & CLOSED) return false; // closing: drain at full speed
  if (atomic.load<i64>(r, HEAD) < atomic.load<i64>(r, HURRY_UNTIL)) return false; // someone is waiting
  return atomic.cmpxchg<i32>(r, RUNNING, LINGERING, WAKE) == RUNNING;
}

/** The end position of this thread's latest claim: flush() waits until head reaches it. */
export function lastClaimEnd(): i64 {
  return claimEnd;
}

/**
 * Flusher: copies the payloads of the committed records at head into staging, up to the end of data[]
 * (one contiguous block per call, as Agrona's read) or until staging is full. Returns the payload bytes
 * gathered; `gathered()` tells how far in the ring it got (padding alone gathers 0 bytes but moves on).
 */
export function gather(r: usize, staging: usize, stagingSize: i32): i32 {
  const capacity = <i64>load<i32>(r, CAPACITY);
  const head = atomic.load<i64>(r, HEAD);
  const index = head & (capacity - 1);
  const limit = <i32>(capacity - index);
  const from = r + DATA + <usize>index;
  let offset: i32 = 0;
  let out: i32 = 0;
  let records: i64 = 0;
  while (offset < limit) {
    const at = from + <usize>offset;
    const length = atomic.load<i32>(at);
    if (length <= 0) break; // free or still being written: I4, stop here
    if (load<i32>(at, 4) != PADDING) {
      const payload = length - HEADER;
      if (out + payload > stagingSize) break;
      copyWords(staging + <usize>out, at + HEADER, payload);
      out += payload;
      records++;
    }
    offset += align8(length);
  }
  gatherEnd = head + offset;
  gatherRecords = records;
  gatherBytes = out;
  if (offset > 0) {
    const occupancy = (atomic.load<i64>(r, TAIL) & ~CLOSED) - head;
    if (occupancy > load<i64>(r, COUNTERS + 8 * COUNT_OCCUPANCY)) counterStore(r, COUNT_OCCUPANCY, occupancy);
  }
  return out;
}

/**
 * Flusher: the payload bytes of the first committed record at head, past any padding, or -1 when the
 * record there is not committed yet. Lets the flusher size its next batch to one record (a file rotated
 * by size gets a record larger than the room left in it alone, src/rotation/active_file.ts).
 */
export function nextPayload(r: usize): i32 {
  const capacity = <i64>load<i32>(r, CAPACITY);
  const index = atomic.load<i64>(r, HEAD) & (capacity - 1);
  const limit = <i32>(capacity - index);
  const from = r + DATA + <usize>index;
  let offset: i32 = 0;
  while (offset < limit) {
    const at = from + <usize>offset;
    const length = atomic.load<i32>(at);
    if (length <= 0) return -1;
    if (load<i32>(at, 4) != PADDING) return length - HEADER;
    offset += align8(length);
  }
  return -1; // padding up to the end of data[]: the next gather() moves past it
}

/** Flusher: ring bytes the last gather() consumed. */
export function gathered(r: usize): i32 {
  return <i32>(gatherEnd - atomic.load<i64>(r, HEAD));
}

/**
 * Flusher, once the gathered payloads are in the file: counts them, zeroes the consumed records, THEN
 * publishes the new head (I2), then wakes whoever waits on head (flush() callers, blocked producers).
 */
export function release(r: usize): void {
  const capacity = <i64>load<i32>(r, CAPACITY);
  const head = atomic.load<i64>(r, HEAD);
  counterStore(r, COUNT_RECORDS, load<i64>(r, COUNTERS + 8 * COUNT_RECORDS) + gatherRecords);
  counterStore(r, COUNT_BYTES, load<i64>(r, COUNTERS + 8 * COUNT_BYTES) + gatherBytes);
  if (gatherBytes > 0) counterStore(r, COUNT_BATCHES, load<i64>(r, COUNTERS + 8 * COUNT_BATCHES) + 1);
  memory.fill(r + DATA + <usize>(head & (capacity - 1)), 0, <usize>(gatherEnd - head));
  atomic.store<i64>(r, gatherEnd, HEAD);
  atomic.notify(r + HEAD, -1);
}

/**
 * Flusher, before it waits on WAKE: announces SLEEPING, then looks for work once more. Producers commit
 * (store) then read WAKE; the flusher stores WAKE then reads the header: with sequentially consistent
 * atomics one of the two sees the other, so a commit never goes unnoticed. Returns true when it may sleep.
 */
export function prepareSleep(r: usize): bool {
  atomic.store<i32>(r, SLEEPING, WAKE);
  const capacity = <i64>load<i32>(r, CAPACITY);
  const head = atomic.load<i64>(r, HEAD);
  const tail = atomic.load<i64>(r, TAIL);
  const synced = atomic.load<i64>(r, SYNCED);
  const work =
    atomic.load<i32>(r + DATA + <usize>(head & (capacity - 1))) > 0 ||
    // A requested sync is work once head has reached the request: a request beyond an uncommitted record
    // at head waits for that record's commit, which wakes us (else this would spin).
    (atomic.load<i64>(r, SYNC_REQUESTED) > synced && head >= atomic.load<i64>(r, SYNC_REQUESTED)) ||
    // rotate() waits for head to reach its records as a durable flush does; reopen() for nothing.
    (atomic.load<i64>(r, ROTATE_ASKED) > atomic.load<i64>(r, ROTATE_ANSWERED) && head >= atomic.load<i64>(r, ROTATE_AFTER)) ||
    atomic.load<i64>(r, REOPEN_ASKED) > atomic.load<i64>(r, REOPEN_ANSWERED) ||
    ((tail & CLOSED) != 0 && (tail & ~CLOSED) == head);
  if (work) atomic.store<i32>(r, RUNNING, WAKE);
  return !work;
}

/** Closes the ring to new claims; returns the final tail. Records claimed before still get committed. */
export function close(r: usize): i64 {
  return atomic.or<i64>(r, CLOSED, TAIL) & ~CLOSED;
}

/**
 * Flusher, when head has not moved for the unblock timeout while tail > head: the producer that claimed the
 * record at head died (a terminated worker). Revoke its claim by turning it into padding, as Agrona's
 * unblock(). Returns true when a claim was revoked.
 */
export function unblock(r: usize): bool {
  const capacity = <i64>load<i32>(r, CAPACITY);
  const head = atomic.load<i64>(r, HEAD);
  const tail = atomic.load<i64>(r, TAIL) & ~CLOSED;
  if (tail <= head) return false;
  const index = head & (capacity - 1);
  const at = r + DATA + <usize>index;
  const word = atomic.load<i64>(at);
  const length = <i32>word;
  let revoked = false;
  if (length < 0) {
    // Claimed, header written, never committed: its commit() CAS will now fail (I5).
    revoked = atomic.cmpxchg<i64>(at, word, header(align8(-length), PADDING)) == word;
  } else if (length == 0) {
    // Died between moving tail and writing its header. As Agrona: pad up to the next header written by a
    // later producer, never over an all-zero stretch, which may be live producers' claims. Once the ring
    // is closed no claim can follow, so the stretch up to the final tail is padded too.
    const limit = <i32>min(tail - head, capacity - index);
    let gap: i32 = HEADER;
    while (gap < limit && atomic.load<i64>(at + <usize>gap) == 0) gap += HEADER;
    if (gap < limit || (atomic.load<i64>(r, TAIL) & CLOSED) != 0) {
      // Confirm the stretch is still zero: a header written during the scan ends the gap there instead.
      let still: i32 = HEADER;
      while (still < gap && atomic.load<i64>(at + <usize>still) == 0) still += HEADER;
      revoked = atomic.cmpxchg<i64>(at, 0, header(still, PADDING)) == 0;
    }
  }
  if (revoked) counterAdd(r, COUNT_UNBLOCKED, 1);
  return revoked;
}

/** Producers: a flush({ durable: true }) needs the file synced up to `position`. */
export function requestSync(r: usize, position: i64): void {
  atomicMax(r + SYNC_REQUESTED, position);
  hurry(r, position);
}

/**
 * Any thread: log.rotate(). The flusher is to rotate once head has reached `after` (the caller's records
 * go to the old file). Returns the caller's ticket; the flusher answers it in ROTATE_ANSWERED and ROTATED.
 * The request is stored before the wake-up, and prepareSleep looks at it after announcing SLEEPING: the
 * argument of prepareSleep, so no request goes unseen.
 */
export function askRotation(r: usize, after: i64): i64 {
  atomicMax(r + ROTATE_AFTER, after);
  const ticket = atomic.add<i64>(r, 1, ROTATE_ASKED) + 1;
  hurry(r, after);
  return ticket;
}

/** Any thread: log.reopen(). Returns the caller's ticket, answered in REOPEN_ANSWERED. */
export function askReopen(r: usize): i64 {
  const ticket = atomic.add<i64>(r, 1, REOPEN_ASKED) + 1;
  hurry(r, 0);
  return ticket;
}

/** Flusher, after an fdatasync that covered everything below `position`. */
export function markSynced(r: usize, position: i64): void {
  counterAdd(r, COUNT_SYNCS, 1); // first: whoever sees SYNCED move also sees the sync counted
  atomic.store<i64>(r, position, SYNCED);
  atomic.notify(r + SYNCED, -1);
}

/** Rare-path counters any thread may bump (dropped records, full-ring waits). */
export function counterAdd(r: usize, counter: i32, delta: i64): void {
  atomic.add<i64>(r + COUNTERS + 8 * <usize>counter, delta);
}

// Flusher-owned counters: one writer, so a plain read and an atomic store (other threads read them whole).
@inline function counterStore(r: usize, counter: i32, value: i64): void {
  atomic.store<i64>(r + COUNTERS + 8 * <usize>counter, value);
}
