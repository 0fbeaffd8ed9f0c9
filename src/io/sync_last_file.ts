// A durable flush that comes after the flusher is gone (log.flush({ durable: true }) racing or following
// close()): the flusher's last sync did not cover the caller's records (sync "never": it syncs only when
// asked, or when it left files with unsynced records: rotation/left_files.ts LF1), so the caller syncs
// the file itself. That must be the file the flusher wrote last, which is no longer at `path` when another
// process rotated it or logrotate renamed it after the flusher's last look: it is found by its identity
// (device and inode) among the directory's entries, opened without creating anything, and checked again
// once open (it may move between the look and the open). Then the directory is fsynced too, so the file's
// name is as durable as its records (open() may have created it, a rotation renamed it).
import { codeOf, directoryOf, type FileDriver, type FileHandle, openFile, reportingFile, syncDirectoryOf } from "./driver.ts";

/** Looks at most this many times for a file that keeps moving between the look and the open. */
const LOOKS = 3;

/**
 * fdatasync of the file `identity` ("dev:ino", or undefined when the flusher could not say: then the file
 * at `path`), found in `path`'s directory, then an fsync of the directory. Throws when that file is gone
 * from the directory (renamed elsewhere or removed): its records cannot be made durable from here.
 */
export function syncLastFile(driver: FileDriver, path: string, identity: string | undefined): void {
  const dir = directoryOf(path);
  const file = identity === undefined ? reportingFile(openExisting(driver, path), path) : openLastFile(driver, path, dir, identity);
  try {
    file.sync();
  } finally {
    file.close();
  }
  syncDirectoryOf(driver, dir);
}

function openLastFile(driver: FileDriver, path: string, dir: string, identity: string): FileHandle {
  for (let look = 0; look < LOOKS; look++) {
    const name = findFile(driver, path, dir, identity);
    let file: FileHandle;
    try {
      file = openExisting(driver, name);
    } catch (error) {
      if (codeOf(error) === "ENOENT") continue; // moved since the look
      throw error;
    }
    let seen: string | undefined;
    try {
      seen = file.stat?.().identity;
    } catch (error) {
      file.close();
      throw error;
    }
    if (seen === undefined || seen === identity) return reportingFile(file, name);
    file.close(); // another file took the name since the look
  }
  throw gone(path, dir, identity, `it kept moving while looked for (${LOOKS} looks)`);
}

/** Opens a file that exists, creating nothing: read-only (fdatasync needs no write access), else for writing. */
function openExisting(driver: FileDriver, name: string): FileHandle {
  try {
    return openFile(driver, name, "read");
  } catch (error) {
    if (codeOf(error) === "ENOENT") throw error;
    return openFile(driver, name, "write"); // a driver that refuses "read" (its right: FileDriver.open)
  }
}

/** The path of the file `identity` in `dir`: `path` itself first (the usual case), else any entry. */
function findFile(driver: FileDriver, path: string, dir: string, identity: string): string {
  const { stat, readdir } = driver;
  if (stat === undefined) return path; // a driver that cannot tell files apart: the file at path, as asked
  const identityOf = (name: string) => {
    try {
      return stat.call(driver, name)?.identity;
    } catch {
      return undefined; // an entry that cannot be looked at (a symlink loop) is not the file
    }
  };
  if (identityOf(path) === identity) return path;
  if (readdir === undefined) throw gone(path, dir, identity, "the driver cannot list the directory to look for it");
  for (const entry of readdir.call(driver, dir)) {
    const name = `${dir}/${entry}`;
    if (identityOf(name) === identity) return name;
  }
  throw gone(path, dir, identity, "renamed elsewhere or removed");
}

function gone(path: string, dir: string, identity: string, why: string): Error {
  return new Error(`ringlog: flush({ durable: true }) after close(): the file this log wrote last (device:inode ${identity}) is no longer at ${JSON.stringify(path)} nor found in ${JSON.stringify(dir)} (${why}), so its records cannot be fdatasync'd from here`);
}
