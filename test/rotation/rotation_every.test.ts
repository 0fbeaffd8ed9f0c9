// Rotation by period (issue 10): with `every`, each file holds only records the flusher wrote in its
// period, and the period's start is in the file's name. The flusher's write time of a record is not seen
// from outside, but it lies between the write() call and the resolution of the flush() that follows it:
// a timed writer notes both, and its record's file's period must meet that interval.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { open } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { rotatedFiles } from "../../src/rotation/rotated_name.ts";
import { checkFiles, logFiles } from "../support/rotation_records.ts";
import { sleep, startWriters } from "../support/rotation_writers.ts";
import { tempPath } from "../support/temp.ts";

const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;
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

test("every, two logs on one path: a log that saw the file empty, then finds in the next period a batch the other log wrote in the last one, rotates it before writing its own", async () => {
  // a's look at path is held (the driver's statgate) after it saw the file empty; meanwhile b writes a
  // batch and the period ends. a must not take b's file for one of the new period.
  await inOnePeriod(async (attempt) => {
    const period = 400;
    const path = tempPath(`every-stale-${attempt}.log`);
    const a = await open(path, { append: false, driver, rotate: { every: period } });
    const b = await open(path, { rotate: { every: period } });
    const started = await earlyInPeriod(period);
    writeFileSync(`${path}.statgate`, "");
    a.write("a new\n");
    const flushed = a.flush();
    while (!existsSync(`${path}.stat-held`)) await sleep(2);
    b.write("b old\n");
    await b.flush();
    const inTime = periodOf(Date.now(), period) === started; // b wrote in the period a looked in
    while (periodOf(Date.now(), period) === started) await sleep(5);
    unlinkSync(`${path}.statgate`);
    await flushed;
    const rotations = [a.stats().rotations, b.stats().rotations];
    await b.close();
    await a.rotate(); // the file holding a's record gets its period's name
    await a.close();
    if (!inTime) return false;
    const named = rotatedTexts(path);
    const late = named.find((f) => f.text.includes("a new"));
    assert.ok(late !== undefined, "a's record is in a rotated file");
    assert.is(late.text, "a new\n", "a's record of the new period is not in b's file of the last one");
    assert.ok(late.stamp > started, `a's record, written after ${started}, is in a file of period ${late.stamp}`);
    assert.is(named.find((f) => f.text.includes("b old"))?.stamp, started, "b's record is in a file of its period");
    assert.equal(rotations, [1, 0], "a rotated b's file (counted once, by a); b rotated nothing");
    return true;
  });
});

test("every: a file emptied in place after the flusher's look, in a period that ended, takes the new period instead of being renamed aside empty", async () => {
  await inOnePeriod(async (attempt) => {
    const period = 400;
    const path = tempPath(`every-emptied-${attempt}.log`);
    const log = await open(path, { append: false, driver, rotate: { every: period } });
    const started = await earlyInPeriod(period);
    log.write("old\n");
    await log.flush();
    writeFileSync(`${path}.statgate`, "");
    log.write("new\n");
    const flushed = log.flush();
    while (!existsSync(`${path}.stat-held`)) await sleep(2);
    truncateSync(path, 0); // `: > app.log`, after the look saw "old"
    const inTime = periodOf(Date.now(), period) === started; // emptied in the period of the look
    while (periodOf(Date.now(), period) === started) await sleep(5);
    unlinkSync(`${path}.statgate`);
    await flushed;
    const rotations = log.stats().rotations;
    await log.rotate();
    await log.close();
    if (!inTime) return false;
    const named = rotatedTexts(path);
    assert.equal(named.map((f) => f.text), ["new\n"], "one rotated file, holding the record written after the emptying");
    assert.ok(named[0].stamp > started, `named by the new period, not ${named[0].stamp}`);
    assert.is(rotations, 0, "no rotation counted for the emptied file");
    return true;
  });
});

/** Runs a timed scenario up to three times: it returns false when the machine was too slow for its timing. */
async function inOnePeriod(scenario: (attempt: number) => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) if (await scenario(attempt)) return;
  assert.unreachable("three attempts in a row missed the period they needed (the machine is too slow)");
}

/** Waits until early in a period; returns its start. */
async function earlyInPeriod(period: number): Promise<number> {
  while (Date.now() % period > 50) await sleep(5);
  return periodOf(Date.now(), period);
}

/** The rotated files of `path`, oldest first, with their stamps and contents. */
function rotatedTexts(path: string): { stamp: number; text: string }[] {
  const dir = path.slice(0, path.lastIndexOf("/"));
  return rotatedFiles(path, readdirSync(dir)).map((f) => ({ stamp: f.stamp, text: readFileSync(`${dir}/${f.name}`, "utf8") }));
}

function periodOf(ms: number, period: number): number {
  return ms - (ms % period);
}

test.run();
