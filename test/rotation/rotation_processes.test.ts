// Several processes, one file (issue 10): Node's cluster, PM2 and forks open one path with the same rotate
// options. Each child process here has its own ring and 2 writer threads; writer = process * 10 + thread.
// Every record exactly once across all files; exactly one rotation per threshold (a second rotation of the
// same threshold would rotate the next, nearly empty, file: every rotated file must be full); no file past
// size by more than one batch per process; and a process SIGKILLed while it holds the rotation lock does
// not stop the others rotating.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { rotatedFiles } from "../../src/rotation/rotated_name.ts";
import { type Child, startChild } from "../support/rotation_children.ts";
import { checkFiles, logFiles } from "../support/rotation_records.ts";
import { sleep } from "../support/rotation_writers.ts";
import { tempPath } from "../support/temp.ts";
import { open } from "../../mod.ts";

const SIZE = 128 * 1024;
const PROCESSES = 3;
const WRITE_MS = 2500;
const CAP = 150_000; // records per thread at most (~16 MB)
// The largest record (rotation_records.ts): a full file has less than this left.
const LARGEST_RECORD = 230;

async function untilExists(path: string, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(10)) if (existsSync(path)) return true;
  return false;
}

function rotatedAfter(path: string, names: string[], since: number): number {
  return rotatedFiles(path, names).filter((f) => f.stamp > since).length;
}

test(`${PROCESSES} processes × 2 threads on one path, size ${SIZE / 1024} KiB: every record exactly once, one rotation per threshold`, async () => {
  const path = tempPath("processes.log");
  const children: Child[] = Array.from({ length: PROCESSES }, (_, p) => startChild(path, { rotate: { size: SIZE } }, 2, p * 10, CAP));
  await Promise.all(children.map((c) => c.ready));
  await sleep(WRITE_MS);
  writeFileSync(`${path}.stop`, "");
  const ended = await Promise.all(children.map((c) => c.ended));
  const counts = new Map<number, number>();
  for (const end of ended) {
    assert.is(end.code, 0, end.stderr);
    for (const [writer, count] of end.counts!) counts.set(writer, count);
  }
  const files = logFiles(path);
  assert.equal(checkFiles(files, counts).problems, []);
  const rotated = files.slice(0, -1);
  assert.ok(rotated.length >= 5, `${rotated.length} rotations`);
  assert.is(ended.reduce((sum, end) => sum + end.rotations, 0), rotated.length, "the processes' rotations add up to the rotated files: none lost, none twice");
  assert.ok(ended.filter((end) => end.rotations > 0).length >= 2, `more than one process rotated: ${ended.map((e) => e.rotations).join(", ")}`);
  for (const file of rotated) assert.ok(file.size > SIZE - LARGEST_RECORD, `${file.name} is full (${file.size} bytes): rotated once, at its threshold`);
  for (const file of files) assert.ok(file.size <= SIZE * PROCESSES, `${file.name}: ${file.size} bytes, within size plus one batch per other process`);
});

test("a process SIGKILLed while it holds the rotation lock: the others break the lock and keep rotating", async () => {
  const path = tempPath("killed.log");
  // The first child's driver (faulty_driver.ts) stops inside its first rotation, holding the lock.
  writeFileSync(`${path}.renamegate`, "");
  // Its writers wait on its full ring for as long as its flusher is held (not blockTimeoutMs's 10 s and a
  // throw that ends the child before the test kills it, as a loaded machine can make it).
  const holder = startChild(path, { rotate: { size: SIZE }, faulty: true, blockTimeoutMs: 300_000 }, 2, 0, CAP);
  await holder.ready;
  // Alone on the path, the holder makes the first rotation itself (with the others started beside it, they
  // rotated first, and a loaded machine could keep the holder from ever rotating).
  assert.ok(await untilExists(`${path}.renaming`, 60_000), "the first child reached its rotation and holds the lock");
  const others = [1, 2].map((p) => startChild(path, { rotate: { size: SIZE } }, 2, p * 10, CAP));
  await sleep(500); // the others' flushers wait for the lock to open the file: their open() cannot finish yet
  const killedAt = Date.now();
  try {
    holder.kill("SIGKILL");
  } catch (error) {
    const early = await holder.ended;
    assert.unreachable(`the holder ended before the kill (${error}): code ${early.code}, signal ${early.signal}, ${early.stderr}`);
  }
  const killed = await holder.ended;
  assert.is(killed.signal, "SIGKILL");
  await Promise.all(others.map((c) => c.ready)); // the lock broken, their open() finished
  await sleep(WRITE_MS);
  writeFileSync(`${path}.stop`, "");
  const ended = await Promise.all(others.map((c) => c.ended));
  const counts = new Map<number, number>([[0, CAP], [1, CAP]]); // the killed one's: at most what it could write
  for (const end of ended) {
    assert.is(end.code, 0, end.stderr);
    for (const [writer, count] of end.counts!) counts.set(writer, count);
  }
  const files = logFiles(path);
  // The killed process's records still in its ring are gone: its threads' records must be a whole prefix.
  assert.equal(checkFiles(files, counts, { mayStop: new Set([0, 1]) }).problems, []);
  const dir = path.slice(0, path.lastIndexOf("/"));
  const after = rotatedAfter(path, (await import("node:fs")).readdirSync(dir), killedAt);
  assert.ok(after >= 3, `the others rotated after the kill (${after} files)`);
  for (const file of files.slice(0, -1)) assert.ok(file.size > SIZE - LARGEST_RECORD, `${file.name} is full (${file.size} bytes)`);
});


// Two logs of one process on one path coordinate exactly as two processes do (the room's lock, its
// `active` file, the writer registry): deterministic interleavings without child processes.
const lines = (path: string) => logFiles(path).flatMap((file) => file.text.split("\n").filter((line) => line !== ""));

test("append: false beside a log writing the same path: the file and its records are rotated aside, never emptied; every record once", async () => {
  const path = tempPath("fresh.log");
  const options = { rotate: { size: 1 << 20 } };
  const a = await open(path, options);
  for (let i = 0; i < 1000; i++) a.write(`a ${i}\n`);
  await a.flush();
  const b = await open(path, { ...options, append: false });
  for (let i = 1000; i < 2000; i++) a.write(`a ${i}\n`);
  for (let i = 0; i < 1000; i++) b.write(`b ${i}\n`);
  await a.close();
  await b.close();
  const files = logFiles(path);
  assert.is(files.length, 2, files.map((f) => f.name).join(", "));
  assert.is(files[0].text, Array.from({ length: 1000 }, (_, i) => `a ${i}\n`).join(""), "the file as b found it, rotated aside whole");
  const all = lines(path);
  assert.equal(all.filter((l) => l.startsWith("a ")), Array.from({ length: 2000 }, (_, i) => `a ${i}`));
  assert.equal(all.filter((l) => l.startsWith("b ")), Array.from({ length: 1000 }, (_, i) => `b ${i}`));
  assert.is(b.stats().rotations, 1);
});

test("keep, with every and size: a rotation after retention removed the low counters of its stamp takes the next counter past them all, and retention keeps it", async () => {
  const path = tempPath("counter.log");
  const options = { rotate: { every: "day" as const, size: 200, keep: 1 } };
  const first = await open(path, options);
  for (let i = 0; i < 3; i++) {
    first.write(`first ${i}\n`);
    await first.rotate();
  }
  await first.close(); // retention keeps ...-000002 alone
  const second = await open(path, options); // another process, or this one restarted
  second.write("second\n");
  const rotated = await second.rotate();
  await second.close();
  assert.match(rotated, /-000003\.log$/);
  assert.equal(logFiles(path).map((f) => f.text), ["second\n", ""], "the newest rotated file kept, the older removed");
});

test("every: a log that saw the file empty at the period's start does not rotate it again once another log gave it the new period", async () => {
  const path = tempPath("period.log");
  const PERIOD = 1000;
  const options = { rotate: { every: PERIOD } };
  const a = await open(path, options);
  const b = await open(path, options);
  await sleep(PERIOD - (Date.now() % PERIOD) + 50); // just past a period's start, the file empty
  a.write("a\n");
  await a.flush(); // a's first batch of the period gives the file this period
  b.write("b\n");
  await b.flush(); // b last looked in the period before: it must find the period given, not rotate
  const period = Math.floor(Date.now() / PERIOD);
  await a.close();
  await b.close();
  if (Math.floor(Date.now() / PERIOD) !== period) return; // a loaded machine took this past the period: no verdict this run
  assert.is(a.stats().rotations + b.stats().rotations, 0);
  assert.equal(logFiles(path).map((f) => f.text), ["a\nb\n"]);
});

for (const [when, settle] of [
  ["before this log looked at the path again", 0],
  ["after this log followed it to the new file (its idle look, every 1 s)", 1500],
] as const) {
  test(`rotate() after another log rotated the file first, ${when}: it answers with the rotated file that holds its records, and rotates nothing more`, async () => {
    const path = tempPath("answer.log");
    const options = { rotate: { size: 1 << 20 } };
    const a = await open(path, options);
    const b = await open(path, options);
    b.write("b before\n");
    await b.flush();
    await sleep(1100); // b's flusher has had its idle look and sleeps for another second
    const byA = await a.rotate();
    await sleep(settle);
    const byB = await b.rotate();
    b.write("b after\n");
    await a.close();
    await b.close();
    assert.is(byB, byA, "the rotated file that holds b's record");
    assert.is(readFileSync(byB, "utf8"), "b before\n");
    assert.is(a.stats().rotations + b.stats().rotations, 1, "one rotation");
    assert.equal(logFiles(path).map((f) => f.text), ["b before\n", "b after\n"]);
  });
}

test.run();
