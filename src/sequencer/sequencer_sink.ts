// Where a Sequencer's bytes go: a file (seekable: positional writes, reads back to check repeated writes,
// fdatasync, closed while idle) or a sequential sink (a WritableStream, or any object with write(bytes) such
// as process.stdout) that gets bytes strictly in order and cannot be read back or synced.
import { logPath } from "../io/log_path.ts";
import { describe } from "../describe.ts";
import { readFully, writeFully, type FileDriver, type FileHandle } from "../io/driver.ts";

/**
 * A sink that takes bytes in order: `write` may return a promise (awaited) or anything else. A Node stream's
 * `false` (buffer full) makes the Sequencer wait for 'drain'.
 *
 * @example
 * ```ts
 * import { Sequencer, type SequentialSink } from "@ringlog/ringlog";
 * const chunks: Uint8Array[] = [];
 * const sink: SequentialSink = { write: (bytes) => void chunks.push(bytes) };
 * const seq = new Sequencer(sink);
 * await seq.write(0, new Uint8Array([1, 2]));
 * await seq.close(); // chunks holds [1, 2]
 * ```
 */
export interface SequentialSink {
  /** Takes the next bytes in order; `false` means its buffer is full: the Sequencer waits for 'drain'. */
  write(bytes: Uint8Array): unknown;
}

/**
 * What a Sequencer writes to: a file path or `file:` URL, a WritableStream, or a {@link SequentialSink}.
 *
 * @example
 * ```ts
 * import type { SequencerTarget } from "@ringlog/ringlog";
 * const targets: SequencerTarget[] = ["out.bin", new URL("file:///tmp/out.bin"), process.stdout];
 * ```
 */
export type SequencerTarget = string | URL | WritableStream<Uint8Array> | SequentialSink;

/** The Sequencer's view of its target. */
export interface Sink {
  /** True for files: bytes may be written ahead of holes and read back. */
  readonly seekable: boolean;
  /** For error messages. */
  readonly name: string;
  write(bytes: Uint8Array, position: number): void | Promise<void>;
  /** Reads written bytes back into `into`; false when this sink cannot (a sequential sink). */
  readBack(into: Uint8Array, position: number): boolean;
  sync(): void | Promise<void>;
  /** Releases the file handle while idle; the next write reopens it. */
  suspend(): boolean;
  /** Closes the target; `failed` says whether the Sequencer stopped on an error (streams are aborted then). */
  close(failed: Error | undefined): Promise<void>;
}

/**
 * The sink for `target`. Files are created or emptied at once, so a bad path throws here and not later.
 */
export function openSink(target: SequencerTarget, driver: FileDriver): Sink {
  if (typeof target === "string" || target instanceof URL) return new FileSink(logPath(target, "the Sequencer's target"), driver);
  if (typeof WritableStream === "function" && target instanceof WritableStream) return new StreamSink(target);
  if (typeof (target as SequentialSink | null)?.write === "function") return new WriterSink(target as SequentialSink);
  throw new TypeError(`ringlog: the Sequencer's target must be a file path, a file: URL, a WritableStream or an object with a write(bytes) method, got ${describe(target)}`);
}

class FileSink implements Sink {
  readonly seekable = true;
  readonly name: string;
  readonly #path: string;
  readonly #driver: FileDriver;
  #file: FileHandle | undefined;

  constructor(path: string, driver: FileDriver) {
    this.#path = path;
    this.#driver = driver;
    this.name = describe(path);
    // Empty it first, then keep a handle that can also read (to check repeated writes against the file).
    driver.open(path, "truncate").close();
    this.#file = driver.open(path, "readwrite");
  }

  #handle(): FileHandle {
    // Reopened without truncating after an idle close, as Hadoop's NFS gateway reopens a file for append
    // when a write comes for a stream it evicted while idle (OpenFileCtxCache; HDFS-5364).
    return (this.#file ??= this.#driver.open(this.#path, "readwrite"));
  }

  write(bytes: Uint8Array, position: number): void {
    writeFully(this.#handle(), bytes, position);
  }

  readBack(into: Uint8Array, position: number): boolean {
    const n = readFully(this.#handle(), into, position);
    if (n !== into.length) throw new Error(`ringlog: reading back ${this.name} returned ${n} of ${into.length} bytes at ${position}`);
    return true;
  }

  sync(): void {
    this.#file?.sync();
  }

  suspend(): boolean {
    if (this.#file === undefined) return false;
    const file = this.#file;
    this.#file = undefined;
    file.close();
    return true;
  }

  close(): Promise<void> {
    this.suspend();
    return Promise.resolve();
  }
}

class StreamSink implements Sink {
  readonly seekable = false;
  readonly name = "its WritableStream";
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;

  constructor(stream: WritableStream<Uint8Array>) {
    // Locks the stream: nobody else may interleave bytes into the sequence.
    this.#writer = stream.getWriter();
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.#writer.write(bytes);
  }

  readBack(): boolean {
    return false;
  }

  sync(): void {}

  suspend(): boolean {
    return false;
  }

  async close(failed: Error | undefined): Promise<void> {
    // Like pipeTo(): the stream is closed when the sequence ends, aborted when it failed.
    if (failed) await this.#writer.abort(failed).catch(() => {});
    else await this.#writer.close();
  }
}

interface Emitter {
  on?(event: string, listener: (error: Error) => void): unknown;
  off?(event: string, listener: (error: Error) => void): unknown;
  once?(event: string, listener: (error: Error) => void): unknown;
}

class WriterSink implements Sink {
  readonly seekable = false;
  readonly name: string;
  readonly #target: SequentialSink & Emitter;
  #error: Error | undefined;
  readonly #onError = (error: Error): void => {
    this.#error ??= error;
  };

  constructor(target: SequentialSink) {
    this.#target = target as SequentialSink & Emitter;
    this.name = `its sink (${describe(target)})`;
    // A Node stream reports failures (EPIPE on stdout...) as 'error' events, not from write(): listen while
    // we own it, so the failure reaches commit() instead of crashing the process or going unnoticed.
    this.#target.on?.("error", this.#onError);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    const result = this.#target.write(bytes);
    if (typeof (result as Promise<unknown> | null)?.then === "function") await result;
    // A Node stream returns false when its buffer is full: wait for 'drain' (or its error) before the next.
    else if (result === false && typeof this.#target.once === "function") {
      await new Promise<void>((resolve, reject) => {
        const failed = (error: Error): void => {
          this.#target.off?.("drain", done);
          reject(error);
        };
        const done = (): void => {
          this.#target.off?.("error", failed);
          resolve();
        };
        this.#target.once!("drain", done);
        this.#target.once!("error", failed);
      });
    }
    if (this.#error) throw this.#error;
  }

  readBack(): boolean {
    return false;
  }

  sync(): void {}

  suspend(): boolean {
    return false;
  }

  close(): Promise<void> {
    // Not ended: process.stdout must stay usable. Whoever made the sink ends it.
    this.#target.off?.("error", this.#onError);
    return Promise.resolve();
  }
}
