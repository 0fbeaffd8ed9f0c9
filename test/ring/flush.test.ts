// flush() resolves only once this thread's records are in the file; durable also fdatasyncs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import process from "node:process";
import { attach, open } from "../../mod.ts";
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

test('sync: "batch" fdatasyncs after file writes; { intervalMs } at most every interval', async () => {
  const batch = await open(tempPath("batch.log"), { append: false, sync: "batch" });
  batch.write("x\n");
  await batch.flush();
  await batch.close();
  assert.ok(batch.stats().syncs >= 1);

  const interval = await open(tempPath("interval.log"), { append: false, sync: { intervalMs: 50 } });
  for (let i = 0; i < 20; i++) {
    interval.write("y\n");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await interval.close();
  const { syncs } = interval.stats();
  assert.ok(syncs >= 1 && syncs <= 8, `${syncs} syncs over ~200 ms at most every 50 ms`);
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
