// The "frames" file format, as written by a ring opened with { format: "frames" } and read by read():
//
//   [ 8-byte file header: 89 52 4C 46 0D 0A 1A 0A ]       "\x89RLF\r\n\x1a\n", PNG-style: binary, and a
//                                                        text-mode transfer that rewrites line ends shows
//   [ u32 n | u32 crc ][ n bytes ]  ...                  one frame per record, little-endian, no padding
//
// crc = CRC-32C over the 4 length bytes, then the n payload bytes (computed by the producer in the wasm core,
// assembly/ring.ts commitFrame). Covering the length means a run of zero bytes, which a crash can leave
// where data was not yet flushed, never checks out as an empty record.
import { coreModule, instantiateCore, type Core } from "../core/core.ts";

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

// Layout of the checker's own memory: the CRC table, then a scratch area frames pass through.
const TABLE = 0;
const SCRATCH = 8192;
const SCRATCH_BYTES = 1 << 20;

/** Checks frames' CRCs with the core's CRC-32C (one instance per reader). */
export class FrameChecker {
  readonly #core: Core;
  readonly #scratch: Uint8Array;

  constructor() {
    const pages = Math.ceil((SCRATCH + SCRATCH_BYTES) / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    this.#core = instantiateCore(coreModule(), memory).core;
    this.#core.crc32cInit(TABLE);
    this.#scratch = new Uint8Array(memory.buffer, SCRATCH, SCRATCH_BYTES);
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

  /** Whether `header` (8 bytes: n, crc) and `payload` (n bytes) make a whole, intact frame. */
  intact(header: Uint8Array, payload: Uint8Array): boolean {
    const stored = new DataView(header.buffer, header.byteOffset, FRAME_HEADER).getUint32(4, true);
    return this.crc32c(payload, this.crc32c(header.subarray(0, 4))) === stored;
  }
}
