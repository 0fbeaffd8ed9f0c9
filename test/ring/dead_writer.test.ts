// Dead writers: real worker threads that die (terminate(), an uncaught error) while holding a claim. The
// log must not stall: log.watch(worker) recovers as soon as the worker's exit event fires, and without it
// the flusher revokes the claim after unblockTimeoutMs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Worker } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { open, type Log } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { exitMeansStopped } from "../../src/runtime/thread_owner.ts";
import { tempPath } from "../support/temp.ts";

const workerUrl = siblingModule(import.meta.url, "../support/dead_writer_worker");
// Deno's exit event comes before the thread stops (src/runtime/thread_owner.ts): there watch() does nothing and the
// unblock timeout finds the dead writer; the tests check that instead, with a short timeout, and their
// names say which of the two a runtime asserts.
const watchWorks = exitMeansStopped();
const WATCHED_TIMEOUT_MS = watchWorks ? 60_000 : 1_000;
const RECOVERY = watchWorks
  ? "recovered at once, not after unblockTimeoutMs (60 s)"
  : "Deno: the exit event comes while the thread still runs, so watch() does nothing and the claim is revoked after unblockTimeoutMs (1 s)";

function assertRecoveredAsExpected(waited: number, what: string) {
  if (watchWorks) assert.ok(waited < 5_000, `${what} waited ${waited.toFixed(0)} ms; unblockTimeoutMs is 60 s`);
  else assert.ok(waited >= 900, `${what} came ${waited.toFixed(0)} ms after the claim: Deno must wait out unblockTimeoutMs`);
}

function start(log: Log, mode: "hold" | "throw" | "flood", thread = 0): { worker: Worker; ready: Promise<void>; exited: Promise<number> } {
  const worker = new Worker(workerUrl, { workerData: { handle: log.handle, mode, thread } });
  worker.on("error", () => {}); // "throw" dies of its error on purpose
  const ready = new Promise<void>((resolve) => worker.once("message", () => resolve()));
  const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
  return { worker, ready, exited };
}

/** Milliseconds from `since` until `work` settles. Measured from the claim (the worker's ready message): the
 * unblock timeout cannot run out before it, so a lower bound taken from there holds on a loaded machine. */
async function msSince(since: number, work: Promise<unknown>): Promise<number> {
  await work;
  return performance.now() - since;
}

test(`worker.terminate() while holding a claim, watched: ${RECOVERY}`, async () => {
  const path = tempPath("terminated.log");
  const log = await open(path, { append: false, unblockTimeoutMs: WATCHED_TIMEOUT_MS });
  log.write("before\n");
  const { worker, ready } = start(log, "hold");
  log.watch(worker);
  await ready;
  const claimed = performance.now();
  log.write("after\n"); // behind the dead claim
  await worker.terminate();
  assertRecoveredAsExpected(await msSince(claimed, log.flush()), "flush()");
  assert.is(readFileSync(path, "utf8"), "before\nafter\n");
  assert.is(log.stats().unblocked, 1);
  assert.is(log.stats().lost, 0, "the dead thread's record is not a live thread's loss");
  await log.close();
});

test(`a worker dies of an uncaught error holding a claim, watched: ${RECOVERY}`, async () => {
  const path = tempPath("threw.log");
  const log = await open(path, { append: false, unblockTimeoutMs: WATCHED_TIMEOUT_MS });
  const { worker, ready, exited } = start(log, "throw");
  log.watch(worker);
  await ready;
  const claimed = performance.now();
  log.write("after\n");
  assert.is(await exited, 1);
  assertRecoveredAsExpected(await msSince(claimed, log.close()), "close()");
  assert.is(readFileSync(path, "utf8"), "after\n");
  assert.is(log.stats().unblocked, 1);
});

test("a terminated worker not watched: its claim is revoked after unblockTimeoutMs, later records flow", async () => {
  const path = tempPath("unwatched.log");
  const log = await open(path, { append: false, unblockTimeoutMs: 1000 });
  const { worker, ready } = start(log, "hold");
  await ready;
  const claimed = performance.now();
  log.write("after\n");
  await worker.terminate();
  const waited = await msSince(claimed, log.flush());
  assert.ok(waited >= 900, `flush() came ${waited.toFixed(0)} ms after the claim: the claim was revoked after the unblock timeout`);
  assert.is(readFileSync(path, "utf8"), "after\n");
  assert.is(log.stats().unblocked, 1);
  await log.close();
});

test("the death of a thread that holds no claim revokes nothing", async () => {
  const path = tempPath("innocent.log");
  // Long enough that a slow worker start on a loaded machine cannot make the holder look dead.
  const log = await open(path, { append: false, unblockTimeoutMs: 10_000 });
  const holder = start(log, "hold");
  await holder.ready;
  const bystander = start(log, "flood", 1);
  log.watch(bystander.worker);
  await bystander.ready;
  await bystander.worker.terminate();
  log.write("after\n");
  // The holder is alive: its claim must survive the bystander's death and the flusher must still wait.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.is(log.stats().unblocked, 0);
  assert.not.ok(readFileSync(path, "utf8").includes("after\n"), "nothing passes a live claim");
  log.watch(holder.worker);
  await holder.worker.terminate();
  await log.close();
  assert.ok(log.stats().unblocked >= 1);
});

test(`workers terminated at random moments while writing flat out: every thread's records a whole, ordered prefix, ${watchWorks ? "the record written after their exit events last" : "Deno: terminated workers write on for a while, so the record written after their exit events is somewhere in the file, once"}`, async () => {
  for (let round = 0; round < 5; round++) {
    const path = tempPath(`flood-${round}.log`);
    const log = await open(path, { append: false, capacity: 64 * 1024, unblockTimeoutMs: WATCHED_TIMEOUT_MS });
    const writers = [0, 1, 2, 3].map((thread) => start(log, "flood", thread));
    for (const { worker } of writers) log.watch(worker);
    await Promise.all(writers.map((w) => w.ready));
    const started = performance.now();
    await Promise.all(writers.map(async ({ worker, exited }) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 200));
      void worker.terminate();
      // The exit event, not terminate()'s promise (which Deno settles first): watch() acts on the event,
      // in this thread's event loop, so a write that blocked this thread on a full ring now would wait
      // out unblockTimeoutMs instead (README, "Dead writers").
      await exited;
    }));
    log.write("end\n");
    await log.close();
    const waited = performance.now() - started;
    if (watchWorks) assert.ok(waited < 30_000, `round ${round}: terminating and closing took ${waited.toFixed(0)} ms; unblockTimeoutMs is 60 s`);
    const lines = readFileSync(path, "utf8").split("\n");
    assert.is(lines.pop(), "");
    // Last, where a worker's exit event means it stopped; in Deno terminated workers write on for a while.
    if (watchWorks) assert.is(lines.at(-1), "end");
    assert.is(lines.filter((line) => line === "end").length, 1);
    lines.splice(lines.indexOf("end"), 1);
    const next = [0, 0, 0, 0];
    for (const line of lines) {
      const [thread, seq, pad] = line.split(" ");
      assert.is(Number(seq), next[Number(thread)], `thread ${thread}: record ${seq} in order, none lost or doubled`);
      assert.is(pad, "z".repeat(Number(seq) % 300), `thread ${thread} record ${seq} whole`);
      next[Number(thread)]++;
    }
    // Not every thread need have written: on 2 cores a worker can be terminated before it is scheduled.
    assert.ok(next.some((n) => n > 0), `some thread wrote before the terminations: ${next}`);
    assert.is(log.stats().lost, 0);
  }
});

test.run();
