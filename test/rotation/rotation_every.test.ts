// Rotation by period (issue 10): with `every`, each file holds only records the flusher wrote in its
// period, and the period's start is in the file's name. The flusher's write time of a record is not seen
// from outside, but it lies between the write() call and the resolution of the flush() that follows it:
// a timed writer notes both, and its record's file's period must meet that interval.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { open } from "../../mod.ts";
import { rotatedFiles } from "../../src/rotation/rotated_name.ts";
import { checkFiles, logFiles } from "../support/rotation_records.ts";
import { sleep, startWriters } from "../support/rotation_writers.ts";
import { tempPath } from "../support/temp.ts";

const PERIOD_MS = 200;
const TIMED = 500; // records of the timed writer, each followed by a flush and a 4 ms pause: 2.5-4 s

for (const size of [undefined, 16 * 1024]) {
  const name = size === undefined ? `every ${PERIOD_MS} ms` : `every ${PERIOD_MS} ms and size ${size}`;
  test(`${name}: each file holds only records written in its period, named by the period's start`, async () => {
    const path = tempPath("every.log");
    const log = await open(path, { append: false, rotate: { every: PERIOD_MS, size } });
    const times = new SharedArrayBuffer(8 * 2 * TIMED);
    const timed = startWriters(log.handle, 1, TIMED, { times: [times], pauseMs: 4 });
    // Two more writers, flat out but capped (~3 MB each): batches of theirs land in every period too.
    const flat = startWriters(log.handle, 2, 30_000, { first: 1 });
    const counts = await timed.done;
    flat.stop();
    for (const [writer, count] of await flat.done) counts.set(writer, count);
    await log.rotate(); // the last file gets its period's name too
    await log.close();

    const files = logFiles(path);
    assert.equal(checkFiles(files, counts).problems, []);
    const rotated = rotatedFiles(path, readdirSync(path.slice(0, path.lastIndexOf("/"))));
    assert.ok(rotated.length >= 4, `${rotated.length} periods`);
    assert.is(files.at(-1)!.text, "", "nothing after the last rotation");
    for (const file of rotated) assert.is(file.stamp % PERIOD_MS, 0, `${file.name}: the stamp is a period's start`);
    if (size === undefined) {
      // One file per period, but for the rotate() at the end, which may share the last one's period.
      const stamps = rotated.slice(0, -1).map((f) => f.stamp);
      assert.is(new Set(stamps).size, stamps.length, "one file per period");
    } else {
      assert.ok(rotated.some((f) => f.counter > 0), "size rotations within a period take the next counter");
    }
    const noted = new Float64Array(times);
    let checked = 0;
    rotated.forEach((file, i) => {
      for (const line of files[i].text.split("\n")) {
        const match = /^0 (\d+) /.exec(line);
        if (match === null) continue;
        const seq = Number(match[1]);
        const [before, after] = [noted[2 * seq], noted[2 * seq + 1]];
        // Written at some t in [before, after], which must be in [stamp, stamp + period).
        assert.ok(file.stamp <= after && before < file.stamp + PERIOD_MS, `record ${seq}, written between ${before} and ${after}, is in ${file.name}, of period [${file.stamp}, ${file.stamp + PERIOD_MS})`);
        checked++;
      }
    });
    assert.is(checked, TIMED, "every timed record checked");
  });
}

test("every and size, two logs on one path: a log whose own count finds the file full, after the other rotated it by size near the period's end, writes the new period's records to a file of the new period", async () => {
  // Two logs play two processes (each its own ring and flusher, one rotation room), step by step:
  const period = 300;
  const path = tempPath("every-two.log");
  const a = await open(path, { append: false, rotate: { every: period, size: 1000 } });
  const b = await open(path, { rotate: { every: period, size: 1000 } });
  while (Date.now() % period > 50) await sleep(5); // early in a period
  const started = periodOf(Date.now(), period);
  for (let i = 0; i < 9; i++) b.write(`b ${i} ${"x".repeat(93)}\n`); // 900 bytes: b counts its file nearly full
  await b.flush();
  a.write(`a ${"x".repeat(196)}\n`); // does not fit: a rotates by size, and its file gets this period
  await a.flush();
  await a.close();
  assert.is(periodOf(Date.now(), period), started, "the steps above took less than a period (the machine is too slow otherwise)");
  while (periodOf(Date.now(), period) === started) await sleep(5);
  b.write(`b late ${"x".repeat(191)}\n`); // the next period: b's own count says full, a rotated meanwhile
  await b.flush();
  await b.rotate(); // the file holding it gets its period's name
  await b.close();
  const dir = path.slice(0, path.lastIndexOf("/"));
  const files = logFiles(path);
  const late = rotatedFiles(path, readdirSync(dir)).find((f) => files.find((file) => file.name === f.name)!.text.includes("b late"));
  assert.ok(late !== undefined, "the late record is in a rotated file");
  assert.ok(late.stamp > started, `the late record, written in the period after ${started}, is in ${late.name}, of period ${late.stamp}`);
});

test("every, two logs on one path: rotate() answers with the file holding the caller's records, also after its flusher, idle, rotated a file only the other log wrote", async () => {
  const period = 1000;
  const path = tempPath("every-answer.log");
  const a = await open(path, { append: false, rotate: { every: period } });
  const b = await open(path, { rotate: { every: period } });
  while (Date.now() % period > 100) await sleep(5); // early in a period
  a.write("a1\n");
  await a.flush();
  const first = await b.rotate(); // a's record is in the file b rotated
  await sleep(1300); // a's flusher, idle, looks at path (about once a second) and follows b's new file
  b.write("b1\n");
  await b.flush();
  await b.close();
  // In a later period a's flusher rotates the file holding b1 (a file with records of an earlier period).
  const deadline = Date.now() + 10_000;
  while (a.stats().rotations === 0 && Date.now() < deadline) await sleep(20);
  assert.is(a.stats().rotations, 1, "a's flusher rotated the file b wrote");
  const answer = await a.rotate();
  assert.is(answer, first, "a.rotate() answers with the file holding a's records");
  assert.is(readFileSync(answer, "utf8"), "a1\n");
  assert.is(a.stats().rotations, 1, "and rotates nothing more: a wrote nothing since");
  await a.close();
});

function periodOf(ms: number, period: number): number {
  return ms - (ms % period);
}

test.run();
