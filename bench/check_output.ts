// Checks a burst benchmark's output file: one line per event, each line whole and well formed, and every
// event of every thread exactly once and in that thread's order: each event carries its writer thread and
// that thread's sequence number (burst_worker.ts), so a lost event, one written twice (a stale record from
// the ring's previous lap reads so) or two swapped are reported even when every count is right. Read in
// chunks, not as one string: an --article run writes gigabytes per strategy.
import { closeSync, openSync, readSync } from "node:fs";

/** One writer thread's events as found in the file. */
export interface ThreadCheck {
  /** Distinct sequence numbers seen. */
  distinct: number;
  /** Events seen again after their first time (a duplicate, or a stale copy). */
  duplicated: number;
  /** Events that came after a later one of the same thread. */
  reordered: number;
  /** The highest sequence number seen, -1 for none. */
  highest: number;
}

/** What the check found in one output file. */
export interface OutputCheck {
  /** Lines in the file (a trailing fragment without "\n" counts as one, and as malformed). */
  lines: number;
  /** Lines that are not `<ISO> <uuid> EventNo: <ms>.<i> w<thread>.<seq> Data...` as the burst worker writes them. */
  malformed: number;
  /** The first few bad lines (malformed, duplicated, reordered), cut to 200 characters, for the report. */
  samples: string[];
  /** Lines of each of the burst's three event kinds; a burst writes one of each per iteration. */
  kinds: { data: number; small: number; medium: number };
  /** Per writer thread (index = the thread's number). */
  threads: ThreadCheck[];
}

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
// 96 random bytes are 128 base64 characters, no padding; the medium event carries the first 48 of them.
const LINE = new RegExp(
  `^${ISO} ${UUID} EventNo: \\d+\\.\\d{1,3} w(?<thread>\\d{1,3})\\.(?<seq>\\d{1,15}) Data:(?:(?<data>[A-Za-z0-9+/]{128})| Small (?<small>-?\\d{1,20})| medium (?<medium>[A-Za-z0-9+/]{48}))$`,
);

/** A burst benchmark line's parts: its event kind, writer thread and sequence number. */
export interface ParsedLine {
  kind: "data" | "small" | "medium";
  thread: number;
  seq: number;
}

/** A line's parts: its kind, writer thread and sequence number; undefined when the line is malformed. */
export function parseLine(line: string): ParsedLine | undefined {
  const groups = LINE.exec(line)?.groups;
  if (groups === undefined) return undefined;
  const kind = groups.data !== undefined ? "data" : groups.small !== undefined ? "small" : "medium";
  return { kind, thread: Number(groups.thread), seq: Number(groups.seq) };
}

/** The event kind of one line (without its "\n"), or undefined when the line is malformed. */
export function classifyLine(line: string): "data" | "small" | "medium" | undefined {
  return parseLine(line)?.kind;
}

/** One thread's sequence numbers seen, as a bit set that grows. */
class SeenSet {
  #bits = new Uint32Array(1024);

  /** Marks `n` seen; true if it was already. */
  add(n: number): boolean {
    const word = n >>> 5;
    if (word >= this.#bits.length) {
      const grown = new Uint32Array(Math.max(this.#bits.length * 2, word + 1));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    const bit = 1 << (n & 31);
    const was = (this.#bits[word] & bit) !== 0;
    this.#bits[word] |= bit;
    return was;
  }
}

/** A line's parts, or undefined when it is malformed: parseLine, or a parser of another format's lines. */
export type LineParser = (line: string) => ParsedLine | undefined;

/** Checks text made of whole lines (plus, at the end, maybe a fragment without "\n"). */
export class LineChecker {
  readonly result: OutputCheck = { lines: 0, malformed: 0, samples: [], kinds: { data: 0, small: 0, medium: 0 }, threads: [] };
  readonly #seen: SeenSet[] = [];
  readonly #parse: LineParser;
  #rest = "";

  constructor(parse: LineParser = parseLine) {
    this.#parse = parse;
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
    const parsed = this.#parse(line);
    if (parsed === undefined) return this.#bad(line);
    const { kind, thread, seq } = parsed;
    this.result.kinds[kind]++;
    const threads = this.result.threads;
    while (threads.length <= thread) {
      threads.push({ distinct: 0, duplicated: 0, reordered: 0, highest: -1 });
      this.#seen.push(new SeenSet());
    }
    const t = threads[thread];
    if (this.#seen[thread].add(seq)) {
      t.duplicated++;
      this.#sample(`duplicated (w${thread} event ${seq} again): ${line}`);
      return;
    }
    t.distinct++;
    if (seq < t.highest) {
      t.reordered++;
      this.#sample(`reordered (w${thread} event ${seq} after ${t.highest}): ${line}`);
    }
    t.highest = Math.max(t.highest, seq);
  }

  #bad(line: string): void {
    this.result.malformed++;
    this.#sample(line);
  }

  #sample(line: string): void {
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

/** Checks the file at `path` line by line (the burst benchmark's lines, unless `parse` reads another format). */
export function checkOutputFile(path: string, parse?: LineParser): OutputCheck {
  const checker = new LineChecker(parse);
  // Not fatal: bytes that are not UTF-8 decode to U+FFFD, which no well-formed line contains (all ASCII).
  const decoder = new TextDecoder("utf-8");
  readChunks(path, (bytes) => checker.push(decoder.decode(bytes, { stream: true })));
  checker.push(decoder.decode());
  return checker.finish();
}

/**
 * The verdict for the table: every event each thread wrote (`written[thread]`, the events its log accepted)
 * in the file exactly once, whole, in a line of its own, in the thread's order.
 */
export function verdict(check: OutputCheck, written: number[]): { ok: boolean; note: string } {
  const events = written.reduce((sum, n) => sum + n, 0);
  const third = events / 3;
  const kindsOk = check.kinds.data === third && check.kinds.small === third && check.kinds.medium === third;
  let lost = 0;
  let duplicated = 0;
  let reordered = 0;
  const strangers: string[] = []; // events no thread wrote: a thread that does not exist, a number past the end
  written.forEach((n, thread) => {
    const t = check.threads[thread];
    // Distinct numbers seen, against those written (when a number past the end was seen too, it is
    // reported below, and the count of lost ones is a lower bound).
    lost += Math.max(0, n - (t?.distinct ?? 0));
    duplicated += t?.duplicated ?? 0;
    reordered += t?.reordered ?? 0;
    if (t !== undefined && t.highest >= n) strangers.push(`w${thread} event ${t.highest} of ${n} written`);
  });
  for (let thread = written.length; thread < check.threads.length; thread++) strangers.push(`${check.threads[thread].distinct} events of a thread w${thread}`);
  const clean = check.malformed === 0 && lost === 0 && duplicated === 0 && reordered === 0 && strangers.length === 0;
  if (check.lines === events && clean && kindsOk) return { ok: true, note: `ok: ${events} events = ${check.lines} lines` };
  const parts = [`${events} events, ${check.lines} lines`];
  if (check.malformed > 0) parts.push(`${check.malformed} malformed`);
  if (lost > 0) parts.push(`${lost} lost`);
  if (duplicated > 0) parts.push(`${duplicated} duplicated`);
  if (reordered > 0) parts.push(`${reordered} reordered`);
  if (strangers.length > 0) parts.push(`never written: ${strangers.join(", ")}`);
  if (!kindsOk) parts.push(`kinds ${check.kinds.data}/${check.kinds.small}/${check.kinds.medium}`);
  return { ok: false, note: `FAILED: ${parts.join(", ")}` };
}
