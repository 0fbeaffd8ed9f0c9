// Exit safety: records committed before the process ends reach the file, however it ends.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { childCommand } from "../support/runtime.ts";
import { tempPath } from "../support/temp.ts";

const COUNT = 20_000;

function runChild(how: string): { status: number | null; lines: string[]; stderr: string } {
  const path = tempPath(`exit-${how}.log`);
  writeFileSync(`${path}.slow`, "50"); // every file write takes 50 ms in the child's flusher
  const { command, args } = childCommand(import.meta.url, "../support/exit_child");
  const child = spawnSync(command, [...args, path, how, String(COUNT)], { encoding: "utf8", timeout: 60_000 });
  const lines = readFileSync(path, "utf8").split("\n");
  assert.is(lines.pop(), "", "the file ends with a whole line");
  return { status: child.status, lines, stderr: child.stderr };
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

test("uncaught exception after writing: all records in the file, and the process still fails", () => {
  const { status, lines, stderr } = runChild("throw");
  assert.is.not(status, 0);
  assert.match(stderr, "deliberate uncaught exception");
  assertAllRecords(lines);
});

test.run();
