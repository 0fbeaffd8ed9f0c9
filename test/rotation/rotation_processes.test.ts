// Several processes, one file (issue 10): Node's cluster, PM2 and forks open one path with the same rotate
// options. Each child process here has its own ring and 2 writer threads; writer = process * 10 + thread.
// Every record exactly once across all files; exactly one rotation per threshold (a second rotation of the
// same threshold would rotate the next, nearly empty, file: every rotated file must be full); no file past
// size by more than one batch per process; and a process SIGKILLed while it holds the rotation lock does
// not stop the others rotating.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, writeFileSync } from "node:fs";
import { rotatedFiles } from "../../src/rotation/rotated_name.ts";
import { type Child, startChild } from "../support/rotation_children.ts";
import { checkFiles, logFiles } from "../support/rotation_records.ts";
import { sleep } from "../support/rotation_writers.ts";
import { tempPath } from "../support/temp.ts";

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
  const holder = startChild(path, { rotate: { size: SIZE }, faulty: true }, 2, 0, CAP);
  const others = [1, 2].map((p) => startChild(path, { rotate: { size: SIZE } }, 2, p * 10, CAP));
  await Promise.all([holder, ...others].map((c) => c.ready));
  assert.ok(await untilExists(`${path}.renaming`, 60_000), "the first child reached its rotation and holds the lock");
  await sleep(100); // the others wait for the lock now: their rotation has stopped
  const killedAt = Date.now();
  holder.kill("SIGKILL");
  const killed = await holder.ended;
  assert.is(killed.signal, "SIGKILL");
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

test.run();
