// Fresh paths under one temporary directory per test process, removed when the process exits (kept, and
// named on stderr, when it exits with a failure: the files are what to look at then).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

let dir: string | undefined;
let n = 0;

function processDir(): string {
  if (dir === undefined) {
    const made = mkdtempSync(join(tmpdir(), "ringlog-test-"));
    dir = made;
    process.on("exit", (code) => {
      const failed = (code || process.exitCode || 0) !== 0;
      if (failed) process.stderr.write(`[temp] kept ${made} (the test process is failing)\n`);
      else rmSync(made, { recursive: true, force: true });
    });
  }
  return dir;
}

/** A fresh path (nothing there yet) for a file of this test process. */
export function tempPath(name: string): string {
  return join(processDir(), `${n++}-${name}`);
}

/** A fresh, empty directory of this test process. */
export function tempDir(name: string): string {
  const path = tempPath(name);
  mkdirSync(path);
  return path;
}
