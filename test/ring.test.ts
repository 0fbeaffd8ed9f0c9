import { test } from "uvu";
import * as assert from "uvu/assert";
import { runStress } from "./support/stress.ts";

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

test.run();
