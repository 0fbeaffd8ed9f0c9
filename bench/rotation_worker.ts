// One writer of the rotation benchmark, kept for the whole benchmark so its code is as warm in the last run
// as in the first. Per run: attaches to the run's log, says "ready", waits for "go", appends its records
// (bench/rotation_record.ts), closes its writer and reports. With `timed`, every write() is timed: the gap
// between the clock before it and the clock after it, in ns, one entry per record (a Uint32Array
// transferred back), so the slowest writes, the ones a rotation held up, are all there.
import { parentPort } from "node:worker_threads";
import { attach, type LogHandle } from "../mod.ts";
import { firstRecord, nextRecord } from "./rotation_record.ts";

/** What the main thread sends for one run. */
export interface RotationRun {
  handle: LogHandle;
  writer: number;
  records: number;
  timed: boolean;
}

/** What a writer reports after its run. */
export interface RotationReport {
  /** Wall time from the first write to the last write returned. */
  wallMs: number;
  /** write() calls that returned false (none expected: the default onFull is "block"). */
  refused: number;
  /** With `timed`: each write()'s time in ns (saturating at 2^32 - 1). */
  latencies: Uint32Array | undefined;
}

const port = parentPort!;

// The main thread terminates this worker when the benchmark ends.
port.on("message", async (message: RotationRun | "go") => {
  if (message === "go") return;
  const { writer, records, timed } = message;
  const log = attach(message.handle);
  const record = firstRecord(writer);
  const latencies = timed ? new Uint32Array(records) : undefined;
  await new Promise<void>((go) => {
    port.once("message", () => go());
    port.postMessage("ready");
  });
  let refused = 0;
  const started = performance.now();
  if (latencies === undefined) {
    for (let i = 0; i < records; i++) {
      if (!log.write(record)) refused++;
      nextRecord(record);
    }
  } else {
    for (let i = 0; i < records; i++) {
      const before = performance.now();
      if (!log.write(record)) refused++;
      const ns = (performance.now() - before) * 1e6;
      latencies[i] = ns > 0xffffffff ? 0xffffffff : ns;
      nextRecord(record);
    }
  }
  const wallMs = performance.now() - started;
  await log.close();
  const report: RotationReport = { wallMs, refused, latencies };
  port.postMessage(report, latencies === undefined ? [] : [latencies.buffer]);
});
