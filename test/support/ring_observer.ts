// Watches a ring's I2 from outside (assembly/ring.ts): "every byte of data[] outside [head, tail) is zero,
// because the flusher zeroes what it consumed BEFORE it publishes the new head". It spins on head; each
// time head moves to h1 it reads the last word the flusher consumed, at position h1 - 8, the word a
// forward zeroing reaches last. A flusher that publishes head before zeroing is caught in the tens of
// microseconds its zeroing of a large batch takes. The word is stale only if it is not zero while tail is
// still short of that word's position on the next lap (so no writer can have claimed it since): tail is
// read after the word, and it only grows.
import { parentPort, workerData } from "node:worker_threads";
import { RingView } from "../../src/core/ring_view.ts";
import type { RingHandle } from "../../src/ring/ring_handle.ts";

const { handle, stop } = workerData as { handle: RingHandle; stop: Int32Array };
const view = new RingView(handle.module, handle.memory, handle.ring);
const capacity = BigInt(handle.settings.capacity);
const dataAt = BigInt(view.ring + view.layout.DATA);
let checks = 0;
let stale = 0;
let first = "";
let seen = view.head();
while (Atomics.load(stop, 0) === 0) {
  const head = view.head();
  if (head === seen) continue;
  seen = head;
  const position = head - 8n;
  const word = Atomics.load(view.i64, Number((dataAt + (position & (capacity - 1n))) / 8n));
  const tail = view.tail();
  checks++;
  if (word !== 0n && tail <= position + capacity) {
    stale++;
    if (first === "") first = `head ${head}, tail ${tail}: the word at ${position} reads 0x${BigInt.asUintN(64, word).toString(16)}`;
  }
}
parentPort!.postMessage({ checks, stale, first });
