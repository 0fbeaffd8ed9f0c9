// The file driver: the one seam between ringlog and a runtime's file API. A driver lives in the thread
// that does the IO (Deno gives every thread its own fd table, so an fd never crosses threads).
// Tests inject faults by handing open() a driver module (options.driver) that wraps the real one.

/** An open file. Synchronous on purpose: the flusher is a dedicated thread, and exit hooks must drain. */
export interface FileHandle {
  /** Writes bytes at `position`, or at the end when position is undefined. Returns the count written. */
  write(bytes: Uint8Array, position?: number): number;
  /**
   * Reads up to `into.length` bytes at `position`; returns the count read (0 at the end of the file).
   * Needs a file opened in "readwrite" mode. Optional: only the Sequencer (its dump file, and checking that a
   * repeated write matches the bytes already in the file) reads, so drivers made for the ring may omit it.
   */
  read?(into: Uint8Array, position: number): number;
  /** fdatasync: the written data is on stable storage. */
  sync(): void;
  /** Closes the file; the handle is not used after. */
  close(): void;
  /** The file's size in bytes. Optional: needed to append with the positional strategies and by recover(). */
  size?(): number;
  /** Cuts the file to `length` bytes. Optional: only recover() cuts files. */
  truncate?(length: number): void;
  /** fstat: which file this is, its size and last change. Optional: rotation needs it (src/rotation/). */
  stat?(): FileStat;
}

/** What rotation needs to know of a file. */
export interface FileStat {
  /**
   * Device and inode as "dev:ino" (decimal): two paths, or a path and an open file, with one identity are
   * one file. Another shape works for rotation, but a durable flush after close() then cannot find the
   * file by it (src/io/sync_last_file.ts) and syncs the file at the log's path.
   */
  identity: string;
  /** Size in bytes. */
  size: number;
  /** Last modification, ms since the epoch. */
  mtimeMs: number;
}

/**
 * How a file is opened: "append" creates or appends, "truncate" creates or empties, "write" creates without
 * truncating (positional), "readwrite" is "write" that can also read (the Sequencer's files), "read" opens
 * an existing file for reading and fails with ENOENT when there is none (read(), recover(), and the
 * opener's look at a file's first bytes), "exclusive" creates a new file for writing and fails with EEXIST
 * when there is one (O_EXCL: rotation's lock files).
 */
export type OpenMode = "append" | "truncate" | "write" | "readwrite" | "read" | "exclusive";

/**
 * Opens files for one thread. The optional methods are the directory operations rotation needs
 * (open()'s rotate option, src/rotation/): a driver without them refuses that option with a clear error.
 */
export interface FileDriver {
  /** Opens `path` as `mode` says ({@link OpenMode}). A driver may refuse "read" by throwing. */
  open(path: string, mode: OpenMode): FileHandle;
  /** The file at `path`, or undefined when there is none (ENOENT). */
  stat?(path: string): FileStat | undefined;
  /**
   * Whether there is a file at `path`: where stat() of a missing file is dear (Deno's throws: ~14 µs
   * against ~4 µs for node:fs existsSync), rotation asks this of the names it looks for free.
   */
  exists?(path: string): boolean;
  /** rename(2): moves `from` to `to` in one step, replacing a file at `to`. */
  rename?(from: string, to: string): void;
  /** Removes the file at `path`. */
  unlink?(path: string): void;
  /** The names of the entries of the directory `dir`. */
  readdir?(dir: string): string[];
  /** Creates the directory `dir` and its missing parents; does nothing when it exists. */
  mkdir?(dir: string): void;
  /**
   * fsync(2) of the directory `dir`: makes its names durable (a file created, a rename). Without it the
   * log's files are created and rotated all the same, and a power loss may lose a name the sync policy
   * meant to keep (a new file's, with the records already synced into it).
   */
  syncDirectory?(dir: string): void;
}

/** The error's code (ENOENT, EEXIST...), as node:fs and Deno give it, or its cause's (a FileError's). */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string") return code;
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof cause === "string" ? cause : undefined;
}

/**
 * Codes with which a directory's fsync says it cannot be done here rather than that it failed: some
 * file systems refuse fsync on a directory (EINVAL: e.g. some FUSE and network ones; ENOTSUP, EOPNOTSUPP;
 * EISDIR, EPERM and EBADF from platforms that will not open or fsync a directory for it; EACCES for a
 * directory the process may write but not read, so not open), and ENOENT when the directory was
 * removed under the log (its files are gone too; the next open makes it again). Records already synced into
 * the file are on disk either way: only their name's durability is at stake, which such a system cannot give.
 */
const DIRECTORY_SYNC_UNAVAILABLE = new Set(["ENOENT", "EINVAL", "ENOTSUP", "EOPNOTSUPP", "EISDIR", "EPERM", "EBADF", "EACCES"]);

/**
 * fsync of the directory `dir` through the driver, when it has syncDirectory(). Returns when done or not
 * possible here (DIRECTORY_SYNC_UNAVAILABLE); throws a FileError otherwise (EIO: the names may not be durable).
 */
export function syncDirectoryOf(driver: FileDriver, dir: string): void {
  if (driver.syncDirectory === undefined) return;
  try {
    driver.syncDirectory(dir);
  } catch (error) {
    const code = codeOf(error);
    if (code !== undefined && DIRECTORY_SYNC_UNAVAILABLE.has(code)) return;
    throw error instanceof FileError ? error : new FileError(dir, "fsync-directory", error);
  }
}

/** A driver with every method rotation needs. */
export type RotationDriver = Required<Pick<FileDriver, "open" | "stat" | "rename" | "unlink" | "readdir" | "mkdir">>;

/** `driver`, checked to have what rotation needs; `where` names the driver in the error. */
export function rotationDriver(driver: FileDriver, where: string): RotationDriver {
  const missing = (["stat", "rename", "unlink", "readdir", "mkdir"] as const).filter((name) => typeof driver[name] !== "function");
  if (missing.length > 0) {
    throw new TypeError(`ringlog: the file driver ${where} cannot rotate files: it has no ${missing.map((m) => `${m}()`).join(", ")} (rotation needs stat, rename, unlink, readdir and mkdir, and file handles with stat())`);
  }
  return driver as RotationDriver;
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

/** Fills `into` from `position`, looping over short reads; returns the count read (less only at end of file). */
export function readFully(file: FileHandle, into: Uint8Array, position: number): number {
  if (file.read === undefined) throw new TypeError("ringlog: the file driver's handles have no read(into, position) method, which the Sequencer needs");
  let done = 0;
  while (done < into.length) {
    const n = file.read(done === 0 ? into : into.subarray(done), position + done);
    if (!(n > 0)) break;
    done += n;
  }
  return done;
}

/** The directory of the absolute `path` ("/" for a file at the root). */
export function directoryOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

/**
 * driver.open(), with an error that says what is wrong with the path in words, for every open()
 * (`cannot open "/nope/app.log" for appending: the directory "/nope" does not exist (ENOENT)`).
 */
export function openFile(driver: FileDriver, path: string, mode: OpenMode): FileHandle {
  try {
    return driver.open(path, mode);
  } catch (error) {
    const code = (error as { code?: string })?.code;
    const dir = directoryOf(path);
    const why =
      code === "ENOENT" ? (mode === "read" ? "there is no such file" : `the directory ${JSON.stringify(dir)} does not exist`) :
      code === "EACCES" || code === "EPERM" ? `permission denied: the directory ${JSON.stringify(dir)} or the file is not writable` :
      code === "EISDIR" ? "it is a directory" :
      code === "ENOTDIR" ? "a parent of the path is not a directory" :
      code === "EROFS" ? "the file system is read-only" :
      String((error as Error)?.message ?? error);
    const purpose = mode === "append" ? "appending" : mode === "read" ? "reading" : mode === "exclusive" ? "creating" : "writing";
    throw Object.assign(new Error(`ringlog: cannot open ${JSON.stringify(path)} for ${purpose}: ${why}${code ? ` (${code})` : ""}`), { code });
  }
}

/** What a file was doing when it failed, as the error message says it. */
export type FileOperation = "write" | "read" | "fdatasync" | "close" | "truncate" | "size" | "stat" | "rename" | "unlink" | "readdir" | "mkdir" | "fsync-directory";
const DOING: Record<FileOperation, string> = {
  write: "writing",
  read: "reading",
  fdatasync: "fdatasync of",
  close: "closing",
  truncate: "truncating",
  size: "finding the size of",
  stat: "looking up",
  rename: "renaming",
  unlink: "removing",
  readdir: "listing the directory",
  mkdir: "creating the directory",
  "fsync-directory": "fsync of the directory",
};

/** A file's failure: names the operation and the path, and keeps the driver's code ("ENOSPC", "EIO"). */
export class FileError extends Error {
  readonly code: string | undefined;
  /** `to`: the second path of a rename. */
  constructor(path: string, operation: FileOperation, cause: unknown, to?: string) {
    const text = String((cause as Error)?.message ?? cause);
    const code = (cause as { code?: unknown })?.code;
    // Deno's messages carry no code ("No space left on device (os error 28)"): add it.
    const named = typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text;
    const target = to === undefined ? "" : ` to ${JSON.stringify(to)}`;
    super(`ringlog: ${DOING[operation]} ${JSON.stringify(path)}${target} failed: ${named}`, { cause });
    this.code = typeof code === "string" ? code : undefined;
  }
}

/** `file`, whose every operation throws a FileError naming `path` and the operation. */
export function reportingFile(file: FileHandle, path: string): FileHandle {
  const attempt = <T>(operation: FileOperation, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw new FileError(path, operation, error);
    }
  };
  const reporting: FileHandle = {
    write: (bytes, position) => attempt("write", () => file.write(bytes, position)),
    sync: () => attempt("fdatasync", () => file.sync()),
    close: () => attempt("close", () => file.close()),
  };
  if (file.read) reporting.read = (into, position) => attempt("read", () => file.read!(into, position));
  if (file.size) reporting.size = () => attempt("size", () => file.size!());
  if (file.truncate) reporting.truncate = (length) => attempt("truncate", () => file.truncate!(length));
  if (file.stat) reporting.stat = () => attempt("stat", () => file.stat!());
  return reporting;
}

/** The file's size through its driver, with an error that says the driver cannot tell it. */
export function fileSize(file: FileHandle, path: string): number {
  if (file.size === undefined) throw new TypeError(`ringlog: the file driver's handles have no size() method, which appending to ${JSON.stringify(path)} needs`);
  return file.size();
}

/**
 * Up to `count` bytes from the start of `path`, read through `driver`; empty when there is no such file or
 * the driver cannot read it (a sink that is no local file reads as a new file).
 */
export function firstBytes(driver: FileDriver, path: string, count: number): Uint8Array {
  let file: FileHandle;
  try {
    file = driver.open(path, "read");
  } catch {
    return new Uint8Array(0); // no such file yet (or none we can read here): the flusher's open will tell
  }
  try {
    if (file.read === undefined) return new Uint8Array(0);
    const bytes = new Uint8Array(count);
    return bytes.subarray(0, readFully(file, bytes, 0));
  } catch {
    return new Uint8Array(0); // not readable here: the flusher's open will tell
  } finally {
    file.close();
  }
}
