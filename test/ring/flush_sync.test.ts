// flushSync() blocks until this thread's records are in the file (fdatasync'd when durable), with no
// event-loop turn: in the opener and in an attached thread, bounded by the log's timeouts, failing with
// the file's error. Every file write of the logs here takes 50 ms (faulty_driver's <path>.slow), so a
// flushSync that returned before the flusher wrote would be seen at once.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { open, type Strategy } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { assertSyncedAfter, driverCalls } from "../support/driver_calls.ts";
import { faultSpec } from "../support/faulty_driver.ts";
import { thrown } from "../support/outcome.ts";
import { openSlowLog } from "../support/slow_log.ts";
import { tempPath } from "../support/temp.ts";

const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;


test("flushSync() returns once the record is in the file, read back at once (main thread)", async () => {
  const { path, log } = await openSlowLog("flush-sync.log");
  for (let i = 0; i < 20; i++) {
    log.write(`line ${i}\n`);
    log.flushSync();
    assert.ok(readFileSync(path, "utf8").endsWith(`line ${i}\n`), `line ${i} is in the file when flushSync() returns`);
  }
  await log.close();
});

test("flushSync() in an attached worker thread returns once its record is in the file", async () => {
  const { log } = await openSlowLog("flush-sync-worker.log");
  const line = `worker line ${crypto.randomUUID()}\n`;
  const worker = new Worker(siblingModule(import.meta.url, "../support/flush_sync_worker"), { workerData: { handle: log.handle, line } });
  const report = await new Promise<{ flushed: unknown; inFile: boolean }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  assert.is(report.flushed, "returned");
  assert.ok(report.inFile, "the worker's line is in the file when its flushSync() returns");
  await log.close();
});

test("flushSync({ durable: true }) returns only after a sync that follows the write of the record", async () => {
  const { path, log } = await openSlowLog("flush-sync-durable.log", { calls: true });
  for (let i = 0; i < 3; i++) {
    const line = `durable ${i} ${crypto.randomUUID()}\n`;
    log.write(line);
    log.flushSync({ durable: true });
    assertSyncedAfter(path, line);
  }
  log.write("not durable\n");
  const syncs = driverCalls(path).filter(({ call }) => call === "sync").length;
  log.flushSync();
  assert.is(driverCalls(path).filter(({ call }) => call === "sync").length, syncs, "a plain flushSync() does not sync (sync \"never\")");
  await log.close();
});

test("flushSync() after close() returns; a durable one syncs through its own fd", async () => {
  const path = tempPath("flush-sync-closed.log");
  const log = await open(path, { append: false });
  log.write("x\n");
  await log.close();
  assert.is(thrown(() => log.flushSync()), "returned");
  assert.is(thrown(() => log.flushSync({ durable: true })), "returned");
  assert.is(readFileSync(path, "utf8"), "x\n");
  // Its sync looks for the file the log wrote last: gone, that is an error, not a sync of nothing.
  rmSync(path);
  const outcome = thrown(() => log.flushSync({ durable: true }));
  assert.match(outcome === "returned" ? outcome : outcome.message, "cannot be fdatasync'd");
});

test("flushSync() throws the file's error, with its code, once writing failed", async () => {
  const path = tempPath("flush-sync-fail.log");
  writeFileSync(`${path}.fail`, faultSpec("write", "ENOSPC", 0));
  const log = await open(path, { append: false, driver });
  log.write("lost to a full disk\n");
  const outcome = thrown(() => log.flushSync());
  assert.type(outcome, "object");
  assert.is((outcome as { code: string }).code, "ENOSPC");
  assert.match((outcome as { message: string }).message, "ENOSPC: no space left on device");
  await log.close().catch(() => {});
});

test("flushSync() gives up after unblockTimeoutMs + blockTimeoutMs while the disk is stalled, saying so", async () => {
  const path = tempPath("flush-sync-stalled.log");
  writeFileSync(`${path}.gate`, ""); // every write waits while the gate exists
  const log = await open(path, { append: false, driver, unblockTimeoutMs: 1000, blockTimeoutMs: 200 });
  log.write("stuck\n");
  const started = performance.now();
  const outcome = thrown(() => log.flushSync());
  const waited = performance.now() - started;
  assert.type(outcome, "object");
  assert.match((outcome as { message: string }).message, "flushSync() waited unblockTimeoutMs + blockTimeoutMs (1200 ms)");
  assert.ok(waited >= 1150, `it waited ${waited.toFixed(0)} ms, not the whole bound`);
  rmSync(`${path}.gate`);
  await log.close();
  assert.is(readFileSync(path, "utf8"), "stuck\n");
});

const SYNC_FLUSHABLE: Strategy[] = ["locked-writer", "locked-stream", "null"];
const ASYNC_ONLY: Strategy[] = ["atomic-position", "buffered", "buffered-offthread"];

test(`strategies ${SYNC_FLUSHABLE.join(", ")}: flushSync() returns, the record in the file; durable syncs`, async () => {
  for (const strategy of SYNC_FLUSHABLE) {
    const path = tempPath(`flush-sync-${strategy}.log`);
    const log = await open(path, { append: false, strategy });
    log.write(`${strategy}\n`);
    assert.is(thrown(() => log.flushSync()), "returned", strategy);
    assert.is(readFileSync(path, "utf8"), strategy === "null" ? "" : `${strategy}\n`, strategy);
    log.flushSync({ durable: true });
    assert.is(log.stats().syncs, 1, `${strategy}: durable flushSync() synced`);
    await log.close();
  }
});

test(`strategies ${ASYNC_ONLY.join(", ")}: flushSync() throws a clear error pointing to flush()`, async () => {
  for (const strategy of ASYNC_ONLY) {
    const log = await open(tempPath(`flush-sync-${strategy}.log`), { append: false, strategy });
    log.write("x\n");
    const outcome = thrown(() => log.flushSync());
    assert.type(outcome, "object", strategy);
    assert.is((outcome as { message: string }).message, `ringlog: flushSync() is not supported by strategy "${strategy}": its records reach the file through other threads' work, which only flush() can wait for; use await flush(), or the "ring" strategy`);
    await log.close();
  }
});

test.run();
