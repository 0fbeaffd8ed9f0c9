// The exactly-once stress test, for any strategy: `threads` worker threads each write `count` records of
// random length and mixed write(string) / write(bytes) / record(), then the file is checked line by line.
import { Worker } from "node:worker_threads";
import { readFileSync, rmSync } from "node:fs";
import { open, read, type OpenOptions, type LogStats } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { checkStress, type StressCheck } from "./stress_records.ts";
import { tempPath } from "./temp.ts";
import { within } from "./watchdog.ts";

export interface StressResult extends StressCheck {
  stats: LogStats;
  seconds: number;
}

export function runStress(threads: number, count: number, options: OpenOptions = {}): Promise<StressResult> {
  // A ring broken on purpose (scripts/mutants.mjs) can hang a writer or the flusher for good: fail instead.
  return within(90_000, `stress: ${threads} threads × ${count} records`, stress(threads, count, options));
}

async function stress(threads: number, count: number, options: OpenOptions): Promise<StressResult> {
  const path = tempPath("stress.log");
  const seed = (Math.random() * 2 ** 32) >>> 0;
  const started = performance.now();
  const log = await open(path, { ...options, append: false });
  const workerUrl = siblingModule(import.meta.url, "./stress_worker");
  await Promise.all(Array.from({ length: threads }, (_, thread) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { handle: log.handle, seed, thread, count } });
    worker.once("message", () => resolve());
    worker.once("error", reject);
    worker.once("exit", (code) => code === 0 ? resolve() : reject(new Error(`stress worker ${thread} exited with ${code}`)));
  })));
  await log.close();
  const seconds = (performance.now() - started) / 1000;
  const text = options.format === "frames" ? await framedText(path) : new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  const check = checkStress(text, seed, threads, count);
  rmSync(path, { force: true });
  return { ...check, stats: log.stats(), seconds };
}

/** A frames file's records joined, after checking that each frame holds exactly one line: one record. */
async function framedText(path: string): Promise<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = read(path);
  let text = "";
  for await (const record of reader) {
    const line = decoder.decode(record);
    if (line.indexOf("\n") !== line.length - 1) throw new Error(`a frame holds ${JSON.stringify(line.slice(0, 80))}, not one record`);
    text += line;
  }
  if (reader.end!.reason !== "end") throw new Error(`the frames file does not read to its end: ${reader.end!.detail}`);
  return text;
}
