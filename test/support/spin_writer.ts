// A writer thread that never waits for room: onFull "drop" hands a full ring back at once, so it retries
// its claim in a tight loop, and each record it gets in claims memory the flusher has only just released.
// That is the moment the ring's I1 and I2 are about (a claim at head, a claim that wraps to index 0).
// Writes `thread seq filler\n` with seq counting accepted records only, so the file must hold, per
// thread, exactly 0 .. accepted-1 in order; reports how many were accepted and how many attempts it took.
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../../mod.ts";

const { handle, thread, accept, maxFiller } = workerData as { handle: unknown; thread: number; accept: number; maxFiller: number };
const log = attach(handle as Parameters<typeof attach>[0]);
const filler = "x".repeat(maxFiller);
let accepted = 0;
let attempts = 0;
while (accepted < accept) {
  attempts++;
  // Lengths vary, and not by multiples of 8, so the wrap point falls anywhere and padding records appear.
  const length = (accepted * 7919 + thread * 104729) % maxFiller;
  if (log.write(`${thread} ${accepted} ${filler.slice(0, length)}\n`)) accepted++;
}
await log.close();
parentPort!.postMessage({ accepted, attempts });
