// winston in the main thread and in two worker threads, all into one file through ringlog/winston.
//   bun examples/winston.ts | deno run -A examples/winston.ts | npm run build && node dist/examples/winston.js
import { Worker, isMainThread, workerData } from "node:worker_threads";
import { tmpdir } from "node:os";
import { join } from "node:path";
import winston from "winston";
import { attach, open, type Log } from "ringlog";
import { RingTransport } from "ringlog/winston";

function createLogger(log: Log, thread: string | number): winston.Logger {
  return winston.createLogger({ format: winston.format.json(), defaultMeta: { thread }, transports: [new RingTransport(log)] });
}

/** logger.end(), then "finish": every line of this thread is in the file. */
function end(logger: winston.Logger): Promise<void> {
  return new Promise((resolve) => {
    logger.once("finish", resolve);
    logger.end();
  });
}

if (isMainThread) {
  const path = join(tmpdir(), "ringlog-example-winston.log");
  const log = await open(path, { append: false });
  const logger = createLogger(log, "main");
  const workers = [1, 2].map((n) => new Worker(new URL(import.meta.url), { workerData: { handle: log.handle, n } }));
  logger.info("started", { workers: workers.length });
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("exit", resolve))));
  await end(logger);
  await log.close();
  console.log(`${log.stats().records} lines in ${path}`);
} else {
  const { handle, n } = workerData;
  const log = attach(handle);
  const logger = createLogger(log, n);
  for (let i = 0; i < 1000; i++) logger.info("working", { i });
  await end(logger);
  await log.close();
}
