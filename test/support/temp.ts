// Fresh paths under one temporary directory per test process.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let dir: string | undefined;
let n = 0;

export function tempPath(name: string): string {
  dir ??= mkdtempSync(join(tmpdir(), "ringlog-test-"));
  return join(dir, `${n++}-${name}`);
}
