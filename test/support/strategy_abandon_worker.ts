// A short-lived writer that ends without close(): attaches, writes its records, reports, and exits. Its
// block (buffered strategies) is left behind as if the thread had died.
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../../mod.ts";

const { handle, thread, count } = workerData;
const log = attach(handle);
let error = "";
try {
  for (let n = 0; n < count; n++) log.write(`worker ${thread} record ${n}\n`);
} catch (e) {
  error = (e as Error).message;
}
parentPort!.postMessage({ error });
