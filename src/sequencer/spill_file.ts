// The Sequencer's dump file: out-of-order bytes above the watermark go here and are read back when their
// turn comes (OpenFileCtx's dumpOut + raf, HDFS-4971). Append-only while anything in it is pending;
// once everything spilled has been written, the next spill starts again at offset 0, so a long run with
// bursts of disorder reuses the same space. Created on first use, removed by close().
import { describe } from "../describe.ts";
import { readFully, writeFully, type FileDriver, type FileHandle } from "../io/driver.ts";
import { nodeBuiltin } from "../runtime/node_builtin.ts";

type Fs = typeof import("node:fs");
type Os = typeof import("node:os");
type Path = typeof import("node:path");


/**
 * The OS temporary directory (node:os is reached lazily, as everywhere in ringlog: mod.ts imports no node:*).
 */
export function osTempDir(): string {
  return nodeBuiltin<Os>("node:os").tmpdir();
}

/**
 * An append-only scratch file for spilled bytes: append() returns the offset that read() takes back.
 */
export class SpillFile {
  readonly #driver: FileDriver;
  readonly #dir: string;
  #path: string | undefined;
  #file: FileHandle | undefined;
  #end = 0;
  #live = 0;

  constructor(driver: FileDriver, dir: string) {
    this.#driver = driver;
    this.#dir = dir;
  }

  /** The dump file's path once created, else undefined. */
  get path(): string | undefined {
    return this.#path;
  }

  /** Writes `bytes` at the end of the dump and returns where they start. Throws a clear error on failure. */
  append(bytes: Uint8Array): number {
    if (this.#live === 0) this.#end = 0;
    const at = this.#end;
    try {
      if (this.#file === undefined) {
        // A random name, never a fixed one: two Sequencers (or two processes) may share a dump directory.
        const path = nodeBuiltin<Path>("node:path").join(this.#dir, `ringlog-sequencer-${crypto.randomUUID()}.dump`);
        this.#path = path;
        this.#file = this.#driver.open(path, "readwrite");
      }
      writeFully(this.#file, bytes, at);
    } catch (cause) {
      const message = (cause as Error)?.message ?? String(cause);
      throw new Error(`ringlog: the Sequencer could not spill ${bytes.length} bytes to its dump file ${describe(this.#path ?? this.#dir)}: ${message}`, { cause });
    }
    this.#end = at + bytes.length;
    this.#live += bytes.length;
    return at;
  }

  /** Reads back `into.length` spilled bytes from `at`. */
  read(into: Uint8Array, at: number): void {
    const n = this.#file === undefined ? 0 : readFully(this.#file, into, at);
    if (n !== into.length) throw new Error(`ringlog: the Sequencer's dump file ${describe(this.#path)} returned ${n} of ${into.length} bytes at ${at}`);
  }

  /** Marks `length` spilled bytes as written: when none are left, the space is reused. */
  release(length: number): void {
    this.#live -= length;
  }

  /** Closes and deletes the dump file. Never throws: it runs on close and on failure paths. */
  remove(): void {
    const file = this.#file;
    const path = this.#path;
    this.#file = undefined;
    this.#path = undefined;
    this.#live = 0;
    this.#end = 0;
    try {
      file?.close();
    } catch {
      // Closing a scratch file we are about to delete: nothing to report.
    }
    if (path !== undefined) {
      try {
        nodeBuiltin<Fs>("node:fs").rmSync(path, { force: true });
      } catch {
        // Best effort: the file is in a temporary directory.
      }
    }
  }
}
