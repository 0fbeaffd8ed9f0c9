// flush({ durable: true }) resolves only after an fdatasync that covers the caller's records. Checked
// against the file driver's own record of its calls (faulty_driver's <path>.calls: "write <start>-<end>",
// "sync", appended before each call returns): when the flush resolves, a sync must follow the write that
// put the caller's last record in the file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { attach, open, type SyncPolicy } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { assertSyncedAfter, driverCalls, logCalls } from "../support/driver_calls.ts";
import { tempDir, tempPath } from "../support/temp.ts";

const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;
const WORKERS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    logCalls(path);
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

test("a durable flush is not answered while its fdatasync is still under way (held by the driver), and is once it returns", async () => {
  const path = tempPath("durable-held.log");
  logCalls(path);
  writeFileSync(`${path}.sync-gate`, "");
  const log = await open(path, { append: false, driver });
  log.write("held\n");
  let settled = false;
  const flushed = log.flush({ durable: true }).finally(() => (settled = true));
  // Order, not time: wait until the flusher is inside the fdatasync, then give the flush every chance to
  // settle (it would at once if SYNCED moved before the sync: the fdatasync is held, not slow).
  while (!existsSync(`${path}.sync-held`)) await sleep(5);
  for (let i = 0; i < 10; i++) await sleep(10);
  assert.not.ok(settled, "the durable flush waits for the fdatasync it asked for to return");
  assert.is(driverCalls(path).map(({ call }) => call).join(","), "write 0-5", "the write is done, its sync is not");
  rmSync(`${path}.sync-gate`);
  await flushed;
  assertSyncedAfter(path, "held\n");
  await log.close();
});

test("a durable flush after close() still syncs: the opener's and an attached thread's (sync \"never\")", async () => {
  const path = tempPath("durable-after-close.log");
  logCalls(path);
  const log = await open(path, { append: false, driver });
  const attached = attach(log.handle);
  log.write("opener\n");
  attached.write("attached\n");
  await log.close();
  assert.not.ok(driverCalls(path).some(({ call }) => call === "sync"), "close() with sync \"never\" did not sync");
  await log.flush({ durable: true });
  assertSyncedAfter(path, "opener\n");
  const synced = driverCalls(path).length;
  await attached.flush({ durable: true });
  assertSyncedAfter(path, "attached\n");
  assert.is(driverCalls(path).length, synced + 1, "the attached thread's durable flush made its own sync");
});

test("a durable flush after close() syncs the file the log wrote last, wherever it was renamed to since, and the directory; one gone from the directory is an error that says so", async () => {
  for (const after of ["renamed", "replaced", "removed"]) {
    const dir = tempDir(`late-${after}`);
    const path = `${dir}/app.log`;
    writeFileSync(`${dir}/any.calls`, "");
    const log = await open(path, { append: false, driver });
    log.write("before close\n");
    await log.close();
    const { dev, ino } = statSync(path, { bigint: true });
    // After the flusher's last look: logrotate renames the file (no reopen: the log is closed), or it goes.
    if (after !== "removed") renameSync(path, `${path}.1`);
    else rmSync(path);
    if (after === "replaced") writeFileSync(path, "another process's file\n");
    const flushed = await log.flush({ durable: true }).then(() => "resolved", (error: Error) => error.message);
    const calls = readFileSync(`${dir}/any.calls`, "utf8").split("\n");
    if (after !== "removed") {
      assert.is(flushed, "resolved");
      assert.not.ok(calls.some((call) => call.startsWith("sync ") && call !== `sync ${dev}:${ino}`), `no other file synced: ${calls.join(", ")}`);
      assert.ok(calls.includes(`sync ${dev}:${ino}`), `the renamed file was synced: ${calls.join(", ")}`);
      assert.ok(calls.indexOf("syncdir") > calls.indexOf(`sync ${dev}:${ino}`), `then the directory: ${calls.join(", ")}`);
    } else {
      assert.match(flushed, `device:inode ${dev}:${ino}`, `the error names the file: ${flushed}`);
      assert.match(flushed, "cannot be fdatasync'd");
      assert.not.ok(calls.some((call) => call.startsWith("sync ")), `nothing else synced in its place: ${calls.join(", ")}`);
    }
    if (after === "replaced") assert.is(readFileSync(path, "utf8"), "another process's file\n");
    else assert.not.ok(existsSync(path), "no empty file made at path");
  }
});

test("a driver whose identities are not device:inode numbers: close() works, and a durable flush after it syncs the file at path", async () => {
  const path = tempPath("odd-identity.log");
  const odd = siblingModule(import.meta.url, "../support/odd_identity_driver").href;
  const log = await open(path, { append: false, driver: odd, rotate: { size: 1 << 20 } });
  log.write("kept\n");
  await log.close();
  await log.flush({ durable: true });
  assert.is(readFileSync(path, "utf8"), "kept\n");
});

test.run();
