// The Sequencer's options: defaults and validation. Every error names the bad value and what was expected.
import { refuseUnknownOptions } from "../option_names.ts";
import { describe } from "../describe.ts";
import type { FileDriver } from "../io/driver.ts";
import { defaultDriver } from "../io/driver_select.ts";
import { osTempDir } from "./spill_file.ts";

/**
 * Options of {@link Sequencer}.
 *
 * @example
 * ```ts
 * import { Sequencer, type SequencerOptions } from "@ringlog/ringlog";
 * const options: SequencerOptions = { watermark: 256 * 1024, maxPending: 8 << 20, dumpDir: "/var/tmp" };
 * const seq = new Sequencer(process.stdout, options);
 * await seq.write(0, new TextEncoder().encode("in order on stdout\n"));
 * await seq.close(); // stdout stays open
 * ```
 */
export interface SequencerOptions {
  /**
   * Out-of-order bytes held in memory before the farthest are spilled to the dump file. Default 1 MiB
   * (OpenFileCtx's DUMP_WRITE_WATER_MARK). Must be below maxPending.
   */
  watermark?: number;
  /**
   * Hard limit on pending bytes held in memory (spilled bytes do not count). write() waits while it is
   * reached. Default 16 MiB. A single write larger than this is still taken when nothing else is held.
   */
  maxPending?: number;
  /** Where the dump file goes. Default the OS temporary directory. */
  dumpDir?: string;
  /** A file target closes its file after this long without activity, and reopens on the next write. Default never. */
  idleTimeoutMs?: number;
  /**
   * File targets only: write ranges at their offset as soon as they arrive, ahead of holes (default true), so
   * nothing is ever spilled. false writes strictly in order like a sequential sink (no sparse intermediate file).
   */
  writeAhead?: boolean;
  /** The file driver for the target file and the dump file; tests pass one that injects faults. */
  driver?: FileDriver;
}

/** Options with defaults applied. */
export interface SequencerSettings {
  watermark: number;
  maxPending: number;
  dumpDir: string;
  idleTimeoutMs: number | undefined;
  writeAhead: boolean;
  driver: FileDriver;
}

const MiB = 1024 * 1024;

// Every option name: any other is refused, naming these.
const SEQUENCER_OPTIONS: readonly (keyof SequencerOptions)[] = ["watermark", "maxPending", "dumpDir", "idleTimeoutMs", "writeAhead", "driver"];

/** Validates `options` and applies the defaults (resolveSequencerOptions({}).maxPending is 16 MiB). */
export function resolveSequencerOptions(options: SequencerOptions | undefined): SequencerSettings {
  if (options === undefined) options = {};
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`ringlog: the Sequencer's options must be an object, got ${describe(options)}`);
  }
  refuseUnknownOptions(options, SEQUENCER_OPTIONS, "the Sequencer");
  const { watermark = MiB, maxPending = 16 * MiB, dumpDir, idleTimeoutMs, writeAhead = true, driver = defaultDriver() } = options;
  const byteCount = (name: string, value: unknown): void => {
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new RangeError(`ringlog: ${name} must be a positive whole number of bytes, got ${describe(value)}`);
    }
  };
  byteCount("watermark", watermark);
  byteCount("maxPending", maxPending);
  // Spilling must start before writers are blocked, or memory could sit at the limit with nothing to spill.
  if (watermark >= maxPending) {
    throw new RangeError(`ringlog: watermark (${watermark}) must be below maxPending (${maxPending})`);
  }
  if (dumpDir !== undefined && (typeof dumpDir !== "string" || dumpDir.length === 0)) {
    throw new TypeError(`ringlog: dumpDir must be a directory path, got ${describe(dumpDir)}`);
  }
  if (idleTimeoutMs !== undefined && (typeof idleTimeoutMs !== "number" || !(idleTimeoutMs > 0) || !Number.isFinite(idleTimeoutMs))) {
    throw new RangeError(`ringlog: idleTimeoutMs must be a finite number of milliseconds > 0, got ${describe(idleTimeoutMs)}`);
  }
  if (typeof writeAhead !== "boolean") throw new TypeError(`ringlog: writeAhead must be true or false, got ${describe(writeAhead)}`);
  if (typeof (driver as FileDriver | null)?.open !== "function") {
    throw new TypeError(`ringlog: driver must be a FileDriver, an object with an open(path, mode) method, got ${describe(driver)}`);
  }
  return { watermark, maxPending, dumpDir: dumpDir ?? osTempDir(), idleTimeoutMs, writeAhead, driver };
}
