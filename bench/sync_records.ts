// The sync-policy benchmark's records and the check of its output file. Every record is RECORD_BYTES long:
//
//   w0 0000000042 ..........(filler)..........\n
//   ^tag ^sequence number, 10 digits
//
// The tag names the thread that wrote it, the number counts that thread's records from 0. Fixed-size
// records let the file be checked frame by frame at disk speed (a "never" run writes gigabytes): a frame
// that does not start with a tag and 10 digits, or whose filler or final "\n" is off, is torn or spliced;
// a thread's numbers must come 0, 1, 2... with no gap or repeat (one thread's records reach the file in the
// order it wrote them); and the file must hold exactly as many records as the threads say they wrote.
import { readChunks } from "./check_output.ts";

/** ~200 bytes, as the issue asks: the size of a typical structured log line. */
export const RECORD_BYTES = 200;
const SEQ_AT = 3;
const SEQ_DIGITS = 10;
const FILL_AT = SEQ_AT + SEQ_DIGITS + 1;
const LAST = RECORD_BYTES - 1;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
const FILL = 0x2e; // "."

/** One thread's records: the same bytes each time, with the next sequence number written in. */
export class RecordSource {
  readonly #bytes = new Uint8Array(RECORD_BYTES).fill(FILL);
  #seq = 0;

  /** `tag`: two ASCII characters naming the thread, e.g. "w0". */
  constructor(tag: string) {
    if (!/^[a-z][0-9]$/.test(tag)) throw new Error(`a record tag is a letter and a digit, got ${JSON.stringify(tag)}`);
    this.#bytes[0] = tag.charCodeAt(0);
    this.#bytes[1] = tag.charCodeAt(1);
    this.#bytes[2] = SPACE;
    this.#bytes[FILL_AT - 1] = SPACE;
    this.#bytes[LAST] = NEWLINE;
  }

  /** The next record (a view reused by the next call: write it before asking for another). */
  next(): Uint8Array {
    let n = this.#seq++;
    for (let i = SEQ_AT + SEQ_DIGITS - 1; i >= SEQ_AT; i--) {
      this.#bytes[i] = DIGIT_0 + (n % 10);
      n = Math.floor(n / 10);
    }
    return this.#bytes;
  }

  /** Records handed out so far. */
  get count(): number {
    return this.#seq;
  }
}

/** What the check found in one output file. */
export interface RecordCheck {
  /** Whole frames in the file. */
  records: number;
  /** Frames per tag, e.g. { w0: 123, w1: 120, p0: 7 }. */
  byTag: Record<string, number>;
  /** Frames that are not a well-formed record (torn, spliced, zeroed). */
  malformed: number;
  /** Well-formed records whose number is not the next of their tag: a record lost, repeated or reordered. */
  outOfSequence: number;
  /** Bytes after the last whole frame: a torn record at the end. */
  tailBytes: number;
  /** The first few bad frames, printable, for the report. */
  samples: string[];
}

const FILL_WORD = FILL * 0x01010101;
// The filler's whole 4-byte words, for a frame that starts 4-aligned: bytes [16, 196).
const WORDS_FROM = (FILL_AT + 3) >> 2;
const WORDS_TO = LAST >> 2;

/**
 * The frame's filler is intact. `words` views the same bytes as `b` (both start 4-aligned, and so does
 * every frame, RECORD_BYTES being a multiple of 4): four bytes per compare, as a "never" run writes gigabytes.
 */
function isFiller(b: Uint8Array, words: Int32Array, at: number): boolean {
  for (let i = at + FILL_AT; i < at + WORDS_FROM * 4; i++) if (b[i] !== FILL) return false;
  for (let w = (at >> 2) + WORDS_FROM; w < (at >> 2) + WORDS_TO; w++) if (words[w] !== FILL_WORD) return false;
  for (let i = at + WORDS_TO * 4; i < at + LAST; i++) if (b[i] !== FILL) return false;
  return true;
}

/** The frame at `at`: its tag as a number (two bytes), and its sequence number; undefined if malformed. */
function parseFrame(b: Uint8Array, words: Int32Array, at: number): { tag: number; seq: number } | undefined {
  const t0 = b[at];
  const t1 = b[at + 1];
  if (t0 < 0x61 || t0 > 0x7a || t1 < DIGIT_0 || t1 > DIGIT_0 + 9) return undefined;
  if (b[at + 2] !== SPACE || b[at + FILL_AT - 1] !== SPACE || b[at + LAST] !== NEWLINE) return undefined;
  let seq = 0;
  for (let i = at + SEQ_AT; i < at + SEQ_AT + SEQ_DIGITS; i++) {
    const d = b[i] - DIGIT_0;
    if (d < 0 || d > 9) return undefined;
    seq = seq * 10 + d;
  }
  return isFiller(b, words, at) ? { tag: (t0 << 8) | t1, seq } : undefined;
}

/** Checks the file at `path` frame by frame. */
export function checkRecordFile(path: string): RecordCheck {
  const check: RecordCheck = { records: 0, byTag: {}, malformed: 0, outOfSequence: 0, tailBytes: 0, samples: [] };
  // Per two-byte tag: frames seen, and the number due next (after a gap, counting resumes from the frame
  // seen, so one lost record is one fault, not one per record after it).
  const counts = new Float64Array(1 << 16);
  const due = new Float64Array(1 << 16);
  const frame = (b: Uint8Array, words: Int32Array, at: number) => {
    check.records++;
    const parsed = parseFrame(b, words, at);
    if (parsed === undefined) {
      check.malformed++;
      if (check.samples.length < 3) check.samples.push(JSON.stringify(String.fromCharCode(...b.subarray(at, at + 40))) + "...");
      return;
    }
    const { tag, seq } = parsed;
    if (seq !== due[tag]) {
      check.outOfSequence++;
      if (check.samples.length < 3) check.samples.push(`${String.fromCharCode(tag >> 8, tag & 0xff)}: record ${seq} where ${due[tag]} was due`);
    }
    counts[tag]++;
    due[tag] = seq + 1;
  };
  const carry = new Uint8Array(RECORD_BYTES);
  const carryWords = new Int32Array(carry.buffer);
  let carried = 0;
  readChunks(path, (bytes) => {
    if (bytes.byteOffset % 4 !== 0) throw new Error(`checkRecordFile needs 4-aligned chunks, got offset ${bytes.byteOffset}`);
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
    let at = 0;
    if (carried > 0) {
      // A frame split across two reads: join its halves.
      const take = Math.min(RECORD_BYTES - carried, bytes.length);
      carry.set(bytes.subarray(0, take), carried);
      carried += take;
      at = take;
      if (carried < RECORD_BYTES) return;
      frame(carry, carryWords, 0);
      carried = 0;
    }
    for (; at + RECORD_BYTES <= bytes.length; at += RECORD_BYTES) frame(bytes, words, at);
    carry.set(bytes.subarray(at));
    carried = bytes.length - at;
  });
  check.tailBytes = carried;
  counts.forEach((n, tag) => {
    if (n > 0) check.byTag[String.fromCharCode(tag >> 8, tag & 0xff)] = n;
  });
  return check;
}

/** The verdict for the table: every record each thread wrote is in the file exactly once, whole, in order. */
export function recordVerdict(check: RecordCheck, written: Record<string, number>): { ok: boolean; note: string } {
  const expected = Object.values(written).reduce((sum, n) => sum + n, 0);
  const tags = new Set([...Object.keys(written), ...Object.keys(check.byTag)]);
  const wrongTags = [...tags].filter((t) => (written[t] ?? 0) !== (check.byTag[t] ?? 0));
  if (check.records === expected && check.malformed === 0 && check.outOfSequence === 0 && check.tailBytes === 0 && wrongTags.length === 0) {
    return { ok: true, note: `ok: ${expected} records = ${check.records} lines` };
  }
  const parts = [`${expected} records written, ${check.records} in the file`];
  if (check.malformed > 0) parts.push(`${check.malformed} malformed`);
  if (check.outOfSequence > 0) parts.push(`${check.outOfSequence} out of sequence`);
  if (check.tailBytes > 0) parts.push(`a torn last record of ${check.tailBytes} bytes`);
  for (const t of wrongTags) parts.push(`${t}: wrote ${written[t] ?? 0}, found ${check.byTag[t] ?? 0}`);
  return { ok: false, note: `FAILED: ${parts.join(", ")}` };
}
