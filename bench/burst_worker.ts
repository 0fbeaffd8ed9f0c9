// One writer thread of the burst benchmark: the article's loop (burst_loop.ts) through a Log, each event
// as log.record({ message, created }); the library adds the UUID (crypto.randomUUID) and formats
// `<ISO> <uuid> <message>\n`. The histogram (measured bursts only) goes back to the main thread encoded.
import { parentPort, workerData } from "node:worker_threads";
import { attach, type LogHandle } from "../mod.ts";
import { runBursts } from "./burst_loop.ts";
import type { WorkerResult } from "./burst_protocol.ts";
import { signalReady } from "./worker_group.ts";

const { handle, control, saturate, thread } = workerData as { handle: LogHandle; control: SharedArrayBuffer; saturate: boolean; thread: number };
const log = attach(handle);
signalReady(control);
let dropped = 0;
const loop = runBursts(new Int32Array(control), saturate, thread, (message, created) => {
  if (log.record({ message, created })) return true;
  dropped++;
  return false;
});
await log.close();

const result: WorkerResult = { ...loop, dropped };
parentPort!.postMessage(result);
