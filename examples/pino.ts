// pino in the main thread and in two worker threads, all into one file through ringlog/pino.
//   bun examples/pino.ts | deno run -A examples/pino.ts | npm run build && node dist/examples/pino.js
import { Worker, isMainThread, workerData } from "node:worker_threads";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { attach, open } from "ringlog";
import { pinoDestination } from "ringlog/pino";

if (isMainThread) {
  const path = join(tmpdir(), "ringlog-example-pino.log");
  const log = await open(path, { append: false });
  const logger = pino({ base: { thread: "main" } }, pinoDestination(log, { durableLevel: 60 }));
  const workers = [1, 2].map((n) => new Worker(new URL(import.meta.url), { workerData: { handle: log.handle, n } }));
  logger.info({ workers: workers.length }, "started");
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("exit", resolve))));
  logger.info("workers done");
  await log.close(); // every thread's lines are in the file
  console.log(`${log.stats().records} lines in ${path}`);
} else {
  const { handle, n } = workerData;
  const log = attach(handle);
  const logger = pino({ base: { thread: n } }, pinoDestination(log));
  for (let i = 0; i < 1000; i++) logger.info({ i }, "working");
  await log.close(); // this thread's lines are in the file
}
