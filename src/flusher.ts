// The flusher: the one thread that owns the file. It consumes the ring's committed records in position
// order (assembly/ring.ts gather/release), writes their payloads, and sleeps on the WAKE word when there is
// nothing to do. Producers wake it only when it sleeps, so a busy ring costs no syscall per record.
import type { Core, RingLayout } from "./core.ts";
import { type FileHandle, writeFully } from "./driver.ts";

export interface FlusherPlan {
  ring: number;
  staging: number;
  stagingSize: number;
  /** 0: never; -1: after every write; n > 0: at most every n ms. */
  syncIntervalMs: number;
  /** A claim left uncommitted this long at head is a dead producer's: revoke it (Aeron waits 10-15 s). */
  stallTimeoutMs: number;
}

// While a claim is in flight at head, wake up this often to see whether its producer died.
const STALL_POLL_MS = 100;
// With nothing to do, sleep at most this long (a commit or close wakes the flusher at once anyway).
const IDLE_MS = 1000;

/** Runs until the ring is closed and drained. Throws the file's error; the caller records it. */
export function runFlusher(core: Core, layout: RingLayout, memory: WebAssembly.Memory, file: FileHandle, plan: FlusherPlan): void {
  const { ring, staging, stagingSize, syncIntervalMs } = plan;
  const u8 = new Uint8Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const i64 = new BigInt64Array(memory.buffer);
  const headAt = (ring + layout.HEAD) / 8;
  const tailAt = (ring + layout.TAIL) / 8;
  const syncedAt = (ring + layout.SYNCED) / 8;
  const syncRequestedAt = syncedAt - 1;
  const wakeAt = (ring + layout.WAKE) / 4;
  let lastSync = performance.now();
  let stallHead = -1n;
  let stallSince = 0;

  const syncTo = (head: bigint) => {
    file.sync();
    lastSync = performance.now();
    core.markSynced(ring, head);
  };

  for (;;) {
    const bytes = core.gather(ring, staging, stagingSize);
    if (core.gathered(ring) > 0) {
      if (bytes > 0) writeFully(file, u8.subarray(staging, staging + bytes));
      core.release(ring);
      if (syncIntervalMs === -1) syncTo(Atomics.load(i64, headAt));
      continue;
    }
    // Nothing committed at head. Sync if someone waits for it or the interval is due.
    const head = Atomics.load(i64, headAt);
    const unsynced = head > Atomics.load(i64, syncedAt);
    const now = performance.now();
    if (unsynced && (Atomics.load(i64, syncRequestedAt) > Atomics.load(i64, syncedAt) || (syncIntervalMs > 0 && now - lastSync >= syncIntervalMs))) {
      syncTo(head);
      continue;
    }
    const tailWord = Atomics.load(i64, tailAt);
    const tail = tailWord & ~layout.CLOSED;
    if (tailWord !== tail && tail === head) break; // closed and drained
    if (tail > head) {
      // A claim at head is in flight. Its commit wakes us; if it never comes, the producer died.
      if (head !== stallHead) {
        stallHead = head;
        stallSince = now;
      } else if (now - stallSince >= plan.stallTimeoutMs) {
        core.unblock(ring);
        stallHead = -1n;
        continue;
      }
    }
    if (core.prepareSleep(ring)) {
      let timeout = tail > head ? STALL_POLL_MS : IDLE_MS;
      if (syncIntervalMs > 0 && unsynced) timeout = Math.min(timeout, Math.max(1, syncIntervalMs - (now - lastSync)));
      Atomics.wait(i32, wakeAt, layout.SLEEPING, timeout);
      Atomics.store(i32, wakeAt, 0); // RUNNING, whether notified or timed out
    }
  }
  const head = Atomics.load(i64, headAt);
  if (syncIntervalMs !== 0 && head > Atomics.load(i64, syncedAt)) syncTo(head);
}
