// The handoff limit's producer (bench/raw_append.ts, case "handoff"): fills 1 MiB chunks of a shared buffer
// with 1 KiB records, one Uint8Array.set each as a ring writer copies a record in, and hands each chunk to
// the main thread, which writes it to the file with one writeSync. No ring protocol at all: what is left is
// what any design pays when the thread that writes the file is not the thread that wrote the bytes (the
// kernel's copy then reads memory last written by another core).
import { parentPort } from "node:worker_threads";

/** What the main thread sends for one run. */
export interface HandoffRun {
  /** The chunks: `slots` of `chunk` bytes. */
  data: SharedArrayBuffer;
  /** [chunks filled, chunks written] */
  control: Int32Array;
  chunks: number;
  chunk: number;
  slots: number;
  record: number;
}

const port = parentPort!;
// The main thread terminates this worker when the benchmark ends.
port.on("message", (run: HandoffRun | "go") => {
  if (run === "go") return; // taken by the run's own once() below
  const { data, control, chunks, chunk, slots } = run;
  const u8 = new Uint8Array(data);
  const record = new Uint8Array(run.record).fill(0x61);
  record[run.record - 1] = 0x0a;
  port.once("message", () => {
    for (let k = 0; k < chunks; k++) {
      // Wait for the slot: the main thread has written chunk k - slots.
      for (let written = Atomics.load(control, 1); k - written >= slots; written = Atomics.load(control, 1)) Atomics.wait(control, 1, written);
      const at = (k % slots) * chunk;
      for (let p = 0; p < chunk; p += record.length) u8.set(record, at + p);
      Atomics.store(control, 0, k + 1);
      Atomics.notify(control, 0);
    }
  });
  port.postMessage("ready");
});
