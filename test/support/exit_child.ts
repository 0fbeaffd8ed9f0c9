// A child process that writes records, then ends in the way argv[3] says, without closing the log:
//   exit: process.exit(0)     natural: falls off the end     throw: an uncaught exception
//   close-exit: log.close() not awaited, then process.exit(0)
//   fail-exit: removes <path>.gate (the test made the disk stall, then fail: faulty_driver), process.exit(0)
//   stuck-exit: process.exit(0) with <path>.gate left in place: the disk never comes back
// Half the records come from a worker thread (attached), half from the main thread.
import { rmSync } from "node:fs";
import { Worker, parentPort, workerData } from "node:worker_threads";
import { attach, open } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";

function writeRecords(log: { record(e: { message: string }): boolean }, from: number, count: number) {
  for (let i = from; i < from + count; i++) log.record({ message: `record ${i}` });
}

if (workerData == null) {
  const argv = (globalThis as unknown as { process: { argv: string[] } }).process.argv;
  const [path, how, countText] = argv.slice(-3);
  const count = Number(countText);
  // A slow disk (faulty_driver reads <path>.slow): without the exit drain, records would be left behind.
  const driver = siblingModule(import.meta.url, "./faulty_driver").href;
  // stuck-exit: the shortest bound the exit drain can have (unblockTimeoutMs 1 s + 10 s).
  const log = await open(path, { append: false, driver, capacity: 16 * 1024 * 1024, unblockTimeoutMs: how === "stuck-exit" ? 1000 : undefined });
  const worker = new Worker(siblingModule(import.meta.url, "./exit_child"), { workerData: { handle: log.handle, count } });
  await new Promise((resolve) => worker.once("message", resolve));
  writeRecords(log, 0, count / 2);
  if (how === "close-exit") log.close();
  if (how === "fail-exit") rmSync(`${path}.gate`);
  if (how.endsWith("exit")) (globalThis as unknown as { process: { exit(code: number): never } }).process.exit(0);
  if (how === "throw") throw new Error("deliberate uncaught exception after writing");
  // natural: nothing keeps the process alive (the flusher thread is unref'd), so it ends here.
} else {
  const { handle, count } = workerData;
  writeRecords(attach(handle), count / 2, count / 2);
  parentPort!.postMessage("written");
}
