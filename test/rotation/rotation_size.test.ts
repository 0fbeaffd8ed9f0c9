// Rotation by size (issue 10): writers flat out, every record exactly once across all files, none split,
// no file past size, names in age order, keep respected; a record larger than size alone in its file;
// log.rotate() resolving to the file that holds the caller's records.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { open, read } from "../../mod.ts";
import { rotatedFiles } from "../../src/rotation/rotated_name.ts";
import { checkFiles, logFiles, rotationRecord } from "../support/rotation_records.ts";
import { sleep, startWriters } from "../support/rotation_writers.ts";
import { tempPath } from "../support/temp.ts";

const SIZE = 256 * 1024;
// Flat out for 5 s (the test), at most this many records per thread (~35 MB each) so a fast
// runtime does not fill the shared disk.
const SECONDS = 5;
const MAX_PER_THREAD = 300_000;

function rotatedNames(path: string): string[] {
  return rotatedFiles(path, readdirSync(path.slice(0, path.lastIndexOf("/")))).map((f) => f.name);
}

for (const format of ["text", "frames"] as const) {
  test(`${format}: 4 threads flat out for ${SECONDS} s with size 256 KiB: every record exactly once across all files, none split, none past size, names in age order`, async () => {
    const path = tempPath(`size-${format}.log`);
    const log = await open(path, { append: false, format, rotate: { size: SIZE } });
    const writers = startWriters(log.handle, 4, MAX_PER_THREAD);
    await Promise.race([sleep(SECONDS * 1000), writers.done]);
    writers.stop();
    const counts = await writers.done;
    await log.close();
    const files = logFiles(path);
    // Fed oldest first by name: the per-writer order check is what proves name order is age order.
    const check = checkFiles(files, counts);
    assert.equal(check.problems, []);
    const rotated = files.slice(0, -1);
    assert.ok(rotated.length >= 3, `the log rotated (${rotated.length} rotated files)`);
    assert.is(log.stats().rotations, rotated.length, "stats().rotations counts every rotated file");
    assert.equal(rotated.map((f) => f.name), [...rotated.map((f) => f.name)].sort(), "ls order");
    for (const file of files) assert.ok(file.size <= SIZE, `${file.name}: ${file.size} bytes, at most size (${SIZE})`);
    // The next record did not fit: a rotated file is full up to less than one record (at most 219 bytes,
    // + 8 of frame header) of its size.
    for (const file of rotated) assert.ok(file.size > SIZE - 230, `${file.name} is full (${file.size} bytes): rotated only when the next record would not fit`);
  });
}

test("keep: 3: the three newest rotated files remain, and they hold each writer's last records in order", async () => {
  const path = tempPath("keep.log");
  const log = await open(path, { append: false, rotate: { size: 64 * 1024, keep: 3 } });
  const writers = startWriters(log.handle, 2, Number.MAX_SAFE_INTEGER); // the files go: no cap needed
  await sleep(1500); // both writing to the end, so the kept files hold records of both
  writers.stop();
  const counts = await writers.done;
  // One more record of each writer, from here: on 2 loaded cores one writer can go unscheduled for the
  // whole span of the kept files, and each must have a record in them to show its order holds.
  for (const [writer, count] of counts) {
    log.write(rotationRecord(writer, count));
    counts.set(writer, count + 1);
  }
  await log.close();
  const files = logFiles(path);
  assert.is(files.length, 4, `3 rotated files and the active one: ${files.map((f) => f.name).join(", ")}`);
  assert.ok(log.stats().rotations > 10, "many more rotated files than kept");
  const check = checkFiles(files, counts, { mayStartLate: true });
  assert.equal(check.problems, []);
});

test("a quiet log with keep: rotate() then close() resolves, the housekeeper thread's last pass done (each runtime ends it its own way)", async () => {
  const path = tempPath("keep-quiet.log");
  const log = await open(path, { append: false, rotate: { size: 1 << 20, keep: 1 } });
  for (let round = 0; round < 3; round++) {
    log.write(`round ${round}\n`);
    await log.rotate();
  }
  log.write("last\n");
  await log.close(); // rejected with "the housekeeper thread ... died" when its end threw (Deno's parentPort has no close())
  assert.equal(logFiles(path).map((f) => f.text), ["round 2\n", "last\n"], "keep: 1 left the newest rotated file and the active one");
});

test("a file emptied in place (`: > app.log`) has room again: the next record goes into it, no rotation", async () => {
  const path = tempPath("emptied.log");
  const log = await open(path, { append: false, rotate: { size: 1000 } });
  for (let i = 0; i < 9; i++) log.write(`${i} ${"x".repeat(95)}\n`); // 882 bytes
  await log.flush();
  truncateSync(path, 0);
  log.write(`after ${"x".repeat(192)}\n`); // 199 bytes: past size by the flusher's own count, not by the file's
  await log.flush();
  assert.is(log.stats().rotations, 0, "nothing rotated");
  assert.is(readFileSync(path, "utf8"), `after ${"x".repeat(192)}\n`);
  await log.close();
});

test("an emptied file takes a record larger than size as it is: no empty file is rotated aside", async () => {
  const path = tempPath("emptied-large.log");
  const log = await open(path, { append: false, rotate: { size: 1000 } });
  for (let i = 0; i < 9; i++) log.write(`${i} ${"x".repeat(95)}\n`);
  await log.flush();
  truncateSync(path, 0);
  const big = `big ${"x".repeat(3000)}\n`;
  log.write(big);
  await log.flush();
  await sleep(200); // the flusher's next rounds, with nothing to write: no rotation while it idles either
  assert.is(log.stats().rotations, 0, "nothing rotated");
  assert.is(readFileSync(path, "utf8"), big);
  await log.close();
});

test("a frames file emptied in place gets its header again before the next frame: read() sees every later record", async () => {
  const path = tempPath("emptied.frames");
  for (const emptied of ["below its own count", "seen by the look at path"]) {
    const log = await open(path, { append: false, format: "frames", rotate: { size: 1000 } });
    const records = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i} ${"x".repeat(80)}\n`);
    // 9 frames of ~100 bytes: the next batch would pass size by the flusher's count (its look skipped), or,
    // with 2, it fits, and the flusher's look at path finds the file emptied.
    const before = records(emptied === "below its own count" ? 9 : 2, "before");
    for (const record of before) log.write(record);
    await log.flush();
    // Emptied while the flushers are idle: a flusher that looked at path before the emptying and gathers
    // a record after it writes that frame first, which no look can prevent (the README says so).
    await sleep(200);
    truncateSync(path, 0);
    const after = records(3, "after");
    for (const record of after) log.write(record);
    await log.close();
    assert.is(log.stats().rotations, 0, `${emptied}: nothing rotated`);
    const reader = read(path);
    const seen: string[] = [];
    for await (const record of reader) seen.push(new TextDecoder().decode(record));
    assert.is(reader.end!.reason, "end", `${emptied}: ${reader.end!.detail}`);
    assert.equal(seen, after, `${emptied}: the records written after the emptying`);
    rmSync(path);
  }
});

test("two logs on one path: a frames file emptied in place gets its header once, and no file is rotated", async () => {
  for (let round = 0; round < 10; round++) {
    const path = tempPath("emptied-two.frames");
    const a = await open(path, { append: false, format: "frames", rotate: { size: 1 << 20 } });
    const b = await open(path, { format: "frames", rotate: { size: 1 << 20 } });
    a.write("a");
    await a.flush();
    b.write("b");
    await b.flush();
    // Emptied while the flushers are idle: a flusher that looked at path before the emptying and gathers
    // a record after it writes that frame first, which no look can prevent (the README says so).
    await sleep(200);
    truncateSync(path, 0);
    a.write("A".repeat(200));
    b.write("B".repeat(200));
    await Promise.all([a.flush(), b.flush()]);
    await a.close();
    await b.close();
    assert.is(a.stats().rotations + b.stats().rotations, 0, `round ${round}: nothing rotated`);
    const reader = read(path);
    const seen: string[] = [];
    for await (const record of reader) seen.push(new TextDecoder().decode(record));
    assert.is(reader.end!.reason, "end", `round ${round}: ${reader.end!.detail}`);
    assert.equal(seen.sort(), ["A".repeat(200), "B".repeat(200)], `round ${round}: both records after the emptying`);
  }
});

test("a record larger than size gets a file of its own; the records around it fill files as usual", async () => {
  const path = tempPath("large.log");
  const log = await open(path, { append: false, rotate: { size: 1000 } });
  const big = `big ${"x".repeat(3000)}\n`;
  for (let i = 0; i < 30; i++) log.write(`small ${i} ${"y".repeat(80)}\n`);
  log.write(big);
  for (let i = 30; i < 60; i++) log.write(`small ${i} ${"y".repeat(80)}\n`);
  await log.close();
  const texts = logFiles(path).map((f) => f.text);
  const alone = texts.filter((t) => t.includes("big "));
  assert.equal(alone, [big], "the large record is alone in its file");
  for (const text of texts) if (text !== big) assert.ok(new TextEncoder().encode(text).length <= 1000, "every other file at most size");
  assert.is(texts.join(""), Array.from({ length: 60 }, (_, i) => `small ${i} ${"y".repeat(80)}\n`).toSpliced(30, 0, big).join(""));
});

test("log.rotate() resolves to the rotated file, which holds every record the caller wrote before it", async () => {
  const path = tempPath("asked.log");
  const log = await open(path, { append: false, rotate: { size: 1 << 30 } });
  for (let seq = 0; seq < 1000; seq++) log.write(rotationRecord(0, seq));
  const first = await log.rotate();
  for (let seq = 1000; seq < 1500; seq++) log.write(rotationRecord(0, seq));
  const second = await log.rotate();
  const third = await log.rotate(); // an empty file rotates too: the caller asked
  await log.close();
  assert.ok(first < second && second < third, `names in order: ${first}, ${second}, ${third}`);
  assert.equal(rotatedNames(path), [first, second, third].map((p) => p.slice(p.lastIndexOf("/") + 1)));
  const records = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => rotationRecord(0, from + i)).join("");
  assert.ok(readFileSync(first, "utf8") === records(0, 1000), "the first rotated file: records 0..999");
  assert.ok(readFileSync(second, "utf8") === records(1000, 1500), "the second: 1000..1499");
  assert.is(readFileSync(third, "utf8"), "");
  assert.is(readFileSync(path, "utf8"), "");
  assert.is(log.stats().rotations, 3);
});

test("rotate() called many times at once, under load: calls that meet at the flusher share one rotation; every answer is a rotated file", async () => {
  const path = tempPath("asked-many.log");
  const log = await open(path, { append: false, rotate: { size: 1 << 30 } });
  const writers = startWriters(log.handle, 2, 20_000);
  const together = await Promise.all(Array.from({ length: 10 }, () => log.rotate()));
  const after = await log.rotate();
  const counts = await writers.done;
  await log.close();
  const names = rotatedNames(path).map((name) => `${path.slice(0, path.lastIndexOf("/"))}/${name}`);
  for (const file of [...together, after]) assert.ok(names.includes(file), `${file} is a rotated file`);
  assert.ok(together.every((file) => file < after), "a later call gets a later rotation");
  assert.is(log.stats().rotations, names.length);
  assert.equal(checkFiles(logFiles(path), counts).problems, []);
});

test.run();
