// CRC-32C bit by bit, straight from the definition (reflected polynomial 0x82F63B78): an oracle that shares
// nothing with the core's slicing-by-16 tables.
export function crc32cReference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
