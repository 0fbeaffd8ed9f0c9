// Checks a run of frames (src/frames/frames.ts: [u32 n | u32 crc32c(n bytes of the length, payload)][n bytes])
// in one call, for read() and recover(): one wasm call per chunk of a file instead of two per record.
//
//   at + 0 ........ at + length     the chunk: whole frames, then perhaps the start of one cut by the chunk
//   table                           the CRC-32C tables (crc32c.ts), filled by crc32cInit
//   ends[0 .. count)                u32: frameEnds' output, the offset just past each whole frame
//
// scanFrames writes nothing; frameEnds writes only ends[0, maxEnds). The caller owns every area.

import { crc32c, crc32cU32 } from "./crc32c";

/**
 * Walks the frames from `at` and returns how far they are whole and intact: p >= 0 when the chunk ends
 * (exactly, or inside the frame that starts at p: the caller reads on from p); -(p + 1) when the frame at p
 * is corrupt (its length is over `maxFrame`, or its CRC does not check out).
 */
export function scanFrames(table: usize, at: usize, length: i32, maxFrame: u32): i32 {
  let p: i32 = 0;
  while (length - p >= 8) {
    const frame = at + <usize>p;
    const n = load<u32>(frame);
    if (n > maxFrame) return -p - 1;
    if (n > <u32>(length - p - 8)) return p;
    const crc = crc32c(table, crc32cU32(table, 0, n), frame + 8, <i32>n);
    if (crc != load<u32>(frame, 4)) return -p - 1;
    p += 8 + <i32>n;
  }
  return p;
}

/**
 * Walks the frames from `at` by their lengths alone (no CRC), writing the offset just past each frame the
 * chunk holds whole to `ends`, and returns how many it wrote: the walk stops at the chunk's end, inside the
 * frame the end cuts, or after `maxEnds` frames. Returns -(count + 1) when it stopped before a frame whose
 * length is over `maxFrame`. The reader learns where to read next from it before the slower CRC pass, and
 * makes its records' views from `ends` without walking the lengths again (a chain of dependent loads).
 */
export function frameEnds(at: usize, length: i32, maxFrame: u32, ends: usize, maxEnds: i32): i32 {
  let p: i32 = 0;
  let count: i32 = 0;
  while (length - p >= 8 && count < maxEnds) {
    const n = load<u32>(at + <usize>p);
    if (n > maxFrame) return -count - 1;
    if (n > <u32>(length - p - 8)) break;
    p += 8 + <i32>n;
    store<u32>(ends + (<usize>count << 2), <u32>p);
    count++;
  }
  return count;
}
