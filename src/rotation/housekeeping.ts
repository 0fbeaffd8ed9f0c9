// What becomes of rotated files: retention (keep, maxAgeMs) and compression, one pass at a time, by one
// thread per process (housekeeper_worker.ts), off the write path, and by one process at a time: the pass
// runs holding the room's housekeeping lock (file_lock.ts), so it alone compresses, and a `.partial` it
// finds was left by a housekeeper that died (crash-safe compression: gzip_file.ts).
//
// A rotated file that a live process may still write to (it had not noticed the rotation: W1 in
// writer_registry.ts) is neither compressed nor removed until that process has moved on or died.
import { gzipFile, gzipSizeField } from "./gzip_file.ts";
import { rotatedFiles } from "./rotated_name.ts";
import type { RotationPolicy } from "./rotation_policy.ts";
import type { RotationRoom } from "./rotation_room.ts";
import { fileHeld } from "./writer_registry.ts";

/** One rotated file: plain, compressed, or both (a crash between the .gz's rename and the removal). */
interface Rotated {
  plainName: string;
  plain: boolean;
  gz: boolean;
}

/** One pass over the log's rotated files, holding the housekeeping lock. */
export async function housekeep(room: RotationRoom, policy: RotationPolicy, now: number = Date.now()): Promise<void> {
  for (const name of room.readdir(room.room)) {
    if (name.endsWith(".gz.partial")) room.unlink(`${room.room}/${name}`); // a dead housekeeper's
  }
  const files: Rotated[] = [];
  for (const file of rotatedFiles(room.path, room.readdir(room.dir))) {
    const last = files[files.length - 1];
    if (last?.plainName === file.plainName) last.gz = true; // name order puts a plain file just before its .gz
    else files.push({ plainName: file.plainName, plain: !file.gzip, gz: file.gzip });
  }
  const plainOf = (file: Rotated) => `${room.dir}/${file.plainName}`;
  const held = (file: Rotated) => {
    const stat = file.plain ? room.stat(plainOf(file)) : undefined;
    return stat !== undefined && fileHeld(room, stat.identity);
  };
  const tooOld = (file: Rotated) => {
    const stat = room.stat(file.plain ? plainOf(file) : `${plainOf(file)}.gz`);
    return stat !== undefined && now - stat.mtimeMs > policy.maxAgeMs;
  };
  const surplus = policy.keep >= 0 ? files.length - policy.keep : 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    if (i < surplus || (policy.maxAgeMs > 0 && tooOld(file))) {
      if (held(file)) continue;
      if (file.plain) room.unlink(plainOf(file));
      if (file.gz) room.unlink(`${plainOf(file)}.gz`);
      continue;
    }
    if (policy.compress === undefined || !file.plain) continue;
    if (file.gz) {
      // Both: compression ended between its two last steps. The .gz has its final name only when whole;
      // its size field confirms it is this file's.
      const size = room.stat(plainOf(file))?.size;
      if (size !== undefined && gzipSizeField(room, `${plainOf(file)}.gz`) === size % 2 ** 32) {
        // The .gz's name durable first, as gzipFile does: a crash may have come before its directory fsync.
        room.syncDirectory(room.dir);
        room.unlink(plainOf(file));
      }
      continue;
    }
    if (held(file)) continue;
    await gzipFile(room, plainOf(file), `${plainOf(file)}.gz`, `${room.room}/${file.plainName}.gz.partial`);
  }
}
