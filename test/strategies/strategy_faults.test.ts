// Faults of the article's strategies: a writer that dies mid-write or without close(), a lock held
// forever, a block freed twice, the exit drain racing close(), a lost wake-up. Driven through the real
// parts: the wasm core instantiated by the test as a second "thread" on the log's shared memory.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { attach, open, type Log, type Strategy } from "../../mod.ts";
import { coreModule } from "../../src/core/core.ts";
import { openFile } from "../../src/io/driver.ts";
import { defaultDriver } from "../../src/io/driver_select.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { PositionalWriter } from "../../src/strategies/positional_writer.ts";
import { strategyCore, type StrategyCore } from "../../src/core/strategy_core.ts";
import { WriterState } from "../../src/core/writer_state.ts";
import type { StrategyHandle } from "../../src/strategies/strategy_memory.ts";
import { childCommand } from "../support/runtime.ts";
import { notWhere } from "../support/not_on.ts";
import { tempPath } from "../support/temp.ts";

/** The outcome of `promise`, or "hung" if it has not settled after `ms`. */
async function settle(promise: Promise<unknown>, ms: number): Promise<{ ok: boolean; error?: Error } | "hung"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), ms)));
  try {
    return await Promise.race([promise.then(() => ({ ok: true }), (error: Error) => ({ ok: false, error })), hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** A second thread's view of the log: its own instance of the core over the shared memory. */
function otherThread(log: Log): { core: StrategyCore; handle: StrategyHandle } {
  const handle = log.handle as StrategyHandle;
  return { core: strategyCore(handle.module, handle.memory).core, handle };
}

for (const strategy of ["atomic-position", "buffered"] as Strategy[]) {
  test(`${strategy}: a writer that died between reserve and complete: flush() and close() reject naming the range, no hang`, async () => {
    const path = tempPath("stuck.log");
    const log = await open(path, { strategy, append: false, unblockTimeoutMs: 1000 });
    log.write("before\n");
    await log.flush();
    const { core, handle } = otherThread(log);
    assert.is(core.positionReserve(handle.plan.position, 100), 7, "the dead writer's range starts after 'before\\n'");
    log.write("after\n");
    const started = performance.now();
    const flushed = await settle(log.flush(), 5000);
    assert.ok(flushed !== "hung", "flush() settles");
    assert.not.ok(flushed.ok);
    assert.match(flushed.error!.message, /range starting at byte 7 was reserved by a writer that has not completed it for unblockTimeoutMs \(1000 ms\)/);
    assert.ok(performance.now() - started >= 900, "flush() waited for unblockTimeoutMs");
    const closed = await settle(log.close(), 5000);
    assert.ok(closed !== "hung", "close() settles");
    assert.not.ok(closed.ok);
    assert.match(closed.error!.message, /starting at byte 7/);
    assert.ok(readFileSync(path, "utf8").endsWith("after\n"), "the records after the hole are in the file");
  });
}

test("atomic-position: a write past the 4 TiB limit throws, and its range is completed (close() does not hang)", async () => {
  const path = tempPath("too-large.log");
  const log = await open(path, { strategy: "atomic-position", append: false, unblockTimeoutMs: 1000 });
  const { core, handle } = otherThread(log);
  core.positionInit(handle.plan.position, 2 ** 42 - 10, 1024); // as if the file were 4 TiB - 10 bytes long
  assert.throws(() => log.write("x".repeat(20) + "\n"), /past 4 TiB/);
  assert.is(core.positionWritten(handle.plan.position), core.positionReserved(handle.plan.position), "the refused range was completed");
  const closed = await settle(log.close(), 5000);
  assert.equal(closed, { ok: true });
});

for (const strategy of ["buffered", "buffered-offthread"] as Strategy[]) {
  test(`${strategy}: more short-lived threads than blocks, none closing: writes still succeed, every record in the file`, async () => {
    const path = tempPath("abandon.log");
    // 4 blocks of 16 KiB; a take that finds none waits blockTimeoutMs then throws.
    const log = await open(path, { strategy, append: false, capacity: 65536, blockSize: 16384, blockTimeoutMs: 1000 });
    const threads = 6;
    const count = 3;
    const errors: string[] = [];
    for (let thread = 0; thread < threads; thread++) {
      const worker = new Worker(siblingModule(import.meta.url, "../support/strategy_abandon_worker"), { workerData: { handle: log.handle, thread, count } });
      // Both listeners now: Node may emit the last message and 'exit' in one go.
      const reported = new Promise<{ error: string }>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      const { error } = await reported;
      await exited;
      if (error) errors.push(`worker ${thread}: ${error}`);
    }
    assert.equal(errors, []);
    log.write("main\n");
    await log.close();
    const lines = readFileSync(path, "utf8").split("\n").filter((l) => l !== "").sort();
    const expected = ["main", ...Array.from({ length: threads * count }, (_, i) => `worker ${Math.floor(i / count)} record ${i % count}`)].sort();
    assert.equal(lines, expected);
  });
}

test("buffered: a block whose lock stays held does not stop close() from writing the other blocks", async () => {
  const path = tempPath("stuck-lock.log");
  const log = await open(path, { strategy: "buffered", append: false, blockTimeoutMs: 200 });
  log.write("opener\n"); // the first block
  const other = attach(log.handle);
  other.write("other\n"); // the second block
  const { core, handle } = otherThread(log);
  assert.ok(core.mutexTryLock(handle.plan.blocks), "a thread that dies holding the first block's lock");
  const closed = await settle(log.close(), 5000);
  assert.ok(closed !== "hung");
  assert.not.ok(closed.ok, "close() reports the block it could not write");
  assert.match(closed.error!.message, /stayed held for blockTimeoutMs \(200 ms\)/);
  assert.is(readFileSync(path, "utf8"), "other\n", "the block after the stuck one was written");
});

test("buffered-offthread: a thread closing after the opener never frees a block another thread has taken since", async () => {
  const path = tempPath("twice.log");
  // 3 blocks (a free list of 4 cells: room for one block twice, which the test must see).
  const log = await open(path, { strategy: "buffered-offthread", append: false, capacity: 65536, blockSize: 21845 });
  const a = attach(log.handle);
  a.write("a\n"); // block 0
  const d = attach(log.handle);
  d.write("d\n"); // block 1
  const e = attach(log.handle);
  e.write("e\n"); // block 2
  await log.close(); // queues all three; the writer writes them and frees 0, 1, 2 in that order
  const c = attach(log.handle);
  assert.throws(() => c.write("c\n"), /closed/); // takes block 0 from the free list, then finds the log closed
  const { core, handle } = otherThread(log);
  assert.is(core.queueLength(handle.plan.free), 2, "c holds block 0");
  await a.close(); // block 0 was a's, but is c's now: a must not free it
  assert.is(core.queueLength(handle.plan.free), 2, "block 0 is not free while c holds it (else a third thread could take it and c free it again)");
  await c.close();
  await d.close();
  await e.close();
  assert.is(core.queueLength(handle.plan.free), 3, "each of the 3 blocks is in the free list once");
  assert.is(readFileSync(path, "utf8"), "a\nd\ne\n");
});

test("buffered-offthread: close() not awaited, then process.exit(0): every record in the file", () => {
  const path = tempPath("close-exit.log");
  // 100 MB in 1 KiB blocks, one record each, out of 64 MiB (strategy_close_exit_child.ts): more records than
  // blocks, so the appends wait for the writer thread to free blocks and it is ~64 MiB behind at close()
  // whatever the machine's load (with fewer records than blocks, a writer that kept pace left nothing for
  // the exit drain to wait for: a drain that did not wait passed 2 runs of 3).
  const count = 100_000;
  const { command, args } = childCommand(import.meta.url, "../support/strategy_close_exit_child");
  const child = spawnSync(command, [...args, "buffered-offthread", path, String(count)], { encoding: "utf8", timeout: 60_000 });
  assert.is(child.status, 0, child.stderr);
  const lines = readFileSync(path, "utf8").split("\n");
  assert.is(lines.pop(), "", "the file ends with a whole line");
  assert.is(lines.length, count, "every record is in the file");
  assert.is(lines[count - 1].split(" ")[1], String(count - 1));
});

test("positional write: a completer that moved the prefix just before this waiter counted itself is not slept through", () => {
  // Slot ring of 1: a range completed ahead of the oldest pending one finds it full (file_position P3).
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
  const module = coreModule();
  const { core, layout } = strategyCore(module, memory);
  const position = 65536;
  const state = position + 16384;
  core.positionInit(position, 0, 1);
  const slow = strategyCore(module, memory).core; // another thread, one range ahead
  assert.is(slow.positionReserve(position, 10), 0);
  let moved = false;
  const positionComplete = (p: number): number => {
    const result = core.positionComplete(p);
    if (result === layout.POSITION_FULL && !moved) {
      moved = true;
      assert.is(slow.positionComplete(p), 0); // moves `written`, sees no waiter, so notifies nobody
    }
    return result;
  };
  const racing: StrategyCore = { ...core, positionComplete }; // wasm exports need no `this`
  const writer = new PositionalWriter(racing, layout, memory, position, state, 5000);
  const file = openFile(defaultDriver(), tempPath("dekker.log"), "truncate");
  const started = performance.now();
  writer.write(file, new TextEncoder().encode("123456789\n"), 1);
  const elapsed = performance.now() - started;
  file.close();
  assert.ok(moved, "the race was staged");
  assert.ok(elapsed < 90, `the completer did not sleep its 100 ms slice for nothing (${elapsed.toFixed(1)} ms)`);
  assert.is(core.positionWritten(position), 20);
});

const noDevFull = notWhere(!existsSync("/dev/full"), "a system without /dev/full", "buffered-offthread's writer failing while close() queues blocks needs a device that fails writes");
if (!noDevFull) test("buffered-offthread, lifecycle S1 end to end: the writer fails (/dev/full) while close() still queues blocks; close() rejects with the file's error, at once", async () => {
  const log = await open("/dev/full", { strategy: "buffered-offthread", append: false, blockTimeoutMs: 20_000 });
  log.write("the opener's block, queued first by close()\n");
  const other = attach(log.handle);
  other.write("another thread's block, whose lock the helper holds\n");
  const handle = log.handle as StrategyHandle;
  const { core, layout } = strategyCore(handle.module, handle.memory);
  const owned = [0, 1, 2].map((n) => handle.plan.blocks + n * handle.plan.blockStride).filter((b) => core.blockState(b) === layout.BLOCK_OWNED);
  assert.is(owned.length, 2, "two blocks taken, in the order close() queues them");
  const helper = new Worker(siblingModule(import.meta.url, "../support/unlock_when_failed"), { workerData: { handle: log.handle, block: owned[1] } });
  const exited = new Promise((resolve) => helper.once("exit", resolve));
  const said: string[] = [];
  await new Promise<void>((resolve) => helper.on("message", (m: string) => (said.push(m), m === "locked" && resolve())));
  // close(): queues the first block, waits for the second's lock; meanwhile the writer thread writes the
  // first block to /dev/full and fails; then the helper lets go, and close() queues the second, "DRAINING".
  const started = performance.now();
  const closed = await settle(log.close(), 15_000);
  await exited;
  assert.equal(said, ["locked", "unlocked after the failure"]);
  assert.ok(closed !== "hung", "close() settles");
  assert.not.ok(closed.ok, "close() reports the failure");
  assert.match(closed.error!.message, /ENOSPC/);
  assert.ok(performance.now() - started < 10_000, `close() took ${(performance.now() - started).toFixed(0)} ms`);
});

test("lifecycle S1: the closer's DRAINING, stored after the writer thread failed, leaves FAILED and its first error (the exit drain's wait then ends at once, on the failure, not after its 10 s bound)", () => {
  // The order a late writer thread made under load (buffered-offthread, /dev/full): the closer queued the
  // last block, the writer wrote it and failed, then the closer stored DRAINING.
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
  const module = coreModule();
  const { core: closer, layout } = strategyCore(module, memory);
  const state = 65536;
  const words = { lifecycle: state + layout.LOG_LIFECYCLE, counters: state + layout.LOG_COUNTERS, error: state + layout.LOG_ERROR, errorCapacity: layout.LOG_ERROR_CAPACITY };
  const writer = new WriterState(memory, layout, words); // the writer thread's side
  const drain = new WriterState(memory, layout, words); // the closer, and its exit drain
  closer.logInit(state);
  assert.ok(closer.logClose(state), "OPEN -> CLOSING");
  writer.publishFailure({ message: "writing \"/dev/full\" failed: ENOSPC", code: "ENOSPC" });
  drain.publishLifecycle(layout.DRAINING);
  assert.is(closer.logLifecycle(state), layout.FAILED, "DRAINING after FAILED: the lifecycle moved back");
  assert.ok(drain.waitForEndSync(0), "the drain sees the writer's end at once");
  assert.is(drain.failure()?.code, "ENOSPC");
  writer.publishLifecycle(layout.DONE); // from any thread: nothing moves it back either
  assert.is(drain.lifecycle(), layout.FAILED);
  writer.publishFailure({ message: "a second failure", code: "EIO" });
  assert.is(drain.failure()?.code, "ENOSPC", "the first error is the one reported");
  // Forward moves still happen.
  const fresh = state + 4096;
  closer.logInit(fresh);
  assert.ok(closer.logClose(fresh));
  const later = new WriterState(memory, layout, { ...words, lifecycle: fresh + layout.LOG_LIFECYCLE });
  later.publishLifecycle(layout.DRAINING);
  assert.is(closer.logLifecycle(fresh), layout.DRAINING);
  later.publishLifecycle(layout.DONE);
  assert.is(closer.logLifecycle(fresh), layout.DONE);
});

test.run();
