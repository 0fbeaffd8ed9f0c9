// What every one of the article's strategies shares: the Log API's validation and error messages (the
// same as RingLog's), UTF-8 encoding into a thread-local scratch buffer, the lifecycle and failure words,
// stats and close() plumbing. Each strategy supplies append(), flushOwn() and closeOwn().
import { type FileHandle, type OpenMode, openFile, reportingFile } from "../io/driver.ts";
import { defaultDriver } from "../io/driver_select.ts";
import type { Log, LogStats } from "../log.ts";
import type { Strategy } from "../options.ts";
import { workerOwner, type WatchedWorker } from "../runtime/thread_owner.ts";
import { lockMutex, type MutexContext } from "./mutex.ts";
import { formatRecord, type LogEvent } from "../record/event_line.ts";
import { badWriteData, RecordEncoder, writeAfterClose } from "../record/record_encoder.ts";
import { WriterState } from "../core/writer_state.ts";
import { strategyCore, type StrategyCore, type StrategyLayout } from "../core/strategy_core.ts";
import type { StrategyHandle } from "./strategy_memory.ts";

/** The strategies whose append() has written the record when it returns (locked.ts; null writes nothing). */
const WRITTEN_BY_APPEND: ReadonlySet<Strategy> = new Set<Strategy>(["locked-writer", "locked-stream", "null"]);

export abstract class StrategyLog implements Log {
  readonly handle: StrategyHandle;
  protected readonly core: StrategyCore;
  protected readonly layout: StrategyLayout;
  /** Address of the log's state block (assembly/log_state.ts). */
  protected readonly state: number;
  protected readonly u8: Uint8Array;
  protected readonly i32: Int32Array;
  protected readonly i64: BigInt64Array;
  /** True in the thread that called open(): its close() closes the log for every thread. */
  protected readonly opener: boolean;
  protected readonly mutexes: MutexContext;
  /** Lifecycle, failure and counters of the log (assembly/log_state.ts), as the ring's are read. */
  protected readonly writer: WriterState;
  readonly #encoder: RecordEncoder;
  #closing: Promise<void> | undefined;
  #syncFile: FileHandle | undefined;
  /** This thread's fd, for the strategies whose writers do their own IO (else sync() opens one). */
  protected file: FileHandle | undefined;

  constructor(handle: StrategyHandle, opener: boolean) {
    this.handle = handle;
    const { core, layout } = strategyCore(handle.module, handle.memory);
    this.core = core;
    this.layout = layout;
    this.state = handle.plan.state;
    this.u8 = new Uint8Array(handle.memory.buffer);
    this.i32 = new Int32Array(handle.memory.buffer);
    this.i64 = new BigInt64Array(handle.memory.buffer);
    this.opener = opener;
    this.#encoder = new RecordEncoder(handle.settings.maxRecord);
    const state = this.state;
    this.mutexes = {
      core,
      i32: this.i32,
      contended: layout.MUTEX_CONTENDED,
      timeoutMs: handle.settings.blockTimeoutMs,
      onWait: () => core.logCountAdd(state, layout.COUNT_FULL_WAITS, 1),
    };
    this.writer = writerState(handle, layout);
  }

  write(data: string | Uint8Array): boolean {
    if (this.#closing !== undefined) throw this.closedError();
    if (typeof data === "string") return this.append(data, false);
    if (data instanceof Uint8Array) return this.append(this.#encoder.checkBytes(data), false);
    throw badWriteData(data);
  }

  record(event: LogEvent): boolean {
    if (this.#closing !== undefined) throw this.closedError();
    return this.append(event, true);
  }

  /**
   * The record's bytes: `source` itself (already checked against maxRecord), or its UTF-8 in the scratch
   * buffer, valid until the next call. Throws on a bad event or a record larger than maxRecord.
   */
  protected encode(source: string | Uint8Array | LogEvent, isEvent: boolean): Uint8Array {
    if (source instanceof Uint8Array) return source;
    return this.#encoder.encode(isEvent ? formatRecord(source as LogEvent) : (source as string));
  }

  /** Appends one record (a string, bytes, or an event when isEvent). Returns false only when dropped. */
  protected abstract append(source: string | Uint8Array | LogEvent, isEvent: boolean): boolean;
  /** Resolves once every record this thread appended before the call is in the file. */
  protected abstract flushOwn(): Promise<void>;
  /** Opener: closes the log for every thread and drains it. Attached: flushes, then detaches. */
  protected abstract closeOwn(): Promise<void>;

  async flush(options?: { durable?: boolean }): Promise<void> {
    await this.flushOwn();
    if (options?.durable === true) this.sync();
  }

  /**
   * Only where append() puts the record in the file before it returns (flushOwn has nothing to wait
   * for); the others' flushOwn waits on other threads (their blocks, ranges or the background writer).
   */
  flushSync(options?: { durable?: boolean }): void {
    const { strategy } = this.handle;
    if (!WRITTEN_BY_APPEND.has(strategy)) {
      throw new Error(`ringlog: flushSync() is not supported by strategy ${JSON.stringify(strategy)}: its records reach the file through other threads' work, which only flush() can wait for; use await flush(), or the "ring" strategy`);
    }
    const failed = this.failure();
    if (failed) throw failed;
    if (options?.durable === true) this.sync();
  }

  close(): Promise<void> {
    this.#closing ??= this.closeOwn().finally(() => {
      this.#syncFile?.close();
      this.#syncFile = undefined;
    });
    return this.#closing;
  }

  /** fdatasync of the file through an fd of this thread: it covers every fd's writes to the same file. */
  protected sync(): void {
    (this.file ?? (this.#syncFile ??= this.openOwnFile("write"))).sync();
    this.core.logCountAdd(this.state, this.layout.COUNT_SYNCS, 1);
  }

  /** An fd of this thread on the log's file, through the driver, its errors worded as the ring's. */
  protected openOwnFile(mode: OpenMode): FileHandle {
    return reportingFile(openFile(defaultDriver(), this.handle.path, mode), this.handle.path);
  }

  protected lock(at: number): void {
    lockMutex(this.mutexes, at);
  }

  protected isOpen(): boolean {
    return this.core.logLifecycle(this.state) === this.layout.OPEN;
  }

  /** These strategies have no recovery from dead writers (only the ring does): checked, then ignored. */
  watch(worker: WatchedWorker): void {
    workerOwner(worker);
  }

  /** Only the ring's flusher owns the file and can switch it between two batches. */
  rotate(): Promise<string> {
    return Promise.reject(this.#ringOnly("rotate()"));
  }

  reopen(): Promise<void> {
    return Promise.reject(this.#ringOnly("reopen()"));
  }

  #ringOnly(call: string): TypeError {
    return new TypeError(`ringlog: ${call} is supported by the "ring" strategy only (its flusher owns the file), and this log's strategy is ${JSON.stringify(this.handle.strategy)}`);
  }

  stats(): LogStats {
    return this.writer.stats();
  }

  /** The background writer's failure as an Error, or undefined while it has not failed. */
  protected failure(): Error | undefined {
    return this.writer.failure();
  }

  protected closedError(): Error {
    const failed = this.failure();
    if (failed) return failed;
    return writeAfterClose(this.#closing !== undefined);
  }
}

/** The writer-state words of a strategy's log (assembly/log_state.ts), in any thread. */
export function writerState(handle: StrategyHandle, layout: StrategyLayout): WriterState {
  const at = handle.plan.state;
  return new WriterState(handle.memory, layout, {
    lifecycle: at + layout.LOG_LIFECYCLE,
    counters: at + layout.LOG_COUNTERS,
    error: at + layout.LOG_ERROR,
    errorCapacity: layout.LOG_ERROR_CAPACITY,
  });
}
