// Checks a burst benchmark's output file: one line per event, each line whole and well formed. Read in
// chunks, not as one string: an --article run writes gigabytes per strategy.
import { closeSync, openSync, readSync } from "node:fs";

/** What the check found in one output file. */
export interface OutputCheck {
  /** Lines in the file (a trailing fragment without "\n" counts as one, and as malformed). */
  lines: number;
  /** Lines that are not `<ISO> <uuid> EventNo: <ms>.<i> Data...` as the burst worker writes them. */
  malformed: number;
  /** The first few malformed lines, cut to 200 characters, for the report. */
  samples: string[];
  /** Lines of each of the burst's three event kinds; a burst writes one of each per iteration. */
  kinds: { data: number; small: number; medium: number };
}

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// 96 random bytes are 128 base64 characters, no padding; the medium event carries the first 48 of them.
const LINE = new RegExp(
  `^${ISO} ${UUID} EventNo: \\d+\\.\\d{1,3} Data:(?:(?<data>[A-Za-z0-9+/]{128})| Small (?<small>-?\\d{1,20})| medium (?<medium>[A-Za-z0-9+/]{48}))$`,
);

/** The event kind of one line (without its "\n"), or undefined when the line is malformed. */
export function classifyLine(line: string): "data" | "small" | "medium" | undefined {
  const groups = LINE.exec(line)?.groups;
  if (groups === undefined) return undefined;
  return groups.data !== undefined ? "data" : groups.small !== undefined ? "small" : "medium";
}

/** The event kind of a line, or undefined when it is malformed: classifyLine, or another format's. */
export type LineClassifier = (line: string) => "data" | "small" | "medium" | undefined;

/** Checks text made of whole lines (plus, at the end, maybe a fragment without "\n"). */
export class LineChecker {
  readonly result: OutputCheck = { lines: 0, malformed: 0, samples: [], kinds: { data: 0, small: 0, medium: 0 } };
  readonly #classify: LineClassifier;
  #rest = "";

  constructor(classify: LineClassifier = classifyLine) {
    this.#classify = classify;
  }

  /** Feeds the next piece of the file; a line may be split across pieces. */
  push(text: string): void {
    const all = this.#rest.length > 0 ? this.#rest + text : text;
    let start = 0;
    for (;;) {
      const end = all.indexOf("\n", start);
      if (end < 0) break;
      this.#line(all.slice(start, end));
      start = end + 1;
    }
    this.#rest = all.slice(start);
  }

  /** Ends the input: a last line without "\n" is a torn record. */
  finish(): OutputCheck {
    if (this.#rest.length > 0) {
      this.result.lines++;
      this.#bad(this.#rest + "  <- no newline at end of file");
      this.#rest = "";
    }
    return this.result;
  }

  #line(line: string): void {
    this.result.lines++;
    const kind = this.#classify(line);
    if (kind === undefined) this.#bad(line);
    else this.result.kinds[kind]++;
  }

  #bad(line: string): void {
    this.result.malformed++;
    if (this.result.samples.length < 3) this.result.samples.push(line.length > 200 ? `${line.slice(0, 200)}...` : line);
  }
}

// 4 MiB reads: few syscalls, and a line (< 300 bytes) rarely straddles two of them.
const CHUNK = 4 * 1024 * 1024;

/** Reads the file at `path` front to back in 4 MiB pieces; `push` gets a view that the next read reuses. */
export function readChunks(path: string, push: (bytes: Uint8Array) => void): void {
  const buffer = new Uint8Array(CHUNK);
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      push(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** Checks the file at `path` line by line (the burst benchmark's lines, unless `classify` says otherwise). */
export function checkOutputFile(path: string, classify?: LineClassifier): OutputCheck {
  const checker = new LineChecker(classify);
  // Not fatal: bytes that are not UTF-8 decode to U+FFFD, which no well-formed line contains (all ASCII).
  const decoder = new TextDecoder("utf-8");
  readChunks(path, (bytes) => checker.push(decoder.decode(bytes, { stream: true })));
  checker.push(decoder.decode());
  return checker.finish();
}

/** The verdict for the table: every event written exactly once, whole, in a line of its own. */
export function verdict(check: OutputCheck, events: number): { ok: boolean; note: string } {
  const third = events / 3;
  const kindsOk = check.kinds.data === third && check.kinds.small === third && check.kinds.medium === third;
  if (check.lines === events && check.malformed === 0 && kindsOk) return { ok: true, note: `ok: ${events} events = ${check.lines} lines` };
  const parts = [`${events} events, ${check.lines} lines`];
  if (check.malformed > 0) parts.push(`${check.malformed} malformed`);
  if (!kindsOk) parts.push(`kinds ${check.kinds.data}/${check.kinds.small}/${check.kinds.medium}`);
  return { ok: false, note: `FAILED: ${parts.join(", ")}` };
}
