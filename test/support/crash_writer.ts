// One writer thread of the crash child: bursts of records, each followed by flush() and a note of the last
// flushed seq, until the process is killed.
import { parentPort, workerData } from "node:worker_threads";
import { closeSync, openSync, writeSync } from "node:fs";
import { attach } from "../../mod.ts";
import { crashRecord } from "./crash_records.ts";

const { handle, run, thread, flushedPath } = workerData;
const log = attach(handle);
const flushed = openSync(flushedPath, "r+");
const note = new BigInt64Array(1);
parentPort!.postMessage("started");
for (let seq = 0; ; ) {
  const burst = 1 + (seq % 17);
  for (let i = 0; i < burst; i++, seq++) log.write(crashRecord(run, thread, seq));
  await log.flush();
  note[0] = BigInt(seq - 1);
  writeSync(flushed, new Uint8Array(note.buffer), 0, 8, thread * 8);
  await new Promise((resolve) => setTimeout(resolve, 2));
}
closeSync(flushed); // never reached: the process is killed
