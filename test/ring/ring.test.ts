import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { open } from "../../mod.ts";
import { runStress } from "../support/stress.ts";
import { tempPath } from "../support/temp.ts";

test("exactly-once: 4 threads × 100k records, mixed write(string) / write(bytes) / record()", async () => {
  const result = await runStress(4, 100_000);
  assert.equal(result.problems, []);
  assert.is(result.lines, 400_000);
  assert.is(result.stats.records, 400_000);
});

test("exactly-once: 8 threads on 2 cores (oversubscribed), small ring so it wraps and fills", async () => {
  const result = await runStress(8, 25_000, { capacity: 64 * 1024 });
  assert.equal(result.problems, []);
  assert.is(result.lines, 200_000);
  assert.ok(result.stats.fullWaits > 0, "a 64 KiB ring under 8 writers must have been full at times");
});

test("strings: ASCII goes straight into the ring, other text falls back to UTF-8, in any alternation", async () => {
  const path = tempPath("strings.log");
  const log = await open(path, { append: false, capacity: 64 * 1024 });
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    // Runs of ASCII and non-ASCII, so the writer's guess is right, wrong, and right again.
    const text = Math.floor(i / 7) % 2 ? `${i} plain ascii line\n` : `${i} ünïcödé 中文 😀\n`;
    lines.push(text);
    assert.ok(log.write(text));
  }
  await log.close();
  assert.ok(readFileSync(path, "utf8") === lines.join(""), "every line exactly once, in order");
  assert.is(log.stats().records, 3000, "the claims given back as padding are not counted as records");
  assert.is(log.stats().unblocked, 0);
});

test.run();
