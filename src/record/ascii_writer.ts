// Copying an ASCII string into memory as bytes, one byte per UTF-16 unit, on the runtimes where that beats
// `encodeInto` into a `subarray`: Node's and Bun's Buffer. `Buffer.byteLength(text) === text.length` tells a
// string is ASCII (its UTF-8 length is its length), then `latin1Write` copies its units straight to an
// offset, without a view per record. Measured per pino line (a concatenated string), beside `encodeInto`
// into a `subarray`: 305 against 388 ns on Node 20, 174 against 216 ns on Bun (bench/RESULTS.md, "The
// writer's cost"). Not on Deno, whose node:buffer latin1Write takes microseconds: there is none there.

/** What the two runtimes' Buffer gives (globalThis.Buffer, not imported: Deno has no global Buffer). */
interface Latin1Buffer {
  latin1Write(text: string, offset: number, length: number): number;
}
interface BufferClass {
  from(buffer: ArrayBufferLike): Latin1Buffer;
  byteLength(text: string, encoding: "utf8"): number;
}

const nodeBuffer: BufferClass | undefined = "Deno" in globalThis ? undefined : (globalThis as unknown as { Buffer?: BufferClass }).Buffer;

/** Writes ASCII strings into one buffer (a ring's shared memory, or a scratch buffer). */
export class AsciiWriter {
  readonly #bytes: Latin1Buffer;
  readonly #buffer: BufferClass;

  private constructor(buffer: BufferClass, memory: ArrayBufferLike) {
    this.#buffer = buffer;
    this.#bytes = buffer.from(memory);
  }

  /** A writer into `memory`, or undefined where this runtime has no faster way than encodeInto. */
  static over(memory: ArrayBufferLike): AsciiWriter | undefined {
    return nodeBuffer === undefined ? undefined : new AsciiWriter(nodeBuffer, memory);
  }

  /** Whether every unit of `text` is ASCII, so that its UTF-8 bytes are its units. */
  isAscii(text: string): boolean {
    return this.#buffer.byteLength(text, "utf8") === text.length;
  }

  /** Copies `text`, which {@link AsciiWriter.isAscii} said is ASCII, to byte `at` of the memory. */
  write(text: string, at: number): void {
    this.#bytes.latin1Write(text, at, text.length);
  }
}
