// LogTape in the main thread and in two worker threads, all into one file through ringlog/logtape, with
// configure() in each thread. Runs in Deno, Bun and Node.
//   deno run -A examples/logtape.ts | bun examples/logtape.ts | npm run build && node dist/examples/logtape.js
import { Worker, isMainThread, workerData } from "node:worker_threads";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configure, getLogger, reset } from "@logtape/logtape";
import { attach, open, type Log } from "ringlog";
import { getRingSink } from "ringlog/logtape";

async function configureLogTape(log: Log): Promise<void> {
  await configure({
    sinks: { file: getRingSink(log) },
    loggers: [
      { category: ["app"], sinks: ["file"], lowestLevel: "info" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
    ],
  });
}

if (isMainThread) {
  const path = join(tmpdir(), "ringlog-example-logtape.log");
  const log = await open(path, { append: false });
  await configureLogTape(log);
  const workers = [1, 2].map((n) => new Worker(new URL(import.meta.url), { workerData: { handle: log.handle, n } }));
  getLogger(["app"]).info("started {count} workers", { count: workers.length });
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("exit", resolve))));
  await reset(); // disposes the sink: this thread's records are in the file
  await log.close();
  console.log(`${log.stats().records} lines in ${path}`);
} else {
  const { handle, n } = workerData;
  const log = attach(handle);
  await configureLogTape(log);
  const logger = getLogger(["app", `worker-${n}`]);
  for (let i = 0; i < 1000; i++) logger.info("record {i}", { i });
  await reset();
  await log.close();
}
