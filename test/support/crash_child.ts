// The process the crash test SIGKILLs: 4 worker threads append crash records to the log as fast as bursts
// and flushes let them. After each flush() resolves, a worker notes its last flushed seq in a side file
// (8 bytes per thread, written synchronously): those records must survive the kill.
import { Worker } from "node:worker_threads";
import process from "node:process";
import { open, type LogFormat } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";

const [path, format, run, flushedPath] = process.argv.slice(-4);
// The faulty driver passes every call through, until the test asks it to tear a write (<path>.tear).
const driver = siblingModule(import.meta.url, "./faulty_driver").href;
const log = await open(path, { format: format as LogFormat, capacity: 1 << 20, driver });
const url = siblingModule(import.meta.url, "./crash_writer");
const started = Array.from({ length: 4 }, (_, thread) => {
  const worker = new Worker(url, { workerData: { handle: log.handle, run: Number(run), thread, flushedPath } });
  return new Promise((resolve) => worker.once("message", resolve));
});
await Promise.all(started);
console.log("ready");
