// The ring strategy's writer: what every thread uses to append. Claim room in the ring (a CAS in the core),
// copy the bytes in, commit. No file IO and no syscall on this path; the flusher thread does the IO.
import { RingView } from "../core/ring_view.ts";
import type { FileDriver } from "../io/driver.ts";
import { defaultDriver, loadDriver } from "../io/driver_select.ts";
import { syncLastFile } from "../io/sync_last_file.ts";
import type { Log, LogStats } from "../log.ts";
import { formatRecord, type LogEvent } from "../record/event_line.ts";
import { AsciiWriter } from "../record/ascii_writer.ts";
import { badWriteData, RecordEncoder, writeAfterClose } from "../record/record_encoder.ts";
import { rotatedPath } from "../rotation/rotated_name.ts";
import { RotationRequests } from "../rotation/rotation_requests.ts";
import { exitMeansStopped, threadOwner, workerOwner, type WatchedWorker } from "../runtime/thread_owner.ts";
import { waitForWord } from "../runtime/wait.ts";
import type { RingHandle, RingOwner } from "./ring_handle.ts";

// A writer blocked on a full ring looks at least this often whether the flusher failed.
const FAILURE_POLL_MS = 100;

const encoder = new TextEncoder();
const encodeInto = (text: string, into: Uint8Array) => encoder.encodeInto(text, into);

export class RingLog implements Log {
  readonly handle: RingHandle;
  readonly #view: RingView;
  readonly #core: RingView["core"];
  readonly #ring: number;
  readonly #tag: number;
  readonly #encoder: RecordEncoder;
  readonly #u8: Uint8Array;
  readonly #owner: RingOwner | undefined;
  /** format "frames": bytes before each payload in its claim (the frame header), else 0. */
  readonly #frame: number;
  #closing: Promise<void> | undefined;
  #asciiLikely = true;
  /** Copies ASCII strings into the ring where that beats encodeInto (Node, Bun). */
  readonly #ascii: AsciiWriter | undefined;

  constructor(handle: RingHandle, owner?: RingOwner) {
    this.handle = handle;
    const view = new RingView(handle.module, handle.memory, handle.ring);
    this.#view = view;
    this.#core = view.core;
    this.#ring = handle.ring;
    this.#encoder = new RecordEncoder(handle.settings.maxRecord);
    this.#u8 = view.u8;
    this.#owner = owner;
    this.#frame = handle.settings.format === "frames" ? view.layout.FRAME_HEADER : 0;
    this.#tag = view.core.attach(handle.ring, threadOwner());
    this.#ascii = AsciiWriter.over(handle.memory.buffer);
  }

  write(data: string | Uint8Array): boolean {
    if (this.#closing !== undefined) throw this.#closedError();
    if (typeof data === "string") return this.#appendString(data);
    if (data instanceof Uint8Array) return this.#append(this.#encoder.checkBytes(data));
    throw badWriteData(data);
  }

  record(event: LogEvent): boolean {
    if (this.#closing !== undefined) throw this.#closedError();
    return this.#appendString(formatRecord(event));
  }

  /**
   * A string goes straight into the ring when it is ASCII: claim one byte per UTF-16 unit and encode into
   * the claim. If the string did not fit (it was not ASCII), the claim becomes padding and the string takes
   * the UTF-8 scratch path. This saves a copy per record (most log lines are ASCII); a writer whose strings
   * turn out not to be ASCII stops guessing until one is again. With an AsciiWriter (Node, Bun) the string
   * is known to be ASCII before the claim.
   */
  #appendString(text: string): boolean {
    const length = text.length;
    // length * 3 bounds the UTF-8 size: a string that may be too large takes the path that says so.
    if (this.#asciiLikely && length * 3 <= this.#encoder.maxRecord) {
      const ascii = this.#ascii;
      if (ascii !== undefined) {
        if (ascii.isAscii(text)) {
          const at = this.#claim(length);
          if (at === 0) return false;
          ascii.write(text, at);
          return this.#commit(at);
        }
        this.#asciiLikely = false;
        return this.#appendEncoded(text);
      }
      const at = this.#claim(length);
      if (at === 0) return false;
      if (encodeInto(text, this.#u8.subarray(at, at + length)).read === length) return this.#commit(at);
      this.#abort(at);
      this.#asciiLikely = false;
    }
    return this.#appendEncoded(text);
  }

  /** The UTF-8 scratch path: encoded (and checked against maxRecord), then copied in. */
  #appendEncoded(text: string): boolean {
    const bytes = this.#encoder.encode(text);
    this.#asciiLikely = bytes.length === text.length;
    return this.#append(bytes);
  }

  /** Claim, copy, commit: the whole write path. No IO, no syscall unless the flusher sleeps. */
  #append(bytes: Uint8Array): boolean {
    const at = this.#claim(bytes.length);
    if (at === 0) return false;
    try {
      this.#u8.set(bytes, at);
    } catch (error) {
      // A buffer that fails to copy (detached under us) must not leave a claim that blocks every writer.
      this.#abort(at);
      throw error;
    }
    return this.#commit(at);
  }

  /**
   * Where the payload of `length` bytes goes (after the frame header, with format "frames"), or 0 when
   * onFull "drop" dropped it or the claim was revoked (lost).
   */
  #claim(length: number): number {
    const at = this.#tryClaim(length);
    return at > 0 ? at : this.#claimFull(length, at);
  }

  /** One claim attempt: the payload's address (past the frame header, if any), or the core's CLAIM_* code. */
  #tryClaim(length: number): number {
    const at = this.#core.claim(this.#ring, length + this.#frame, this.#tag);
    return at > 0 ? at + this.#frame : at;
  }

  /** Gives a claim back as padding (its payload could not be copied in), frame header and all. */
  #abort(at: number): void {
    this.#core.abort(this.#ring, at - this.#frame, this.#tag);
  }

  #claimFull(length: number, code: number): number {
    const { settings } = this.handle;
    const { layout, i64, headAt } = this.#view;
    if (code === layout.CLAIM_CLOSED) throw this.#closedError();
    if (code === layout.CLAIM_REVOKED) return 0; // lost, counted by the core
    this.#core.hurry(this.#ring, 0n); // whatever the policy: a full ring must not wait for a linger
    this.#core.counterAdd(this.#ring, layout.COUNT_FULL_WAITS, 1n);
    if (settings.onFull === "drop") {
      this.#core.counterAdd(this.#ring, layout.COUNT_DROPPED, 1n);
      return 0;
    }
    if (settings.onFull === "throw") {
      throw new Error(`ringlog: the ring is full (capacity ${settings.capacity} bytes) and onFull is "throw": the record of ${length} bytes was not written`);
    }
    // "block": wait for the flusher to move head, for at most blockTimeoutMs in all.
    const deadline = performance.now() + settings.blockTimeoutMs;
    for (;;) {
      const head = Atomics.load(i64, headAt);
      this.#core.hurry(this.#ring, 0n);
      const at = this.#tryClaim(length);
      if (at > 0) return at;
      if (at === layout.CLAIM_CLOSED) throw this.#closedError();
      if (at === layout.CLAIM_REVOKED) return 0;
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(`ringlog: the ring stayed full for blockTimeoutMs (${settings.blockTimeoutMs} ms): the flusher is not keeping up with the writers; the record of ${length} bytes was not written`);
      }
      // In slices: a flusher that fails between our claim and this wait leaves head where it is, and its
      // wake-up came too early for us; the next claim then finds the ring closed and throws its error.
      Atomics.wait(i64, headAt, head, Math.min(left, FAILURE_POLL_MS));
    }
  }

  /**
   * False when the claim was revoked: this thread stalled longer than unblockTimeoutMs mid-write and was
   * taken for dead. The record is lost (counted in stats().lost by the core); the ring is intact (I5).
   */
  #commit(at: number): boolean {
    if (this.#frame === 0) return this.#core.commit(this.#ring, at, this.#tag) !== 0;
    return this.#core.commitFrame(this.#ring, at - this.#frame, this.#tag) !== 0; // the core adds the CRC
  }

  watch(worker: WatchedWorker): void {
    const owner = workerOwner(worker);
    if (exitMeansStopped()) worker.once("exit", () => this.#core.ownerDied(this.#ring, owner));
  }

  async flush(options?: { durable?: boolean }): Promise<void> {
    const { target, word, durable } = this.#askFlusher(options);
    const { i64, state, layout } = this.#view;
    // Once the flusher is done (the log was closed and drained), nothing moves any more.
    const gone = () => state.failure() ?? (state.lifecycle() === layout.DONE || undefined);
    await waitForWord(i64, word, (position) => position >= target, gone);
    // A failed file fails every flush, also one whose records happened to be written before the fault.
    const error = state.failure();
    if (error) throw error;
    if (Atomics.load(i64, word) >= target) return;
    // Closed and drained, so our records are in the file; a durable flush that came too late for the
    // flusher's last fdatasync does its own, through an fd of this thread and the log's own driver.
    if (durable) this.#syncOwnFd(await loadDriver(this.handle.settings.driver));
  }

  flushSync(options?: { durable?: boolean }): void {
    const { target, word, durable } = this.#askFlusher(options);
    const { i64, state, layout } = this.#view;
    const { blockTimeoutMs, unblockTimeoutMs, driver } = this.handle.settings;
    // A dead writer's claim holds head for up to unblockTimeoutMs; then the flusher gets blockTimeoutMs,
    // the time a blocked writer gives it, to write ours out.
    const limit = unblockTimeoutMs + blockTimeoutMs;
    const deadline = performance.now() + limit;
    for (;;) {
      const error = state.failure();
      if (error) throw error;
      const position = Atomics.load(i64, word);
      if (position >= target) return;
      if (state.lifecycle() === layout.DONE) break; // closed and drained: our records are in the file
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(`ringlog: flushSync() waited unblockTimeoutMs + blockTimeoutMs (${limit} ms) and this thread's records are still not ${durable ? "synced" : "written"} (ring position ${position}, needs ${target}): the flusher is not getting them out`);
      }
      // In slices, as a blocked writer waits: a flusher that fails or finishes moves neither word.
      Atomics.wait(i64, word, position, Math.min(left, FAILURE_POLL_MS));
    }
    if (!durable) return;
    if (driver !== undefined) {
      throw new Error(`ringlog: flushSync({ durable: true }) after close() must fdatasync through the log's driver ${JSON.stringify(driver)}, which only loads asynchronously: use await flush({ durable: true })`);
    }
    this.#syncOwnFd(defaultDriver());
  }

  /**
   * Tells the flusher what a flush of this thread waits for, exactly as flush() and flushSync() both need:
   * the end of this thread's last claim, to be passed by head (written) or by synced (durable).
   */
  #askFlusher(options: { durable?: boolean } | undefined): { target: bigint; word: number; durable: boolean } {
    const target = this.#core.lastClaimEnd();
    const durable = options?.durable === true;
    if (durable) this.#core.requestSync(this.#ring, target);
    else if (target > 0n) this.#core.hurry(this.#ring, target);
    return { target, word: durable ? this.#view.syncedAt : this.#view.headAt, durable };
  }

  /**
   * fdatasync of the file the flusher wrote last, through an fd of this thread (the flusher is gone, and
   * synced any other file it left with unsynced records before it went: rotation/left_files.ts LF1).
   */
  #syncOwnFd(driver: FileDriver): void {
    syncLastFile(driver, this.handle.path, this.#view.lastFile());
  }

  async rotate(): Promise<string> {
    if (this.#closing !== undefined) throw this.#view.state.failure() ?? writeAfterClose(true, "rotate()");
    if (this.handle.settings.rotate === undefined) {
      throw new TypeError(`ringlog: rotate() needs open()'s rotate option, e.g. { rotate: { size: 10485760 } } or { rotate: { every: "day" } }; ${JSON.stringify(this.handle.path)} was opened without it`);
    }
    const requests = new RotationRequests(this.#view);
    const ticket = this.#core.askRotation(this.#ring, this.#core.lastClaimEnd());
    await this.#answered(requests.rotateAnsweredAt, ticket, "rotate()");
    const name = requests.answerFor(ticket);
    if (name === undefined) {
      throw new Error(`ringlog: rotate() was answered, but ${this.#view.layout.ROTATED_SLOTS} later rotations took the place of its answer before this thread read it; ${JSON.stringify(this.handle.path)} was rotated`);
    }
    return rotatedPath(this.handle.path, name);
  }

  async reopen(): Promise<void> {
    if (this.#closing !== undefined) throw this.#view.state.failure() ?? writeAfterClose(true, "reopen()");
    const requests = new RotationRequests(this.#view);
    await this.#answered(requests.reopenAnsweredAt, this.#core.askReopen(this.#ring), "reopen()");
  }

  /** Waits for the flusher to answer `ticket` in the i64 word `at`; rejects with the file's error. */
  async #answered(at: number, ticket: bigint, call: string): Promise<void> {
    const { state, layout, i64 } = this.#view;
    const gone = () => state.failure() ?? (state.lifecycle() === layout.DONE || undefined);
    await waitForWord(i64, at, (answered) => answered >= ticket, gone);
    const error = state.failure();
    if (error) throw error;
    if (Atomics.load(i64, at) < ticket) throw writeAfterClose(false, call);
  }

  close(): Promise<void> {
    this.#closing ??= this.#owner !== undefined ? this.#owner.close() : this.flush();
    return this.#closing;
  }

  stats(): LogStats {
    return this.#view.state.stats();
  }

  #closedError(): Error {
    return this.#view.state.failure() ?? writeAfterClose(this.#closing !== undefined);
  }
}

export function attachRing(handle: RingHandle): RingLog {
  return new RingLog(handle);
}
