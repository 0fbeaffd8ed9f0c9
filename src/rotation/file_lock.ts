// A lock between processes made of one file, created with O_EXCL: whoever creates it holds it, removing it
// releases it. It holds "<pid>-<start> <nonce>" (runtime/process_identity.ts), so that a holder that died
// (SIGKILL) is recognised and its lock broken: a process killed while holding it must not stop the others.
//
// Breaking is where such locks usually go wrong: two processes find the same dead holder, the first
// removes the stale file and takes the lock anew, the second then removes the first's live lock. Here a
// stale lock is removed only by the process that created its break marker, `<lock>.break-<holder's
// word and nonce>`, with O_EXCL too: one breaker per stale lock. The breaker re-reads the lock before
// removing it; it can only still be the stale one (nobody else removes it), unless it is gone.
// A breaker that dies holding a marker leaves a stale marker, broken the same way (one level up).
//
// Invariants:
//   L1  at most one process holds the lock at a time, as long as no holder is taken for dead while it runs:
//       a holder is dead only when its pid is gone (or, on Linux, now belongs to a process that started
//       later). A stopped (SIGSTOP) holder is alive: the others wait for it.
//   L2  a lock whose holder died is broken by exactly one process (its marker), which removes that lock
//       and no other (the re-read compares the nonce).
//   L3  a lock file with no text yet is its creator's between its create and its write; one that stays
//       empty for EMPTY_LOCK_MS was left by a creator that died in between (broken by its inode).
//   L4  release() removes the file at the lock's path only if it is the holder's own: the holder keeps its
//       lock file open while it holds it, so no other file can take that inode meanwhile, and the file at
//       the path is the holder's exactly when it has the same device and inode, or (a file system whose
//       stat and fstat disagree) the same text, nonce and all. (Another's would be there only after a
//       wrong liveness answer broke ours, L1; removing it would let a third in.) One stat, where reading
//       the text back took an open, two reads and a close, in every rotation.
import { type ProcessId, parseProcessWord, processAlive, processWord, thisProcess } from "../runtime/process_identity.ts";
import type { FileHandle } from "../io/driver.ts";
import { nonce, type RotationRoom } from "./rotation_room.ts";

const EMPTY_LOCK_MS = 5000;
// A marker of a marker of a marker: three breakers each dead in the microseconds they hold one.
const MAX_BREAK_DEPTH = 3;
// Waiting for a live holder: its critical section is a few syscalls, so start short.
const FIRST_WAIT_MS = 1;
const LONGEST_WAIT_MS = 20;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** This process's hold on the lock: its lock file, open (L4), and that file's identity. */
interface Held {
  file: FileHandle;
  identity: string;
  text: string;
}

interface Holder {
  id: ProcessId;
  text: string;
}

function holderOf(text: string): Holder | undefined {
  const match = /^(\S+) ([0-9a-f]+)\n$/.exec(text);
  const id = match === null ? undefined : parseProcessWord(match[1]);
  return id === undefined ? undefined : { id, text };
}

export class FileLock {
  readonly #room: RotationRoom;
  readonly #path: string;
  #held: Held | undefined;

  constructor(room: RotationRoom, path: string) {
    this.#room = room;
    this.#path = path;
  }

  get held(): boolean {
    return this.#held !== undefined;
  }

  /** One attempt: true when this process now holds the lock. A dead holder's lock is broken first. */
  tryAcquire(): boolean {
    if (this.held) throw new Error(`ringlog: the lock ${JSON.stringify(this.#path)} is already held by this log`);
    const text = `${processWord(thisProcess())} ${nonce()}\n`;
    let file = this.#room.createHeld(this.#path, text);
    if (file === undefined && breakIfStale(this.#room, this.#path, 0)) file = this.#room.createHeld(this.#path, text);
    if (file === undefined) return false;
    try {
      if (file.stat === undefined) throw new TypeError(`ringlog: the file driver's handles have no stat() method, which the rotation lock ${JSON.stringify(this.#path)} needs`);
      this.#held = { file, identity: file.stat().identity, text };
    } catch (error) {
      // Our lock file, with our live pid in it: left behind, every other process would wait for it forever.
      try {
        this.#room.unlink(this.#path);
      } finally {
        file.close();
      }
      throw error;
    }
    return true;
  }

  /** Blocks this thread (the flusher, or the housekeeper) until it holds the lock. */
  acquire(): void {
    for (let wait = FIRST_WAIT_MS; !this.tryAcquire(); wait = Math.min(LONGEST_WAIT_MS, wait * 2)) {
      Atomics.wait(sleeper, 0, 0, wait);
    }
  }

  release(): void {
    const held = this.#held;
    if (held === undefined) return;
    this.#held = undefined;
    try {
      // L4. The text as well, read only when the identities differ: a file system whose stat and fstat
      // disagree on device or inode (some FUSE and network ones) must not keep our lock for good.
      const found = this.#room.stat(this.#path);
      if (found !== undefined && (found.identity === held.identity || this.#room.readSmall(this.#path) === held.text)) this.#room.unlink(this.#path);
    } finally {
      held.file.close();
    }
  }

  /** Runs `critical` holding the lock. */
  with<T>(critical: () => T): T {
    this.acquire();
    try {
      return critical();
    } finally {
      this.release();
    }
  }
}

/**
 * Removes the lock file `path` if its holder is dead (L2, L3); true when the lock is free now (broken,
 * or gone already), false when it is held or another process is breaking it.
 */
function breakIfStale(room: RotationRoom, path: string, depth: number): boolean {
  const text = room.readSmall(path);
  if (text === undefined) return true;
  const holder = holderOf(text);
  let key: string;
  let emptyIdentity: string | undefined;
  if (holder !== undefined) {
    if (processAlive(holder.id)) return false;
    key = text.trim().replace(" ", "-");
  } else {
    const stat = room.stat(path);
    if (stat === undefined) return true;
    if (text.length > 0 || Date.now() - stat.mtimeMs < EMPTY_LOCK_MS) return false; // L3: being written
    emptyIdentity = stat.identity;
    key = `empty-${stat.identity.replace(":", "-")}`;
  }
  const marker = `${path}.break-${key}`;
  if (!room.createExclusive(marker, `${processWord(thisProcess())} ${nonce()}\n`)) {
    if (depth < MAX_BREAK_DEPTH) breakIfStale(room, marker, depth + 1);
    return false;
  }
  try {
    const now = room.readSmall(path);
    const same = holder !== undefined ? now === text : now === "" && room.stat(path)?.identity === emptyIdentity;
    if (same) room.unlink(path);
    return now === undefined || same;
  } finally {
    room.unlink(marker);
  }
}
