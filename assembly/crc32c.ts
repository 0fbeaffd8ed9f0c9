// CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, as iSCSI, ext4 and Kafka use it), slicing-by-8.
//
// The table lives in shared memory, not in a data segment (the core has none): 8 tables × 256 u32 = 8 KiB,
// where table k, entry n is the CRC register after byte n followed by k zero bytes. With it, eight bytes
// cost eight lookups and no per-bit work (about 8× the byte-at-a-time loop).
//
//   table + 1024 * k + 4 * n    u32    k = 0..7, n = 0..255

export const CRC_TABLE_BYTES: i32 = 8 * 256 * 4;
const POLY: u32 = 0x82f63b78;

/** Fills the 8 KiB table at `table`. Once, by whoever owns that memory, before any crc32c() on it. */
export function crc32cInit(table: usize): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    store<u32>(table + (<usize>n << 2), c);
  }
  for (let n: u32 = 0; n < 256; n++) {
    let c = load<u32>(table + (<usize>n << 2));
    for (let k: u32 = 1; k < 8; k++) {
      c = load<u32>(table + (<usize>(c & 0xff) << 2)) ^ (c >>> 8);
      store<u32>(table + (<usize>k << 10) + (<usize>n << 2), c);
    }
  }
}

@inline function entry(table: usize, k: usize, n: u32): u32 {
  return load<u32>(table + (k << 10) + (<usize>n << 2));
}

/**
 * The CRC-32C of `crc`'s input followed by the `length` bytes at `at`: crc32c(t, 0, a) is the CRC of a, and
 * crc32c(t, crc32c(t, 0, a), b) the CRC of a followed by b (the usual pre- and post-inverted register).
 */
export function crc32c(table: usize, crc: u32, at: usize, length: i32): u32 {
  let c = ~crc;
  let p = at;
  const end = at + <usize>length;
  while (p + 8 <= end) {
    const lo = load<u32>(p) ^ c;
    const hi = load<u32>(p, 4);
    c = entry(table, 7, lo & 0xff) ^ entry(table, 6, (lo >>> 8) & 0xff) ^ entry(table, 5, (lo >>> 16) & 0xff) ^ entry(table, 4, lo >>> 24) ^
      entry(table, 3, hi & 0xff) ^ entry(table, 2, (hi >>> 8) & 0xff) ^ entry(table, 1, (hi >>> 16) & 0xff) ^ entry(table, 0, hi >>> 24);
    p += 8;
  }
  while (p < end) {
    c = entry(table, 0, (c ^ load<u8>(p)) & 0xff) ^ (c >>> 8);
    p++;
  }
  return ~c;
}
