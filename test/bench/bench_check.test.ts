// The burst benchmark's output checker (bench/check_output.ts): it is what lets the benchmark's table say
// "every event once, whole, in order", so it must catch torn, spliced, split and missing lines, and an event
// lost, duplicated or reordered even when every count is right. And the
// sync-policy benchmark's (bench/sync_records.ts): every record, numbered per thread, in the file exactly
// once, whole and in its thread's order.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import { writeFileSync } from "node:fs";
import { checkOutputFile, classifyLine, LineChecker, verdict } from "../../bench/check_output.ts";
import { checkRecordFile, RECORD_BYTES, RecordSource, recordVerdict } from "../../bench/sync_records.ts";
import { tempPath } from "../support/temp.ts";

const B64 = "AbC+/9".repeat(21) + "xy"; // 128 base64 characters
const HEAD = "2026-11-22T00:26:25.357Z c666cda4-106e-4d41-b689-0ff1622087db EventNo: 1795307185357.17";
/** An event line as burst_worker.ts writes it: `w<thread>.<seq>` before "Data:". */
const data = (thread = 0, seq = 0) => `${HEAD} w${thread}.${seq} Data:${B64}`;
const small = (thread = 0, seq = 1) => `${HEAD} w${thread}.${seq} Data: Small -1687370404353303`;
const medium = (thread = 0, seq = 2) => `${HEAD} w${thread}.${seq} Data: medium ${B64.slice(0, 48)}`;
const DATA = data();
const SMALL = small();
const MEDIUM = medium();

test("classifyLine: the three events of a burst iteration", () => {
  assert.is(classifyLine(DATA), "data");
  assert.is(classifyLine(SMALL), "small");
  assert.is(classifyLine(MEDIUM), "medium");
});

test("classifyLine: torn, spliced and altered lines are malformed", () => {
  for (const line of [
    "",
    DATA.slice(0, 100), // torn
    DATA.slice(0, 60) + SMALL, // another record spliced in
    DATA + "x", // data one character long
    MEDIUM.slice(0, -1), // medium one short
    SMALL.replace("Small", "small"),
    SMALL.replace("c666cda4", "c666cdaZ"), // not a uuid
    SMALL.replace(".357Z", ".357"), // not ISO UTC
    SMALL.replace("1795307185357.17", "1795307185357.1234"), // i has at most 3 digits (0-199)
    SMALL.replace(" w0.1 ", " "), // no thread and sequence number
    SMALL.replace(" w0.1 ", " w0. "),
    DATA.replace("AbC", "Ab\uFFFD"), // invalid UTF-8 decodes to U+FFFD
  ]) {
    assert.is(classifyLine(line), undefined, JSON.stringify(line));
  }
});

test("LineChecker: lines split across pieces are joined, a last line without a newline is torn", () => {
  const text = `${DATA}\n${SMALL}\n${MEDIUM}\n${data(0, 3).slice(0, 50)}`;
  const checker = new LineChecker();
  for (let i = 0; i < text.length; i += 37) checker.push(text.slice(i, i + 37));
  const result = checker.finish();
  assert.is(result.lines, 4);
  assert.is(result.malformed, 1);
  assert.equal(result.kinds, { data: 1, small: 1, medium: 1 });
  assert.equal(result.threads, [{ distinct: 3, duplicated: 0, reordered: 0, highest: 2 }]);
  assert.ok(result.samples[0].includes("no newline at end of file"));
});

/** Two threads' bursts, interleaved a burst iteration at a time: `per` events each (a multiple of 3). */
function burstLines(per: number): string[] {
  const lines: string[] = [];
  for (let seq = 0; seq < per; seq += 3) {
    for (const thread of [0, 1]) lines.push(data(thread, seq), small(thread, seq + 1), medium(thread, seq + 2));
  }
  return lines;
}
const BURST_WRITTEN = [1500, 1500];
const index = (thread: number, seq: number) => Math.floor(seq / 3) * 6 + thread * 3 + (seq % 3);

/** Checks `lines` as the burst benchmark does, against 1500 events written by each of 2 threads. */
function checkLines(lines: string[], text = lines.map((l) => `${l}\n`).join("")) {
  const path = tempPath("check.log");
  writeFileSync(path, text);
  const check = checkOutputFile(path);
  return { check, verdict: verdict(check, BURST_WRITTEN) };
}

test("checkOutputFile + verdict: every event of each thread once, whole, in order passes", () => {
  const lines = burstLines(1500);
  assert.is(lines[index(1, 4)], small(1, 4));
  const { check, verdict } = checkLines(lines);
  assert.equal(verdict, { ok: true, note: "ok: 3000 events = 3000 lines" });
  assert.equal(check.threads, [{ distinct: 1500, duplicated: 0, reordered: 0, highest: 1499 }, { distinct: 1500, duplicated: 0, reordered: 0, highest: 1499 }]);
});

test("verdict: a lost event and a torn line fail, each named", () => {
  const lost = burstLines(1500);
  lost.splice(index(0, 700), 1);
  assert.equal(checkLines(lost).verdict, { ok: false, note: "FAILED: 3000 events, 2999 lines, 1 lost, kinds 1000/999/1000" });

  const torn = burstLines(1500);
  torn[index(1, 30)] = torn[index(1, 30)].slice(0, 70);
  assert.equal(checkLines(torn).verdict, { ok: false, note: "FAILED: 3000 events, 3000 lines, 1 malformed, 1 lost, kinds 999/1000/1000" });
});

test("verdict: an event written twice in place of a lost one fails though every count, kinds too, is right", () => {
  // A stale record from the ring's previous lap reads so: an earlier event again where a later one belongs.
  const stale = burstLines(1500);
  stale[index(1, 900)] = data(1, 600);
  const { check, verdict: v } = checkLines(stale);
  assert.is(check.lines, 3000);
  assert.equal(check.kinds, { data: 1000, small: 1000, medium: 1000 });
  assert.equal(v, { ok: false, note: "FAILED: 3000 events, 3000 lines, 1 lost, 1 duplicated" });
  assert.match(check.samples[0], /^duplicated \(w1 event 600 again\)/);
});

test("verdict: two events of one thread swapped fail though every count is right", () => {
  const swapped = burstLines(1500);
  [swapped[index(0, 300)], swapped[index(0, 301)]] = [swapped[index(0, 301)], swapped[index(0, 300)]];
  const { check, verdict: v } = checkLines(swapped);
  assert.equal(v, { ok: false, note: "FAILED: 3000 events, 3000 lines, 1 reordered" });
  assert.match(check.samples[0], /^reordered \(w0 event 300 after 301\)/);
});

test("verdict: events of a thread that did not write, or past what a thread wrote, fail", () => {
  const lines = burstLines(1500);
  lines.push(data(2, 0), small(2, 1), medium(2, 2));
  assert.equal(checkLines(lines).verdict, { ok: false, note: "FAILED: 3000 events, 3003 lines, never written: 3 events of a thread w2, kinds 1001/1001/1001" });
  const past = burstLines(1500);
  past[index(0, 1499)] = medium(0, 1500);
  assert.equal(checkLines(past).verdict, { ok: false, note: "FAILED: 3000 events, 3000 lines, never written: w0 event 1500 of 1500 written" });
});

// Two threads' records, alternating w0, w1, w0...: w0's record k is frame 2k, w1's frame 2k + 1. 4.8 MB, more
// than one of the checker's 4 MiB reads, so one frame straddles two reads: frame 20971, bytes 4194200-4194399.
const PER_THREAD = 12_000;
const WRITTEN = { w0: PER_THREAD, w1: PER_THREAD };
const READ_BYTES = 4 * 1024 * 1024; // the checker's read size (bench/check_output.ts)
const STRADDLING = Math.floor(READ_BYTES / RECORD_BYTES);
const w0 = (k: number) => 2 * k;
const w1 = (k: number) => 2 * k + 1;

function recordFrames(): Uint8Array[] {
  const sources = [new RecordSource("w0"), new RecordSource("w1")];
  const frames: Uint8Array[] = [];
  for (let k = 0; k < PER_THREAD; k++) for (const source of sources) frames.push(source.next().slice());
  return frames;
}

/** Writes `bytes` to a file and checks it as the benchmark does, against `written` records per thread. */
function checkRecords(bytes: Uint8Array, written: Record<string, number> = WRITTEN) {
  const path = tempPath("records.log");
  writeFileSync(path, bytes);
  const check = checkRecordFile(path);
  return { check, verdict: recordVerdict(check, written) };
}

test("checkRecordFile + recordVerdict: every record once, whole, in order passes", () => {
  const frames = recordFrames();
  assert.is(new TextDecoder().decode(frames[w1(10485)]), `w1 0000010485 ${".".repeat(RECORD_BYTES - 15)}\n`);
  assert.ok(STRADDLING * RECORD_BYTES < READ_BYTES && READ_BYTES < (STRADDLING + 1) * RECORD_BYTES);
  const { check, verdict } = checkRecords(Buffer.concat(frames));
  assert.equal(check, { records: 24_000, byTag: { w0: 12_000, w1: 12_000 }, malformed: 0, outOfSequence: 0, tailBytes: 0, samples: [] });
  assert.equal(verdict, { ok: true, note: "ok: 24000 records = 24000 lines" });
});

test("recordVerdict: a lost record is reported, in the middle (a gap in its thread's numbers) or at the end (the count only)", () => {
  const middle = recordFrames();
  middle.splice(w1(5000), 1);
  const gap = checkRecords(Buffer.concat(middle));
  assert.is(gap.check.outOfSequence, 1);
  assert.equal(gap.check.samples, ["w1: record 5001 where 5000 was due"]);
  assert.equal(gap.verdict, { ok: false, note: "FAILED: 24000 records written, 23999 in the file, 1 out of sequence, w1: wrote 12000, found 11999" });

  const end = recordFrames();
  end.pop(); // w1's last: nothing after it to be out of sequence
  const short = checkRecords(Buffer.concat(end));
  assert.equal(short.check.byTag, { w0: 12_000, w1: 11_999 });
  assert.is(short.check.outOfSequence, 0);
  assert.equal(short.verdict, { ok: false, note: "FAILED: 24000 records written, 23999 in the file, w1: wrote 12000, found 11999" });
});

test("recordVerdict: a duplicated record is reported, as one too many or standing in for a lost one (every count right)", () => {
  const twice = recordFrames();
  twice.splice(w0(3000) + 1, 0, twice[w0(3000)]);
  const extra = checkRecords(Buffer.concat(twice));
  assert.equal(extra.check.samples, ["w0: record 3000 where 3001 was due"]);
  assert.equal(extra.verdict, { ok: false, note: "FAILED: 24000 records written, 24001 in the file, 1 out of sequence, w0: wrote 12000, found 12001" });

  const instead = recordFrames();
  instead.splice(w0(PER_THREAD - 1), 1); // w0's last record lost...
  instead.splice(w0(3000) + 1, 0, instead[w0(3000)]); // ...and another of w0's twice: w0's count is right
  const standIn = checkRecords(Buffer.concat(instead));
  assert.equal(standIn.check.byTag, { w0: 12_000, w1: 12_000 });
  assert.equal(standIn.check.samples, ["w0: record 3000 where 3001 was due"]);
  assert.equal(standIn.verdict, { ok: false, note: "FAILED: 24000 records written, 24000 in the file, 1 out of sequence" });
});

test("checkRecordFile: a spliced record (one record's bytes written into the middle of another's) is malformed, across two reads", () => {
  // w0's record 10485 cut at byte 100 with w1's record 10485 in between: the frames are the same in number,
  // but the one at 20970 is w0's head with w1's head where filler should be, and 20971 (straddling the
  // first two reads) starts with w0's filler.
  const frames = recordFrames();
  const host = frames[w0(10485)];
  frames.splice(w0(10485), 2, host.subarray(0, 100), frames[w1(10485)], host.subarray(100));
  const { check, verdict } = checkRecords(Buffer.concat(frames));
  assert.is(check.records, 24_000);
  assert.is(check.malformed, 2);
  assert.equal(check.samples, [
    JSON.stringify(`w0 0000010485 ${".".repeat(26)}`) + "...",
    JSON.stringify(".".repeat(40)) + "...",
    "w0: record 10486 where 10485 was due",
  ]);
  assert.equal(verdict, {
    ok: false,
    note: "FAILED: 24000 records written, 24000 in the file, 2 malformed, 2 out of sequence, w0: wrote 12000, found 11999, w1: wrote 12000, found 11999",
  });
});

test("checkRecordFile: a zeroed stretch is malformed, a whole page of it or a single byte anywhere in a record", () => {
  // The 4 KiB page before the first read's end: the last 192 bytes of frame 20951 (w1's 10475), frames
  // 20952-20970 whole, and the first 104 bytes of 20971 (straddling the two reads).
  const page = Buffer.concat(recordFrames());
  page.fill(0, READ_BYTES - 4096, READ_BYTES);
  const zeroedPage = checkRecords(page);
  assert.is(zeroedPage.check.malformed, 21);
  assert.equal(zeroedPage.check.samples.slice(0, 1), [JSON.stringify("w1 00000" + "\0".repeat(32)) + "..."]);
  assert.equal(zeroedPage.verdict, {
    ok: false,
    note: "FAILED: 24000 records written, 24000 in the file, 21 malformed, 2 out of sequence, w0: wrote 12000, found 11990, w1: wrote 12000, found 11989",
  });

  // One zero byte in each of 200 of w0's records, at byte 0 of the first, byte 1 of the next, ... byte 199
  // of the last: tag, spaces, digits, each stretch of the filler, the newline.
  const frames = recordFrames();
  for (let at = 0; at < RECORD_BYTES; at++) frames[w0(50 * at)][at] = 0;
  const bytes = checkRecords(Buffer.concat(frames));
  assert.is(bytes.check.malformed, 200);
  assert.equal(bytes.verdict, {
    ok: false,
    note: "FAILED: 24000 records written, 24000 in the file, 200 malformed, 200 out of sequence, w0: wrote 12000, found 11800",
  });
});

test("checkRecordFile: a torn tail is reported, the last accepted record cut short or part of one past them", () => {
  const whole = Buffer.concat(recordFrames());
  const cut = checkRecords(whole.subarray(0, whole.length - 77));
  assert.is(cut.check.tailBytes, 123);
  assert.equal(cut.verdict, {
    ok: false,
    note: "FAILED: 24000 records written, 23999 in the file, a torn last record of 123 bytes, w1: wrote 12000, found 11999",
  });

  // Every accepted record there and whole, then 50 bytes of one write() did not accept: only the tail says so.
  const past = checkRecords(Buffer.concat([whole, new RecordSource("w0").next().subarray(0, 50)]));
  assert.equal(past.check.byTag, { w0: 12_000, w1: 12_000 });
  assert.is(past.check.tailBytes, 50);
  assert.equal(past.verdict, { ok: false, note: "FAILED: 24000 records written, 24000 in the file, a torn last record of 50 bytes" });
});

test("recordVerdict: an out-of-order pair of one thread's records is reported, though every count is right", () => {
  const frames = recordFrames();
  [frames[w0(5000)], frames[w0(5001)]] = [frames[w0(5001)], frames[w0(5000)]];
  const { check, verdict } = checkRecords(Buffer.concat(frames));
  assert.equal(check.byTag, { w0: 12_000, w1: 12_000 });
  // 5001, 5000, 5002: none follows the one before it, each counts.
  assert.equal(check.samples, ["w0: record 5001 where 5000 was due", "w0: record 5000 where 5002 was due", "w0: record 5002 where 5001 was due"]);
  assert.equal(verdict, { ok: false, note: "FAILED: 24000 records written, 24000 in the file, 3 out of sequence" });
});

test.run();
