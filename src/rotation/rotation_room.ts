// The rotation room: a hidden directory beside the log, `<dir>/.<name>.rotation/`, where the processes
// that write one log coordinate its rotation. Shippers' globs (`*.log`) skip dot-names, so nothing here is
// ever shipped:
//   lock             the rotation lock (file_lock.ts): held to rename the log and create the next one
//   housekeeping.lock held by the one housekeeper at work on the rotated files (housekeeping.ts)
//   active           "<identity> <period start>": which file is the active one and its period (`every`)
//   writer.*         one empty file per open log: which file it writes to (writer_registry.ts)
//   *.partial        a .gz being written (housekeeping.ts); never a finished file's name
// Every file operation goes through the log's driver (src/io/driver.ts), with errors that name the path.
import { codeOf, FileError, type FileDriver, type FileHandle, type FileOperation, type FileStat, openFile, readFully, type RotationDriver, syncDirectoryOf, writeFully } from "../io/driver.ts";
import { splitPath } from "./rotated_name.ts";

/** Where the coordination files of the log at `path` live. */
export class RotationRoom {
  readonly driver: RotationDriver;
  readonly path: string;
  /** The log's directory. */
  readonly dir: string;
  /** The room itself. */
  readonly room: string;
  readonly lockPath: string;
  readonly housekeepingLockPath: string;
  readonly activePath: string;

  constructor(driver: RotationDriver, path: string) {
    this.driver = driver;
    this.path = path;
    const { dir } = splitPath(path);
    this.dir = dir;
    this.room = `${dir}/.${path.slice(path.lastIndexOf("/") + 1)}.rotation`;
    this.lockPath = `${this.room}/lock`;
    this.housekeepingLockPath = `${this.room}/housekeeping.lock`;
    this.activePath = `${this.room}/active`;
  }

  /** `run()`, with a driver error turned into a FileError naming the operation and `path`. */
  attempt<T>(operation: FileOperation, path: string, run: () => T, to?: string): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof FileError) throw error;
      throw new FileError(path, operation, error, to);
    }
  }

  stat(path: string): FileStat | undefined {
    return this.attempt("stat", path, () => this.driver.stat(path));
  }

  /** Whether there is a file at `path` (FileDriver.exists when the driver has it, else stat). */
  exists(path: string): boolean {
    const driver: FileDriver = this.driver;
    if (driver.exists === undefined) return this.stat(path) !== undefined;
    return this.attempt("stat", path, () => driver.exists!(path));
  }

  rename(from: string, to: string): void {
    this.attempt("rename", from, () => this.driver.rename(from, to), to);
  }

  /** Removes `path`; false when it was already gone. */
  unlink(path: string): boolean {
    try {
      this.driver.unlink(path);
      return true;
    } catch (error) {
      if (codeOf(error) === "ENOENT") return false;
      throw new FileError(path, "unlink", error);
    }
  }

  /** The names in `dir`; none when it does not exist. */
  readdir(dir: string): string[] {
    try {
      return this.driver.readdir(dir);
    } catch (error) {
      if (codeOf(error) === "ENOENT") return [];
      throw new FileError(dir, "readdir", error);
    }
  }

  mkdir(dir: string): void {
    this.attempt("mkdir", dir, () => this.driver.mkdir(dir));
  }

  /** Makes the names in `dir` durable, when the driver and the file system can (syncDirectoryOf). */
  syncDirectory(dir: string): void {
    syncDirectoryOf(this.driver, dir);
  }

  /**
   * Creates `path` holding `text`, only if there is no such file (O_EXCL): false when there is. Makes the
   * room first when it is missing (the first use, or its directory was removed under the log).
   */
  createExclusive(path: string, text: string): boolean {
    const file = this.createHeld(path, text);
    file?.close();
    return file !== undefined;
  }

  /** As createExclusive(), but the file is left open: its handle, or undefined when there was such a file. */
  createHeld(path: string, text: string): FileHandle | undefined {
    for (let attempt = 0; ; attempt++) {
      try {
        const file = this.driver.open(path, "exclusive");
        try {
          writeFully(file, new TextEncoder().encode(text));
        } catch (error) {
          file.close();
          throw error;
        }
        return file;
      } catch (error) {
        const code = codeOf(error);
        if (code === "EEXIST") return undefined;
        if (code === "ENOENT" && attempt === 0) {
          this.mkdir(path.slice(0, path.lastIndexOf("/")));
          continue;
        }
        throw error instanceof FileError ? error : new FileError(path, "write", error);
      }
    }
  }

  /** The first bytes (at most 4 KiB) of the small file `path` as text, or undefined when there is none. */
  readSmall(path: string): string | undefined {
    let file;
    try {
      file = this.driver.open(path, "read");
    } catch (error) {
      if (codeOf(error) === "ENOENT") return undefined;
      throw new FileError(path, "read", error);
    }
    try {
      const bytes = new Uint8Array(4096);
      return new TextDecoder().decode(bytes.subarray(0, this.attempt("read", path, () => readFully(file, bytes, 0))));
    } finally {
      file.close();
    }
  }

  /** Replaces the small file `path` with `text` in one step: written aside, then renamed over it. */
  replaceSmall(path: string, text: string, nonce: string): void {
    const aside = `${path}.${nonce}.new`;
    const file = openFile(this.driver, aside, "truncate");
    try {
      this.attempt("write", aside, () => writeFully(file, new TextEncoder().encode(text)));
    } finally {
      file.close();
    }
    this.rename(aside, path);
  }
}

// A random word per thread, then a count: nonces tell attempts and logs apart (beside the process's own
// word where two processes meet), nothing secret rests on them. Not Web Crypto: Node loads it on first use,
// ~35 ms inside the flusher's first rotation (a CPU profile of bench/rotation.ts showed it).
const threadWord = Array.from({ length: 2 }, () => Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, "0")).join("");
let nonces = 0;

/** A word no other call in any thread or process gives (hex): tells two attempts, or two opens of one log, apart. */
export function nonce(): string {
  return `${threadWord}${(nonces++).toString(16)}`;
}
