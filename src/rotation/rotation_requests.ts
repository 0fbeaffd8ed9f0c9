// log.rotate() and log.reopen() from any thread, answered by the flusher between two batches, through words
// of the ring's control block (assembly/ring.ts, R + 896 and R + 3072):
//   a caller takes a ticket (askRotation / askReopen in the core: a fetch-add, after raising rotateAfter to
//   its own records' end, then a wake-up); the flusher, finding tickets above the answered one (and, for a
//   rotation, head at rotateAfter), rotates or reopens once for all of them, then stores the highest
//   ticket it served in the answered word and notifies; the caller waits on that word.
// A rotation's answer is the name it gave the file (stamp and counter, rotated_name.ts), kept in one of
// ROTATED_SLOTS slots of 4 × i64, as a seqlock: [0] the last ticket served, 0 while the slot is being
// written; [1] the first ticket served; [2] the stamp; [3] the counter. A caller reads [0], the rest, then
// [0] again: equal and its ticket in [first, last], the answer is whole and its own. A caller that wakes
// only after ROTATED_SLOTS later rotations finds its slot reused, and is told so.
import type { RingView } from "../core/ring_view.ts";
import type { RotatedName } from "./rotated_name.ts";

export class RotationRequests {
  readonly #i64: BigInt64Array;
  readonly rotateAnsweredAt: number;
  readonly reopenAnsweredAt: number;
  readonly #rotateAskedAt: number;
  readonly #rotateAfterAt: number;
  readonly #reopenAskedAt: number;
  readonly #slotsAt: number;
  readonly #slots: number;
  /** Flusher only: rotations answered so far, the next slot's number. */
  #answers = 0;

  constructor(view: RingView) {
    const { layout, ring } = view;
    this.#i64 = view.i64;
    this.rotateAnsweredAt = (ring + layout.ROTATE_ANSWERED) / 8;
    this.reopenAnsweredAt = (ring + layout.REOPEN_ANSWERED) / 8;
    this.#rotateAskedAt = (ring + layout.ROTATE_ASKED) / 8;
    this.#rotateAfterAt = (ring + layout.ROTATE_AFTER) / 8;
    this.#reopenAskedAt = (ring + layout.REOPEN_ASKED) / 8;
    this.#slotsAt = (ring + layout.ROTATED) / 8;
    this.#slots = layout.ROTATED_SLOTS;
  }

  /** A caller's answer: the name its rotation gave the file; undefined when the slot was reused since. */
  answerFor(ticket: bigint): RotatedName | undefined {
    const i64 = this.#i64;
    for (let slot = 0; slot < this.#slots; slot++) {
      const at = this.#slotsAt + 4 * slot;
      const last = Atomics.load(i64, at);
      if (last < ticket) continue;
      const first = Atomics.load(i64, at + 1);
      const stamp = Atomics.load(i64, at + 2);
      const counter = Atomics.load(i64, at + 3);
      if (Atomics.load(i64, at) !== last || ticket < first) continue;
      return { stamp: Number(stamp), counter: Number(counter) };
    }
    return undefined;
  }

  /** Flusher: the last rotate() ticket to answer now (head has reached their records), or 0n for none. */
  rotationDue(head: bigint): bigint {
    const asked = Atomics.load(this.#i64, this.#rotateAskedAt);
    if (asked <= Atomics.load(this.#i64, this.rotateAnsweredAt)) return 0n;
    return head >= Atomics.load(this.#i64, this.#rotateAfterAt) ? asked : 0n;
  }

  /** Flusher: the last reopen() ticket to answer, or 0n for none. */
  reopenDue(): bigint {
    const asked = Atomics.load(this.#i64, this.#reopenAskedAt);
    return asked > Atomics.load(this.#i64, this.reopenAnsweredAt) ? asked : 0n;
  }

  /** Flusher: the rotation that served every ticket up to `last` renamed the file to `name`. */
  answerRotation(last: bigint, name: RotatedName): void {
    const i64 = this.#i64;
    const first = Atomics.load(i64, this.rotateAnsweredAt) + 1n;
    const at = this.#slotsAt + 4 * (this.#answers++ % this.#slots);
    Atomics.store(i64, at, 0n);
    Atomics.store(i64, at + 1, first);
    Atomics.store(i64, at + 2, BigInt(name.stamp));
    Atomics.store(i64, at + 3, BigInt(name.counter));
    Atomics.store(i64, at, last);
    Atomics.store(i64, this.rotateAnsweredAt, last);
    Atomics.notify(i64, this.rotateAnsweredAt);
  }

  /** Flusher: every reopen() ticket up to `last` is served. */
  answerReopen(last: bigint): void {
    Atomics.store(this.#i64, this.reopenAnsweredAt, last);
    Atomics.notify(this.#i64, this.reopenAnsweredAt);
  }
}
