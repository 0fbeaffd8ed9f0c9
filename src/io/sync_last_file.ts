// A durable flush that comes after the flusher is gone (log.flush({ durable: true }) racing or following
// close()): the flusher's last sync did not cover the caller's records (sync "never": it syncs only when
// asked, or when it left files with unsynced records: rotation/left_files.ts LF1), so the caller syncs
// the file itself. That must be the file the flusher wrote last, which is no longer at `path` when another
// process rotated it or logrotate renamed it after the flusher's last look: it is found by its identity
// (device and inode) among the directory's entries. Then the directory is fsynced too, so the file's name
// is as durable as its records (open() may have created it, a rotation renamed it).
import { type FileDriver, openFile, reportingFile, syncDirectoryOf } from "./driver.ts";

/**
 * fdatasync of the file `identity` ("dev:ino", or undefined when the flusher could not say: then the file
 * at `path`), found in `path`'s directory, then an fsync of the directory. Throws when that file is gone
 * from the directory (renamed elsewhere or removed): its records cannot be made durable from here.
 */
export function syncLastFile(driver: FileDriver, path: string, identity: string | undefined): void {
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  const name = identity === undefined ? path : findFile(driver, path, dir, identity);
  const file = reportingFile(openFile(driver, name, "write"), name);
  try {
    file.sync();
  } finally {
    file.close();
  }
  syncDirectoryOf(driver, dir);
}

/** The path of the file `identity` in `dir`: `path` itself first (the usual case), else any entry. */
function findFile(driver: FileDriver, path: string, dir: string, identity: string): string {
  const { stat, readdir } = driver;
  if (stat === undefined) return path; // a driver that cannot tell files apart: the file at path, as asked
  if (stat.call(driver, path)?.identity === identity) return path;
  for (const entry of readdir?.call(driver, dir) ?? []) {
    const name = `${dir}/${entry}`;
    if (stat.call(driver, name)?.identity === identity) return name;
  }
  throw new Error(`ringlog: flush({ durable: true }) after close(): the file this log wrote last (device:inode ${identity}) is no longer at ${JSON.stringify(path)} nor anywhere in ${JSON.stringify(dir)} (renamed elsewhere or removed), so its records cannot be fdatasync'd from here`);
}
