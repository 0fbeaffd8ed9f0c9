// read() and recover(): a log file's records, and a tail that a crash cut short. The format is told by the
// file's first bytes: the frames header (src/frames/frames.ts) or else text, whose records are taken to be lines.
import { FRAME_HEADER, FRAMES_MAGIC, FrameChecker, MAX_FRAME, startsWithMagic } from "./frames.ts";
import { logPath } from "../io/log_path.ts";
import { nodeBuiltin } from "../runtime/node_builtin.ts";

type Fs = typeof import("node:fs");
type FsFile = Awaited<ReturnType<Fs["promises"]["open"]>>;

/** Where, and why, reading stopped. */
export interface ReadEnd {
  /** The file's format, from its first bytes. */
  format: "frames" | "text";
  /** Whole records read. */
  records: number;
  /** The end of the last whole record (the file header included): recover() cuts the file here. */
  offset: number;
  /**
   * "end": the file ends after a whole record. "torn": it ends inside a record, as a write cut short by a
   * crash leaves it. "corrupt" (frames only): the bytes at offset are no valid frame (CRC or length).
   */
  reason: "end" | "torn" | "corrupt";
  /** Bytes from offset to the end of the file: 0 at "end". */
  tailBytes: number;
  /** The same, in words. */
  detail: string;
}

/** What {@link recover} did. */
export interface Recovered {
  /** The file's format, from its first bytes. */
  format: "frames" | "text";
  /** Whole records in the file. */
  records: number;
  /** Bytes cut off the end: a torn or corrupt tail. */
  truncatedBytes: number;
}

// What one read() call asks for: big enough that the per-chunk costs (a read syscall, a few wasm calls)
// vanish beside the bytes; small enough to stay in the caches, and for its fresh buffer (records are views
// into it, so none is reused) to come from memory the allocator recycles: fresh 4 MiB buffers come as
// new pages from the kernel, one page fault per 4 KiB, and reading 4 MiB chunks into them ran at 1.1-2.9
// GB/s where 1 MiB chunks ran at 3.0-3.5 GB/s (Node, Bun; recover() of 1 GiB on Bun: 1.3-1.7 s, 1.0 s).
const CHUNK = 1 << 20;
// Records per batch. A view costs V8 about 27 ns when it dies young, and about 90 ns when a whole 4 MiB
// chunk's views (28,000 of 150 bytes) are kept alive together, so that the young-generation collections
// copy them (measured in Node 20, with Deno and Bun alike): batches of a few thousand records let the
// caller drop each batch before the next is made.
const BATCH_RECORDS = 2048;

/** Set by LogReader's static block: reads every record to the end, counting them, for recover(). */
let countRecords: (reader: LogReader) => Promise<void>;

/**
 * The records of a log file, in file order; `end` says where and why they stopped. Iterate it for one
 * record at a time, or iterate {@link LogReader.batches} for many records per step (the fast way: no
 * promise per record).
 */
export class LogReader implements AsyncIterable<Uint8Array> {
  /** The file read. */
  readonly path: string;
  #end: ReadEnd | undefined;

  /** A reader of the log at `path`; nothing is opened until iteration starts. Use {@link read}. */
  constructor(path: string) {
    this.path = path;
  }

  /** Set once iteration has reached the end of the records (undefined while under way or abandoned). */
  get end(): ReadEnd | undefined {
    return this.#end;
  }

  /**
   * Each whole record's bytes (a text record with its line end), opening the file on the first step. Each
   * record has a buffer of its own (a copy), so it can be kept or transferred. That copy is the cost: V8
   * makes a typed array over 64 bytes off its heap, about 2.5 µs each in Node 20, so this runs at ~40 MB/s
   * in Node and Deno (bench/RESULTS.md). {@link LogReader.batches} is the fast way, with views.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for await (const batch of this.batches()) {
      for (const record of batch) yield record.slice();
    }
  }

  /**
   * The records in batches: each step yields an array of up to 2048 whole records, in file order. A record
   * is a view into a buffer that holds up to 1 MiB of the file (more for a record longer than that), which
   * stays valid (nothing reuses it); keeping one record keeps that buffer alive, so copy (`slice()`) the
   * few records you keep for long. Drop each batch before asking for the next, and reading runs at the
   * speed of memory: views that die young cost V8 a third of views that live on.
   *
   * @example
   * ```ts
   * import { open, read } from "@ringlog/ringlog";
   * const log = await open("app.log");
   * log.write("one\n");
   * log.write("two\n");
   * await log.close();
   *
   * let records = 0;
   * for await (const batch of read("app.log").batches()) records += batch.length;
   * console.log(records); // 2 (and whatever app.log held before)
   * ```
   */
  batches(): AsyncGenerator<Uint8Array[], void, undefined> {
    return this.#scan(true);
  }

  static {
    // recover() counts the records without a view of each (a view costs about 100 ns in V8).
    countRecords = async (reader) => {
      for await (const _ of reader.#scan(false)) {
        // counted by the reader
      }
    };
  }

  /** The records in batches (`views`), or only counted (nothing yielded). */
  async *#scan(views: boolean): AsyncGenerator<Uint8Array[], void, undefined> {
    const file = await nodeBuiltin<Fs>("node:fs").promises.open(this.path, "r");
    try {
      const chunks = new ChunkReader(file, (await file.stat()).size);
      try {
        const frames = startsWithMagic(await chunks.read(0, FRAMES_MAGIC.length));
        yield* frames ? this.#frames(chunks, views) : this.#lines(chunks, views);
      } finally {
        await chunks.settle();
      }
    } finally {
      await file.close();
    }
  }

  async *#frames(chunks: ChunkReader, views: boolean): AsyncGenerator<Uint8Array[]> {
    const checker = new FrameChecker();
    let records = 0;
    const stop = (offset: number, reason: ReadEnd["reason"], detail: string) => {
      this.#end = { format: "frames", records, offset, reason, tailBytes: chunks.size - offset, detail };
    };
    if (chunks.size < FRAMES_MAGIC.length) return stop(0, "torn", `the file header is cut short (${chunks.size} of ${FRAMES_MAGIC.length} bytes)`);
    let at = FRAMES_MAGIC.length;
    let want = CHUNK;
    for (;;) {
      const left = chunks.size - at;
      if (left === 0) return stop(at, "end", `${records} whole records`);
      if (left < FRAME_HEADER) return stop(at, "torn", `a frame header is cut short at byte ${at} (${left} of ${FRAME_HEADER} bytes)`);
      const chunk = await chunks.read(at, want);
      if (chunk.length < Math.min(want, left)) continue; // the file shrank under us: chunks.size says how far
      // Once the frames' lengths are walked, and before their CRCs are checked, the next read starts: the
      // file's next bytes come in (on the runtime's I/O thread) while these frames are checked and handed
      // out. If one fails its check, that read is dropped unused, so it is never more than a chunk: not when
      // the next read is for a long frame, nor when the chunk's first frame is cut (the file may end in it:
      // torn), nor after a length over MAX_FRAME (scan() then says nothing).
      const scanned = checker.scan(chunk, (whole) => {
        if (whole > 0 && nextRead(chunk, whole) === CHUNK) chunks.readAhead(at + whole, CHUNK);
      });
      const whole = scanned < 0 ? -scanned - 1 : scanned;
      if (whole > 0) {
        if (!views) records += checker.frameCount(chunk, whole);
        else {
          for (const batch of checker.frameBatches(chunk, whole, BATCH_RECORDS)) {
            records += batch.length;
            yield batch;
          }
        }
        at += whole;
      }
      const lengthAt = new DataView(chunk.buffer, chunk.byteOffset + whole, Math.min(4, chunk.length - whole));
      if (scanned < 0) {
        const n = lengthAt.getUint32(0, true);
        return n > MAX_FRAME
          ? stop(at, "corrupt", `the frame at byte ${at} claims ${n} bytes, more than any record can hold (${MAX_FRAME})`)
          : stop(at, "corrupt", `the frame at byte ${at} (${n} bytes) fails its CRC-32C check`);
      }
      if (whole === 0 && chunk.length >= FRAME_HEADER) {
        const n = lengthAt.getUint32(0, true);
        if (chunks.size - at - FRAME_HEADER < n) return stop(at, "torn", `the frame at byte ${at} is cut short (${chunks.size - at - FRAME_HEADER} of ${n} bytes)`);
      }
      want = nextRead(chunk, whole);
    }
  }

  async *#lines(chunks: ChunkReader, views: boolean): AsyncGenerator<Uint8Array[]> {
    const checker = new FrameChecker();
    let records = 0;
    let at = 0;
    let want = CHUNK;
    while (at < chunks.size) {
      const chunk = await chunks.read(at, want);
      const last = chunk.lastIndexOf(0x0a);
      if (last < 0) {
        if (at + chunk.length >= chunks.size) break; // a last line without its line end
        want = 2 * chunk.length; // a line longer than the chunk
        continue;
      }
      chunks.readAhead(at + last + 1, CHUNK); // the next bytes come in while these lines are handed out
      const lines = chunk.subarray(0, last + 1);
      if (!views) records += checker.countLines(lines);
      else {
        for (const batch of checker.lineBatches(lines, BATCH_RECORDS)) {
          records += batch.length;
          yield batch;
        }
      }
      at += last + 1;
      want = CHUNK;
    }
    const { size } = chunks;
    this.#end = at === size
      ? { format: "text", records, offset: at, reason: "end", tailBytes: 0, detail: `${records} whole lines` }
      : { format: "text", records, offset: at, reason: "torn", tailBytes: size - at, detail: `the last line (${size - at} bytes from byte ${at}) has no line end` };
  }
}

/**
 * How much to read after a chunk whose whole frames end at `whole`: a chunk, unless a frame is cut by the
 * chunk's end. That one is read on from its start and at once (at least a chunk), so that a frame longer
 * than a chunk is read once, not first in part; and when it is the chunk's first, only it is read, which
 * tells whether the file holds it whole.
 */
function nextRead(chunk: Uint8Array, whole: number): number {
  if (chunk.length - whole < FRAME_HEADER) return CHUNK;
  const n = new DataView(chunk.buffer, chunk.byteOffset + whole, 4).getUint32(0, true);
  if (n > MAX_FRAME) return CHUNK; // corrupt: the caller stops there, and asks for no more than a chunk
  return whole > 0 ? Math.max(CHUNK, FRAME_HEADER + n) : FRAME_HEADER + n;
}

/**
 * Reads a file in chunks, each into a buffer of its own (records are views into it, so none is reused).
 * `size` is the file's size when reading began; a file found shorter than that (cut under us) has the
 * size it was found to have, and reading ends there. One read may run ahead of the caller (readAhead).
 */
class ChunkReader {
  size: number;
  readonly #file: FsFile;
  #ahead: { position: number; length: number; chunk: Promise<Uint8Array> } | undefined;

  constructor(file: FsFile, size: number) {
    this.#file = file;
    this.size = size;
  }

  /**
   * Starts the read of [position, position + length) that the caller will ask for next, so that the file's
   * bytes come in (on the runtime's I/O thread) while the caller works on the chunk before. Not past the end.
   */
  readAhead(position: number, length: number): void {
    if (this.#ahead !== undefined || position >= this.size) return;
    const chunk = this.#read(position, length);
    chunk.catch(() => {}); // its error is thrown by the read() that asks for it, not left unhandled
    this.#ahead = { position, length, chunk };
  }

  /** [position, position + length), less at the end of the file: the read ahead when it is this one. */
  async read(position: number, length: number): Promise<Uint8Array> {
    const ahead = this.#ahead;
    this.#ahead = undefined;
    if (ahead !== undefined) {
      if (ahead.position === position && ahead.length === length) return await ahead.chunk;
      await ahead.chunk.catch(() => {}); // another range: one read at a time, so `size` moves in order
    }
    return await this.#read(position, length);
  }

  /** Waits for a read ahead that nobody asked for, so that the file is not closed under it. */
  async settle(): Promise<void> {
    await this.#ahead?.chunk.catch(() => {});
    this.#ahead = undefined;
  }

  async #read(position: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - position));
    const buffer = new Uint8Array(want);
    let done = 0;
    while (done < want) {
      const { bytesRead } = await this.#file.read(buffer, done, want - done, position + done);
      if (bytesRead === 0) {
        this.size = position + done; // the file shrank under us: what is there is all there is
        break;
      }
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  }
}

/**
 * The records of the log at `path`, as an async iterable of their bytes: frames checked against their
 * CRC, or lines for a text log. It stops at the first torn or corrupt record, without throwing; `end`
 * then tells where and why. Reading a log that is being written sees it as it was when reading began.
 *
 * @example
 * ```ts
 * import { open, read } from "@ringlog/ringlog";
 * const log = await open("app.frames", { format: "frames" });
 * log.write("one record\n");
 * await log.close();
 *
 * const reader = read("app.frames");
 * for await (const record of reader) console.log(new TextDecoder().decode(record));
 * if (reader.end!.reason !== "end") console.warn(reader.end!.detail);
 * ```
 */
export function read(path: string | URL): LogReader {
  return new LogReader(logPath(path));
}

/**
 * After a crash: cuts a torn or corrupt tail off the log at `path` (frames: everything from the first
 * frame that is cut short or fails its CRC; text: a last line without its line end) and fdatasyncs the
 * cut, so that appending can go on. Call it before open(), not while the log is open.
 *
 * @example
 * ```ts
 * import { open, recover } from "@ringlog/ringlog";
 * const before = await open("app.frames", { format: "frames" }); // the run that may crash
 * before.write("a record\n");
 * await before.close();
 *
 * // At the next start, before appending to a log that a crash may have cut short:
 * const { records, truncatedBytes } = await recover("app.frames");
 * console.log(`${records} records kept, ${truncatedBytes} bytes of torn tail cut`);
 * const log = await open("app.frames", { format: "frames" });
 * log.write("after the restart\n");
 * await log.close();
 * ```
 */
export async function recover(path: string | URL): Promise<Recovered> {
  const reader = read(path);
  await countRecords(reader);
  const end = reader.end!;
  if (end.tailBytes > 0) {
    const fs = nodeBuiltin<Fs>("node:fs");
    const fd = fs.openSync(reader.path, "r+");
    try {
      fs.ftruncateSync(fd, end.offset);
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  return { format: end.format, records: end.records, truncatedBytes: end.tailBytes };
}
