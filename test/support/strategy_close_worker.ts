// A writer for the close-mid-burst test: attaches, writes the stress records until a write throws because
// the opener closed the log, then reports how many writes succeeded and the error's message.
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../../mod.ts";
import { stressRecord } from "./stress_records.ts";

// Bounds the test if close() failed to stop the writers.
const LIMIT = 2_000_000;
const { handle, seed, thread, startedAfter } = workerData;
const log = attach(handle);
const encoder = new TextEncoder();
let seq = 0;
let message = "";
try {
  for (; seq < LIMIT; seq++) {
    if (seq === startedAfter) parentPort!.postMessage({ type: "started" });
    const { body, mode } = stressRecord(seed, thread, seq);
    if (mode === "string") log.write(body + "\n");
    else if (mode === "bytes") log.write(encoder.encode(body + "\n"));
    else log.record({ message: body });
  }
} catch (error) {
  message = (error as Error).message;
}
parentPort!.postMessage({ type: "stopped", written: seq, message });
