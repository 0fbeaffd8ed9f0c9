#!/usr/bin/env -S deno bench -A
// Per-call costs of the public API, for every registered strategy, in the calling thread (one writer, so
// no contention: the burst benchmark, bench/burst.ts, measures that). Baseline: "null", which formats and
// writes nothing, when it is registered; otherwise "ring".
//
//   deno bench -A bench/log_bench.ts
//
// Each strategy writes to its own file in a temporary directory, removed when the process ends. The ring
// and the off-thread strategies do their file IO in another thread, so a call's time here is what the
// caller pays, and a ring that fills up makes the caller wait: that is part of its cost.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open, type Log, type Strategy } from "../mod.ts";
import { bench } from "./deno_api.ts";

const ORDER: Strategy[] = ["null", "ring", "locked-writer", "locked-stream", "atomic-position", "buffered", "buffered-offthread"];
const registered = ORDER;
const baseline = "null";

const dir = mkdtempSync(join(tmpdir(), "ringlog-bench-"));
// Runs after the library's own exit drain (registered earlier, at open()), so the files are closed first.
globalThis.addEventListener("unload", () => rmSync(dir, { recursive: true, force: true }));

const logs = new Map<Strategy, Log>();
for (const strategy of registered) logs.set(strategy, await open(join(dir, `${strategy}.log`), { strategy, append: false }));

// The article's largest event: 128 base64 characters of data.
const data = "q".repeat(128);
const line = `2026-01-01T00:00:00.000Z 00000000-0000-4000-8000-000000000000 EventNo: 1767225600000.7 Data:${data}\n`;
const lineBytes = new TextEncoder().encode(line);
const created = new Date();
let i = 0;

for (const [strategy, log] of logs) {
  const isBaseline = strategy === baseline;
  bench({
    group: "record()",
    name: strategy,
    baseline: isBaseline,
    fn: () => log.record({ message: `EventNo: 1767225600000.${i++ % 200} Data:${data}`, created }),
  });
  bench({ group: "write(string)", name: strategy, baseline: isBaseline, fn: () => log.write(line) });
  bench({ group: "write(Uint8Array)", name: strategy, baseline: isBaseline, fn: () => log.write(lineBytes) });
}
