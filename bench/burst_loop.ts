// The article's writer loop, shared by the burst benchmark's workers (burst_worker.ts, through a Log) and
// the logger benchmark's (loggers_worker.ts, through pino or LogTape): sleep 1-5 ms, then a burst of 200 x
// 3 events timed as a whole into an HDR histogram; repeat until the main thread says stop. Only the
// measured bursts go into the histogram.
import { Buffer } from "node:buffer";
import hdr from "hdr-histogram-js";
import { BURST_EVENTS, BURST_ITERATIONS, Phase } from "./burst_protocol.ts";

/**
 * Takes one event: its message and the moment shared by its iteration's three events. Returns false when
 * the event was not taken (dropped), so its sequence number is given to the next one.
 */
export type EmitEvent = (message: string, created: Date) => boolean | void;

/**
 * One writer's events carry `w<thread>.<seq>`, seq counting the events it handed over from 0, so the output
 * check sees an event lost, written twice (a stale record from the ring's previous lap) or out of this
 * thread's order (check_output.ts).
 */
export class EventSequence {
  readonly thread: number;
  seq = 0;

  constructor(thread: number) {
    this.thread = thread;
  }
}

// The article's Random.nextBytes(96) then Base64: 128 characters. The Buffer shares the array's memory,
// so filling the array and encoding the Buffer allocates only the string.
const random = new Uint8Array(96);
const randomBuffer = Buffer.from(random.buffer, random.byteOffset, random.length);

/** One burst: 200 iterations of the article's three events. */
export function eventBurst(emit: EmitEvent, sequence: EventSequence): void {
  const send = (eventNo: string, body: string, created: Date) => {
    if (emit(`EventNo: ${eventNo} w${sequence.thread}.${sequence.seq} Data:${body}`, created) !== false) sequence.seq++;
  };
  for (let i = 0; i < BURST_ITERATIONS; i++) {
    crypto.getRandomValues(random);
    const data = randomBuffer.toString("base64");
    const time = Date.now();
    const eventNo = `${time}.${i}`;
    // The article's ZonedDateTime.now(UTC), shared by the iteration's three events.
    const created = new Date(time);
    // rnd.nextLong() stands in as a random signed integer of up to 16 digits (a double holds 53 bits).
    const small = Math.trunc((Math.random() * 2 - 1) * Number.MAX_SAFE_INTEGER);
    send(eventNo, data, created);
    send(eventNo, ` Small ${small}`, created);
    send(eventNo, ` medium ${data.slice(0, 48)}`, created);
  }
}

/** What the loop measured, for the worker's result message (burst_protocol.ts's WorkerResult). */
export interface LoopResult {
  histogram: string;
  events: number;
  measuredEvents: number;
  measuredMs: number;
}

/**
 * Runs bursts of `emit` until the phase word (Int32Array over the control words, [0]) says Stop; `thread`
 * numbers this writer in its events.
 */
export function runBursts(phase: Int32Array, saturate: boolean, thread: number, emit: EmitEvent): LoopResult {
  const sequence = new EventSequence(thread);
  // The 1-5 ms sleep is Atomics.wait on a word nobody notifies, i.e. a timed block of this thread. Not
  // setTimeout: it rounds to whole milliseconds, only fires when this worker's event loop gets to it, and
  // its lateness differs per runtime, so the burst rate would measure the event loop, not the log.
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
    eventBurst(emit, sequence);
    const end = performance.now();
    events += BURST_EVENTS;
    if (measuring) {
      histogram.recordValue(Math.max(1, Math.round((end - start) * 1e6)));
      measuredEvents += BURST_EVENTS;
      measureEnd = end;
    }
  }
  return {
    histogram: hdr.encodeIntoCompressedBase64(histogram),
    events,
    measuredEvents,
    measuredMs: measureEnd > measureStart ? measureEnd - measureStart : 0,
  };
}
