// Exit safety through each logger, with real child processes: lines logged before the program ends, in the
// main thread or in a worker, by process.exit(), by falling off the end, or by an uncaught throw, are all
// in the file, though nothing was closed or flushed and every file write of the child takes 50 ms.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { checkLoggerLines, LOGGERS } from "../support/loggers.ts";
import { childCommand } from "../support/runtime.ts";
import { tempPath } from "../support/temp.ts";

const COUNT = 20_000;

function runChild(name: string, how: string): { status: number | null; text: string; stderr: string } {
  const path = tempPath(`${name}-${how}.log`);
  writeFileSync(`${path}.slow`, "50");
  const { command, args } = childCommand(import.meta.url, "../support/logger_exit_child");
  const child = spawnSync(command, [...args, path, name, how, String(COUNT)], { encoding: "utf8", timeout: 120_000 });
  return { status: child.status, text: readFileSync(path, "utf8"), stderr: child.stderr };
}

const ENDINGS: [how: string, description: string, fails: boolean][] = [
  ["main-exit", "process.exit() in the main thread", false],
  ["main-natural", "the main thread's natural end", false],
  ["main-throw", "an uncaught throw in the main thread", true],
  ["worker-exit", "process.exit() in a worker", false],
  ["worker-throw", "an uncaught throw in a worker", true],
];

for (const name of LOGGERS) {
  for (const [how, description, fails] of ENDINGS) {
    test(`${name}: ${COUNT} lines logged before ${description} are all in the file`, () => {
      const { status, text, stderr } = runChild(name, how);
      if (fails) {
        assert.is.not(status, 0, "the process still fails");
        assert.match(stderr, "deliberate uncaught exception");
      } else {
        assert.is(status, 0, stderr);
      }
      assert.equal(checkLoggerLines(name, text, 1, COUNT), []);
    });
  }
}

test.run();
