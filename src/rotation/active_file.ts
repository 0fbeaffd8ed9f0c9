// The flusher's file: the one it writes to now, and every way it moves to another, always between two
// batches (flusher.ts calls beforeGather() before each gather, and beforeWrite() between a gather and its
// write, for the period). One flusher owns the file, so no writer thread ever notices a switch. Three ways:
//   rotation  the rotate option's size or period, or log.rotate(): rename `path` aside (rotated_name.ts),
//             then create a new `path`; never copy-and-truncate, which loses records (fluent-bit#375).
//   reopen    log.reopen() or SIGHUP: close, open `path` again (after an outside rename: logrotate's
//             `create` mode).
//   notice    with the rotate option, `path` is looked up before every batch: when it is no longer the
//             file this flusher writes to (another process rotated it, or something moved it away), reopen.
//
// Several processes may write one path with the same rotate options (Node's cluster, PM2, forks): O_APPEND
// keeps each batch whole. They coordinate in the rotation room (rotation_room.ts) under its lock
// (file_lock.ts): rotating, and opening a file at `path` (which writes a frames header into an empty one),
// happen only under the lock, so exactly one process rotates at each threshold: the others, before their
// next batch, see `path` is another file and reopen.
//
// Invariants:
//   A1  a record is never split across files: a switch happens only between two batches' writes (before
//       a gather, or between a gather and its write), and a batch is whole records (the gather).
//   A2  with size, this flusher's batch never takes the file past size: the gather is limited to the room
//       left, and when the next record does not fit, the file is rotated first; a record larger than size
//       alone gets a file of its own; a batch whose file changed between its gather and its write (the
//       period judged again there) is judged by size again, whole. Other processes' batches can add one
//       batch each (they looked before ours landed).
//   A3  the old file is complete (every batch written before the switch) when the new one appears, and
//       fdatasync'd first when the sync policy is not "never" (or a durable flush waits on its records);
//       else it stays open until the next sync, which syncs it first (left_files.ts, LF1): a durable flush
//       asked for after the switch covers the records it left there.
//       Every sync after a create or a rename also fsyncs the directory (the driver's syncDirectory), so
//       records called durable do not lose their file's name to a power loss.
//   A4  with every, a batch goes to the file of the period the flusher writes it in: before each batch,
//       a file with records of an earlier period is rotated. A file's period is the period of its first
//       batch, shared between processes through the room's `active` file (under the lock).
//   A5  a frames file gets its header before any frame: it is written by whoever opens the file empty,
//       under the lock (with the rotate option), and nobody writes to a file it has not opened. A file
//       found cut short inside its header takes no frame: it is set aside (renamed as a rotation would).
//   A6  W1 of writer_registry.ts: the file this log moves to is published before the lock is released
//       (in every rotating log: another process's housekeeper, the registry's one reader, may need it).
import type { RingView } from "../core/ring_view.ts";
import { FRAMES_MAGIC } from "../frames/frames.ts";
import { codeOf, type FileDriver, FileError, type FileHandle, type FileStat, fileSize, type OpenMode, openFile, reportingFile, rotationDriver, syncDirectoryOf, writeFully } from "../io/driver.ts";
import type { LogFormat } from "../options.ts";
import { FileLock } from "./file_lock.ts";
import { LeftFiles } from "./left_files.ts";
import { rotatedFiles, rotatedPath, type RotatedName, splitPath } from "./rotated_name.ts";
import { RotationRequests } from "./rotation_requests.ts";
import { nonce, RotationRoom } from "./rotation_room.ts";
import { periodStart, type RotationPolicy } from "./rotation_policy.ts";
import { WriterRegistry } from "./writer_registry.ts";

/** What the flusher's file needs to know of its log. */
export interface ActiveFileStart {
  path: string;
  append: boolean;
  format: LogFormat;
  rotate: RotationPolicy | undefined;
  /** Bytes to write first into the file opened at start, as the opener decided (frames header), without rotate. */
  preamble: Uint8Array | undefined;
}

/** What beforeGather() passes in from the flusher. */
export interface BatchContext {
  /** Bytes the staging area holds: the most a batch can be. */
  stagingSize: number;
  /** Payload bytes of the next committed record at head, or -1 (core.nextPayload). */
  nextPayload(): number;
  /**
   * Called before a switch to another file: make what is written as durable in the old file as the sync
   * policy (or a waiting durable flush) wants (A3).
   */
  settle(): void;
}

type Header = "if-empty" | Uint8Array | undefined;

export class ActiveFile implements FileHandle {
  readonly #view: RingView;
  readonly #requests: RotationRequests;
  readonly #driver: FileDriver;
  readonly #path: string;
  readonly #policy: RotationPolicy | undefined;
  /** Bytes of a file with no record yet: the frames header, or none. */
  readonly #headerBytes: number;
  readonly #room: RotationRoom | undefined;
  readonly #lock: FileLock | undefined;
  readonly #registry: WriterRegistry | undefined;
  readonly #nonce = nonce();
  readonly #rotationsAt: number;
  #file!: FileHandle;
  #identity = "";
  /** This file had a write since its last sync. */
  #unsynced = false;
  /** Files this flusher left with unsynced writes, open until the next sync (left_files.ts, LF1). */
  readonly #left = new LeftFiles();
  /**
   * A name in the log's directory changed since the last sync (the file opened, maybe created; a rotation's
   * rename): the next sync() makes the directory durable too, so that records it calls synced are not
   * lost with their file's name to a power loss.
   */
  #directoryChanged = true;
  /** The file's size as last seen (stat before the batch), plus what this flusher wrote since. */
  #size = 0;
  /** With every: the start of the file's period. */
  #period = -1;
  /** This flusher's latest rotated name: the next one with the same stamp takes the next counter. */
  #lastName: RotatedName = { stamp: -1, counter: -1 };
  /** Past the first open: a directory removed since is made again. */
  #opened = true;
  /**
   * The file this log wrote before it last followed `path` to another (a rotation by another process
   * seen, a reopen), while it has written nothing to the new one: a rotate() then answers with that file.
   */
  #switchedFrom: string | undefined;

  private constructor(view: RingView, driver: FileDriver, start: ActiveFileStart) {
    this.#view = view;
    this.#requests = new RotationRequests(view);
    this.#driver = driver;
    this.#path = start.path;
    this.#policy = start.rotate;
    this.#headerBytes = start.format === "frames" ? FRAMES_MAGIC.length : 0;
    this.#rotationsAt = (view.ring + view.layout.COUNTERS) / 8 + view.layout.COUNT_ROTATIONS;
    if (start.rotate !== undefined) {
      this.#room = new RotationRoom(rotationDriver(driver, "of this log"), start.path);
      this.#lock = new FileLock(this.#room, this.#room.lockPath);
      // Kept also without retention or compression: another process writing the path may have them (a
      // rolling change of its options), and its housekeeper must see which file this one writes to (W1).
      this.#registry = new WriterRegistry(this.#room);
    }
  }

  /** Opens the log's file in the flusher thread, as open() asked (append or truncate). */
  static open(view: RingView, driver: FileDriver, start: ActiveFileStart): ActiveFile {
    const file = new ActiveFile(view, driver, start);
    const mode = start.append ? "append" : "truncate";
    // A missing directory is open()'s error; only later, when it vanished under the log, is it made again.
    file.#opened = false;
    if (file.#lock === undefined) file.#openPath(mode, start.preamble);
    else {
      // The lock's room would make the directory: let open() fail on a missing one first, in its words.
      if (file.#room!.stat(file.#room!.dir) === undefined) openFile(driver, start.path, mode).close();
      // append: false starts a new file, but never by emptying one: other processes may be appending to
      // it (a truncating handle would also write at its own offset, over theirs). A file with records is
      // rotated aside instead, as a rotation would; they notice and follow.
      const rotated = file.#lock.with(() => {
        const found = start.append ? undefined : file.#room!.stat(start.path);
        const aside = found !== undefined && found.size > file.#headerBytes ? file.#renameAside(file.#foundStamp(found.mtimeMs)) : undefined;
        file.#openPath("append", "if-empty");
        return aside;
      });
      if (rotated !== undefined) view.core.counterAdd(view.ring, view.layout.COUNT_ROTATIONS, 1n);
    }
    file.#opened = true;
    return file;
  }

  write(bytes: Uint8Array, position?: number): number {
    this.#switchedFrom = undefined;
    this.#unsynced = true;
    const n = this.#file.write(bytes, position);
    this.#size += n;
    return n;
  }

  /** Files left with unsynced records, waiting for a sync (LF1). */
  get leftUnsynced(): number {
    return this.#left.count;
  }

  sync(): void {
    this.#left.syncAll(); // the files left since the last sync first: the caller marks all it wrote synced
    this.#file.sync();
    this.#unsynced = false;
    if (!this.#directoryChanged) return;
    syncDirectoryOf(this.#driver, splitPath(this.#path).dir);
    this.#directoryChanged = false;
  }

  close(): void {
    this.#recordLastFile();
    try {
      try {
        this.#left.closeAll();
      } finally {
        this.#file.close();
      }
    } finally {
      this.#registry?.withdraw();
    }
  }

  /** Says which file this flusher closes last, for a durable flush after close() (RingView.recordLastFile). */
  #recordLastFile(): void {
    let identity: string | undefined;
    try {
      identity = this.#file.stat?.().identity;
    } catch {
      identity = undefined; // unknown: a late durable flush syncs the file at `path`, as without stat
    }
    if (identity !== undefined) this.#view.recordLastFile(identity); // never throws: close() goes on
  }

  /**
   * Before each gather, between two batches: answers log.rotate() and log.reopen(), notices a `path` that
   * is no longer this file, rotates by period or size. Returns the most payload bytes the coming batch may
   * hold (A2).
   */
  beforeGather(batch: BatchContext): number {
    if (this.#left.count > 0) this.#left.trim(performance.now()); // LF2, outside the rotation lock
    const reopens = this.#requests.reopenDue();
    if (reopens !== 0n) {
      this.#switch(batch);
      this.#requests.answerReopen(reopens);
    }
    const rotations = this.#requests.rotationDue(this.#view.head());
    if (rotations !== 0n) this.#requests.answerRotation(rotations, this.#rotate(batch, true)!);
    const policy = this.#policy;
    if (policy === undefined) return batch.stagingSize;
    // The look at `path` (another process's rotation, our size refreshed with its batches) is skipped when
    // our own count already says the next record does not fit: the rotation is due unless `path` changed,
    // and #rotate() looks at `path` itself, under the lock, and at its size (emptied in place, it has room
    // again). Not with every: a rotation found made by another process must be followed before
    // #keepPeriod() judges the period, or this batch would go into that process's file of the last period.
    const full = policy.sizeBytes > 0 && policy.everyMs === 0 && this.#size > this.#headerBytes && policy.sizeBytes - this.#size < batch.stagingSize && doesNotFit(batch.nextPayload(), policy.sizeBytes - this.#size);
    if (!full) this.#notice(batch);
    // Judging may follow `path` to another process's file (it rotated first: #rotate and #keepPeriod find
    // that under the lock). That file is judged again, its period and its size, so that a batch of this
    // period never goes into a file another process began in the last one (A4), nor past size (A2).
    return this.#untilStill(() => this.#judge(batch, policy));
  }

  /**
   * Runs `judge` until a pass ends in the file it began with: a pass that followed `path` to another
   * process's file (it rotated first) judges that file too. It ends: a pass that rotates leaves an empty
   * file of the current period, which the next pass keeps, so a third pass needs another process to have
   * switched `path` again meanwhile.
   */
  #untilStill<T>(judge: () => T): T {
    for (;;) {
      const identity = this.#identity;
      const result = judge();
      if (identity === this.#identity) return result;
    }
  }

  /** Rotates by period (A4), then by size (A2): the most payload bytes the coming batch may hold. */
  #judge(batch: BatchContext, policy: RotationPolicy): number {
    if (policy.everyMs > 0) this.#keepPeriod(batch, policy);
    if (policy.sizeBytes === 0) return batch.stagingSize;
    let room = policy.sizeBytes - this.#size;
    if (room < batch.stagingSize) {
      const next = batch.nextPayload();
      // Nothing committed at head yet: a file past size (a record larger than size took it) is rotated
      // when the next record comes, not while the flusher idles. A record committed since gets the next
      // pass: gather() takes nothing that does not fit, and prepareSleep() sees it and does not sleep.
      if (next < 0) return Math.max(0, Math.min(batch.stagingSize, room));
      if (doesNotFit(next, room) && this.#size > this.#headerBytes) {
        this.#rotate(batch, false);
        room = policy.sizeBytes - this.#size;
      }
      if (next > room) return next; // larger than size: alone in a file of its own (A2)
    }
    return Math.max(0, Math.min(batch.stagingSize, room));
  }

  /**
   * Between the gather and the write of a batch (a switch here still keeps the batch whole, A1): with
   * every, a period that ended since beforeGather judged it rotates the file first (A4: a batch goes to
   * the file of the period the flusher writes it in). The gather can come long after the judgement on a
   * loaded machine (the flusher preempted between them), and gathers records written after the period
   * ended. A file followed here (another process rotated first) is judged again, as in beforeGather, by
   * its period and, since `bytes` were gathered for the room of the file left, by its size (A2).
   */
  beforeWrite(batch: BatchContext, bytes: number): void {
    const policy = this.#policy;
    if (policy === undefined || policy.everyMs === 0 || periodStart(policy, Date.now()) === this.#period) return;
    const gatheredFor = this.#identity;
    const sizeThen = this.#size;
    this.#untilStill(() => {
      this.#keepPeriod(batch, policy);
      // The room the batch was gathered for holds unless the judgement moved to another file, or found
      // another process's batch in this one.
      if (policy.sizeBytes === 0 || (this.#identity === gatheredFor && this.#size === sizeThen)) return;
      if (this.#size > this.#headerBytes && bytes > policy.sizeBytes - this.#size) this.#rotate(batch, false, undefined, bytes);
    });
  }

  /** The flusher woke with nothing to do: another process may have rotated the file meanwhile. */
  idle(batch: BatchContext): void {
    if (this.#left.count > 0) this.#left.trim(performance.now()); // LF2, outside the rotation lock
    if (this.#policy !== undefined) this.#notice(batch);
  }

  /** With the rotate option: reopen when `path` is no longer this file; else refresh the size from it. */
  #notice(batch: BatchContext): void {
    const stat = this.#room!.stat(this.#path);
    if (stat === undefined || stat.identity !== this.#identity) this.#switch(batch);
    else if (stat.size < this.#headerBytes) this.#mend(batch);
    else this.#size = stat.size;
  }

  /**
   * The file at `path` was seen emptied in place (`: > app.log`) below its frames header: under the lock,
   * the header again before any frame (A5), unless another process wrote it first or moved the file away.
   */
  #mend(batch: BatchContext): void {
    batch.settle(); // not under the lock: a slow disk would hold every process's rotation
    let setAside = false;
    this.#lock!.with(() => {
      const stat = this.#room!.stat(this.#path);
      if (stat === undefined || stat.identity !== this.#identity) this.#followAway();
      else if (stat.size < this.#headerBytes) setAside = !this.#mendHeld(stat.size);
      else this.#size = stat.size; // another process wrote the header (and maybe a batch) first
    });
    if (setAside) this.#counted();
  }

  /**
   * Holding the lock, this file at `path` found emptied in place to `size`: a frames file gets its header
   * again (A5); one cut short inside its header is set aside (frames cannot follow it): false then.
   */
  #mendHeld(size: number): boolean {
    this.#size = size;
    if (size === 0 && this.#headerBytes > 0) {
      writeFully(this.#file, FRAMES_MAGIC);
      this.#size = FRAMES_MAGIC.length;
    }
    if (this.#size >= this.#headerBytes) return true;
    this.#rotateHeld();
    return false;
  }

  /** A rotation of this log's (a file renamed aside): counted, and the housekeeper woken. */
  #counted(): void {
    this.#view.core.counterAdd(this.#view.ring, this.#view.layout.COUNT_ROTATIONS, 1n);
    Atomics.notify(this.#view.i64, this.#rotationsAt); // the housekeeper (housekeeper_worker.ts)
  }

  /** A4: a file with records of an earlier period is rotated; an empty one takes the current period. */
  #keepPeriod(batch: BatchContext, policy: RotationPolicy): void {
    const current = periodStart(policy, Date.now());
    if (current === this.#period) return;
    if (this.#size > this.#headerBytes) {
      if (current > this.#period) this.#rotate(batch, false, current); // a clock set back rotates nothing
      return;
    }
    // Empty: its first batch gives it its period, for every process (the lock orders two that try).
    batch.settle(); // before a follow below, and not under the lock: a slow disk would hold every process
    let rotated = false;
    this.#lock!.with(() => {
      const stat = this.#room!.stat(this.#path);
      if (stat?.identity !== this.#identity) {
        // Rotated meanwhile (another process's rotate()): this batch goes to the file at `path` now, once
        // beforeGather has judged that file's period.
        this.#followAway();
        return;
      }
      const shared = this.#readActive();
      if (shared !== undefined && shared >= current) this.#period = shared;
      else if (stat.size <= this.#headerBytes) this.#writeActive(current);
      else {
        // Another process's batch landed since our look, in an earlier period (the one `active` gives the
        // file, or else its last change's): the file holds records of that period, so it is rotated (A4).
        this.#size = stat.size;
        this.#period = shared ?? periodStart(policy, stat.mtimeMs);
        if (this.#period >= current) {
          // No `active` entry for this file (it was lost), and the file changed in this period: it is this
          // period's, and `active` says so again, so later looks need not go by its mtime.
          this.#writeActive(current);
          return;
        }
        this.#rotateHeld();
        rotated = true;
      }
    });
    if (rotated) this.#counted();
  }

  /** Closes this file and opens `path` again: reopen(), or a rotation seen from outside. */
  #switch(batch: BatchContext): void {
    batch.settle();
    if (this.#lock === undefined) this.#followAway();
    else this.#lock.with(() => this.#followAway());
    if (this.#room !== undefined) Atomics.notify(this.#view.i64, this.#rotationsAt); // the housekeeper may act
  }

  /**
   * Renames `path` aside and starts a new file there (A1, A3). `asked`: log.rotate(), which rotates even an
   * empty file, and the file found at `path` if another process rotated ours meanwhile. Otherwise (size,
   * period), a file another process rotated first is only reopened: undefined. `period`: a rotation for
   * the period starting then, skipped when another process already gave this file that period (the file
   * was empty when the period began and its first batch of the period came from that process); a file
   * found emptied in place takes that period instead of being renamed aside. `needs`: the payload bytes
   * that must fit, when a size rotation finds the file emptied in place (the next record, or a gathered
   * batch).
   */
  #rotate(batch: BatchContext, asked: boolean, period?: number, needs = batch.nextPayload()): RotatedName | undefined {
    const room = this.#room;
    if (room === undefined) throw new TypeError(`ringlog: rotate() needs open()'s rotate option`);
    batch.settle();
    let renamed: RotatedName | undefined;
    this.#lock!.with(() => {
      const stat = room.stat(this.#path);
      if (stat === undefined || stat.identity !== this.#identity) {
        // Rotated by another process since our last look (or moved away): that was this threshold's rotation.
        const from = this.#switchedFrom ?? this.#identity;
        this.#followAway();
        if (!asked) return;
        // log.rotate(): its caller's records are in the file another process rotated; answer with that
        // file's name rather than rotate the new one. Moved away by something else: rotate as asked.
        const found = this.#rotatedFileOf(from);
        if (found === undefined) this.#rotateHeld();
        else {
          renamed = found;
          return;
        }
      } else {
        // log.rotate() after this log followed another process's rotation and wrote nothing since: the
        // caller's records are in that rotated file, which answers it.
        const found = asked && this.#switchedFrom !== undefined ? this.#rotatedFileOf(this.#switchedFrom) : undefined;
        if (found !== undefined) {
          renamed = found;
          return;
        }
        // Judged by our own count (by size: beforeGather skipped its look; by period: the look is stale),
        // the file may have been emptied in place since (`: > app.log`, copytruncate).
        const emptied = period === undefined ? stat.size < this.#size : stat.size <= this.#headerBytes;
        if (!asked && emptied) {
          if (!this.#mendHeld(stat.size)) {
            renamed = this.#lastName; // a cut-short frames header, set aside
            return;
          }
          // By period: it holds no record of the last period, so it takes this one instead of being renamed
          // aside empty.
          if (period !== undefined) {
            this.#writeActive(period);
            return;
          }
          // By size: rotate only if the next record still lacks room in it, and never a file with no record
          // (a record larger than size takes it alone).
          if (this.#size === this.#headerBytes || this.#policy!.sizeBytes - this.#size >= needs) return;
        }
        const shared = period === undefined ? undefined : this.#readActive();
        if (shared !== undefined && shared >= period!) {
          this.#period = shared;
          return;
        }
        this.#rotateHeld();
      }
      renamed = this.#lastName;
    });
    if (renamed === undefined || renamed !== this.#lastName) {
      Atomics.notify(this.#view.i64, this.#rotationsAt);
      return renamed; // no rotation of ours (another process's, found for a rotate() caller, or none)
    }
    this.#counted();
    return renamed;
  }

  /** Holding the lock, with this file at `path`: rename it aside, then follow `path` to a new file. */
  #rotateHeld(): void {
    const policy = this.#policy!;
    // #switchedFrom stays: set, this log wrote nothing to the file renamed here (another process's, or
    // rotated by period while idle), and its last records are still in the file it names.
    this.#renameAside(policy.everyMs > 0 ? Math.max(this.#period, 0) : Date.now());
    this.#follow();
  }

  /**
   * Follows `path` to a file this log did not put there (another process's rotation, a reopen): a rotate()
   * before this log writes again answers with the file its records went to, the first one left.
   */
  #followAway(): void {
    const from = this.#identity;
    this.#follow();
    this.#switchedFrom ??= from;
  }

  /** Closes this file for the one at `path` now, opened or made (with the rotate option, holding the lock). */
  #follow(): void {
    const old = this.#file;
    const unsynced = this.#unsynced;
    this.#openPath("append", "if-empty"); // failing, it keeps `old` as this log's file (closed by close())
    // With sync "never" and no durable flush waiting, settle() synced nothing: a durable flush asked for
    // after this switch must still cover the old file's records, so it stays open until then (LF1).
    this.#unsynced = false;
    this.#left.leave(old, unsynced);
  }

  /** Holding the lock: the rotated (not yet compressed) file that is the file `identity`, newest first. */
  #rotatedFileOf(identity: string): RotatedName | undefined {
    const room = this.#room!;
    const files = rotatedFiles(this.#path, room.readdir(room.dir)).filter((file) => !file.gzip);
    for (let i = files.length - 1; i >= 0; i--) {
      if (room.stat(rotatedPath(this.#path, files[i]))?.identity === identity) return files[i];
    }
    return undefined;
  }

  /**
   * The stamp of a file found at `path` that this log did not write, when it is set aside: with every,
   * the period of its last change; else now.
   */
  #foundStamp(mtimeMs: number): number {
    const policy = this.#policy!;
    return policy.everyMs > 0 ? periodStart(policy, mtimeMs) : Date.now();
  }

  /** Holding the lock: renames the file at `path` to the next rotated name with this stamp. */
  #renameAside(stamp: number): RotatedName {
    const name = this.#freeName(stamp);
    this.#room!.rename(this.#path, rotatedPath(this.#path, name));
    this.#directoryChanged = true;
    this.#lastName = name;
    return name;
  }

  /**
   * Holding the lock: the next name with this stamp that no file has, plain or compressed: names never
   * collide. With every, many rotations share a stamp (the period's start), across processes and
   * restarts: the counter goes past every rotated file's with that stamp, so that the newest file has
   * the highest counter. (The lowest free counter would not do: retention removes the oldest files, and a
   * later rotation would take a freed name, sort first, and be the next one retention removes.) Without
   * every the stamp is the rotation's millisecond, shared only by rotations in the same millisecond: no
   * directory listing per rotation for them.
   */
  #freeName(stamp: number): RotatedName {
    const room = this.#room!;
    let counter = stamp === this.#lastName.stamp ? this.#lastName.counter + 1 : 0;
    if (this.#policy!.everyMs > 0) {
      for (const file of rotatedFiles(this.#path, room.readdir(room.dir))) {
        if (file.stamp === stamp) counter = Math.max(counter, file.counter + 1);
      }
    }
    for (;; counter++) {
      const plain = rotatedPath(this.#path, { stamp, counter });
      if (!room.exists(plain) && !room.exists(`${plain}.gz`)) return { stamp, counter };
    }
  }

  /**
   * Opens `path` in `mode` (making its directory again if it was removed), writes `header` (or, with
   * "if-empty", the frames header into an empty frames file: A5), learns the file's identity and size,
   * its period (every) and publishes it (A6). With the rotate option, called holding the lock; a frames
   * file found there cut short inside its header, when following `path`, is set aside (`setAside`: how
   * many this call has set aside so far). Failing, it leaves no file of its own open, and the log's file
   * the one before (at the first open there is none: the opener gets the error, never this object).
   */
  #openPath(mode: OpenMode, header: Header, setAside = 0): void {
    const previous: FileHandle | undefined = this.#file; // undefined at the first open
    let file: FileHandle;
    try {
      file = openFile(this.#driver, this.#path, mode);
    } catch (error) {
      // The log's directory was removed under it (a cleanup job): make it again, as a new log would need.
      if (!this.#opened || codeOf(error) !== "ENOENT" || this.#driver.mkdir === undefined) throw error;
      const { dir } = splitPath(this.#path);
      const mkdir = this.#driver.mkdir.bind(this.#driver);
      try {
        mkdir(dir);
      } catch (cause) {
        throw new FileError(dir, "mkdir", cause);
      }
      file = openFile(this.#driver, this.#path, mode);
    }
    file = reportingFile(file, this.#path);
    this.#directoryChanged = true;
    let stat: FileStat | undefined;
    let cutShort = false;
    try {
      stat = this.#room === undefined ? undefined : statOf(file, this.#path);
      let size = stat?.size ?? (header === "if-empty" && this.#headerBytes > 0 ? fileSize(file, this.#path) : 0);
      if (header === "if-empty" && this.#headerBytes > 0) {
        if (size === 0) {
          writeFully(file, FRAMES_MAGIC);
          size = FRAMES_MAGIC.length;
        } else if (size < FRAMES_MAGIC.length) {
          if (stat === undefined || !this.#opened || setAside >= 3) {
            throw new Error(`ringlog: cannot append frames to ${JSON.stringify(this.#path)}: it has a cut-short frames header (run recover() on it)`);
          }
          cutShort = true;
        }
      } else if (header instanceof Uint8Array) {
        writeFully(file, header);
        size += header.length;
      }
      if (!cutShort) {
        // Last in this try: the catch below closes `file`, which must not yet be this log's.
        this.#file = file;
        this.#size = size;
      }
    } catch (error) {
      file.close();
      throw error;
    }
    if (stat === undefined) return;
    if (cutShort) {
      // Holding the lock, following `path` (another process's rotation, a reopen): the file there is a
      // frames file cut short inside its header (a tool truncated it). No frame may follow such a header
      // (A5), and its bytes are not ours to mend: it is set aside under a rotated name, as a rotation
      // would, and `path` starts again (a few times at most: each needs a tool to cut a file again). The
      // file this log wrote before stays open until then (#follow). #lastName stays the name of this
      // log's own last rotation, which #rotate answers a rotate() caller with.
      file.close();
      const last = this.#lastName;
      this.#renameAside(this.#foundStamp(stat.mtimeMs));
      this.#lastName = last;
      this.#counted();
      this.#openPath(mode, header, setAside + 1);
      return;
    }
    try {
      this.#identity = stat.identity;
      if (this.#policy!.everyMs > 0) this.#learnPeriod(stat);
      this.#registry!.publish(stat.identity);
    } catch (error) {
      // Taken but not learnt or published (A6): the log fails with this error. The file is given up here,
      // the one before it stays this log's (close() closes it; #follow leaves it nowhere else), so no fd
      // outlives the failure, also at the first open, whose opener never gets this object.
      if (previous !== undefined) this.#file = previous;
      try {
        file.close();
      } catch {
        // This error is the one reported.
      }
      throw error;
    }
  }

  /** Holding the lock: the period of the file just opened, from the room's `active` file (A4). */
  #learnPeriod(stat: FileStat): void {
    const shared = this.#readActive();
    if (shared !== undefined) {
      this.#period = shared;
      return;
    }
    // A file no process of ours has described: one from before, created outside, or new. A file with
    // records was last written in the period of its last change.
    const policy = this.#policy!;
    this.#writeActive(periodStart(policy, this.#size > this.#headerBytes ? stat.mtimeMs : Date.now()));
  }

  /** The period the room's `active` file gives this file, or undefined when it describes another file. */
  #readActive(): number | undefined {
    const text = this.#room!.readSmall(this.#room!.activePath);
    const match = text === undefined ? null : /^(\S+) (-?\d+)\n$/.exec(text);
    return match !== null && match[1] === this.#identity ? Number(match[2]) : undefined;
  }

  #writeActive(period: number): void {
    this.#period = period;
    this.#room!.replaceSmall(this.#room!.activePath, `${this.#identity} ${period}\n`, this.#nonce);
  }
}

/** A record of `next` payload bytes (-1: none committed yet) needs more than `room`. */
function doesNotFit(next: number, room: number): boolean {
  return next >= 0 && next > room;
}

function statOf(file: FileHandle, path: string): FileStat {
  if (file.stat === undefined) {
    throw new TypeError(`ringlog: the file driver's handles have no stat() method, which rotating ${JSON.stringify(path)} needs`);
  }
  return file.stat();
}
