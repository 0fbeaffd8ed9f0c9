// open()'s options: defaults and validation. Every error names the bad value and what was expected.
import { describe } from "./describe.ts";
import { refuseUnknownOptions } from "./option_names.ts";
import { resolveRotate, type RotateOptions, type RotationPolicy } from "./rotation/rotation_policy.ts";

/** What a write does when the ring is full. */
export type OnFull = "block" | "drop" | "throw";

/** When the flusher calls fdatasync on its own (flush({ durable: true }) always does). */
export type SyncPolicy = "never" | "batch" | { intervalMs: number };

/**
 * How threads get their records into the file. "ring" (the default) is ringlog's shared-memory ring with
 * one flusher thread; the others are the article "Synchronizing File Writes"'s strategies, kept for
 * comparison (see bench/), and "null" formats but writes nothing: the benchmark's baseline.
 */
export type Strategy =
  | "ring"
  | "locked-writer"
  | "locked-stream"
  | "atomic-position"
  | "buffered"
  | "buffered-offthread"
  | "null";

/**
 * What the file holds. "text": the records' bytes, one after another (records that end in "\n" make a
 * line-per-record log). "frames": a file header, then each record as [u32 length][u32 CRC-32C][bytes], so
 * that read() and recover() can tell a whole record from a torn or corrupt one (see src/frames/frames.ts).
 */
export type LogFormat = "text" | "frames";

/** Options of {@link open}. */
export interface OpenOptions {
  /** How records reach the file; default "ring". */
  strategy?: Strategy;
  /** "text" (default) or "frames" (the "ring" strategy only): see {@link LogFormat}. */
  format?: LogFormat;
  /** Ring size in bytes: a power of two from 64 KiB to 1 GiB. Default 4 MiB. */
  capacity?: number;
  /** Largest record in bytes, at most capacity / 8 (the default). */
  maxRecord?: number;
  /** Full ring: "block" (default) waits up to blockTimeoutMs then throws; "drop" returns false; "throw" throws. */
  onFull?: OnFull;
  /** How long "block" waits for room before it throws. Default 10 000 ms. */
  blockTimeoutMs?: number;
  /** Append to the file (default) or, when false, truncate it first. */
  append?: boolean;
  /**
   * fdatasync policy: "never" (default), "batch" (after every file write), or { intervalMs }: when records
   * were written, at most one fdatasync per interval, counted from the end of the previous one (so a 10 ms
   * interval made ~60 syncs/s here, each sync taking a few ms; bench/RESULTS.md, "Sync policies").
   */
  sync?: SyncPolicy;
  /**
   * A record claimed but left uncommitted this long blocks the ring; the flusher then takes its writer for
   * dead (a terminated worker) and skips the record. Default 5000 ms (Aeron waits 10-15 s), at least 1000.
   */
  unblockTimeoutMs?: number;
  /**
   * How long the flusher lets a batch build up after it wakes or after a small write, so a burst of records
   * lands in one file write. Records reach the file up to this much later; flush() and close() do not
   * wait for it. Default 1 ms; 0 writes as soon as it can.
   */
  lingerMs?: number;
  /**
   * Module specifier (URL or path) of a custom file driver, imported in the flusher thread: a module whose
   * `driver` export implements FileDriver. For sinks other than local files, and for fault injection.
   */
  driver?: string | URL;
  /**
   * "buffered" and "buffered-offthread": bytes a thread gathers before one file write. Default 8 KiB (the
   * article's BlockSize); from 1 KiB to capacity / 2. maxRecord defaults to, and may not exceed, blockSize.
   */
  blockSize?: number;
  /**
   * SIGINT and SIGTERM drain the log (every open log, as process.exit() does), then end the process with
   * 128 + the signal's number: 130, 143. One listener per signal for the process, removed when the last
   * log that asked is closed. A second signal during the drain ends the process at once. Default false:
   * the signals keep their default action; leave it so when the program handles them itself (and call
   * close() there). SIGHUP reopens the log (log.reopen(): after logrotate's `create`; nginx uses USR1,
   * most daemons HUP) when its strategy can ("ring"). Main thread only.
   */
  handleSignals?: boolean;
  /**
   * Rotation by the flusher, between two batches ("ring" only): `{ size, every, keep, maxAgeMs, compress }`,
   * see {@link RotateOptions}. Several processes may write one path with the same rotate options.
   */
  rotate?: RotateOptions;
}

/** Every option open() knows, in the order the docs list them. */
const OPEN_OPTIONS: readonly (keyof OpenOptions)[] = [
  "strategy", "format", "capacity", "maxRecord", "onFull", "blockTimeoutMs", "append", "sync", "unblockTimeoutMs",
  "lingerMs", "driver", "blockSize", "handleSignals", "rotate",
];

export const MIN_CAPACITY = 64 * 1024;
export const MAX_CAPACITY = 1024 * 1024 * 1024;
const DEFAULT_CAPACITY = 4 * 1024 * 1024;
const DEFAULT_BLOCK_TIMEOUT_MS = 10_000;
const DEFAULT_UNBLOCK_TIMEOUT_MS = 5_000;
const MIN_UNBLOCK_TIMEOUT_MS = 1_000;
const DEFAULT_LINGER_MS = 1;

/** The validated settings a ring is made with; structured-cloneable. */
export interface RingSettings {
  capacity: number;
  maxRecord: number;
  onFull: OnFull;
  blockTimeoutMs: number;
  append: boolean;
  /** 0: never; -1: after every batch; n > 0: at most every n ms. */
  syncIntervalMs: number;
  unblockTimeoutMs: number;
  lingerMs: number;
  driver: string | undefined;
  format: LogFormat;
  rotate: RotationPolicy | undefined;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export function resolveOptions(options: OpenOptions | undefined): RingSettings {
  if (options === undefined) options = {};
  else if (typeof options !== "object" || options === null) {
    throw new TypeError(`ringlog: options must be an object, got ${describe(options)}`);
  }
  refuseUnknownOptions(options, OPEN_OPTIONS, "open()");
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  if (typeof capacity !== "number" || !isPowerOfTwo(capacity) || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
    throw new RangeError(`ringlog: capacity must be a power of two between 64 KiB (65536) and 1 GiB (1073741824) bytes, got ${describe(capacity)}`);
  }
  const maxRecord = options.maxRecord ?? capacity / 8;
  if (typeof maxRecord !== "number" || !Number.isInteger(maxRecord) || maxRecord < 1 || maxRecord > capacity / 8) {
    throw new RangeError(`ringlog: maxRecord must be an integer from 1 to capacity / 8 (${capacity / 8}), got ${describe(maxRecord)}`);
  }
  const onFull = options.onFull ?? "block";
  if (onFull !== "block" && onFull !== "drop" && onFull !== "throw") {
    throw new TypeError(`ringlog: onFull must be "block", "drop" or "throw", got ${describe(onFull)}`);
  }
  const blockTimeoutMs = milliseconds("blockTimeoutMs", options.blockTimeoutMs ?? DEFAULT_BLOCK_TIMEOUT_MS);
  const unblockTimeoutMs = milliseconds("unblockTimeoutMs", options.unblockTimeoutMs ?? DEFAULT_UNBLOCK_TIMEOUT_MS);
  if (unblockTimeoutMs < MIN_UNBLOCK_TIMEOUT_MS) {
    // Shorter, and a live writer merely descheduled between claiming and writing its header could be taken
    // for dead (assembly/ring.ts, I5).
    throw new RangeError(`ringlog: unblockTimeoutMs must be at least ${MIN_UNBLOCK_TIMEOUT_MS} ms, got ${describe(unblockTimeoutMs)}`);
  }
  const lingerMs = milliseconds("lingerMs", options.lingerMs ?? DEFAULT_LINGER_MS);
  const append = options.append ?? true;
  if (typeof append !== "boolean") throw new TypeError(`ringlog: append must be true or false, got ${describe(append)}`);
  // handleSignals is open()'s (log.ts), for every strategy; checked here with the other options.
  if (options.handleSignals !== undefined && typeof options.handleSignals !== "boolean") {
    throw new TypeError(`ringlog: handleSignals must be true or false, got ${describe(options.handleSignals)}`);
  }
  const driver = options.driver === undefined ? undefined : String(options.driver);
  const format = options.format ?? "text";
  if (format !== "text" && format !== "frames") throw new TypeError(`ringlog: format must be "text" or "frames", got ${describe(format)}`);
  if (format === "frames" && (options.strategy ?? "ring") !== "ring") {
    throw new TypeError(`ringlog: format "frames" needs the "ring" strategy, got strategy ${describe(options.strategy)}`);
  }
  const rotate = resolveRotate(options.rotate);
  return { capacity, maxRecord, onFull, blockTimeoutMs, append, syncIntervalMs: resolveSync(options.sync), unblockTimeoutMs, lingerMs, driver, format, rotate };
}

function milliseconds(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`ringlog: ${name} must be a finite number of milliseconds >= 0, got ${describe(value)}`);
  }
  return value;
}

function resolveSync(sync: SyncPolicy | undefined): number {
  if (sync === undefined || sync === "never") return 0;
  if (sync === "batch") return -1;
  if (typeof sync === "object" && sync !== null && typeof sync.intervalMs === "number" && sync.intervalMs > 0 && Number.isFinite(sync.intervalMs)) {
    refuseUnknownOptions(sync, ["intervalMs"], "open()'s sync");
    return sync.intervalMs;
  }
  throw new TypeError(`ringlog: sync must be "never", "batch" or { intervalMs: n } with n > 0, got ${describe(sync)}`);
}

export const DEFAULT_BLOCK_SIZE = 8 * 1024;
const MIN_BLOCK_SIZE = 1024;

/** The buffered strategies' blockSize, validated against the capacity the blocks come out of. */
export function resolveBlockSize(options: OpenOptions | undefined, capacity: number): number {
  const blockSize = options?.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (typeof blockSize !== "number" || !Number.isInteger(blockSize) || blockSize < MIN_BLOCK_SIZE || blockSize > capacity / 2) {
    throw new RangeError(`ringlog: blockSize must be an integer from 1 KiB (1024) to capacity / 2 (${capacity / 2}) bytes, got ${describe(blockSize)}`);
  }
  return blockSize;
}
