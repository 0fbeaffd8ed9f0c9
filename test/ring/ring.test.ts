import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { open } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { runStress } from "../support/stress.ts";
import { tempPath } from "../support/temp.ts";
import { within } from "../support/watchdog.ts";

test("I1, I2: writers spinning on a full ring (onFull drop) claim only free, zeroed memory: nothing lost, torn or out of order", async () => {
  // Every claim here lands on bytes the flusher released a moment before, or wraps to index 0 right
  // behind head: a head published before its bytes are zeroed (I2), or a wrap that ignores head (I1), hands
  // a writer memory still holding a record; its header CAS then fails (counted lost) or the flusher's
  // zeroing wipes its claim (a gap, the record missing). Three rounds, as the window is microseconds wide.
  for (let round = 0; round < 3; round++) {
    const path = tempPath("spin.log");
    const log = await open(path, { append: false, capacity: 64 * 1024, onFull: "drop", lingerMs: 0 });
    const threads = 2;
    const reports = await within(30_000, "writers spinning on a full ring", Promise.all(Array.from({ length: threads }, (_, thread) => new Promise<{ accepted: number; attempts: number }>((resolve, reject) => {
      const worker = new Worker(siblingModule(import.meta.url, "../support/spin_writer"), { workerData: { handle: log.handle, thread, accept: 40_000, maxFiller: 700 } });
      worker.once("message", resolve);
      worker.once("error", reject);
    }))));
    await log.close();
    const stats = log.stats();
    assert.is(stats.lost, 0, "no claim was revoked or found its memory taken");
    assert.ok(stats.dropped > 0, "the ring was full while the writers kept trying");
    const next = new Array(threads).fill(0);
    const lines = readFileSync(path, "latin1").split("\n");
    assert.is(lines.pop(), "", "the file ends with a whole line");
    for (const line of lines) {
      const [thread, seq, filler] = line.split(" ");
      const t = Number(thread);
      assert.ok(t >= 0 && t < threads && filler !== undefined && /^x*$/.test(filler), `a whole record, not ${JSON.stringify(line.slice(0, 60))}`);
      assert.is(Number(seq), next[t], `thread ${t}: record ${next[t]} next, in order, exactly once`);
      next[t]++;
    }
    assert.equal(next, reports.map((r) => r.accepted), "every accepted record is in the file");
  }
});

test("I2: the bytes a flusher consumed are zero by the time it publishes head (a thread watching head sees no stale word)", async () => {
  // Records of 256 KiB in an 8 MiB ring: the flusher zeroes up to 1 MiB per batch, tens of microseconds
  // in which a head published too early is visible to the spinning observer (test/support/ring_observer.ts).
  const path = tempPath("observed.log");
  const log = await open(path, { append: false, capacity: 8 * 1024 * 1024 });
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const observer = new Worker(siblingModule(import.meta.url, "../support/ring_observer"), { workerData: { handle: log.handle, stop } });
  const report = new Promise<{ checks: number; stale: number; first: string }>((resolve, reject) => {
    observer.once("message", resolve);
    observer.once("error", reject);
  });
  await new Promise((resolve) => setTimeout(resolve, 100)); // the observer is spinning before the first batch
  const record = "x".repeat(256 * 1024 - 1) + "\n";
  for (let round = 0; round < 150; round++) {
    for (let i = 0; i < 4; i++) assert.ok(log.write(record));
    await log.flush();
  }
  Atomics.store(stop, 0, 1);
  const { checks, stale, first } = await within(30_000, "the observer's report", report);
  await log.close();
  assert.is(stale, 0, `a consumed word still held its record after head moved past it: ${first}`);
  assert.ok(checks >= 20, `the observer saw head move ${checks} times in 150 rounds of 4 records: too few to judge (a busy machine starving it?)`);
  assert.is(log.stats().records, 600);
});

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
