#!/usr/bin/env -S deno bench -A
// The wasm cores' per-record costs, in one thread (no contention: bench/burst.ts measures that).
//
//   deno bench -A bench/core_bench.ts
//
// "coordination": what each strategy does per record to agree with the other threads on where its bytes
// go, without the bytes and without IO: the ring's claim + commit, the locked strategies' mutex lock +
// unlock (uncontended: one CAS, one atomic sub), atomic-position's reserve (one fetch-add) + complete.
// "core": a private ring with no flusher thread: when claim reports full, this thread drains it itself
// (gather + release, the flusher's two core calls, without the file write), so the figures are the wasm
// calls' cost plus the drain amortised over ~20k records, and nothing waits on IO.
// "with flusher": a real ring log whose flusher thread writes to a file in a temporary directory; a
// writer that outruns the disk waits for room, and that wait is part of what a call costs.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open, type Strategy } from "../mod.ts";
import { coreModule, instantiateCore } from "../src/core/core.ts";
import { strategyCore } from "../src/core/strategy_core.ts";
import type { StrategyHandle } from "../src/strategies/strategy_memory.ts";
import { bench, type BenchContext } from "./deno_api.ts";

const PAGE = 65536;
const RING_AT = PAGE; // as src/ring/ring_open.ts: the first page is the module's own
const CAPACITY = 4 * 1024 * 1024; // open()'s default
const STAGING_SIZE = 1 << 20;
const module = coreModule();
const probe = instantiateCore(module, new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }));
const staging = RING_AT + probe.layout.DATA + CAPACITY;
const pages = Math.ceil((staging + STAGING_SIZE) / PAGE);
const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
const { core, layout } = instantiateCore(module, memory);
core.init(RING_AT, CAPACITY, CAPACITY / 8);
const tag = core.attach(RING_AT, 0);
const u8 = new Uint8Array(memory.buffer);

// A 200-byte record, about the size of the article's largest event line.
const payload = new Uint8Array(200).fill(0x71);
payload[199] = 0x0a;

/** Claims room for `length` bytes; on a full ring, consumes everything committed, as the flusher would. */
function claim(length: number): number {
  for (;;) {
    const at = core.claim(RING_AT, length, tag);
    if (at > 0) return at;
    if (at === layout.CLAIM_CLOSED) throw new Error("the private ring is closed");
    do {
      core.gather(RING_AT, staging, STAGING_SIZE);
      if (core.gathered(RING_AT) > 0) core.release(RING_AT);
    } while (core.gathered(RING_AT) > 0);
  }
}

bench({
  group: "core, 200 B",
  name: "claim + commit",
  baseline: true,
  fn: () => {
    core.commit(RING_AT, claim(payload.length), tag);
  },
});

bench({
  group: "core, 200 B",
  name: "claim + copy + commit",
  fn: () => {
    const at = claim(payload.length);
    u8.set(payload, at);
    core.commit(RING_AT, at, tag);
  },
});

const dir = mkdtempSync(join(tmpdir(), "ringlog-bench-"));
// Runs after the library's own exit drain (registered earlier, at open()), so the file is closed first.
globalThis.addEventListener("unload", () => rmSync(dir, { recursive: true, force: true }));
const log = await open(join(dir, "ring.log"), { strategy: "ring", append: false });

bench({ group: "core, 200 B", name: "log.write(Uint8Array), flusher writing to a file", fn: () => log.write(payload) });

// Issue 12's writer goals, through the public API: one 128-byte record as bytes, and as an ASCII string
// of 127 characters and a line end, into a log on tmpfs (the flusher's disk is not what is measured; a
// writer that outruns it still waits for room, which counts).
{
  const shm = existsSync("/dev/shm") ? mkdtempSync("/dev/shm/ringlog-bench-") : mkdtempSync(join(tmpdir(), "ringlog-bench-"));
  globalThis.addEventListener("unload", () => rmSync(shm, { recursive: true, force: true }));
  const small = await open(join(shm, "writer.log"), { append: false });
  const bytes = new Uint8Array(128).fill(0x61);
  bytes[127] = 0x0a;
  const text = `${"a".repeat(127)}\n`;
  bench({ group: "writer, 128 B, flusher writing to tmpfs", name: "log.write(Uint8Array)", baseline: true, fn: () => small.write(bytes) });
  bench({ group: "writer, 128 B, flusher writing to tmpfs", name: "log.write(string), ASCII", fn: () => small.write(text) });
  // The writer's own cost (issue 12, goal 2): the group above also counts the waits for room when the
  // writer outruns the flusher. Here each iteration writes 1000 records into a ring the flusher has
  // drained first, outside the timed part: the figure divided by 1000 is the cost of one call.
  const calls = 1000;
  const drained = (b: BenchContext, write: () => void) => {
    small.flushSync();
    b.start();
    for (let i = 0; i < calls; i++) write();
    b.end();
  };
  const group = `writer, 128 B, ${calls} calls into a drained ring (divide by ${calls})`;
  bench({ group, name: `${calls} × log.write(Uint8Array)`, baseline: true, fn: (b) => drained(b, () => small.write(bytes)) });
  bench({ group, name: `${calls} × log.write(string), ASCII`, fn: (b) => drained(b, () => small.write(text)) });
}

bench({
  group: "coordination per record",
  name: "ring: claim + commit (+ amortised drain)",
  baseline: true,
  fn: () => {
    core.commit(RING_AT, claim(payload.length), tag);
  },
});

// The article's strategies: their logs are opened only for their shared memory.
async function strategyMemory(strategy: Strategy) {
  const opened = await open(join(dir, `${strategy}.log`), { strategy, append: false });
  const handle = opened.handle as StrategyHandle;
  return { core: strategyCore(handle.module, handle.memory).core, plan: handle.plan };
}

{
  const { core: sc, plan } = await strategyMemory("locked-stream");
  bench({
    group: "coordination per record",
    name: "locked-*: mutex lock + unlock",
    fn: () => {
      if (!sc.mutexTryLock(plan.mutex)) throw new Error("the mutex of a log nobody writes to was taken");
      sc.mutexUnlock(plan.mutex);
    },
  });
}
{
  const { core: sc, plan } = await strategyMemory("atomic-position");
  bench({
    group: "coordination per record",
    name: "atomic-position: reserve + complete",
    fn: () => {
      if (sc.positionReserve(plan.position, payload.length) < 0) throw new Error("the position was closed");
      sc.positionComplete(plan.position);
    },
  });
}
