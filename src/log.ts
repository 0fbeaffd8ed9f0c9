// The public types: the Log interface every strategy implements, its counters and its handle. Types only:
// every room imports this file, and it imports no room back (open() and attach() live in open.ts).
import type { Strategy } from "./options.ts";
import type { LogEvent } from "./record/event_line.ts";
import type { WatchedWorker } from "./runtime/thread_owner.ts";

/** Counters of a log, summed over every thread that writes to it. */
export interface LogStats {
  /** Records written to the file. */
  records: number;
  /** Bytes of records written to the file (with format "frames", their frame headers included). */
  bytes: number;
  /** Records refused because the ring was full and onFull is "drop". */
  dropped: number;
  /** Writes that found the ring full (and waited, dropped or threw, per onFull). */
  fullWaits: number;
  /** File writes made by the flusher, each carrying a batch of records. */
  flushBatches: number;
  /** Highest ring occupancy in bytes the flusher has seen (headers and padding included). */
  maxOccupancy: number;
  /** Claims revoked because their producer died before committing (never, unless a thread is killed). */
  unblocked: number;
  /** fdatasync calls. */
  syncs: number;
  /**
   * Records a live thread wrote but that never reached the file, because the thread stalled longer than
   * unblockTimeoutMs between claiming and committing and was taken for dead. Their write() returned false.
   */
  lost: number;
  /** Files this log's flusher rotated (the rotate option, log.rotate()); rotations by other processes not counted. */
  rotations: number;
  /** The file's error (disk full, I/O error...) once writing failed: then every write, flush and close throws it. */
  error: string | undefined;
}

/** A writer to one log file, in the thread that opened it or in one that attached to it. */
export interface Log {
  /**
   * Structured-cloneable: post it to a worker and call {@link attach} there.
   *
   * @example
   * ```ts
   * import { attach, open } from "@ringlog/ringlog";
   * const log = await open("app.log");
   * // new Worker(new URL("./worker.ts", import.meta.url), { workerData: log.handle }) posts a clone of it.
   * const copy = structuredClone(log.handle);
   * const inWorker = attach(copy); // what worker.ts does with its workerData
   * inWorker.write("from the attached thread\n");
   * await inWorker.close();
   * await log.close();
   * ```
   */
  readonly handle: LogHandle;
  /**
   * Appends exactly these bytes (a string as UTF-8) as one record: never torn, never interleaved with
   * another thread's. Returns false when the record was not written: dropped by policy (onFull "drop"), or
   * lost because this thread stalled past unblockTimeoutMs mid-write (stats().lost).
   *
   * @example
   * ```ts
   * import { open } from "@ringlog/ringlog";
   * const log = await open("app.log");
   * log.write("plain line\n");
   * log.write(new TextEncoder().encode("bytes too\n"));
   * await log.close();
   * ```
   */
  write(data: string | Uint8Array): boolean;
  /**
   * Appends the line `<ISO-8601 UTC with ms> <uuid> <message>\n`; id defaults to crypto.randomUUID(),
   * created to now. Returns false when not written, as {@link Log.write}.
   *
   * @example
   * ```ts
   * import { open } from "@ringlog/ringlog";
   * const log = await open("app.log");
   * log.record({ message: "user signed in" });
   * log.record({ message: "replayed", id: "00000000-0000-4000-8000-000000000000", created: new Date(0) });
   * await log.close();
   * ```
   */
  record(event: LogEvent): boolean;
  /**
   * Resolves once every record this thread wrote before the call is in the file, and fdatasync'd when
   * durable. Once the file failed, rejects with its error (its `code`, e.g. "ENOSPC" or "EIO", kept), also
   * when this thread's records were written before the fault.
   *
   * @example
   * ```ts
   * import { open } from "@ringlog/ringlog";
   * const log = await open("app.log");
   * log.record({ message: "payment accepted" });
   * await log.flush({ durable: true }); // on stable storage now
   * await log.close();
   * ```
   */
  flush(options?: { durable?: boolean }): Promise<void>;
  /**
   * Blocks this thread until every record it wrote before the call is in the file (and fdatasync'd when
   * durable): what {@link Log.flush} promises, without an event-loop turn, for callers that cannot await
   * (pino's `flushSync()` before a fatal exit, a synchronous dispose). Waits at most unblockTimeoutMs +
   * blockTimeoutMs (a dead writer's claim is skipped after the first, then a slow disk gets the second),
   * then throws; throws the file's error once it failed. The "ring" strategy, and the strategies whose
   * records are in the file when write() returns ("locked-writer", "locked-stream", "null"); the others
   * throw an error that says to use flush().
   *
   * @example
   * ```ts
   * import { open } from "@ringlog/ringlog";
   * const log = await open("/tmp/app.log");
   * log.write("about to exit\n");
   * log.flushSync(); // in the file now
   * ```
   */
  flushSync(options?: { durable?: boolean }): void;
  /**
   * In the opener: drains every thread's records, stops the flusher, closes the file. In an attached
   * thread: flushes this thread's records, then detaches. Writes after close throw.
   *
   * @example
   * ```ts
   * import { open } from "@ringlog/ringlog";
   * const log = await open("app.log");
   * log.write("last words\n");
   * await log.close();
   * ```
   */
  close(): Promise<void>;
  /**
   * Tells the log that `worker`, a node:worker_threads Worker this thread created, writes to it. Should the
   * worker die in the middle of a record (worker.terminate(), an uncaught error), the record is skipped as
   * soon as the worker's exit event fires instead of after unblockTimeoutMs, so the other threads' records
   * keep flowing. Only the "ring" strategy recovers from dead writers; the others accept and ignore it.
   * So does Deno, whose exit event comes when terminate() is called, while the thread still runs: there
   * unblockTimeoutMs alone finds dead writers. The event is delivered by this thread's event loop, so a
   * write of this thread that blocks on a full ring meanwhile waits for the timeout too.
   *
   * @example
   * ```ts
   * import { Worker } from "node:worker_threads";
   * import { open } from "@ringlog/ringlog";
   * const log = await open("app.log");
   * // Yours would be new Worker(new URL("./worker.ts", import.meta.url), { workerData: log.handle }).
   * const worker = new Worker("setTimeout(() => {}, 10);", { eval: true, workerData: log.handle });
   * log.watch(worker);
   * await new Promise((exited) => worker.once("exit", exited));
   * await log.close();
   * ```
   */
  watch(worker: WatchedWorker): void;
  /**
   * Rotates the file now ("ring" with open()'s rotate option): once every record this thread wrote before
   * the call is in the file, the flusher renames it aside (`app.log` to
   * `app.2026-12-02T13-00-00.000-000000.log`) between two batches and starts a new `path`. Resolves to the
   * rotated file's path (with `compress: "gzip"`, that file soon becomes `<path>.gz`). Calls from any
   * threads that reach the flusher together share one rotation. Rejects after close.
   *
   * @example
   * ```ts
   * import { open } from "@ringlog/ringlog";
   * const log = await open("/tmp/app.log", { rotate: { every: "day", keep: 7 } });
   * log.write("the last line of the old file\n");
   * const rotated = await log.rotate(); // "/tmp/app.2026-12-02T00-00-00.000-000000.log"
   * await log.close();
   * ```
   */
  rotate(): Promise<string>;
  /**
   * Closes the file and opens `path` again ("ring"): after something outside renamed it, as logrotate does
   * in its `create` mode before its `postrotate` script. Records written before the switch are in the
   * renamed file, the rest in the new one; none lost or duplicated. With `handleSignals`, SIGHUP calls it.
   * Rejects after close.
   *
   * @example
   * ```ts
   * import { open } from "@ringlog/ringlog";
   * const log = await open("/tmp/app.log");
   * // logrotate: mv app.log app.log.1, then postrotate:
   * await log.reopen(); // writes go to a new /tmp/app.log
   * await log.close();
   * ```
   */
  reopen(): Promise<void>;
  /**
   * Counters summed over every thread writing to this log.
   *
   * @example
   * ```ts
   * import { open } from "@ringlog/ringlog";
   * const log = await open("app.log");
   * log.write("x\n");
   * await log.close();
   * console.log(log.stats().records); // 1
   * ```
   */
  stats(): LogStats;
}

/** Every strategy's handle carries these; the rest is the strategy's own. */
export interface HandleBase {
  readonly ringlog: 1;
  readonly strategy: Strategy;
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
}

/** What attach() takes: the shared memory, the compiled core and the strategy's settings. */
export type LogHandle = HandleBase;

