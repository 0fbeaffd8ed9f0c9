// A writer that dies: "hold" claims a record through the core and never commits it (until terminated),
// "throw" claims one and dies of an uncaught error, "flood" writes numbered records flat out until killed.
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../../mod.ts";
import { instantiateCore } from "../../src/core/core.ts";
import type { RingHandle } from "../../src/ring/ring_handle.ts";
import { threadOwner } from "../../src/runtime/thread_owner.ts";

const { handle, mode, thread } = workerData as { handle: RingHandle; mode: "hold" | "throw" | "flood"; thread: number };

if (mode === "flood") {
  const log = attach(handle);
  parentPort!.postMessage("started");
  for (let seq = 0; ; seq++) log.write(`${thread} ${seq} ${"z".repeat(seq % 300)}\n`);
} else {
  const { core } = instantiateCore(handle.module, handle.memory);
  const tag = core.attach(handle.ring, threadOwner());
  if (!(core.claim(handle.ring, 100, tag) > 0)) throw new Error("claim failed");
  parentPort!.postMessage("claimed");
  if (mode === "throw") setTimeout(() => { throw new Error("deliberate: died holding a claim"); }, 10);
  else setInterval(() => {}, 1000); // alive, holding the claim, until terminated
}
