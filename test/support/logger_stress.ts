// The logger stress test: `threads` worker threads each log `count` lines through one logger into one log;
// then the file must hold each thread's lines exactly once, whole and in order (loggers.ts checks).
import { Worker } from "node:worker_threads";
import { readFileSync, rmSync } from "node:fs";
import { open } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { checkLoggerLines, type LoggerName } from "./loggers.ts";
import { tempPath } from "./temp.ts";

export async function runLoggerStress(name: LoggerName, threads: number, count: number): Promise<string[]> {
  const path = tempPath(`${name}-stress.log`);
  const log = await open(path, { append: false });
  const url = siblingModule(import.meta.url, "./logger_worker");
  await Promise.all(Array.from({ length: threads }, (_, thread) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(url, { workerData: { handle: log.handle, name, thread, count } });
    worker.once("message", () => resolve());
    worker.once("error", reject);
    worker.once("exit", (code) => code === 0 ? resolve() : reject(new Error(`${name} worker ${thread} exited with ${code}`)));
  })));
  await log.close();
  const problems = checkLoggerLines(name, new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path)), threads, count);
  rmSync(path, { force: true });
  return problems;
}
