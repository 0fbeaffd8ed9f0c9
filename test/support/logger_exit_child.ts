// A child process of the logger exit tests: logs `count` lines through the named logger, in the main thread
// or in a worker, and then ends the way `how` says without closing or flushing anything:
//   main-exit     the main thread calls process.exit(0)
//   main-natural  the main thread falls off the end
//   main-throw    the main thread throws (uncaught)
//   worker-exit   the worker calls process.exit(0); the main thread then ends naturally
//   worker-throw  the worker throws (uncaught); the main thread sees its error, then ends naturally
// A slow disk (faulty_driver reads <path>.slow): without the exit drains, lines would be left behind.
import { Worker, workerData } from "node:worker_threads";
import process from "node:process";
import { attach, open, type LogHandle } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { type LoggerName, threadLogger } from "./loggers.ts";

type How = "main-exit" | "main-natural" | "main-throw" | "worker-exit" | "worker-throw";

async function logLines(name: LoggerName, handle: LogHandle | undefined, log: Parameters<typeof threadLogger>[1], count: number): Promise<void> {
  const logger = await threadLogger(name, handle === undefined ? log : attach(handle), 0);
  for (let n = 0; n < count; n++) logger.line(n);
}

if (workerData == null) {
  const [path, name, how, countText] = process.argv.slice(-4) as [string, LoggerName, How, string];
  const count = Number(countText);
  const driver = siblingModule(import.meta.url, "./faulty_driver").href;
  const log = await open(path, { append: false, driver, capacity: 16 * 1024 * 1024 });
  if (how.startsWith("main-")) {
    await logLines(name, undefined, log, count);
    if (how === "main-exit") process.exit(0);
    if (how === "main-throw") throw new Error("deliberate uncaught exception after logging");
  } else {
    const worker = new Worker(siblingModule(import.meta.url, "./logger_exit_child"), { workerData: { handle: log.handle, name, how, count } });
    worker.on("error", (error) => {
      console.error(`worker error: ${error.message}`);
      process.exitCode = 3;
    });
    await new Promise((resolve) => worker.once("exit", resolve));
  }
} else {
  const { handle, name, how, count } = workerData as { handle: LogHandle; name: LoggerName; how: How; count: number };
  await logLines(name, handle, undefined as never, count);
  if (how === "worker-exit") process.exit(0);
  throw new Error("deliberate uncaught exception in the worker after logging");
}
