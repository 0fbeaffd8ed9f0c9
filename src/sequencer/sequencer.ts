// The Sequencer: writes that arrive at arbitrary offsets, out of order, come out as one sequential stream,
// with bounded memory. Hadoop's NFS gateway OpenFileCtx after HDFS-4971 (apache/hadoop,
// hadoop-hdfs-project/hadoop-hdfs-nfs/.../nfs3/OpenFileCtx.java), for one thread:
//
//   write(offset, bytes) -> trimmed to its new parts -> pending (in memory, or spilled to the dump file)
//                                                        |  one drain task, lowest offset first
//                                                        v
//                                     target: file (pwrite, may write ahead of holes) or sequential sink
//
// Positions: `accepted` (every byte below it has arrived), `written` (every byte below it is in the target),
// `synced` (and fdatasync'd). commit() answers against written / synced, never against accepted: HDFS-7387.
// JavaScript gives us the absence of data races for free, not the absence of interleavings: every `await`
// is a point where another write, commit or close runs. The rules that keep that sound:
//   - The index is never awaited on half-updated: a range being written is marked `writing` (a whole state),
//     and its move from pending to written happens in one synchronous step after the IO resolves.
//   - One drain task and one spill task at a time, each owning a generation token rather than a boolean,
//     so a stale task can neither clear a newer task's flag nor touch state after a failure: HDFS-5657.
//   - The drain decides "nothing left to do" and clears its token in the same tick, so a write arriving
//     while it finishes always finds either a running task or none, and starts one: HDFS-5281.
//   - Every pending byte is charged to `#memory` once, when it is accepted (after trimming), and released
//     exactly once: when written, spilled, or discarded by close or failure.
import { describe } from "../describe.ts";
import { BufferPool } from "./sequencer_buffers.ts";
import { PendingRanges, type PendingRange } from "./pending_ranges.ts";
import { resolveSequencerOptions, type SequencerOptions, type SequencerSettings } from "./sequencer_options.ts";
import { openSink, type SequencerTarget, type Sink } from "./sequencer_sink.ts";
import { CommitWaiters } from "./sequencer_waiters.ts";
import { SpillFile } from "./spill_file.ts";
import { WrittenRanges } from "./written_ranges.ts";

/**
 * What {@link Sequencer.checkCommit} answers (OpenFileCtx's COMMIT_* codes).
 *
 * @example
 * ```ts
 * import { Sequencer, type CommitStatus } from "@ringlog/ringlog";
 * const seq = new Sequencer("s.bin");
 * const status: CommitStatus = seq.checkCommit(0); // "finished": nothing below 0 to wait for
 * await seq.close();
 * ```
 */
export type CommitStatus = "finished" | "wait" | "inactive" | "inactive-with-pending" | "error";

/**
 * A snapshot of a Sequencer's positions and counters.
 *
 * @example
 * ```ts
 * import { Sequencer, type SequencerStats } from "@ringlog/ringlog";
 * const seq = new Sequencer("s.bin");
 * const stats: SequencerStats = seq.stats();
 * console.log(stats.written <= stats.accepted); // true
 * await seq.close();
 * ```
 */
export interface SequencerStats {
  /** Every byte below this offset has been accepted (it may not be written yet). */
  accepted: number;
  /** Every byte below this offset is in the target. */
  written: number;
  /** Every byte below this offset is in the target and fdatasync'd (files only). */
  synced: number;
  /** Bytes in the target in all: more than `written` when a file wrote ahead of a hole. */
  writtenBytes: number;
  /** Accepted bytes not yet written, held in memory (what maxPending limits). */
  pendingBytes: number;
  /** Highest pendingBytes seen. */
  maxPendingBytes: number;
  /** Accepted ranges not yet written, in memory or spilled. */
  pendingRanges: number;
  /** Accepted bytes not yet written, held in the dump file. */
  spilledBytes: number;
  /** Bytes ever spilled to the dump file. */
  spilledTotal: number;
  /** The dump file's path while it exists. */
  dumpFile: string | undefined;
  /** commit() calls waiting. */
  waiters: number;
  /** write() calls waiting for memory. */
  blockedWrites: number;
  /** Accepted bytes never written: left beyond a hole at close, or dropped when the target failed. */
  discardedBytes: number;
  /** Times the target file was closed for being idle (it reopens on the next write). */
  idleCloses: number;
}

// Large enough that a yield costs nothing (a timer turn is ~1 ms in Node), small enough that producers'
// messages are handled while a backlog drains or spills with synchronous file IO.
const YIELD_BYTES = 4 << 20;
// Spilled ranges are read back in pieces of at most this, so reading back never needs a range's whole size.
const READ_PIECE = 1 << 20;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A write() waiting to be accepted, or accepted and waiting for memory to fall below maxPending. */
interface WriteRequest {
  offset: number;
  bytes: Uint8Array;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Assembles writes that arrive out of order, at arbitrary offsets, into one sequential output: a file, or a
 * sink that cannot seek (a WritableStream, process.stdout). Runs in the thread that owns the target.
 *
 * @example
 * ```ts
 * import { Sequencer } from "@ringlog/ringlog";
 * const seq = new Sequencer("assembled.bin");
 * const encoder = new TextEncoder();
 * await seq.write(6, encoder.encode("world\n"));   // accepted, waits for the hole below it
 * await seq.write(0, encoder.encode("hello "));
 * await seq.commit(12, { durable: true });         // every byte below 12 is in the file and synced
 * await seq.close();
 * ```
 */
export class Sequencer {
  readonly #settings: SequencerSettings;
  readonly #sink: Sink;
  // A file writing ahead of holes never needs to hold bytes for order; everything else writes in order.
  readonly #inOrder: boolean;
  readonly #spill: SpillFile;
  readonly #pending = new PendingRanges();
  readonly #written = new WrittenRanges();
  readonly #waiters = new CommitWaiters();
  readonly #buffers: BufferPool;
  #accepted = 0;
  #synced = 0;
  #memory = 0;
  #maxMemory = 0;
  // In-memory bytes of ranges above a hole: what the watermark compares against.
  #aheadMemory = 0;
  #spilled = 0;
  #spilledTotal = 0;
  #discarded = 0;
  #idleCloses = 0;
  // Not accepted yet: writes that do not fit in maxPending, first come first served (in-order ones excepted).
  #blocked: WriteRequest[] = [];
  // Accepted, resolved once memory is back under maxPending (HDFS-7180: throttle writers, never grow).
  #throttled: WriteRequest[] = [];
  #generation = 0;
  #drainToken = 0;
  #spillToken = 0;
  #whenIdle: Array<() => void> = [];
  #spillError: Error | undefined;
  #error: Error | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;
  // Set once close() has answered every commit: later commits are refused at once.
  #waitersClosed = false;
  #lastActive = performance.now();
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `target`: a file path or `file:` URL (created or emptied now), a `WritableStream<Uint8Array>`, or any
   * object whose `write(bytes)` returns void or a promise (`process.stdout` included).
   */
  constructor(target: SequencerTarget, options?: SequencerOptions) {
    this.#settings = resolveSequencerOptions(options);
    this.#sink = openSink(target, this.#settings.driver);
    this.#inOrder = !(this.#sink.seekable && this.#settings.writeAhead);
    this.#spill = new SpillFile(this.#settings.driver, this.#settings.dumpDir);
    // Holds at most the watermark (1 MiB at least) beyond maxPending.
    this.#buffers = new BufferPool(Math.max(this.#settings.watermark, 1 << 20));
    this.#armIdle();
  }

  /**
   * Accepts `bytes` for [offset, offset + bytes.length). Resolves when they are accepted, not written; waits
   * while the bytes held in memory are at maxPending. The bytes are copied: keep them unchanged until the
   * promise resolves, reuse them after. A repeat of bytes already held or written is acknowledged; the new
   * part of an overlapping write is kept; bytes that differ from those already held reject, naming the offset.
   *
   * @example
   * ```ts
   * import { Sequencer } from "@ringlog/ringlog";
   * const seq = new Sequencer("parts.bin");
   * await Promise.all([seq.write(4, new Uint8Array([5, 6, 7, 8])), seq.write(0, new Uint8Array([1, 2, 3, 4]))]);
   * await seq.close();
   * ```
   */
  write(offset: number, bytes: Uint8Array): Promise<void> {
    try {
      checkOffset("write", offset);
      if (!(bytes instanceof Uint8Array)) throw new TypeError(`ringlog: Sequencer.write() takes bytes as a Uint8Array, got ${describe(bytes)}`);
      if (!Number.isSafeInteger(offset + bytes.length)) {
        throw new RangeError(`ringlog: Sequencer.write() at offset ${offset} with ${bytes.length} bytes ends beyond Number.MAX_SAFE_INTEGER`);
      }
      if (this.#closed) throw new Error(`ringlog: Sequencer.write() at offset ${offset} after close()`);
      if (this.#error) throw this.#error;
    } catch (error) {
      return Promise.reject(error);
    }
    this.#touch();
    return new Promise<void>((resolve, reject) => {
      const request: WriteRequest = { offset, bytes, resolve, reject };
      if (!this.#admit(request, this.#blocked.length > 0)) this.#blocked.push(request);
    });
  }

  /**
   * Resolves when every byte below `offset` is written to the target, and fdatasync'd when `durable` (files;
   * a sequential sink has nothing to sync). Rejects with the target's error, or when close() leaves `offset`
   * unreached.
   *
   * @example
   * ```ts
   * import { Sequencer } from "@ringlog/ringlog";
   * const seq = new Sequencer("committed.bin");
   * const committed = seq.commit(3, { durable: true });
   * await seq.write(0, new Uint8Array([1, 2, 3]));
   * await committed;
   * await seq.close();
   * ```
   */
  commit(offset: number, options?: { durable?: boolean }): Promise<void> {
    let durable: boolean;
    try {
      checkOffset("commit", offset);
      durable = options?.durable ?? false;
      if (typeof durable !== "boolean") throw new TypeError(`ringlog: Sequencer.commit()'s durable must be true or false, got ${describe(durable)}`);
    } catch (error) {
      return Promise.reject(error);
    }
    const written = this.#written.prefix();
    if (offset <= written && (!durable || !this.#sink.seekable || offset <= this.#synced)) return Promise.resolve();
    if (this.#error) return Promise.reject(this.#error);
    if (this.#waitersClosed) return Promise.reject(this.#closedBefore(offset));
    this.#touch();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.add({ offset, durable: durable && this.#sink.seekable, resolve, reject });
      // A durable commit of bytes already written needs the drain task to sync.
      this.#startDrain();
    });
  }

  /**
   * Where `offset` stands, at once: "finished" (every byte below it is written), "wait" (not yet),
   * "inactive" (closed without reaching it), "inactive-with-pending" (closing, pending writes still draining)
   * or "error" (the target failed).
   *
   * @example
   * ```ts
   * import { Sequencer } from "@ringlog/ringlog";
   * const seq = new Sequencer("status.bin");
   * seq.checkCommit(1); // "wait"
   * await seq.close();
   * seq.checkCommit(1); // "inactive"
   * ```
   */
  checkCommit(offset: number): CommitStatus {
    checkOffset("checkCommit", offset);
    if (offset <= this.#written.prefix()) return "finished";
    if (this.#error) return "error";
    if (this.#closed) return this.#pending.size > 0 ? "inactive-with-pending" : "inactive";
    return "wait";
  }

  /**
   * Writes everything that can be written, then closes the target and deletes the dump file. Writes still
   * waiting to be accepted are rejected; commits left unreached are rejected. Rejects (after cleaning up) when
   * the target failed, or when bytes beyond a hole had to be discarded, naming the hole.
   *
   * @example
   * ```ts
   * import { Sequencer } from "@ringlog/ringlog";
   * const seq = new Sequencer("closed.bin");
   * await seq.write(0, new Uint8Array([1]));
   * await seq.close();
   * ```
   */
  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  /**
   * Positions and counters.
   *
   * @example
   * ```ts
   * import { Sequencer } from "@ringlog/ringlog";
   * const seq = new Sequencer("stats.bin");
   * await seq.write(10, new Uint8Array(5));
   * const { written, writtenBytes } = seq.stats(); // 0 and 5: in the file ahead of the hole 0..10
   * await seq.close();
   * ```
   */
  stats(): SequencerStats {
    return {
      accepted: this.#accepted,
      written: this.#written.prefix(),
      synced: this.#synced,
      writtenBytes: this.#written.total(),
      pendingBytes: this.#memory,
      maxPendingBytes: this.#maxMemory,
      pendingRanges: this.#pending.size,
      spilledBytes: this.#spilled,
      spilledTotal: this.#spilledTotal,
      dumpFile: this.#spill.path,
      waiters: this.#waiters.size,
      blockedWrites: this.#blocked.length,
      discardedBytes: this.#discarded,
      idleCloses: this.#idleCloses,
    };
  }

  // ---- accepting writes ----

  /**
   * Accepts `request` if it may be, and returns true once it is settled (accepted, throttled, acknowledged or
   * rejected); false leaves it for the caller to queue. `queued` makes an out-of-order write wait behind the
   * writes already waiting (first come, first served).
   */
  #admit(request: WriteRequest, queued: boolean): boolean {
    let parts: Array<[number, number]>;
    try {
      parts = this.#newParts(request.offset, request.bytes);
    } catch (error) {
      request.reject(error as Error);
      return true;
    }
    if (parts.length === 0) {
      // Every byte is already held or written, and matches: a repeat, acknowledged (HDFS-9092's counterpart).
      request.resolve();
      return true;
    }
    let charge = 0;
    for (const [start, end] of parts) charge += end - start;
    // In order: it reaches down to `accepted`, so the drain can write it without waiting for anything else.
    const ahead = this.#inOrder && parts[0][0] > this.#accepted;
    // One write larger than maxPending is still taken when nothing else is held, or it could never be.
    const fits = this.#memory + charge <= this.#settings.maxPending || this.#memory === 0;
    // In-order writes never queue behind out-of-order ones: they are what lets memory drain.
    if (!fits || (queued && ahead)) {
      if (this.#spillError) {
        // Spilling is broken. An out-of-order write is refused rather than left waiting for a spill that
        // cannot come, or held anyway (HDFS-5249, 7180). An in-order one is taken: with the dump file gone it
        // is the only way the bytes held above the hole can ever drain; its writer is throttled below.
        if (ahead) {
          request.reject(this.#spillError);
          return true;
        }
      } else {
        this.#scheduleSpill();
        return false;
      }
    }
    for (const [start, end] of parts) {
      const bytes = this.#buffers.take(end - start);
      bytes.set(request.bytes.subarray(start - request.offset, end - request.offset));
      this.#pending.insert({ start, end, bytes, dumpAt: -1, writing: false, ahead });
    }
    this.#charge(charge, ahead);
    this.#advanceAccepted();
    this.#startDrain();
    this.#scheduleSpill();
    if (this.#underLimit()) request.resolve();
    else this.#throttled.push(request);
    return true;
  }

  /**
   * The parts of [offset, offset + bytes.length) not yet held or written, after checking that the parts
   * already held or written carry the same bytes. Trimmed, never dropped: HDFS-5259, HDFS-9092.
   */
  #newParts(offset: number, bytes: Uint8Array): Array<[number, number]> {
    const end = offset + bytes.length;
    const covered: Array<[number, number, PendingRange | undefined]> = this.#written.within(offset, end).map(([s, e]) => [s, e, undefined]);
    for (let i = this.#pending.firstEndingAfter(offset); ; i++) {
      const range = this.#pending.at(i);
      if (range === undefined || range.start >= end) break;
      covered.push([Math.max(offset, range.start), Math.min(end, range.end), range]);
    }
    covered.sort((a, b) => a[0] - b[0]);
    const parts: Array<[number, number]> = [];
    let cursor = offset;
    for (const [start, stop, range] of covered) {
      if (start > cursor) parts.push([cursor, start]);
      this.#checkSame(bytes.subarray(start - offset, stop - offset), start, range);
      cursor = stop;
    }
    if (cursor < end) parts.push([cursor, end]);
    return parts;
  }

  /** Throws if `incoming` (at `at`) differs from the bytes held for it in `range`, or written when undefined. */
  #checkSame(incoming: Uint8Array, at: number, range: PendingRange | undefined): void {
    if (range?.bytes) return compareBytes(incoming, range.bytes.subarray(at - range.start), at);
    for (let done = 0; done < incoming.length; done += READ_PIECE) {
      const piece = incoming.subarray(done, done + READ_PIECE);
      const held = new Uint8Array(piece.length);
      if (range) this.#spill.read(held, range.dumpAt + (at + done - range.start));
      // A sequential sink has let its bytes go: what it already has cannot be compared, only acknowledged.
      else if (!this.#sink.readBack(held, at + done)) return;
      compareBytes(piece, held, at + done);
    }
  }

  #charge(bytes: number, ahead: boolean): void {
    this.#memory += bytes;
    if (ahead) this.#aheadMemory += bytes;
    if (this.#memory > this.#maxMemory) this.#maxMemory = this.#memory;
  }

  /** Moves `accepted` over every range and written interval now contiguous with it. */
  #advanceAccepted(): void {
    for (;;) {
      const written = this.#written.endOfIntervalAt(this.#accepted);
      if (written > this.#accepted) {
        this.#accepted = written;
        continue;
      }
      const range = this.#pending.at(this.#pending.firstEndingAfter(this.#accepted));
      if (range === undefined || range.start > this.#accepted) return;
      if (range.ahead) {
        // No longer above a hole: the drain will reach it, so it stops counting toward the watermark.
        range.ahead = false;
        if (range.bytes) this.#aheadMemory -= range.end - range.start;
      }
      this.#accepted = range.end;
    }
  }

  /** Under maxPending, or nothing in memory that the drain could free (only bytes above a hole). */
  #underLimit(): boolean {
    return this.#memory <= this.#settings.maxPending || this.#memory === this.#aheadMemory;
  }

  /** After memory was released: accept waiting writes (first come, first served), release throttled ones. */
  #memoryFreed(): void {
    if (this.#blocked.length > 0) {
      const still: WriteRequest[] = [];
      for (const request of this.#blocked) {
        // Behind a waiting write and certainly out of order: it keeps its place without being looked at.
        const behind = still.length > 0 && this.#inOrder && request.offset > this.#accepted;
        if (behind || !this.#admit(request, still.length > 0)) still.push(request);
      }
      this.#blocked = still;
    }
    if (this.#throttled.length > 0 && this.#underLimit()) {
      const released = this.#throttled;
      this.#throttled = [];
      for (const request of released) request.resolve();
    }
  }

  // ---- the drain task: pending -> target, one at a time ----

  #startDrain(): void {
    if (this.#drainToken !== 0 || this.#error) return;
    const token = ++this.#generation;
    this.#drainToken = token;
    void this.#drain(token);
  }

  async #drain(token: number): Promise<void> {
    let sinceYield = 0;
    try {
      for (;;) {
        // A task whose token was taken (failure) returns without touching anything: HDFS-5657.
        if (this.#drainToken !== token) return;
        const range = this.#nextWritable();
        if (range !== undefined) {
          const bytes = this.#takePiece(range);
          await this.#sink.write(bytes, range.start);
          if (this.#drainToken !== token) return;
          this.#wrote(range, bytes);
          sinceYield += bytes.length;
          if (sinceYield >= YIELD_BYTES) {
            sinceYield = 0;
            await nextTurn();
          }
          continue;
        }
        if (this.#waiters.syncDue(this.#written.prefix(), this.#synced) > 0) {
          // Synced is what was written before the sync began: a durable commit is never answered by a sync
          // that started before its bytes were written (HDFS-5337, 5252).
          const upTo = this.#written.prefix();
          await this.#sink.sync();
          if (this.#drainToken !== token) return;
          this.#synced = Math.max(this.#synced, upTo);
          this.#waiters.settle(this.#written.prefix(), this.#synced);
          continue;
        }
        // Nothing left: the check above and going idle happen in the same tick, so no write can arrive
        // between them and be stranded without a drain task (HDFS-5281).
        this.#drainToken = 0;
        this.#wentIdle();
        return;
      }
    } catch (error) {
      if (this.#drainToken === token) this.#fail(error);
    }
  }

  #nextWritable(): PendingRange | undefined {
    const first = this.#pending.first();
    if (first === undefined) return undefined;
    // In order: only the range at the written position. Writing ahead: the lowest, wherever it is.
    return !this.#inOrder || first.start === this.#written.prefix() ? first : undefined;
  }

  /** Marks `range` as being written and returns the bytes to write now (a piece of it when spilled). */
  #takePiece(range: PendingRange): Uint8Array {
    range.writing = true;
    if (range.bytes) return range.bytes;
    const length = Math.min(range.end - range.start, READ_PIECE);
    const piece = this.#sink.seekable ? this.#buffers.take(length) : new Uint8Array(length);
    this.#spill.read(piece, range.dumpAt);
    return piece;
  }

  /** The first `length` bytes of `range` are in the target: pending -> written, in one step. */
  #wrote(range: PendingRange, bytes: Uint8Array): void {
    const start = range.start;
    const length = bytes.length;
    range.writing = false;
    // A file has copied the bytes; a sequential sink may still hold them.
    if (this.#sink.seekable) this.#buffers.give(bytes);
    if (range.bytes) {
      this.#pending.remove(range);
      this.#memory -= length;
      if (range.ahead) this.#aheadMemory -= length;
    } else {
      this.#spill.release(length);
      this.#spilled -= length;
      if (start + length === range.end) this.#pending.remove(range);
      else {
        range.start += length;
        range.dumpAt += length;
      }
    }
    this.#written.add(start, start + length);
    this.#waiters.settle(this.#written.prefix(), this.#synced);
    this.#memoryFreed();
  }

  #wentIdle(): void {
    const idle = this.#whenIdle;
    this.#whenIdle = [];
    for (const resolve of idle) resolve();
    this.#armIdle();
  }

  /** Resolves when no drain task runs (now, or when the current one finishes or fails). */
  #drained(): Promise<void> {
    if (this.#drainToken === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenIdle.push(resolve));
  }

  // ---- the spill task: farthest out-of-order bytes -> dump file ----

  #scheduleSpill(): void {
    if (!this.#inOrder || this.#spillToken !== 0 || this.#spillError || this.#error || this.#closed) return;
    if (this.#aheadMemory <= this.#spillTarget()) return;
    const token = ++this.#generation;
    this.#spillToken = token;
    void this.#spillLoop(token);
  }

  /** The watermark, or 0 while writes are blocked: then every out-of-order byte must make room. */
  #spillTarget(): number {
    return this.#blocked.length > 0 ? 0 : this.#settings.watermark;
  }

  async #spillLoop(token: number): Promise<void> {
    // In the background: the write that crossed the watermark returns first.
    await nextTurn();
    let sinceYield = 0;
    while (this.#spillToken === token && this.#aheadMemory > this.#spillTarget()) {
      // The farthest from the written position: the last to be needed (OpenFileCtx's reverse order).
      const range = this.#pending.farthestInMemory(this.#accepted);
      if (range === undefined) break;
      const length = range.end - range.start;
      let at: number;
      try {
        at = this.#spill.append(range.bytes!);
      } catch (error) {
        this.#spillToken = 0;
        this.#spillFailed(error as Error);
        return;
      }
      // Synchronous from the append to here: the range is never seen half-spilled.
      this.#buffers.give(range.bytes!);
      range.bytes = null;
      range.dumpAt = at;
      this.#memory -= length;
      this.#aheadMemory -= length;
      this.#spilled += length;
      this.#spilledTotal += length;
      this.#memoryFreed();
      sinceYield += length;
      if (sinceYield >= YIELD_BYTES) {
        sinceYield = 0;
        await nextTurn();
      }
    }
    if (this.#spillToken === token) this.#spillToken = 0;
  }

  /**
   * The dump file failed: say so to everyone waiting, keep the bytes in memory, and from now on refuse the
   * writes that do not fit instead of growing. Never silent (HDFS-5249), never unbounded (HDFS-7180).
   */
  #spillFailed(cause: Error): void {
    this.#spillError = new Error(
      `${cause.message}. Spilling is off from now on: pending bytes stay in memory, and writes that do not fit in maxPending (${this.#settings.maxPending} bytes) are refused`,
      { cause },
    );
    const blocked = this.#blocked;
    this.#blocked = [];
    for (const request of blocked) request.reject(this.#spillError);
    this.#waiters.rejectAbove(this.#spillError);
  }

  // ---- failure, close, idle ----

  /** The target failed: nothing more will be written. Everyone waiting is told; every byte is released. */
  #fail(cause: unknown): void {
    if (this.#error) return;
    const message = (cause as Error)?.message ?? String(cause);
    this.#error = new Error(`ringlog: the Sequencer's target ${this.#sink.name} failed: ${message}`, { cause });
    this.#drainToken = 0;
    this.#spillToken = 0;
    this.#discardPending();
    const requests = [...this.#blocked, ...this.#throttled];
    this.#blocked = [];
    this.#throttled = [];
    for (const request of requests) request.reject(this.#error);
    this.#waiters.rejectAbove(this.#error, this.#written.prefix());
    this.#wentIdle();
  }

  /** Releases every pending range, whatever its state, exactly once; returns how many there were. */
  #discardPending(): number {
    const ranges = this.#pending.clear();
    for (const range of ranges) this.#discarded += range.end - range.start;
    this.#memory = 0;
    this.#aheadMemory = 0;
    this.#spilled = 0;
    this.#spill.remove();
    return ranges.length;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const blocked = this.#blocked;
    this.#blocked = [];
    for (const request of blocked) request.reject(new Error(`ringlog: the Sequencer was closed before the write at offset ${request.offset} could be accepted`));
    // Throttled writes were accepted: they are written below if they can be.
    const throttled = this.#throttled;
    this.#throttled = [];
    for (const request of throttled) request.resolve();
    this.#spillToken = 0;
    await this.#drained();
    let hole: Error | undefined;
    if (!this.#error) {
      const discardedBefore = this.#discarded;
      const ranges = this.#discardPending();
      if (ranges > 0) {
        hole = new Error(
          `ringlog: the Sequencer was closed with a hole at offset ${this.#written.prefix()}: ` +
            `${this.#discarded - discardedBefore} bytes in ${ranges} ranges beyond it were never written`,
        );
      }
    }
    this.#waitersClosed = true;
    this.#waiters.rejectAbove(this.#error ?? hole ?? this.#closedBefore(Infinity), this.#written.prefix());
    this.#spill.remove();
    try {
      await this.#sink.close(this.#error);
    } catch (cause) {
      this.#error ??= new Error(`ringlog: closing the Sequencer's target ${this.#sink.name} failed: ${(cause as Error)?.message ?? cause}`, { cause });
    }
    if (this.#error) throw this.#error;
    if (hole) throw hole;
  }

  #closedBefore(offset: number): Error {
    const at = Number.isFinite(offset) ? ` before offset ${offset} was written` : " before the committed offset was written";
    return new Error(`ringlog: the Sequencer was closed at written offset ${this.#written.prefix()}${at}`);
  }

  #touch(): void {
    this.#lastActive = performance.now();
    this.#armIdle();
  }

  #armIdle(delay = this.#settings.idleTimeoutMs): void {
    if (delay === undefined || !this.#sink.seekable || this.#idleTimer !== undefined || this.#closed) return;
    this.#idleTimer = setTimeout(() => this.#idleCheck(), delay);
    unrefTimer(this.#idleTimer);
  }

  #idleCheck(): void {
    this.#idleTimer = undefined;
    if (this.#closed || this.#error) return;
    const timeout = this.#settings.idleTimeoutMs!;
    // Monotonic: a wall-clock jump must neither close a busy file nor keep an idle one open (HDFS-6416).
    const idleFor = performance.now() - this.#lastActive;
    // Never with work in hand (HDFS-5364): pending writes, commits, or a task running.
    const busy = this.#pending.size > 0 || this.#waiters.size > 0 || this.#drainToken !== 0 || this.#throttled.length > 0;
    if (busy || idleFor < timeout) return this.#armIdle(busy ? timeout : Math.max(1, timeout - idleFor));
    if (this.#sink.suspend()) this.#idleCloses++;
  }
}

function checkOffset(method: string, offset: unknown): void {
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) {
    throw new RangeError(`ringlog: Sequencer.${method}() takes an offset that is a whole number from 0 to Number.MAX_SAFE_INTEGER, got ${describe(offset)}`);
  }
}

function compareBytes(incoming: Uint8Array, held: Uint8Array, at: number): void {
  for (let i = 0; i < incoming.length; i++) {
    if (incoming[i] !== held[i]) {
      throw new Error(
        `ringlog: Sequencer.write() got byte ${incoming[i]} at offset ${at + i}, where it already has ${held[i]}: ` +
          "overlapping writes must carry the same bytes",
      );
    }
  }
}

/** A timer that does not keep the process alive (Node and Bun return an object, Deno a number). */
function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === "number") (globalThis as { Deno?: { unrefTimer(id: number): void } }).Deno?.unrefTimer(timer);
  else (timer as { unref?: () => void }).unref?.();
}
