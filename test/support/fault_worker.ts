// A writer thread for the disk-fault tests: attaches, writes a record, tells the test it is about to wait
// in flush(), and reports how flush(), a later write and close() ended.
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../../mod.ts";
import { rejection, thrown } from "./outcome.ts";

const log = attach(workerData);
log.write("from a worker\n");
const flushed = log.flush();
parentPort!.postMessage("flushing");
const flush = await rejection(flushed);
const write = thrown(() => log.write("after the fault\n"));
const close = await rejection(log.close());
parentPort!.postMessage({ flush, write, close });
