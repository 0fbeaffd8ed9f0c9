// One raw-append writer, kept for the whole benchmark so its code is as warm in the last run as the
// main thread's writeSync loop is (a fresh worker per run would start every run in the interpreter).
// Per run: imports the library under test (this checkout's or --base's), attaches, says "ready", waits for
// "go", appends its share of pre-encoded records, closes its writer and reports its own CPU time and wall
// time from the first write to the last write returned.
import { parentPort } from "node:worker_threads";
import { ownThreadCpuNs } from "./thread_cpu.ts";

/** What the main thread sends for one run. */
export interface WriterRun {
  lib: string;
  handle: unknown;
  records: number;
  size: number;
  /** Write the record as an ASCII string (127 characters and a line end) instead of bytes. */
  string: boolean;
}

/** What a writer reports after its run. */
export interface WriterReport {
  /** The thread's CPU time from its first write to its last (undefined without /proc). */
  cpuNs: number | undefined;
  wallMs: number;
  /** write() calls that returned false (none expected: the default onFull is "block"). */
  refused: number;
}

type Attach = (handle: unknown) => { write(data: Uint8Array | string): boolean; close(): Promise<void> };
const libraries = new Map<string, Promise<{ attach: Attach }>>();
const port = parentPort!;

// The main thread terminates this worker when the benchmark ends.
port.on("message", async (message: WriterRun | "go") => {
  if (message === "go") return;
  const { attach } = await (libraries.get(message.lib) ?? libraries.set(message.lib, import(message.lib)).get(message.lib)!);
  const log = attach(message.handle);
  const bytes = new Uint8Array(message.size).fill(0x61);
  bytes[message.size - 1] = 0x0a;
  const record = message.string ? new TextDecoder().decode(bytes) : bytes;
  await new Promise<void>((go) => {
    port.once("message", () => go());
    port.postMessage("ready");
  });
  let refused = 0;
  const cpu = ownThreadCpuNs();
  const started = performance.now();
  for (let i = 0; i < message.records; i++) if (!log.write(record)) refused++;
  const wallMs = performance.now() - started;
  const cpuEnd = ownThreadCpuNs();
  await log.close();
  const report: WriterReport = { cpuNs: cpu === undefined || cpuEnd === undefined ? undefined : cpuEnd - cpu, wallMs, refused };
  port.postMessage(report);
});
