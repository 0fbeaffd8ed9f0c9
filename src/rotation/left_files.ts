// Files the flusher left (a rotation, a reopen, a follow) holding records it wrote but never fdatasync'd:
// sync "never" syncs nothing on a switch. A durable flush asked for later must still cover them, since its
// records may lie in them (the request can come after the switch: flush() is called once the records are
// written, and the flusher may have moved on before the request reached it). A sync of the new file does
// not cover the old one, and the old name may be renamed or compressed meanwhile, so the handle itself is
// kept open until the next sync, which syncs it first (LF1).
//
// Invariants:
//   LF1  every file this flusher wrote to since the last sync is either the current file or held here,
//        so the sync that advances the synced position (flusher.ts syncTo) covers every byte below it.
//   LF2  at most MAX_LEFT are held, none longer than MAX_AGE_MS: past either, the oldest is synced and
//        closed on the spot. By then the kernel's own writeback (dirty pages expire after 30 s on Linux)
//        has usually written it, so that fdatasync is cheap; meanwhile a held file a retention removed
//        keeps its disk space only that long.
import type { FileHandle } from "../io/driver.ts";

/** At most this many left files stay open, waiting for a sync. */
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

  /** Takes `file`, just left: closed now when it holds nothing unsynced, else held until a sync (LF1). */
  leave(file: FileHandle, unsynced: boolean): void {
    if (!unsynced) {
      file.close();
      return;
    }
    this.#files.push({ file, since: performance.now() });
    if (this.#files.length > MAX_LEFT) this.#syncOldest(); // LF2
  }

  /** Syncs and closes every held file: before the current file's sync (LF1). */
  syncAll(): void {
    while (this.#files.length > 0) this.#syncOldest();
  }

  /** Syncs and closes the files held longer than MAX_AGE_MS (LF2). */
  expire(now: number): void {
    while (this.#files.length > 0 && now - this.#files[0].since >= MAX_AGE_MS) this.#syncOldest();
  }

  /** Closes every held file unsynced (the log is closing; its sync policy asked for no sync). */
  closeAll(): void {
    for (const { file } of this.#files.splice(0)) file.close();
  }

  #syncOldest(): void {
    const { file } = this.#files[0];
    // Synced before it leaves the list: a failed sync leaves it held, for closeAll() to close.
    file.sync();
    this.#files.shift();
    file.close();
  }
}
