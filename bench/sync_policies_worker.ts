// One thread of the sync-policy benchmark. A writer appends 200-byte records, flat out or in bursts, until
// the main thread says stop. The prober writes one record, then awaits flush(), alternately plain and
// durable, with a 1-5 ms pause between, timing each flush into an HDR histogram (measured phase only).
import { parentPort, workerData } from "node:worker_threads";
import hdr from "hdr-histogram-js";
import { attach, type LogHandle } from "../mod.ts";
import { BURST_EVENTS, Phase } from "./burst_protocol.ts";
import { RecordSource } from "./sync_records.ts";
import { signalReady } from "./worker_group.ts";

export interface SyncWorkerData {
  handle: LogHandle;
  /** WorkerGroup's control words: the phase (burst_protocol's Phase) the main thread moves forward, and ready. */
  control: SharedArrayBuffer;
  role: "writer" | "prober";
  /** The tag of this thread's records, e.g. "w0". */
  tag: string;
  /** Writer: bursts of BURST_EVENTS records every 1-5 ms instead of flat out. */
  paced: boolean;
}

export interface SyncWorkerResult {
  tag: string;
  /** Records this thread's write() accepted: the file must hold exactly these. */
  written: number;
  /** Prober: the measured flush() and flush({ durable: true }) latencies in ns, compressed base64. */
  flush?: string;
  durable?: string;
}

const { handle, control, role, tag, paced } = workerData as SyncWorkerData;
const phase = new Int32Array(control);
const log = attach(handle);
const source = new RecordSource(tag);
let written = 0;
// A timed block of this thread (as in burst_worker.ts): no timer rounding, no event-loop lateness.
const nap = new Int32Array(new SharedArrayBuffer(4));
const napRandom = () => Atomics.wait(nap, 0, 0, 1 + Math.floor(Math.random() * 5));
const result: SyncWorkerResult = { tag, written: 0 };
signalReady(control);

if (role === "writer") {
  // Flat out, the phase word is read once per 100 records: a load per record would cost little, but
  // nothing is gained by it.
  const burst = paced ? BURST_EVENTS : 100;
  while (Atomics.load(phase, 0) !== Phase.Stop) {
    if (paced) napRandom();
    for (let i = 0; i < burst; i++) if (log.write(source.next())) written++;
  }
} else {
  // Nanoseconds, 3 significant digits, as the burst benchmark.
  const flush = hdr.build({ numberOfSignificantValueDigits: 3 });
  const durable = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (let i = 0; ; i++) {
    const now = Atomics.load(phase, 0);
    if (now === Phase.Stop) break;
    napRandom();
    if (log.write(source.next())) written++;
    const sync = i % 2 === 1;
    const started = performance.now();
    await log.flush({ durable: sync });
    const ns = Math.max(1, Math.round((performance.now() - started) * 1e6));
    if (now === Phase.Measure) (sync ? durable : flush).recordValue(ns);
  }
  result.flush = hdr.encodeIntoCompressedBase64(flush);
  result.durable = hdr.encodeIntoCompressedBase64(durable);
}
await log.close();
result.written = written;
parentPort!.postMessage(result);
