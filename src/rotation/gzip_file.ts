// Compressing one rotated file to gzip, crash-safely: the .gz is written under a name of its own in the
// rotation room (`<name>.gz.partial`), fdatasync'd, and only then renamed to `<name>.gz` beside the plain
// file, which is removed last. A crash at any point leaves the plain file whole; a .gz that has its final
// name is always whole. (The web's CompressionStream: the same in Node, Deno and Bun.)
import { codeOf, type FileHandle, openFile, readFully, reportingFile, writeFully } from "../io/driver.ts";
import type { RotationRoom } from "./rotation_room.ts";

const CHUNK = 1 << 20;

/**
 * Compresses `plain` to `gz` through `partial`, then removes `plain`. False when `plain` changed meanwhile
 * (a writer the registry did not know of): nothing is removed, the partial is dropped.
 */
export async function gzipFile(room: RotationRoom, plain: string, gz: string, partial: string): Promise<boolean> {
  const before = room.stat(plain);
  if (before === undefined) return false;
  let input: FileHandle;
  try {
    input = reportingFile(openFile(room.driver, plain, "read"), plain);
  } catch (error) {
    if (codeOf(error) === "ENOENT") return false; // removed meanwhile (by hand): nothing to compress
    throw error;
  }
  let output: FileHandle | undefined;
  try {
    output = reportingFile(openFile(room.driver, partial, "truncate"), partial);
    await compress(input, output, before.size);
    output.sync();
  } finally {
    input.close();
    output?.close();
  }
  const after = room.stat(plain);
  if (after?.identity !== before.identity || after.size !== before.size) {
    room.unlink(partial);
    return false;
  }
  room.rename(partial, gz);
  // The .gz's name durable before the plain file's removal: after a power loss, one of the two is there.
  room.syncDirectory(room.dir);
  room.unlink(plain);
  return true;
}

async function compress(input: FileHandle, output: FileHandle, size: number): Promise<void> {
  const stream = new CompressionStream("gzip");
  const reader = stream.readable.getReader();
  const drained = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      writeFully(output, value);
    }
  })();
  const writer = stream.writable.getWriter();
  try {
    for (let at = 0; at < size;) {
      // A new buffer each time: the stream may still hold the previous one.
      const chunk = new Uint8Array(Math.min(CHUNK, size - at));
      const n = readFully(input, chunk, at);
      if (n === 0) break;
      await writer.write(chunk.subarray(0, n));
      at += n;
    }
    await writer.close();
  } catch (error) {
    await writer.abort(error).catch(() => {});
    await drained.catch(() => {});
    throw error;
  }
  await drained;
}

/** The uncompressed size a whole .gz ends with (ISIZE, mod 2^32), read through the driver. */
export function gzipSizeField(room: RotationRoom, gz: string): number | undefined {
  const stat = room.stat(gz);
  if (stat === undefined || stat.size < 18) return undefined;
  const file = openFile(room.driver, gz, "read");
  try {
    const tail = new Uint8Array(4);
    if (readFully(file, tail, stat.size - 4) !== 4) return undefined;
    return new DataView(tail.buffer).getUint32(0, true);
  } finally {
    file.close();
  }
}
