// flush() resolves only once this thread's records are in the file; durable also fdatasyncs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import process from "node:process";
import { attach, open } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { callSummary, driverCalls, logCalls } from "../support/driver_calls.ts";
import { tempPath } from "../support/temp.ts";

test("flush() resolves once the write is in the file (read back at once)", async () => {
  const path = tempPath("flush.log");
  const log = await open(path, { append: false });
  for (let i = 0; i < 200; i++) {
    log.write(`line ${i}\n`);
    await log.flush();
    assert.ok(readFileSync(path, "utf8").endsWith(`line ${i}\n`), `line ${i} is in the file when flush() resolves`);
  }
  await log.close();
});

test("flush({ durable: true }) fdatasyncs, and only when asked (sync: never)", async () => {
  const path = tempPath("durable.log");
  const log = await open(path, { append: false });
  log.write("a\n");
  await log.flush();
  assert.is(log.stats().syncs, 0);
  log.write("b\n");
  await log.flush({ durable: true });
  assert.is(log.stats().syncs, 1);
  assert.is(readFileSync(path, "utf8"), "a\nb\n");
  await log.close();
});

// The sync policies, from the faulty driver's call log (w: a write, S: an fdatasync), in the order the
// flusher made them: the policy's defining behaviour, which close()'s final fdatasync cannot stand in for.
const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('sync: "batch": an fdatasync after every file write, before the next one', async () => {
  const path = tempPath("batch.log");
  logCalls(path);
  const log = await open(path, { append: false, driver, sync: "batch" });
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 10; i++) log.write(`batch ${round} ${i}\n`);
    await log.flush(); // each round its own file write
  }
  // flush() resolves once the write is done, maybe before its fdatasync: the last one may be under way.
  const calls = callSummary(driverCalls(path));
  assert.match(calls, /^(wS)+w?$/, `every write followed by its fdatasync before the next write: ${calls}`);
  assert.ok(calls.length >= 39, `20 flushed rounds, at least 20 writes: ${calls}`);
  await log.close();
  assert.match(callSummary(driverCalls(path)), /^(wS)+$/);
});

test("sync: { intervalMs: 20 }: fdatasyncs come while writes go on, before close(), never two without a write between", async () => {
  const path = tempPath("interval.log");
  logCalls(path);
  const log = await open(path, { append: false, driver, sync: { intervalMs: 20 } });
  const started = performance.now();
  for (let i = 0; performance.now() - started < 400; i++) {
    log.write(`interval ${i}\n`);
    await log.flush();
    await sleep(2);
  }
  const calls = callSummary(driverCalls(path));
  const syncs = calls.split("S").length - 1;
  assert.ok(syncs >= 3, `fdatasyncs while writing for 400 ms, before close(): ${calls}`);
  assert.ok(syncs <= 400 / 20 + 2, `${syncs} fdatasyncs in 400 ms: at most one per 20 ms interval`);
  assert.not.match(calls, /SS/, "an fdatasync only after something was written since the last");
  assert.match(calls, /^w/, "nothing to sync before the first write");
  await log.close();
  assert.match(callSummary(driverCalls(path)), /S$/, "close() syncs what the interval had not yet");
});

test('sync: "never": an fdatasync only for a durable flush, none at close()', async () => {
  const path = tempPath("never.log");
  logCalls(path);
  const log = await open(path, { append: false, driver });
  for (let round = 0; round < 5; round++) {
    log.write(`never ${round}\n`);
    await log.flush();
  }
  assert.not.match(callSummary(driverCalls(path)), /S/, "no fdatasync without a request");
  log.write("durable\n");
  await log.flush({ durable: true });
  assert.match(callSummary(driverCalls(path)), /^w+S$/, "the durable flush's one fdatasync, after the writes");
  log.write("after\n");
  await log.flush();
  await log.close();
  assert.match(callSummary(driverCalls(path)), /^w+Sw+$/, "and no other, not even at close()");
});

test("append: true keeps what the file had; false truncates it", async () => {
  const path = tempPath("append.log");
  const first = await open(path);
  first.write("one\n");
  await first.close();
  const second = await open(path, { append: true });
  second.write("two\n");
  await second.close();
  assert.is(readFileSync(path, "utf8"), "one\ntwo\n");
  const third = await open(path, { append: false });
  third.write("three\n");
  await third.close();
  assert.is(readFileSync(path, "utf8"), "three\n");
});

test("flush() and flush({ durable: true }) after close settle at once, in the opener and attached threads", async () => {
  const path = tempPath("after-close.log");
  const log = await open(path, { append: false });
  const attached = attach(log.handle);
  attached.write("attached\n");
  log.write("opener\n");
  await log.close();
  // The flusher is gone; these must not wait for it forever.
  await attached.flush({ durable: true });
  await attached.flush();
  await log.flush({ durable: true });
  assert.is(readFileSync(path, "utf8").split("\n").sort().join(","), ",attached,opener");
});

test("an unhandled rejection the program handles does not close the log (every strategy)", async () => {
  const g = globalThis as unknown as { addEventListener?(e: string, f: (e: Event) => void): void; removeEventListener?(e: string, f: (e: Event) => void): void; Deno?: unknown };
  const swallow = (event: Event) => event.preventDefault();
  const swallowNode = () => {};
  if (g.Deno) g.addEventListener!("unhandledrejection", swallow);
  else process.on("unhandledRejection", swallowNode);
  for (const strategy of ["ring", "locked-writer", "locked-stream", "atomic-position", "buffered", "buffered-offthread"] as const) {
    const path = tempPath(`rejection-${strategy}.log`);
    const log = await open(path, { append: false, strategy });
    log.write("before\n");
    Promise.reject(new Error("handled by the program"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    log.write("after\n");
    await log.close();
    assert.is(readFileSync(path, "utf8"), "before\nafter\n", strategy);
  }
  if (g.Deno) g.removeEventListener!("unhandledrejection", swallow);
  else process.off("unhandledRejection", swallowNode);
});

test("flush() at the end of a script keeps the process alive until it resolves", async () => {
  // waitAsync alone does not hold Node or Bun open; if flush() relied on it, this await would never return.
  const log = await open(tempPath("alive.log"), { append: false });
  log.write("z\n");
  await log.flush({ durable: true });
  await log.close();
});

test.run();
