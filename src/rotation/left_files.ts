// Files the flusher left (a rotation, a reopen, a follow) holding records it wrote but never fdatasync'd:
// sync "never" syncs nothing on a switch. A durable flush asked for later must still cover them, since its
// records may lie in them (the request can come after the switch: flush() is called once the records are
// written, and the flusher may have moved on before the request reached it). A sync of the new file does
// not cover the old one, and the old name may be renamed or compressed meanwhile, so the handle itself is
// kept open until the next sync, which syncs it first (LF1).
//
// Invariants:
//   LF1  every file this flusher wrote to since the last sync is either the current file or held here,
//        so the sync that advances the synced position (flusher.ts syncTo) covers every byte below it;
//        and the flusher's last act, when files are held, is such a sync (a durable flush that comes after
//        the flusher is gone syncs only the file it closed last: io/sync_last_file.ts).
//   LF2  between two batches (trim(), called before each gather, never under the rotation lock: a slow
//        disk would hold every process's rotation), at most MAX_LEFT are held and none longer than
//        MAX_AGE_MS: past either, the oldest is synced and closed. After 30 s the kernel's own writeback
//        (dirty pages expire after 30 s on Linux) has usually written it, so that fdatasync is cheap;
//        a file that must go sooner because more than MAX_LEFT were left (sync "never" and rotations
//        faster than that, with no durable flush) costs a real fdatasync of a recent file: the price of
//        an honest durable flush. A held file that a retention removed keeps its disk space that long.
import type { FileHandle } from "../io/driver.ts";

/** At most this many left files stay open between two batches, waiting for a sync. */
export const MAX_LEFT = 4;
/** A left file stays open at most this long (Linux's dirty_expire_centisecs is 30 s). */
export const MAX_AGE_MS = 30_000;

interface LeftFile {
  file: FileHandle;
  since: number;
}

export class LeftFiles {
  readonly #files: LeftFile[] = [];

  /** Files held, waiting for a sync. */
  get count(): number {
    return this.#files.length;
  }

  /**
   * Takes `file`, just left at `now`: closed at once when it holds nothing unsynced, else held until a
   * sync (LF1). Never syncs: the caller may hold the rotation lock.
   */
  leave(file: FileHandle, unsynced: boolean, now = performance.now()): void {
    if (unsynced) this.#files.push({ file, since: now });
    else file.close();
  }

  /** Syncs and closes every held file: before the current file's sync (LF1). */
  syncAll(): void {
    while (this.#files.length > 0) this.#syncOldest();
  }

  /** Between two batches: syncs and closes the oldest files while more than MAX_LEFT or any older than MAX_AGE_MS are held (LF2). */
  trim(now: number): void {
    while (this.#files.length > MAX_LEFT || (this.#files.length > 0 && now - this.#files[0].since >= MAX_AGE_MS)) this.#syncOldest();
  }

  /** Closes every held file unsynced, each even when another's close fails (the first error is thrown). */
  closeAll(): void {
    let failure: unknown;
    for (const { file } of this.#files.splice(0)) {
      try {
        file.close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  #syncOldest(): void {
    const { file } = this.#files[0];
    // Synced before it leaves the list: a failed sync leaves it held, for closeAll() to close.
    file.sync();
    this.#files.shift();
    file.close();
  }
}
