// close() while threads are mid-burst: every record a writer wrote before its write threw must be in the
// file, whole and in order, and nothing else.
import { Worker } from "node:worker_threads";
import { readFileSync, rmSync } from "node:fs";
import { open, type Strategy } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { stressRecord } from "./stress_records.ts";
import { tempPath } from "./temp.ts";

export interface CloseResult {
  /** Records each thread wrote before close() stopped it. */
  written: number[];
  /** The error messages the writers got. */
  messages: string[];
  problems: string[];
}

export async function closeMidBurst(strategy: Strategy, threads: number, startedAfter = 2000): Promise<CloseResult> {
  const path = tempPath("close.log");
  const seed = (Math.random() * 2 ** 32) >>> 0;
  const log = await open(path, { strategy, append: false });
  const workerUrl = siblingModule(import.meta.url, "./strategy_close_worker");
  let started = 0;
  let allStarted!: () => void;
  const running = new Promise<void>((resolve) => (allStarted = resolve));
  const stopped = Array.from({ length: threads }, (_, thread) => new Promise<{ written: number; message: string }>((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { handle: log.handle, seed, thread, startedAfter } });
    worker.on("message", (message) => {
      if (message.type === "started" && ++started === threads) allStarted();
      if (message.type === "stopped") resolve(message);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`close worker ${thread} exited with ${code} before reporting`)));
  }));
  await running;
  await log.close();
  const results = await Promise.all(stopped);
  const text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  rmSync(path, { force: true });
  const written = results.map((r) => r.written);
  const problems = checkCounts(text, seed, written);
  return { written, messages: results.map((r) => r.message), problems };
}

/** Like checkStress, for threads that each wrote a different number of records. */
function checkCounts(text: string, seed: number, written: number[]): string[] {
  const problems: string[] = [];
  const complain = (p: string) => { if (problems.length < 20) problems.push(p); };
  const lines = text.split("\n");
  if (lines.pop() !== "") complain("the file does not end with a newline (a torn last record)");
  const next = written.map(() => 0);
  for (const [n, line] of lines.entries()) {
    // `<thread> <seq> <payload>`, after the `<ISO date> <uuid> ` stamp when it was written with record().
    const match = /^(?:\S+Z [0-9a-f-]{36} )?(\d+) (\d+) /.exec(line);
    const thread = Number(match?.[1] ?? -1);
    if (!match || !(thread < written.length)) { complain(`line ${n + 1} is malformed: ${JSON.stringify(line.slice(0, 80))}`); continue; }
    const seq = Number(match[2]);
    if (seq !== next[thread]) complain(`line ${n + 1}: thread ${thread} record ${seq}, expected ${next[thread]}`);
    if (!line.endsWith(stressRecord(seed, thread, seq).body)) complain(`line ${n + 1}: thread ${thread} record ${seq} is torn`);
    next[thread] = seq + 1;
  }
  next.forEach((got, thread) => { if (got !== written[thread]) complain(`thread ${thread}: ${got} records in the file, ${written[thread]} written`); });
  return problems;
}
