// Exit safety: records committed before the process ends reach the file, however it ends.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { faultSpec } from "../support/faulty_driver.ts";
import { notWhere } from "../support/not_on.ts";
import { childCommand } from "../support/runtime.ts";
import { tempPath } from "../support/temp.ts";

const COUNT = 20_000;

/** Runs the child; `disk` sets up its faulty driver's steering files (default: every write takes 50 ms). */
function runChild(how: string, disk = (path: string) => writeFileSync(`${path}.slow`, "50")): { status: number | null; signal: string | null; lines: string[]; stderr: string; seconds: number } {
  const path = tempPath(`exit-${how}.log`);
  disk(path);
  const { command, args } = childCommand(import.meta.url, "../support/exit_child");
  const started = performance.now();
  const child = spawnSync(command, [...args, path, how, String(COUNT)], { encoding: "utf8", timeout: 60_000 });
  const seconds = (performance.now() - started) / 1000;
  const lines = readFileSync(path, "utf8").split("\n");
  assert.is(lines.pop(), "", "the file ends with a whole line");
  return { status: child.status, signal: child.signal, lines, stderr: child.stderr, seconds };
}

function assertAllRecords(lines: string[]) {
  const seen = new Set<number>();
  for (const line of lines) {
    const match = / record (\d+)$/.exec(line);
    assert.ok(match, `malformed line ${JSON.stringify(line)}`);
    const n = Number(match![1]);
    assert.not.ok(seen.has(n), `record ${n} twice`);
    seen.add(n);
  }
  assert.is(seen.size, COUNT, "every record written before the end is in the file");
}

test("process.exit() right after writing: all records (main thread and worker) in the file", () => {
  const { status, lines } = runChild("exit");
  assert.is(status, 0);
  assertAllRecords(lines);
});

test("close() not awaited, then process.exit(): all records in the file", () => {
  const { status, lines } = runChild("close-exit");
  assert.is(status, 0);
  assertAllRecords(lines);
});

test("natural end of the program without close(): all records in the file", () => {
  const { status, lines } = runChild("natural");
  assert.is(status, 0);
  assertAllRecords(lines);
});

test("uncaught exception after writing: all records in the file, and the process still fails with exit status 1", () => {
  const { status, signal, lines, stderr } = runChild("throw");
  assert.is(signal, null, "the child ended by itself, not by the test's timeout");
  assert.is(status, 1, stderr);
  assert.match(stderr, "deliberate uncaught exception");
  assert.not.match(stderr, "did not reach the file", "the drain wrote everything, so it reports nothing");
  assertAllRecords(lines);
});

test("the disk fails during the exit drain: stderr says how many records did not reach the file, and process.exit(0) exits 1", () => {
  // The first file write stalls until the child removes the gate, then fails: none of the records gets in.
  const { status, signal, lines, stderr } = runChild("fail-exit", (path) => {
    writeFileSync(`${path}.gate`, "");
    writeFileSync(`${path}.fail`, faultSpec("write", "ENOSPC", 0));
  });
  assert.is(signal, null);
  assert.is(lines.length, 0);
  assert.match(stderr, new RegExp(`ringlog: ${COUNT} records \\(\\d+ bytes\\) of ".*exit-fail-exit\\.log" did not reach the file at exit; the file failed: ringlog: writing ".*" failed: ENOSPC`));
  assert.is(status, 1, "a lost record is not a successful exit");
});

test("a disk that never comes back: the exit drain gives up at its bound (unblockTimeoutMs 1 s + 10 s), says so, exits 1", () => {
  const { status, signal, lines, stderr, seconds } = runChild("stuck-exit", (path) => writeFileSync(`${path}.gate`, ""));
  assert.is(signal, null);
  assert.is(lines.length, 0);
  assert.match(stderr, new RegExp(`ringlog: ${COUNT} records \\(\\d+ bytes\\) of ".*" did not reach the file at exit; the exit drain gave up after 1\\d{4} ms \\(its bound: unblockTimeoutMs \\+ 10 s = 11000 ms\\)`));
  assert.ok(seconds >= 11 && seconds < 40, `the child ended ${seconds.toFixed(1)} s after it started: the bound is 11 s`);
  assert.is(status, 1);
});

for (const strategy of ["ring", "buffered", "buffered-offthread"]) {
  if (notWhere(!existsSync("/dev/full"), "a system without /dev/full", `${strategy}'s file failing at exit needs a device that fails writes`)) continue;
  test(`${strategy}: a file that fails (/dev/full) before or during the exit drain: what did not reach it is reported on stderr, and the exit status is 1`, () => {
    const { command, args } = childCommand(import.meta.url, "../support/strategy_exit_child");
    const child = spawnSync(command, [...args, strategy, "/dev/full", "100"], { encoding: "utf8", timeout: 60_000 });
    assert.is(child.signal, null);
    // Records the child wrote before its writes started to throw (all 100 unless the file failed first).
    const written = Number(/^written (\d+)/m.exec(child.stdout)?.[1] ?? 100);
    const bytes = Array.from({ length: written }, (_, n) => `exit ${n}\n`.length).reduce((a, b) => a + b, 0);
    const counted = strategy === "buffered" ? "records did not all reach the file" : `${written} records \\(${bytes} bytes\\) of "/dev/full" did not reach the file at exit; the file failed`;
    assert.match(child.stderr, new RegExp(`^ringlog: (at exit, )?${counted}.*ENOSPC`, "m"));
    assert.is(child.status, 1, child.stderr);
  });
}

test.run();
