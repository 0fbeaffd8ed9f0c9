// flush({ durable: true }) resolves only after an fdatasync that covers the caller's records. Checked
// against the file driver's own record of its calls (faulty_driver's <path>.calls: "write <start>-<end>",
// "sync", appended before each call returns): when the flush resolves, a sync must follow the write that
// put the caller's last record in the file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { attach, open, type SyncPolicy } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { assertSyncedAfter, driverCalls as calls } from "../support/driver_calls.ts";
import { tempPath } from "../support/temp.ts";

const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;
const WORKERS = 3;

function startWriters(handle: unknown, count: number): { writing: Promise<unknown>; done: Promise<unknown> } {
  const workers = Array.from({ length: WORKERS }, (_, id) => new Worker(siblingModule(import.meta.url, "../support/durable_writer"), { workerData: { handle, id, count } }));
  const message = (worker: Worker, text: string) => new Promise((resolve, reject) => {
    worker.on("message", (m) => m === text && resolve(m));
    worker.once("error", reject);
  });
  return {
    writing: Promise.all(workers.map((w) => message(w, "writing"))),
    done: Promise.all(workers.map((w) => message(w, "done"))),
  };
}

const policies: [string, SyncPolicy][] = [
  ['sync "never"', "never"],
  ['sync "batch"', "batch"],
  ["sync { intervalMs: 60 000 } (the interval never comes)", { intervalMs: 60_000 }],
  ["sync { intervalMs: 5 }", { intervalMs: 5 }],
];
for (const [name, sync] of policies) {
  test(`${name}: with ${WORKERS} threads writing, a durable flush resolves only after a sync that covers the caller's last record`, async () => {
    const path = tempPath("durable.log");
    writeFileSync(`${path}.calls`, "");
    const log = await open(path, { append: false, driver, sync });
    const writers = startWriters(log.handle, 3000);
    await writers.writing;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 50; i++) log.write(`main ${round} record ${i}\n`);
      const last = `main ${round} last ${crypto.randomUUID()}\n`;
      log.write(last);
      await log.flush({ durable: true });
      assertSyncedAfter(path, last);
    }
    await writers.done;
    await log.close();
    assert.ok(log.stats().syncs >= 1);
  });
}

test("a durable flush after close() still syncs: the opener's and an attached thread's (sync \"never\")", async () => {
  const path = tempPath("durable-after-close.log");
  writeFileSync(`${path}.calls`, "");
  const log = await open(path, { append: false, driver });
  const attached = attach(log.handle);
  log.write("opener\n");
  attached.write("attached\n");
  await log.close();
  assert.not.ok(calls(path).some(({ call }) => call === "sync"), "close() with sync \"never\" did not sync");
  await log.flush({ durable: true });
  assertSyncedAfter(path, "opener\n");
  const synced = calls(path).length;
  await attached.flush({ durable: true });
  assertSyncedAfter(path, "attached\n");
  assert.is(calls(path).length, synced + 1, "the attached thread's durable flush made its own sync");
});

test.run();
