// Which file each open log is writing to, across processes, so that a rotated file is compressed or removed
// only once no live process can still write to it. A process that had not yet noticed a rotation writes
// its next batch to the old file (active_file.ts checks `path` before each batch, not atomically with the
// write); compressing that file meanwhile and removing it would lose the batch.
//
// Kept by every log with the rotate option (another process on the path may have keep, maxAgeMs or
// compress even if this one has not), and read only by the housekeeper. One empty file per open log in the room: `writer.<pid>-<start>.<nonce>.<dev>-<ino>`, renamed (one step)
// when the log moves to another file.
//
// Invariant W1: a log publishes the file it moves to before it releases the rotation lock, and checks
// before every batch that `path` is still that file. A rotator renames `path` holding the lock, and the
// housekeeper reads the entries after that rename: so either a writer's check comes after the rename (it
// sees another file at `path` and does not write to the old one), or its entry names the old file when
// the housekeeper looks, and the file is left alone until the entry moves on or its process dies.
import { parseProcessWord, processAlive, processWord, thisProcess } from "../runtime/process_identity.ts";
import { codeOf } from "../io/driver.ts";
import { nonce, type RotationRoom } from "./rotation_room.ts";

const ENTRY = /^writer\.(\d+-\d+)\.[0-9a-f]+\.(\d+)-(\d+)$/;

export class WriterRegistry {
  readonly #room: RotationRoom;
  readonly #prefix: string;
  #entry: string | undefined;

  constructor(room: RotationRoom) {
    this.#room = room;
    this.#prefix = `${room.room}/writer.${processWord(thisProcess())}.${nonce()}.`;
  }

  /** From now on this log writes to the file `identity` (W1: before its first write to it). */
  publish(identity: string): void {
    const entry = this.#prefix + identity.replace(":", "-");
    if (entry === this.#entry) return;
    const previous = this.#entry;
    if (previous !== undefined) {
      try {
        this.#room.rename(previous, entry);
        this.#entry = entry;
        return;
      } catch (error) {
        // Still the previous name when the rename failed otherwise: withdraw() removes the entry there is.
        if (codeOf(error) !== "ENOENT") throw error; // the room was removed under us: make the entry anew
      }
    }
    this.#room.createExclusive(entry, "");
    this.#entry = entry;
  }

  /** The log is closed: it writes to no file any more. */
  withdraw(): void {
    if (this.#entry !== undefined) this.#room.unlink(this.#entry);
    this.#entry = undefined;
  }
}

/**
 * Whether a live process may still write to the file `identity` (W1). Entries of dead processes are
 * removed on the way.
 */
export function fileHeld(room: RotationRoom, identity: string): boolean {
  let held = false;
  for (const name of room.readdir(room.room)) {
    const match = ENTRY.exec(name);
    if (match === null) continue;
    const owner = parseProcessWord(match[1])!;
    if (!processAlive(owner)) {
      room.unlink(`${room.room}/${name}`);
      continue;
    }
    if (`${match[2]}:${match[3]}` === identity) held = true;
  }
  return held;
}
