// A writer thread for the durability tests: attaches, says so once it has written, and goes on writing
// its share (yielding now and then, so its records interleave with the main thread's flush), then closes.
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../../mod.ts";

const { handle, id, count } = workerData;
const log = attach(handle);
for (let i = 0; i < count; i++) {
  log.write(`worker ${id} record ${i}\n`);
  if (i === 0) parentPort!.postMessage("writing");
  if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 1));
}
await log.close();
parentPort!.postMessage("done");
