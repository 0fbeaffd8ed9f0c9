// Checks a run of frames (src/frames/frames.ts: [u32 n | u32 crc32c(n bytes of the length, payload)][n bytes])
// in one call, for read() and recover(): one wasm call per chunk of a file instead of two per record.
//
//   at + 0 ........ at + length     the chunk: whole frames, then perhaps the start of one cut by the chunk
//   table                           the CRC-32C tables (crc32c.ts), filled by crc32cInit
//
// Nothing is written: the caller owns both areas.

import { crc32c } from "./crc32c";

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
    const crc = crc32c(table, crc32c(table, 0, frame, 4), frame + 8, <i32>n);
    if (crc != load<u32>(frame, 4)) return -p - 1;
    p += 8 + <i32>n;
  }
  return p;
}
