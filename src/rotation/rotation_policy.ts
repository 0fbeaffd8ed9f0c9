// open()'s rotate option: what makes the file rotate (size, every), what happens to rotated files (keep,
// maxAgeMs, compress), validated into a RotationPolicy that crosses threads. Every error names the bad value.
import { describe } from "../describe.ts";
import { refuseUnknownOptions } from "../option_names.ts";

/**
 * open()'s `rotate` option: the ring's flusher renames the file aside and starts a new one at `path`
 * between two batches (src/rotation/active_file.ts). At least one of `size` and `every`.
 */
export interface RotateOptions {
  /**
   * Bytes: the flusher rotates before a batch would take the file past this. A record is never split
   * across files; a single record larger than `size` gets a file of its own.
   */
  size?: number;
  /**
   * "hour" or "day" (UTC boundaries), or a period in ms counted from the epoch (so 3 600 000 is "hour"):
   * the records of one period land in that period's file, judged by when the flusher writes them, and the
   * period's start is in the rotated file's name.
   */
  every?: "hour" | "day" | number;
  /** Rotated files to keep: the oldest are removed past it. Default: all. */
  keep?: number;
  /** Remove rotated files whose last change is older than this many ms. Default: never. */
  maxAgeMs?: number;
  /**
   * "gzip": each rotated file is compressed to `<name>.gz` by a thread of its own, off the write path, and
   * then removed; a crash mid-compression leaves the plain file, never a half `.gz` alone.
   */
  compress?: "gzip";
}

/** The validated rotate option; structured-cloneable. 0 means "not set" for every number. */
export interface RotationPolicy {
  sizeBytes: number;
  everyMs: number;
  /** -1: keep all. */
  keep: number;
  maxAgeMs: number;
  compress: "gzip" | undefined;
}

const ROTATE_OPTIONS: readonly (keyof RotateOptions)[] = ["size", "every", "keep", "maxAgeMs", "compress"];
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const isWhole = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n);

/** The rotate option, validated; undefined when absent. */
export function resolveRotate(rotate: unknown): RotationPolicy | undefined {
  if (rotate === undefined) return undefined;
  if (typeof rotate !== "object" || rotate === null || Array.isArray(rotate)) {
    throw new TypeError(`ringlog: rotate must be an object such as { size: 10485760 } or { every: "day", keep: 7 }, got ${describe(rotate)}`);
  }
  refuseUnknownOptions(rotate, ROTATE_OPTIONS, "open()'s rotate");
  const { size, every, keep, maxAgeMs, compress } = rotate as RotateOptions;
  if (size !== undefined && !(isWhole(size) && size >= 1)) {
    throw new RangeError(`ringlog: rotate.size must be a whole number of bytes >= 1, got ${describe(size)}`);
  }
  const everyMs = every === "hour" ? HOUR_MS : every === "day" ? DAY_MS : every;
  if (everyMs !== undefined && !(isWhole(everyMs) && everyMs >= 1)) {
    throw new TypeError(`ringlog: rotate.every must be "hour", "day" or a whole number of milliseconds >= 1, got ${describe(every)}`);
  }
  if (keep !== undefined && !(isWhole(keep) && keep >= 0)) {
    throw new RangeError(`ringlog: rotate.keep must be a whole number of rotated files >= 0, got ${describe(keep)}`);
  }
  if (maxAgeMs !== undefined && !(typeof maxAgeMs === "number" && maxAgeMs > 0 && Number.isFinite(maxAgeMs))) {
    throw new RangeError(`ringlog: rotate.maxAgeMs must be a finite number of milliseconds > 0, got ${describe(maxAgeMs)}`);
  }
  if (compress !== undefined && compress !== "gzip") {
    throw new TypeError(`ringlog: rotate.compress must be "gzip", got ${describe(compress)}`);
  }
  if (size === undefined && everyMs === undefined) {
    const given = Object.keys(rotate);
    throw new TypeError(`ringlog: rotate needs size or every, which make the file rotate; got ${given.length === 0 ? "an empty object" : `only ${given.join(", ")}`}`);
  }
  return { sizeBytes: size ?? 0, everyMs: everyMs ?? 0, keep: keep ?? -1, maxAgeMs: maxAgeMs ?? 0, compress };
}

/** The start of the period `ms` falls in (periods counted from the epoch, so "hour" and "day" are UTC). */
export function periodStart(policy: RotationPolicy, ms: number): number {
  return ms - (ms % policy.everyMs);
}

/** Whether rotated files need a thread of their own (retention or compression). */
export function needsHousekeeping(policy: RotationPolicy): boolean {
  return policy.keep >= 0 || policy.maxAgeMs > 0 || policy.compress !== undefined;
}
