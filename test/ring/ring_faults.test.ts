// Faults of the producers: one that dies mid-record, a buffer that fails to copy. Through the real ring
// protocol in the wasm core. A disk that fails: test/disk_faults.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import process from "node:process";
import { open } from "../../mod.ts";
import { instantiateCore } from "../../src/core/core.ts";
import type { RingHandle } from "../../src/ring/ring_handle.ts";
import { tempPath } from "../support/temp.ts";

test("dead producer with its header written: its claim is revoked after unblockTimeoutMs, later records flow", async () => {
  const path = tempPath("dead.log");
  const log = await open(path, { append: false, unblockTimeoutMs: 1000 });
  log.write("before\n");
  await log.flush();
  // A second producer claims a record and never commits it: what a worker terminated mid-write leaves.
  const handle = log.handle as RingHandle;
  const { core } = instantiateCore(handle.module, handle.memory);
  const tag = core.attach(handle.ring, 0);
  const at = core.claim(handle.ring, 100, tag);
  assert.ok(at > 0);
  log.write("after\n");
  const started = performance.now();
  const cpu = process.cpuUsage();
  await log.flush({ durable: true }); // durable: the flusher must not spin while the stall lasts
  const { user, system } = process.cpuUsage(cpu);
  assert.ok(performance.now() - started >= 900, "the flusher waited for the unblock timeout");
  assert.ok((user + system) / 1000 < 500, `the process used ${((user + system) / 1000).toFixed(0)} ms of CPU while stalled ~1 s`);
  assert.is(readFileSync(path, "utf8"), "before\nafter\n");
  assert.is(log.stats().unblocked, 1);
  // Through the core: a write() runs claim, copy and commit in one synchronous call, so no test can stall it
  // in between; RingLog returns commit's false as write()'s (and the test above sees write() say false).
  assert.is(core.commit(handle.ring, at, tag), 0, "the revoked producer's commit fails: it learns its record was lost");
  assert.is(log.stats().lost, 1, "and the loss is counted");
  await log.close();
  assert.is(readFileSync(path, "utf8"), "before\nafter\n");
});

test("write() onto a stretch the flusher has revoked (padded, not yet released) returns false and counts it lost; the ring goes on", async () => {
  // What a producer stalled between moving tail and its header CAS finds when the flusher took it for dead
  // and padded its gap (assembly/ring.ts I5, unblock): a PADDING header where its claim begins. Staged
  // here: a dead claim at head keeps the flusher from releasing anything, then the padding goes at tail.
  const path = tempPath("revoked-write.log");
  const log = await open(path, { append: false, unblockTimeoutMs: 1000 });
  log.write("before\n");
  await log.flush();
  const handle = log.handle as RingHandle;
  const { core, layout } = instantiateCore(handle.module, handle.memory);
  assert.ok(core.claim(handle.ring, 100, core.attach(handle.ring, 0)) > 0, "a dead producer's claim at head");
  const tail = Number(Atomics.load(new BigInt64Array(handle.memory.buffer), (handle.ring + layout.TAIL) / 8) & ~layout.CLOSED);
  const i32 = new Int32Array(handle.memory.buffer);
  const record = "revoked\n";
  const at = (handle.ring + layout.DATA + tail) / 4; // the ring has not wrapped: index = position
  Atomics.store(i32, at + 1, -1); // tag PADDING
  Atomics.store(i32, at, (layout.HEADER + record.length + 7) & ~7); // the length of the claim write() makes
  assert.is(log.write(record), false, "the claim's header CAS from 0 fails: write() says the record was lost");
  assert.is(log.stats().lost, 1);
  assert.is(log.write("after\n"), true);
  await log.close();
  assert.is(readFileSync(path, "utf8"), "before\nafter\n", "the revoked record is not in the file, the later one is");
  assert.is(log.stats().unblocked, 1, "the dead claim was revoked after unblockTimeoutMs");
});

test("dead producer before its header: the zeroed gap is padded, later records flow", async () => {
  const path = tempPath("dead-gap.log");
  const log = await open(path, { append: false, unblockTimeoutMs: 1000 });
  log.write("before\n");
  await log.flush();
  // Move tail by 64 bytes as a claim does, and die before writing the header.
  const handle = log.handle as RingHandle;
  const { layout } = instantiateCore(handle.module, handle.memory);
  Atomics.add(new BigInt64Array(handle.memory.buffer), (handle.ring + layout.TAIL) / 8, 64n);
  log.write("after\n");
  await log.close();
  assert.is(readFileSync(path, "utf8"), "before\nafter\n");
  assert.is(log.stats().unblocked, 1);
});

test("three dead producers cost one unblock timeout, not three", async () => {
  const path = tempPath("dead-three.log");
  const log = await open(path, { append: false, unblockTimeoutMs: 1000 });
  const handle = log.handle as RingHandle;
  const { core } = instantiateCore(handle.module, handle.memory);
  for (let i = 0; i < 3; i++) assert.ok(core.claim(handle.ring, 10 + i, core.attach(handle.ring, 0)) > 0);
  log.write("after\n");
  const started = performance.now();
  await log.flush();
  const waited = performance.now() - started;
  assert.ok(waited < 2500, `flush took ${waited.toFixed(0)} ms`);
  assert.is(log.stats().unblocked, 3);
  await log.close();
  assert.is(readFileSync(path, "utf8"), "after\n");
});

test("a buffer that fails to copy does not block the ring; a lying length is refused", async () => {
  const path = tempPath("bad-buffer.log");
  const log = await open(path, { append: false });
  const buffer = new ArrayBuffer(16);
  const detached = new Uint8Array(buffer, 4, 8);
  structuredClone(buffer, { transfer: [buffer] });
  try {
    log.write(detached);
  } catch {
    // Some runtimes throw on a detached source, others copy nothing: either way no claim may linger.
  }
  const liar = new Uint8Array(200).fill(0x41);
  Object.defineProperty(liar, "length", { value: 2 });
  assert.throws(() => log.write(liar), /whose length property says 2 but which holds 200 bytes/);
  log.write("after\n");
  const started = performance.now();
  await log.flush();
  assert.ok(performance.now() - started < 1000, "no stall behind the failed record");
  assert.is(log.stats().unblocked, 0);
  await log.close();
  assert.is(readFileSync(path, "utf8"), "after\n");
});

test.run();
