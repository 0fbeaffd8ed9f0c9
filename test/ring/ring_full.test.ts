// Wrapping at the largest record size, and a full ring under each onFull policy. The ring fills because
// the flusher's disk is stalled on purpose (faulty_driver's gate file), not by mocking the ring.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Worker } from "node:worker_threads";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { instantiateCore } from "../../src/core/core.ts";
import type { RingHandle } from "../../src/ring/ring_handle.ts";
import { tempPath } from "../support/temp.ts";

const CAPACITY = 64 * 1024;
const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;
const line = (i: number, size: number) => `${i} `.padEnd(size - 1, "x") + "\n";

test("wrap: records of exactly maxRecord bytes and odd sizes, 250 laps of a 64 KiB ring", async () => {
  const path = tempPath("wrap.log");
  const log = await open(path, { capacity: CAPACITY, append: false });
  const maxRecord = CAPACITY / 8;
  const expected: string[] = [];
  for (let i = 0; i < 4000; i++) {
    // maxRecord, then sizes that are not multiples of 8, so padding records appear at every wrap.
    const text = line(i, i % 3 === 0 ? maxRecord : 1 + ((i * 7919) % maxRecord) || 1);
    expected.push(text);
    assert.ok(i % 2 ? log.write(text) : log.write(new TextEncoder().encode(text)));
  }
  await log.close();
  assert.ok(readFileSync(path, "utf8") === expected.join(""), "the file is exactly the records, in order");
  assert.is(log.stats().records, 4000);
});

test('onFull "drop": write() returns false when full, counts it, and writes every accepted record', async () => {
  const path = tempPath("drop.log");
  writeFileSync(`${path}.gate`, "");
  const log = await open(path, { capacity: CAPACITY, append: false, onFull: "drop", driver });
  const accepted: string[] = [];
  let dropped = 0;
  for (let i = 0; i < 500; i++) {
    const text = line(i, 1000);
    if (log.write(text)) accepted.push(text);
    else dropped++;
  }
  assert.ok(dropped > 0, "a 64 KiB ring with a stalled disk cannot take 500 KB");
  const stats = log.stats();
  assert.is(stats.dropped, dropped);
  assert.ok(stats.fullWaits >= dropped);
  rmSync(`${path}.gate`);
  await log.close();
  assert.ok(readFileSync(path, "utf8") === accepted.join(""));
});

test('onFull "throw": a clear error when full; everything written before is kept', async () => {
  const path = tempPath("throw.log");
  writeFileSync(`${path}.gate`, "");
  const log = await open(path, { capacity: CAPACITY, append: false, onFull: "throw", driver });
  const accepted: string[] = [];
  const error = (() => {
    for (let i = 0; i < 500; i++) {
      const text = line(i, 1000);
      try {
        log.write(text);
      } catch (e) {
        return e as Error;
      }
      accepted.push(text);
    }
  })();
  assert.instance(error, Error);
  assert.match(error!.message, 'the ring is full (capacity 65536 bytes) and onFull is "throw"');
  assert.is(log.stats().fullWaits, 1);
  rmSync(`${path}.gate`);
  await log.close();
  assert.ok(readFileSync(path, "utf8") === accepted.join(""));
});

test('onFull "block": waits at most blockTimeoutMs, then a clear error; nothing written is lost', async () => {
  const path = tempPath("block-timeout.log");
  writeFileSync(`${path}.gate`, "");
  const log = await open(path, { capacity: CAPACITY, append: false, blockTimeoutMs: 300, driver });
  const accepted: string[] = [];
  let error: Error | undefined;
  let waited = 0;
  for (let i = 0; i < 500 && !error; i++) {
    const text = line(i, 1000);
    const started = performance.now();
    try {
      log.write(text);
      accepted.push(text);
    } catch (e) {
      error = e as Error;
      waited = performance.now() - started;
    }
  }
  assert.instance(error, Error);
  assert.match(error!.message, "the ring stayed full for blockTimeoutMs (300 ms)");
  assert.ok(waited >= 290, `blocked ${waited.toFixed(0)} ms before giving up`);
  rmSync(`${path}.gate`);
  await log.close();
  assert.ok(readFileSync(path, "utf8") === accepted.join(""));
});

test('onFull "block": a writer blocked on a full ring resumes when the disk does, losing nothing', async () => {
  const path = tempPath("block.log");
  writeFileSync(`${path}.gate`, "");
  const log = await open(path, { capacity: CAPACITY, append: false, driver });
  // The gate opens 300 ms from now, from another thread: this one is about to block in write().
  new Worker(siblingModule(import.meta.url, "../support/delayed_unlink"), { workerData: { path: `${path}.gate`, ms: 300 } });
  const expected: string[] = [];
  const started = performance.now();
  for (let i = 0; i < 500; i++) {
    const text = line(i, 1000);
    expected.push(text);
    assert.ok(log.write(text));
  }
  assert.ok(performance.now() - started >= 250, "the writes had to wait for the disk");
  assert.ok(log.stats().fullWaits > 0);
  await log.close();
  assert.ok(readFileSync(path, "utf8") === expected.join(""));
  assert.is(log.stats().dropped, 0);
});

test("a full ring hurries the flusher under every policy: with lingerMs 3000, drop recovers at once", async () => {
  const log = await open(tempPath("drop-hurry.log"), { capacity: CAPACITY, append: false, onFull: "drop", lingerMs: 3000 });
  // One record wakes the flusher, which then lingers (3 s); while it lingers, commits do not wake it.
  log.write(line(0, 100));
  await new Promise((resolve) => setTimeout(resolve, 50));
  let i = 1;
  while (log.write(line(i++, 100))); // until the first drop
  await new Promise((resolve) => setTimeout(resolve, 200));
  // The drop hurried the flusher, so the ring has been drained well before the 3 s linger would end.
  assert.ok(log.write(line(i, 100)), "room again 200 ms after a full ring");
  await log.close();
});

test("flush() never waits for a linger, even when it must first wait for another thread's commit", async () => {
  const path = tempPath("flush-linger.log");
  const log = await open(path, { append: false, lingerMs: 3000 });
  // Another writer's record is in flight at head, ahead of ours; it commits 50 ms from now.
  const handle = log.handle as RingHandle;
  const { core } = instantiateCore(handle.module, handle.memory);
  const tag = core.attach(handle.ring, 0);
  const other = core.claim(handle.ring, 6, tag);
  new Uint8Array(handle.memory.buffer).set(new TextEncoder().encode("other\n"), other);
  setTimeout(() => core.commit(handle.ring, other, tag), 50);
  log.write("mine\n");
  const started = performance.now();
  await log.flush();
  const waited = performance.now() - started;
  assert.ok(waited < 1000, `flush() took ${waited.toFixed(0)} ms with lingerMs 3000`);
  assert.is(readFileSync(path, "utf8"), "other\nmine\n");
  await log.close();
});

test.run();
