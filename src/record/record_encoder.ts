// Turning what a writer hands us into the bytes of one record, and the errors every strategy gives for
// bad records and closed logs (one wording everywhere, so users and tests see the same sentences).
import { describe } from "../describe.ts";

const encoder = new TextEncoder();
// The length a typed array really has. Its `length` property can be shadowed (a subclass getter,
// defineProperty), and a claim sized by a lying length would let set() overrun into other records.
const typedArrayLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "length")!.get!;

/** A thread's encoder: UTF-8 goes into a scratch buffer, since the exact length is known only after. */
export class RecordEncoder {
  readonly maxRecord: number;
  #scratch = new Uint8Array(1024);

  constructor(maxRecord: number) {
    this.maxRecord = maxRecord;
  }

  /** `bytes` itself, after checking it against maxRecord and that its length is its own. */
  checkBytes(bytes: Uint8Array): Uint8Array {
    const length = typedArrayLength.call(bytes) as number;
    if (bytes.length !== length) {
      throw new TypeError(`ringlog: write() got a Uint8Array whose length property says ${describe(bytes.length)} but which holds ${length} bytes`);
    }
    if (length > this.maxRecord) throw this.#tooLarge(length);
    return bytes;
  }

  /** The UTF-8 of `text`, valid until the next call. Throws when it is larger than maxRecord. */
  encode(text: string): Uint8Array {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; one unit is at least one byte.
    if (text.length > this.maxRecord) throw this.#tooLarge(text.length, "at least ");
    if (text.length * 3 > this.#scratch.length) this.#scratch = new Uint8Array(Math.min(text.length * 3, this.maxRecord * 3));
    const length = encoder.encodeInto(text, this.#scratch).written;
    if (length > this.maxRecord) throw this.#tooLarge(length);
    return this.#scratch.subarray(0, length);
  }

  #tooLarge(length: number, qualifier = ""): RangeError {
    return new RangeError(`ringlog: a record of ${qualifier}${length} bytes is larger than maxRecord (${this.maxRecord} bytes)`);
  }
}

/** write() was given something other than a string or bytes. */
export function badWriteData(data: unknown): TypeError {
  return new TypeError(`ringlog: write() takes a string or a Uint8Array, got ${describe(data)}`);
}

/**
 * A write (or `call`: "rotate()", "reopen()") to a closed log: closed by this very writer, or by the opener
 * for every thread.
 */
export function writeAfterClose(closedHere: boolean, call = "write"): Error {
  return new Error(closedHere ? `ringlog: ${call} after close(): this log is closed` : `ringlog: ${call} after the log was closed by its opener`);
}
