// Disk faults: ENOSPC, EIO and EBADF from write or fdatasync, through a file driver that fails as node:fs
// does (test/support/faulty_driver.ts). Whatever fails, every thread hears of it with the error's code:
// pending and later flush() calls reject, writes throw (whatever onFull is), blocked writers wake,
// close() rejects, stats().error shows it; what was written before the fault stays; nothing hangs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { attach, open, type OnFull } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { DISK_ERRORS, faultSpec, type DiskErrorCode } from "../support/faulty_driver.ts";
import { rejection, thrown, type Failed } from "../support/outcome.ts";
import { notWhere } from "../support/not_on.ts";
import { tempPath } from "../support/temp.ts";

const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;
const CAPACITY = 64 * 1024;
const line = (i: number, size = 100) => `${i} `.padEnd(size - 1, "y") + "\n";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `outcome` is the file's error: code, path, the operation, and the driver's own words. */
function assertFileError(outcome: Failed | string, path: string, operation: "write" | "sync", code: DiskErrorCode, what: string): Failed {
  assert.type(outcome, "object", `${what}: expected the file's error, got ${JSON.stringify(outcome)}`);
  const { message, code: got } = outcome as Failed;
  assert.is(got, code, `${what}: error.code`);
  const doing = operation === "write" ? "writing" : "fdatasync of";
  const syscall = operation === "write" ? "write" : "fdatasync";
  assert.is(message, `ringlog: ${doing} ${JSON.stringify(path)} failed: ${code}: ${DISK_ERRORS[code].text}, ${syscall}`, what);
  return outcome as Failed;
}

const policies: OnFull[] = ["block", "drop", "throw"];
let round = 0;
for (const operation of ["write", "sync"] as const) {
  for (const code of Object.keys(DISK_ERRORS) as DiskErrorCode[]) {
    const onFull = policies[round++ % policies.length];
    test(`${operation} fails with ${code}: the waiting flush, later flushes, writes (onFull "${onFull}") and close() throw it with its code`, async () => {
      const path = tempPath(`${operation}-${code}.log`);
      // write: the first 500 bytes fit, the next write does not; sync: the first fdatasync works, the second fails.
      writeFileSync(`${path}.fail`, faultSpec(operation, code, operation === "write" ? 500 : 2));
      const log = await open(path, { append: false, driver, onFull });
      const lines = Array.from({ length: 10 }, (_, i) => line(i));
      for (const text of lines.slice(0, 5)) log.write(text);
      await log.flush({ durable: true }); // 500 bytes and the first fdatasync: before the fault

      // The disk stalls, so this flush is waiting when the fault comes.
      writeFileSync(`${path}.gate`, "");
      for (const text of lines.slice(5)) log.write(text);
      let settled = false;
      const pending = rejection(log.flush({ durable: operation === "sync" }).finally(() => (settled = true)));
      await sleep(50);
      assert.not.ok(settled, "flush() waits while the disk is stalled");
      rmSync(`${path}.gate`);
      const error = assertFileError(await pending, path, operation, code, "the waiting flush()");

      assert.is(log.stats().error, error.message, "stats().error");
      assertFileError(thrown(() => log.write("more\n")), path, operation, code, `write() with onFull "${onFull}"`);
      assertFileError(thrown(() => log.record({ message: "more" })), path, operation, code, "record()");
      assertFileError(await rejection(log.flush()), path, operation, code, "a later flush()");
      assertFileError(await rejection(log.flush({ durable: true })), path, operation, code, "a later durable flush()");
      assertFileError(await rejection(log.close()), path, operation, code, "close()");
      assertFileError(await rejection(log.close()), path, operation, code, "close() again");
      // A failed write wrote nothing; a failed fdatasync came after its write.
      const kept = operation === "write" ? lines.slice(0, 5) : lines;
      assert.is(readFileSync(path, "utf8"), kept.join(""), "what was written before the fault stays");
    });
  }
}

test("a worker thread's waiting flush() rejects with the error; its writes and close() throw it too", async () => {
  const path = tempPath("worker.log");
  writeFileSync(`${path}.fail`, faultSpec("write", "EIO", 0));
  writeFileSync(`${path}.gate`, "");
  const log = await open(path, { append: false, driver });
  const worker = new Worker(siblingModule(import.meta.url, "../support/fault_worker"), { workerData: log.handle });
  const reports: unknown[] = [];
  const reported = new Promise<void>((resolve, reject) => {
    worker.on("message", (message) => reports.push(message) === 2 && resolve());
    worker.once("error", reject);
  });
  while (reports.length === 0) await sleep(10);
  assert.is(reports[0], "flushing");
  await sleep(50); // the worker's flush() is waiting on the stalled disk
  rmSync(`${path}.gate`);
  await reported;
  const { flush, write, close } = reports[1] as Record<string, Failed>;
  assertFileError(flush, path, "write", "EIO", "the worker's flush()");
  assertFileError(write, path, "write", "EIO", "the worker's write()");
  assertFileError(close, path, "write", "EIO", "the worker's close()");
  assertFileError(await rejection(log.close()), path, "write", "EIO", "the opener's close()");
});

test("flush() and close() reject after the fault also in a thread whose records were all written before it", async () => {
  const path = tempPath("written-before.log");
  writeFileSync(`${path}.fail`, faultSpec("write", "ENOSPC", 6));
  const log = await open(path, { append: false, driver });
  const early = attach(log.handle);
  early.write("early\n");
  assert.is(await rejection(early.flush()), "resolved", "6 bytes fit");
  log.write("late\n");
  assertFileError(await rejection(log.flush()), path, "write", "ENOSPC", "the opener's flush()");
  // Nothing of this thread's is missing from the file, but the log has failed: it must say so.
  assertFileError(await rejection(early.flush()), path, "write", "ENOSPC", "the attached flush()");
  assertFileError(await rejection(early.close()), path, "write", "ENOSPC", "the attached close()");
  assertFileError(await rejection(log.close()), path, "write", "ENOSPC", "the opener's close()");
  assert.is(readFileSync(path, "utf8"), "early\n");
});

test('a writer blocked on a full ring (onFull "block") wakes and throws the error, without waiting out blockTimeoutMs', async () => {
  const path = tempPath("blocked.log");
  writeFileSync(`${path}.fail`, faultSpec("write", "EIO", 0));
  writeFileSync(`${path}.gate`, "");
  const log = await open(path, { capacity: CAPACITY, append: false, driver, blockTimeoutMs: 60_000 });
  // The disk comes back 300 ms from now, failing, from another thread: this one is about to block in write().
  new Worker(siblingModule(import.meta.url, "../support/delayed_unlink"), { workerData: { path: `${path}.gate`, ms: 300 } });
  const started = performance.now();
  let outcome: Failed | "returned" = "returned";
  for (let i = 0; i < 500 && outcome === "returned"; i++) outcome = thrown(() => log.write(line(i, 1000)));
  const waited = performance.now() - started;
  assertFileError(outcome, path, "write", "EIO", "the blocked write()");
  assert.ok(waited < 30_000, `the blocked writer woke after ${waited.toFixed(0)} ms, not at blockTimeoutMs`);
  assert.ok(log.stats().fullWaits > 0, "the writer did block");
  assertFileError(await rejection(log.close()), path, "write", "EIO", "close()");
});

test("a durable flush rejects when fdatasync fails with EIO; the plain flush before it resolved", async () => {
  const path = tempPath("durable-eio.log");
  writeFileSync(`${path}.fail`, faultSpec("sync", "EIO", 1));
  const log = await open(path, { append: false, driver });
  log.write("a\n");
  assert.is(await rejection(log.flush()), "resolved", "no fdatasync asked for, no fault");
  log.write("b\n");
  assertFileError(await rejection(log.flush({ durable: true })), path, "sync", "EIO", "flush({ durable: true })");
  assertFileError(await rejection(log.close()), path, "sync", "EIO", "close()");
  assert.is(readFileSync(path, "utf8"), "a\nb\n");
});

test("close() rejects when its last fdatasync fails (sync { intervalMs })", async () => {
  const path = tempPath("close-eio.log");
  writeFileSync(`${path}.fail`, faultSpec("sync", "EIO", 1));
  const log = await open(path, { append: false, driver, sync: { intervalMs: 60_000 } });
  log.write("a\n");
  assert.is(await rejection(log.flush()), "resolved");
  assertFileError(await rejection(log.close()), path, "sync", "EIO", "close()");
  assert.is(log.stats().error?.includes("EIO"), true);
});

test("a durable flush after close() whose own fdatasync fails rejects with the error", async () => {
  const path = tempPath("late-sync-eio.log");
  writeFileSync(`${path}.fail`, faultSpec("sync", "EIO", 1));
  const log = await open(path, { append: false, driver });
  log.write("a\n");
  await log.close(); // sync "never": the flusher never called fdatasync
  assertFileError(await rejection(log.flush({ durable: true })), path, "sync", "EIO", "the late durable flush()");
});

if (!notWhere(!existsSync("/dev/full"), "a system without /dev/full", "Linux has it; the faulty driver's ENOSPC tests run everywhere")) test("a real full device: /dev/full fails every write with ENOSPC, in each runtime's own driver", async () => {
  const log = await open("/dev/full");
  log.write("nowhere to go\n");
  const flushed = await rejection(log.flush());
  assert.type(flushed, "object");
  const { code, message } = flushed as Failed;
  assert.is(code, "ENOSPC");
  assert.ok(message.startsWith('ringlog: writing "/dev/full" failed: '), message);
  assert.ok(message.includes("ENOSPC"), message);
  assert.is((await rejection(log.close()) as Failed).code, "ENOSPC");
});

if (!notWhere(!existsSync("/dev/full"), "a system without /dev/full", "Linux has it")) test("buffered-offthread's writer thread fails with the code too (ENOSPC on /dev/full), as the ring's flusher does", async () => {
  const log = await open("/dev/full", { strategy: "buffered-offthread" });
  log.write("nowhere to go\n");
  const flushed = (await rejection(log.flush())) as Failed;
  assert.is(flushed.code, "ENOSPC");
  assert.ok(flushed.message.startsWith('ringlog: writing "/dev/full" failed: '), flushed.message);
  assert.is(log.stats().error, flushed.message);
  assert.is((await rejection(log.close()) as Failed).code, "ENOSPC");
});

test("open() of a file the flusher cannot create rejects with the code (ENOENT)", async () => {
  const path = tempPath("no-such-dir/app.log");
  const opened = await rejection(open(path));
  assert.type(opened, "object");
  assert.is((opened as Failed).code, "ENOENT");
  assert.ok((opened as Failed).message.includes(JSON.stringify(path)), (opened as Failed).message);
});

test.run();
