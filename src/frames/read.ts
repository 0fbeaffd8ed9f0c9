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

const CHUNK = 1 << 20;

/** The records of a log file, in file order; `end` says where and why they stopped. */
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

  /** Each whole record's bytes (a text record with its line end), opening the file on the first step. */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const file = await nodeBuiltin<Fs>("node:fs").promises.open(this.path, "r");
    try {
      const window = new FileWindow(file, (await file.stat()).size);
      const frames = startsWithMagic(await window.at(0, FRAMES_MAGIC.length));
      yield* frames ? this.#frames(window) : this.#lines(window);
    } finally {
      await file.close();
    }
  }

  async *#frames(file: FileWindow): AsyncGenerator<Uint8Array> {
    const { size } = file;
    const checker = new FrameChecker();
    let records = 0;
    const stop = (offset: number, reason: ReadEnd["reason"], detail: string) => {
      this.#end = { format: "frames", records, offset, reason, tailBytes: size - offset, detail };
    };
    if (size < FRAMES_MAGIC.length) return stop(0, "torn", `the file header is cut short (${size} of ${FRAMES_MAGIC.length} bytes)`);
    let at = FRAMES_MAGIC.length;
    for (;;) {
      if (at === size) return stop(at, "end", `${records} whole records`);
      if (size - at < FRAME_HEADER) return stop(at, "torn", `a frame header is cut short at byte ${at} (${size - at} of ${FRAME_HEADER} bytes)`);
      const header = (file.peek(at, FRAME_HEADER) ?? await file.at(at, FRAME_HEADER)).slice();
      const n = new DataView(header.buffer).getUint32(0, true);
      if (n > MAX_FRAME) return stop(at, "corrupt", `the frame at byte ${at} claims ${n} bytes, more than any record can hold (${MAX_FRAME})`);
      if (size - at - FRAME_HEADER < n) return stop(at, "torn", `the frame at byte ${at} is cut short (${size - at - FRAME_HEADER} of ${n} bytes)`);
      const payload = (file.peek(at + FRAME_HEADER, n) ?? await file.at(at + FRAME_HEADER, n)).slice();
      if (!checker.intact(header, payload)) return stop(at, "corrupt", `the frame at byte ${at} (${n} bytes) fails its CRC-32C check`);
      yield payload;
      records++;
      at += FRAME_HEADER + n;
    }
  }

  async *#lines(file: FileWindow): AsyncGenerator<Uint8Array> {
    const { size } = file;
    let records = 0;
    let at = 0;
    while (at < size) {
      let bytes = file.rest(at);
      let end = bytes.indexOf(0x0a);
      for (let length = CHUNK; end < 0 && at + bytes.length < size; length *= 2) {
        bytes = await file.at(at, Math.max(length, 2 * bytes.length));
        end = bytes.indexOf(0x0a);
      }
      if (end < 0) break;
      yield bytes.slice(0, end + 1);
      records++;
      at += end + 1;
    }
    this.#end = at === size
      ? { format: "text", records, offset: at, reason: "end", tailBytes: 0, detail: `${records} whole lines` }
      : { format: "text", records, offset: at, reason: "torn", tailBytes: size - at, detail: `the last line (${size - at} bytes from byte ${at}) has no line end` };
  }
}

/** Reads [position, position + length) of a file (less at its end) through one reused buffer. */
class FileWindow {
  readonly size: number;
  readonly #file: FsFile;
  #buffer = new Uint8Array(0);
  #start = 0;
  #length = 0;

  constructor(file: FsFile, size: number) {
    this.#file = file;
    this.size = size;
  }

  /**
   * [position, position + length) when the buffer holds it already, else undefined (then call at()). Most
   * calls are answered here, without a turn of the event loop per record.
   */
  peek(position: number, length: number): Uint8Array | undefined {
    const want = Math.max(0, Math.min(length, this.size - position));
    if (position < this.#start || position + want > this.#start + this.#length) return undefined;
    const from = position - this.#start;
    return this.#buffer.subarray(from, from + want);
  }

  /** What the buffer holds from `position` on (maybe nothing), without reading. */
  rest(position: number): Uint8Array {
    if (position < this.#start || position >= this.#start + this.#length) return this.#buffer.subarray(0, 0);
    return this.#buffer.subarray(position - this.#start, this.#length);
  }

  /** A view, valid until the next call. */
  async at(position: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - position));
    if (position < this.#start || position + want > this.#start + this.#length) {
      const fill = Math.min(Math.max(want, CHUNK), this.size - position);
      if (this.#buffer.length < fill) this.#buffer = new Uint8Array(fill);
      let done = 0;
      while (done < fill) {
        const { bytesRead } = await this.#file.read(this.#buffer, done, fill - done, position + done);
        if (bytesRead === 0) break; // the file shrank under us: what is there is all there is
        done += bytesRead;
      }
      this.#start = position;
      this.#length = done;
    }
    const from = position - this.#start;
    return this.#buffer.subarray(from, Math.min(from + want, this.#length));
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
  for await (const _ of reader) {
    // counted by the reader
  }
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
