// The file driver: the one seam between ringlog and a runtime's file API. A driver lives in the thread
// that does the IO (Deno gives every thread its own fd table, so an fd never crosses threads).
// Tests inject faults by handing open() a driver module (options.driver) that wraps the real one.

/** An open file. Synchronous on purpose: the flusher is a dedicated thread, and exit hooks must drain. */
export interface FileHandle {
  /** Writes bytes at `position`, or at the end when position is undefined. Returns the count written. */
  write(bytes: Uint8Array, position?: number): number;
  /** fdatasync: the written data is on stable storage. */
  sync(): void;
  close(): void;
}

/** Opens files for one thread. */
export interface FileDriver {
  /** "append" creates or appends, "truncate" creates or empties, "write" creates without truncating (positional). */
  open(path: string, mode: "append" | "truncate" | "write"): FileHandle;
}

/** Writes all of `bytes`, looping over short writes (a write may legally take fewer bytes than asked). */
export function writeFully(file: FileHandle, bytes: Uint8Array, position?: number): void {
  let done = 0;
  while (done < bytes.length) {
    const n = file.write(done === 0 ? bytes : bytes.subarray(done), position === undefined ? undefined : position + done);
    if (!(n > 0)) throw new Error(`ringlog: the file driver wrote ${n} bytes of ${bytes.length - done}`);
    done += n;
  }
}
