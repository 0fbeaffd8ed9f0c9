// A writer thread of the rotation tests: attaches to the log and writes rotationRecord(writer, 0, 1, ...)
// until `count` records or the stop word (Int32 [0] != 0), then posts how many it wrote. With `times`
// (a Float64Array over a SharedArrayBuffer), it awaits flush() after each record and notes, for record seq,
// times[2 seq] = Date.now() before the write and times[2 seq + 1] = Date.now() once the flush resolved:
// the flusher wrote the record in between; then it sleeps `pauseMs` (default 0).
import { parentPort, workerData } from "node:worker_threads";
import { attach, type LogHandle } from "../../mod.ts";
import { rotationRecord } from "./rotation_records.ts";

const { handle, writer, count, stop, times, pauseMs = 0 } = workerData as {
  pauseMs?: number;
  handle: LogHandle;
  writer: number;
  count: number;
  stop: SharedArrayBuffer;
  times?: SharedArrayBuffer;
};
const log = attach(handle);
const stopped = new Int32Array(stop);
const noted = times === undefined ? undefined : new Float64Array(times);
let seq = 0;
for (; seq < count && Atomics.load(stopped, 0) === 0; seq++) {
  if (noted !== undefined) noted[2 * seq] = Date.now();
  if (!log.write(rotationRecord(writer, seq))) throw new Error(`record ${seq} of writer ${writer} was not written`);
  if (noted !== undefined) {
    await log.flush();
    noted[2 * seq + 1] = Date.now();
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  } else if (seq % 2000 === 1999) {
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the thread's event loop breathe
  }
}
await log.close();
parentPort!.postMessage(seq);
