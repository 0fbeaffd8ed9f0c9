// The "frames" file format, as written by a ring opened with { format: "frames" } and read by read():
//
//   [ 8-byte file header: 89 52 4C 46 0D 0A 1A 0A ]       "\x89RLF\r\n\x1a\n", PNG-style: binary, and a
//                                                        text-mode transfer that rewrites line ends shows
//   [ u32 n | u32 crc ][ n bytes ]  ...                  one frame per record, little-endian, no padding
//
// crc = CRC-32C over the 4 length bytes, then the n payload bytes (computed by the producer in the wasm core,
// assembly/ring.ts commitFrame). Covering the length means a run of zero bytes, which a crash can leave
// where data was not yet flushed, never checks out as an empty record.
import { coreModule, instantiateCore, ringLayout, type Core } from "../core/core.ts";

export const FRAMES_MAGIC = new Uint8Array([0x89, 0x52, 0x4c, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
export const FRAME_HEADER = 8;
/** The ring's largest maxRecord (capacity / 8 of a 1 GiB ring): a longer frame is corrupt, not torn. */
export const MAX_FRAME = (1024 * 1024 * 1024) / 8;

/** Does `bytes` start with the frames file header (or with part of it, for a file cut short inside it)? */
export function startsWithMagic(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, FRAMES_MAGIC.length);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== FRAMES_MAGIC[i]) return false;
  return true;
}

// Layout of the checker's own memory:
//   0                        the CRC-32C tables (CRC_TABLE_BYTES, assembly/crc32c.ts)
//   SCRATCH                  SCAN_BYTES: a chunk of the file, copied in to be checked or scanned
//   ENDS                     u32[MAX_ENDS]: line ends found by scanLines (assembly/line_scan.ts), or the
//                            ends of the frames of the chunk last scanned (frameEnds, assembly/frame_scan.ts)
const TABLE = 0;
const SCRATCH = 16384;
/** Frames up to this many bytes in all are checked by two wasm calls, lengths then CRCs ({@link FrameChecker.scan}). */
export const SCAN_BYTES = 4 << 20;
const SCRATCH_BYTES = SCAN_BYTES;
const ENDS = SCRATCH + SCRATCH_BYTES;
const MAX_ENDS = SCAN_BYTES / FRAME_HEADER; // every frame of a chunk, even all empty

/**
 * Checks frames' CRCs with the core's CRC-32C, and finds a text chunk's lines, a chunk per wasm call (one
 * instance per reader).
 */
export class FrameChecker {
  readonly #core: Core;
  readonly #scratch: Uint8Array;
  readonly #ends: Uint32Array;
  /** The chunk whose frames' ends are in #ends (the last one scan() was given), and how many. */
  #framed: Uint8Array | undefined;
  #frameCount = 0;

  constructor() {
    if (ringLayout(coreModule()).CRC_TABLE_BYTES > SCRATCH) throw new Error("ringlog: internal error: the CRC tables outgrew the checker's layout");
    const pages = Math.ceil((ENDS + 4 * MAX_ENDS) / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.#core = instantiateCore(coreModule(), memory).core;
    this.#core.crc32cInit(TABLE);
    this.#scratch = new Uint8Array(memory.buffer, SCRATCH, SCRATCH_BYTES);
    this.#ends = new Uint32Array(memory.buffer, ENDS, MAX_ENDS);
  }

  /**
   * The whole lines of `chunk` (each with its line end; the bytes after the last line end are left out) as
   * views into it, in order, at most `perBatch` to an array. Lazy: each array is made when it is asked for,
   * so its views can die before the next are made (see BATCH_RECORDS in read.ts).
   */
  *lineBatches(chunk: Uint8Array, perBatch: number): Generator<Uint8Array[], void, undefined> {
    const { buffer, byteOffset } = chunk;
    let start = 0;
    if (chunk.length > SCRATCH_BYTES) { // a line longer than a chunk: rare, and indexOf is fine for it
      let batch: Uint8Array[] = [];
      for (let end = chunk.indexOf(0x0a) + 1; end > 0; end = chunk.indexOf(0x0a, start) + 1) {
        batch.push(new Uint8Array(buffer, byteOffset + start, end - start));
        start = end;
        if (batch.length === perBatch) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      return;
    }
    this.#scratch.set(chunk);
    const ends = this.#ends;
    const most = Math.min(perBatch, MAX_ENDS);
    for (;;) {
      const from = start;
      const found = this.#core.scanLines(SCRATCH + from, chunk.length - from, ENDS, most);
      if (found === 0) return;
      const batch = new Array<Uint8Array>(found);
      for (let i = 0; i < found; i++) {
        const end = from + ends[i];
        batch[i] = new Uint8Array(buffer, byteOffset + start, end - start); // cheaper than subarray() in V8
        start = end;
      }
      yield batch;
      if (found < most) return;
    }
  }

  /** How many whole lines `chunk` holds (the bytes after the last line end do not count). */
  countLines(chunk: Uint8Array): number {
    if (chunk.length > SCRATCH_BYTES) {
      let count = 0;
      for (let end = chunk.indexOf(0x0a) + 1; end > 0; end = chunk.indexOf(0x0a, end) + 1) count++;
      return count;
    }
    this.#scratch.set(chunk);
    let start = 0;
    let count = 0;
    for (;;) {
      const found = this.#core.scanLines(SCRATCH + start, chunk.length - start, ENDS, MAX_ENDS);
      count += found;
      if (found < MAX_ENDS) return count;
      start += this.#ends[found - 1];
    }
  }

  /** CRC-32C of `bytes` continuing from `crc` (0 to start). */
  crc32c(bytes: Uint8Array, crc = 0): number {
    for (let done = 0; done < bytes.length; done += SCRATCH_BYTES) {
      const part = bytes.subarray(done, done + SCRATCH_BYTES);
      this.#scratch.set(part);
      crc = this.#core.crc32c(TABLE, crc, SCRATCH, part.length);
    }
    return crc >>> 0;
  }

  /**
   * How far `bytes` holds whole, intact frames, from its start: p >= 0 when the bytes end (exactly, or
   * inside the frame at p, which the caller reads on from), -(p + 1) when the frame at p is corrupt (a
   * length over MAX_FRAME, or a CRC that does not check out). Up to SCAN_BYTES in two wasm calls
   * (assembly/frame_scan.ts): the lengths first, then `lengthsWalked` is told where the frames end by their
   * lengths alone, then the CRCs. More (a frame longer than that) frame by frame through the scratch.
   * Either way the frames' ends are kept for frameCount and frameBatches.
   */
  scan(bytes: Uint8Array, lengthsWalked?: (end: number) => void): number {
    this.#framed = bytes;
    this.#frameCount = 0;
    if (bytes.length <= SCRATCH_BYTES) {
      this.#scratch.set(bytes);
      const walked = this.#core.frameEnds(SCRATCH, bytes.length, MAX_FRAME, ENDS, MAX_ENDS);
      const count = walked < 0 ? -walked - 1 : walked;
      const end = count > 0 ? this.#ends[count - 1] : 0;
      this.#frameCount = count;
      if (walked >= 0) lengthsWalked?.(end); // not when the frame at `end` is corrupt: reading stops there
      const checked = this.#core.scanFrames(TABLE, SCRATCH, end, MAX_FRAME);
      if (checked !== end) return checked; // a frame before `end` fails its CRC
      return walked < 0 ? -end - 1 : end; // the frame at `end` claims more than MAX_FRAME, or the lengths' end
    }
    const lengths = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    let p = 0;
    while (bytes.length - p >= FRAME_HEADER && this.#frameCount < MAX_ENDS) {
      const n = lengths.getUint32(p, true);
      if (n > MAX_FRAME) return -p - 1;
      if (n > bytes.length - p - FRAME_HEADER) break;
      if (!this.intact(bytes.subarray(p, p + FRAME_HEADER), bytes.subarray(p + FRAME_HEADER, p + FRAME_HEADER + n))) return -p - 1;
      p += FRAME_HEADER + n;
      this.#ends[this.#frameCount++] = p;
    }
    lengthsWalked?.(p);
    return p;
  }

  /** How many frames `chunk`[0, whole) holds; `chunk` and `whole` as for frameBatches. */
  frameCount(chunk: Uint8Array, whole: number): number {
    const ends = this.#keptEnds(chunk);
    if (whole === 0) return 0;
    let low = 0; // the kept ends are in order: find `whole` among them
    let high = ends.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (ends[middle] < whole) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }

  /**
   * The payloads of the frames in `chunk`[0, whole) as views into it, in order, at most `perBatch` to an
   * array, lazily as lineBatches. `chunk` is the one scan() was last given, `whole` no more than it found.
   * The views' places come from the frames' ends that scan() kept.
   */
  *frameBatches(chunk: Uint8Array, whole: number, perBatch: number): Generator<Uint8Array[], void, undefined> {
    const { buffer, byteOffset } = chunk;
    const ends = this.#keptEnds(chunk);
    let batch: Uint8Array[] = [];
    for (let p = 0, i = 0; p < whole; i++) {
      const end = ends[i];
      batch.push(new Uint8Array(buffer, byteOffset + p + FRAME_HEADER, end - p - FRAME_HEADER)); // cheaper than subarray() in V8
      p = end;
      if (batch.length === perBatch) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** The frames' ends scan() kept for `chunk`, which must be the chunk it was last given. */
  #keptEnds(chunk: Uint8Array): Uint32Array {
    if (this.#framed !== chunk) throw new Error("ringlog: internal error: frames asked for before their chunk was scanned");
    return this.#ends.subarray(0, this.#frameCount);
  }

  /** Whether `header` (8 bytes: n, crc) and `payload` (n bytes) make a whole, intact frame. */
  intact(header: Uint8Array, payload: Uint8Array): boolean {
    const stored = new DataView(header.buffer, header.byteOffset, FRAME_HEADER).getUint32(4, true);
    return this.crc32c(payload, this.crc32c(header.subarray(0, 4))) === stored;
  }
}
