// One writer thread of the burst benchmark: the article's loop. Sleep 1-5 ms, then a burst of 200 x 3
// events timed as a whole into an HDR histogram; repeat until the main thread says stop. The histogram
// (measured bursts only, not the warm-up's) goes back to the main thread encoded, to be merged there.
import { Buffer } from "node:buffer";
import { parentPort, workerData } from "node:worker_threads";
import hdr from "hdr-histogram-js";
import { attach, type LogHandle } from "../mod.ts";
import { BURST_EVENTS, BURST_ITERATIONS, Phase, type WorkerResult } from "./burst_protocol.ts";

const { handle, control, saturate, thread } = workerData as { handle: LogHandle; control: SharedArrayBuffer; saturate: boolean; thread: number };
const phase = new Int32Array(control);
const log = attach(handle);

// The article's Random.nextBytes(96) then Base64: 128 characters. The Buffer shares the array's memory,
// so filling the array and encoding the Buffer allocates only the string.
const random = new Uint8Array(96);
const randomBuffer = Buffer.from(random.buffer, random.byteOffset, random.length);
let dropped = 0;
// Every event carries `w<thread>.<seq>`, seq counting this thread's accepted events from 0, so the output
// check sees an event lost, written twice or out of this thread's order (check_output.ts).
let seq = 0;
function event(eventNo: string, data: string, created: Date): void {
  if (log.record({ message: `EventNo: ${eventNo} w${thread}.${seq} Data:${data}`, created })) seq++;
  else dropped++;
}

function eventBurst(): void {
  for (let i = 0; i < BURST_ITERATIONS; i++) {
    crypto.getRandomValues(random);
    const data = randomBuffer.toString("base64");
    const time = Date.now();
    const eventNo = `${time}.${i}`;
    // The article's ZonedDateTime.now(UTC), shared by the iteration's three events; the library adds the
    // UUID (crypto.randomUUID) and formats `<ISO> <uuid> <message>\n`.
    const created = new Date(time);
    // rnd.nextLong() stands in as a random signed integer of up to 16 digits (a double holds 53 bits).
    const small = Math.trunc((Math.random() * 2 - 1) * Number.MAX_SAFE_INTEGER);
    event(eventNo, data, created);
    event(eventNo, ` Small ${small}`, created);
    event(eventNo, ` medium ${data.slice(0, 48)}`, created);
  }
}

// The 1-5 ms sleep is Atomics.wait on a word nobody notifies, i.e. a timed block of this thread. Not
// setTimeout: it rounds to whole milliseconds, only fires when this worker's event loop gets to it, and its
// lateness differs per runtime, so the burst rate would measure the event loop, not the log.
const nap = new Int32Array(new SharedArrayBuffer(4));
// Nanoseconds, 3 significant digits, as the article's HdrHistogram; it grows to whatever max it sees.
const histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
let events = 0;
let measuredEvents = 0;
let measureStart = -1;
let measureEnd = -1;

for (;;) {
  const now = Atomics.load(phase, 0);
  if (now === Phase.Stop) break;
  const measuring = now === Phase.Measure;
  if (measuring && measureStart < 0) measureStart = performance.now();
  if (!saturate) Atomics.wait(nap, 0, 0, 1 + Math.floor(Math.random() * 5));
  const start = performance.now();
  eventBurst();
  const end = performance.now();
  events += BURST_EVENTS;
  if (measuring) {
    histogram.recordValue(Math.max(1, Math.round((end - start) * 1e6)));
    measuredEvents += BURST_EVENTS;
    measureEnd = end;
  }
}
await log.close();

const result: WorkerResult = {
  histogram: hdr.encodeIntoCompressedBase64(histogram),
  events,
  dropped,
  measuredEvents,
  measuredMs: measureEnd > measureStart ? measureEnd - measureStart : 0,
};
parentPort!.postMessage(result);
