// CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, as iSCSI, ext4 and Kafka use it), slicing-by-16.
//
// The table lives in shared memory, not in a data segment (the core has none): 16 tables × 256 u32 = 16 KiB,
// where table k, entry n is the CRC register after byte n followed by k zero bytes. With it, sixteen bytes
// cost sixteen independent lookups and one step of the register's dependency chain: the chain (a load,
// then a tree of xors) bounds the speed, and slicing-by-16 takes it half as often as slicing-by-8 did
// (Kounavis and Berry's "slicing-by-N" CRC paper; the figures are in bench/RESULTS.md, "read() and frames").
//
//   table + 1024 * k + 4 * n    u32    k = 0..15, n = 0..255

export const CRC_TABLE_BYTES: i32 = 16 * 256 * 4;
const POLY: u32 = 0x82f63b78;

/** Fills the 16 KiB table at `table`. Once, by whoever owns that memory, before any crc32c() on it. */
export function crc32cInit(table: usize): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    store<u32>(table + (<usize>n << 2), c);
  }
  for (let n: u32 = 0; n < 256; n++) {
    let c = load<u32>(table + (<usize>n << 2));
    for (let k: u32 = 1; k < 16; k++) {
      c = load<u32>(table + (<usize>(c & 0xff) << 2)) ^ (c >>> 8);
      store<u32>(table + (<usize>k << 10) + (<usize>n << 2), c);
    }
  }
}

@inline function entry(table: usize, k: usize, n: u32): u32 {
  return load<u32>(table + (k << 10) + (<usize>n << 2));
}

/** The four lookups of one 32-bit word whose lowest byte is followed by `k` bytes before the end. */
@inline function word(table: usize, k: usize, w: u32): u32 {
  return entry(table, k, w & 0xff) ^ entry(table, k - 1, (w >>> 8) & 0xff) ^ entry(table, k - 2, (w >>> 16) & 0xff) ^ entry(table, k - 3, w >>> 24);
}

/**
 * The CRC-32C of `crc`'s input followed by the `length` bytes at `at`: crc32c(t, 0, a) is the CRC of a, and
 * crc32c(t, crc32c(t, 0, a), b) the CRC of a followed by b (the usual pre- and post-inverted register).
 */
export function crc32c(table: usize, crc: u32, at: usize, length: i32): u32 {
  let c = ~crc;
  let p = at;
  const end = at + <usize>length;
  while (p + 16 <= end) {
    c = word(table, 15, load<u32>(p) ^ c) ^ word(table, 11, load<u32>(p, 4)) ^ word(table, 7, load<u32>(p, 8)) ^ word(table, 3, load<u32>(p, 12));
    p += 16;
  }
  if (p + 8 <= end) {
    c = word(table, 7, load<u32>(p) ^ c) ^ word(table, 3, load<u32>(p, 4));
    p += 8;
  }
  while (p < end) {
    c = entry(table, 0, (c ^ load<u8>(p)) & 0xff) ^ (c >>> 8);
    p++;
  }
  return ~c;
}

/**
 * crc32c(table, crc, at, 4) for the four bytes of `value` (little-endian): one step of four independent
 * lookups, where the byte loop takes four dependent ones. A frame's CRC starts with its length (ring.ts
 * commitFrame, frame_scan.ts), so every frame pays this.
 */
@inline export function crc32cU32(table: usize, crc: u32, value: u32): u32 {
  return ~word(table, 3, value ^ ~crc);
}
