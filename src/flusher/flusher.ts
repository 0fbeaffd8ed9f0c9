// The flusher: the one thread that owns the file. It consumes the ring's committed records in position
// order (assembly/ring.ts gather/release), writes their payloads, and sleeps on the WAKE word when there is
// nothing to do. Producers wake it only when it sleeps, so a busy ring costs no syscall per record.
// Between two batches its file may move to another (rotation, reopen: rotation/active_file.ts).
import type { RingView } from "../core/ring_view.ts";
import { writeFully } from "../io/driver.ts";
import type { LogFormat } from "../options.ts";
import type { ActiveFile, BatchContext } from "../rotation/active_file.ts";
import type { RotationPolicy } from "../rotation/rotation_policy.ts";

export interface FlusherPlan {
  ring: number;
  staging: number;
  stagingSize: number;
  /** 0: never; -1: after every write; n > 0: at most every n ms. */
  syncIntervalMs: number;
  /** A claim left uncommitted this long at head is a dead producer's: revoke it (Aeron waits 10-15 s). */
  unblockTimeoutMs: number;
  /** After a wake-up or a small write, let the batch build up this long (0: never). */
  lingerMs: number;
}

/** What the flusher thread receives from the opener (ring/ring_open.ts). */
export interface FlusherStart {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  path: string;
  append: boolean;
  driver: string | undefined;
  plan: FlusherPlan;
  /** Bytes the flusher writes first, once the file is open: the frames header of a new frames file. */
  preamble: Uint8Array | undefined;
  format: LogFormat;
  rotate: RotationPolicy | undefined;
}

// While a claim is in flight at head, wake up this often to see whether its producer died.
const STALL_POLL_MS = 100;
// With nothing to do, sleep at most this long (a commit or close wakes the flusher at once anyway).
const IDLE_MS = 1000;
// A write at least this large is efficient already (measured here in every runtime: 1k writes of 20 KB take
// 10-16 ms, 100k writes of 200 B 90-108 ms): no need
// to linger after it. In a small ring, a quarter of the staging area is large enough (one gather never
// passes the end of the ring, so with a 64 KiB ring a 64 KiB batch would never come).
const BATCH_BYTES = 64 * 1024;

/** Runs until the ring is closed and drained. Throws the file's error; the caller records it. */
export function runFlusher(view: RingView, file: ActiveFile, plan: FlusherPlan): void {
  const { staging, stagingSize, syncIntervalMs } = plan;
  const { core, layout, ring, u8, i32, i64, headAt, tailAt, syncedAt, syncRequestedAt, wakeAt } = view;
  const lingerBelow = Math.min(BATCH_BYTES, stagingSize / 4);
  // Batching: without it the flusher wakes for nearly every record of a burst (6 records per write were
  // measured), and each wake costs the committing producer a futex syscall and the 2 cores a context
  // switch. Lingering a moment lets a burst land in one write; flush(), close() and a full ring hurry it.
  const linger = () => {
    if (plan.lingerMs > 0 && core.linger(ring)) Atomics.wait(i32, wakeAt, layout.LINGERING, plan.lingerMs);
    Atomics.store(i32, wakeAt, layout.RUNNING);
  };
  let lastSync = performance.now();
  // Stall episode: head stuck at stallHead behind an uncommitted claim since stallSince. Claims made before
  // the episode began (below stallTail) are at least as old, so after one is revoked the next is judged
  // by the same clock: N dead producers cost one timeout, not N (which would outlast the exit drain).
  let stallHead = -1n;
  let stallTail = -1n;
  let stallSince = 0;

  const syncTo = (head: bigint) => {
    file.sync();
    lastSync = performance.now();
    core.markSynced(ring, head);
  };
  // After every write too, not only when idle: under sustained load the ring is never idle, and durable
  // flushes and the interval must not starve.
  const syncIfDue = (head: bigint, now: number): boolean => {
    const synced = Atomics.load(i64, syncedAt);
    if (head <= synced) return false;
    // A durable flush is answered once its records are written (head >= the request): not before, which
    // would cost a second fdatasync for the same flush.
    const requested = Atomics.load(i64, syncRequestedAt);
    const due = syncIntervalMs === -1 || (requested > synced && head >= requested) || (syncIntervalMs > 0 && now - lastSync >= syncIntervalMs);
    if (due) syncTo(head);
    return due;
  };
  // Rotation and reopen, between two batches: the file's hooks (rotation/active_file.ts).
  const batch: BatchContext = {
    stagingSize,
    nextPayload: () => core.nextPayload(ring),
    // Before a switch, what is written must be as durable in the old file as the policy, or a durable
    // flush waiting on it, wants: a sync of the next file would not cover it.
    settle: () => {
      const head = Atomics.load(i64, headAt);
      const synced = Atomics.load(i64, syncedAt);
      if (head > synced && (syncIntervalMs !== 0 || Atomics.load(i64, syncRequestedAt) > synced)) syncTo(head);
    },
  };

  for (;;) {
    const limit = file.beforeGather(batch);
    const bytes = core.gather(ring, staging, limit);
    if (core.gathered(ring) > 0) {
      if (bytes > 0) {
        file.beforeWrite(batch, bytes); // the period judged again at write time: the gather may have come after it ended
        writeFully(file, u8.subarray(staging, staging + bytes));
      }
      core.release(ring);
      syncIfDue(Atomics.load(i64, headAt), performance.now());
      // Not after a batch the file's room cut short (a rotation by size is due): the rest is waiting, and a
      // linger there cost up to lingerMs in one rotation of eight (the room left is below lingerBelow).
      if (bytes < lingerBelow && limit >= lingerBelow) linger();
      continue;
    }
    // Nothing committed at head.
    const head = Atomics.load(i64, headAt);
    const now = performance.now();
    if (syncIfDue(head, now)) continue;
    const unsynced = head > Atomics.load(i64, syncedAt);
    const tailWord = Atomics.load(i64, tailAt);
    const tail = tailWord & ~layout.CLOSED;
    if (tailWord !== tail && tail === head) break; // closed and drained
    if (tail > head) {
      // A claim at head is in flight. Its commit wakes us; if it never comes, the producer died. A thread
      // reported dead (log.watch(worker)) is known to be: no need to wait out the timeout.
      if (core.headOwnerDead(ring) && core.unblock(ring)) continue;
      if (head !== stallHead) {
        if (head >= stallTail) {
          stallSince = now;
          stallTail = tail;
        }
        stallHead = head;
      } else if (now - stallSince >= plan.unblockTimeoutMs) {
        core.unblock(ring);
        continue;
      }
    }
    if (core.prepareSleep(ring)) {
      let timeout = tail > head ? STALL_POLL_MS : IDLE_MS;
      if (syncIntervalMs > 0 && unsynced) timeout = Math.min(timeout, Math.max(1, syncIntervalMs - (now - lastSync)));
      if (Atomics.wait(i32, wakeAt, layout.SLEEPING, timeout) === "timed-out") {
        Atomics.store(i32, wakeAt, layout.RUNNING);
        file.idle(batch); // another process may have rotated the file meanwhile
      } else linger(); // woken by a commit: the rest of its burst is on the way
    }
  }
  // Closed: a last sync when the policy syncs at all, or when a durable flush asked for one; and when the
  // flusher left files with unsynced records (sync "never", a rotation): a durable flush that comes after
  // this point syncs only the file closed last (io/sync_last_file.ts), so the others are synced now, while
  // they are still open (LF1 of rotation/left_files.ts).
  const head = Atomics.load(i64, headAt);
  const synced = Atomics.load(i64, syncedAt);
  if (head > synced && (syncIntervalMs !== 0 || Atomics.load(i64, syncRequestedAt) > synced || file.leftUnsynced > 0)) syncTo(head);
}
