// A stress-test writer thread: attaches to the log and writes its share of records, then reports.
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../../mod.ts";
import { stressRecord } from "./stress_records.ts";

const { handle, seed, thread, count } = workerData;
const log = attach(handle);
const encoder = new TextEncoder();
for (let seq = 0; seq < count; seq++) {
  const { body, mode } = stressRecord(seed, thread, seq);
  if (mode === "string") log.write(body + "\n");
  else if (mode === "bytes") log.write(encoder.encode(body + "\n"));
  else log.record({ message: body });
}
await log.close();
parentPort!.postMessage("done");
