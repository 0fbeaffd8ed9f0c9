// One raw-append writer: waits for the start signal, appends its share of pre-encoded records, detaches.
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../mod.ts";

const { handle, records, size } = workerData as { handle: never; records: number; size: number };
const log = attach(handle);
const record = new Uint8Array(size).fill(0x61);
record[size - 1] = 0x0a;
parentPort!.once("message", async () => {
  for (let i = 0; i < records; i++) log.write(record);
  await log.close();
  parentPort!.postMessage("done");
});
parentPort!.postMessage("ready");
