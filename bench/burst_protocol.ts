// What the burst benchmark's main thread and its workers share: the phase word and the result message.
import hdr, { type Histogram } from "hdr-histogram-js";

/** The article's burst: 200 iterations of 3 events. */
export const BURST_ITERATIONS = 200;
export const BURST_EVENTS = BURST_ITERATIONS * 3;

/** Values of the shared phase word (an Int32Array over a SharedArrayBuffer) the main thread moves forward. */
export const Phase = { Warmup: 0, Measure: 1, Stop: 2 } as const;

/** What a worker posts back once it stopped and closed its writer. */
export interface WorkerResult {
  /** The measured bursts' latencies in ns, as hdr-histogram-js's compressed base64. */
  histogram: string;
  /** Events written, warm-up included: the output file must have exactly this many lines (summed). */
  events: number;
  /** Records the log refused (onFull "drop"); always 0 with the default "block". */
  dropped: number;
  /** Events of the measured bursts. */
  measuredEvents: number;
  /** From the first measured burst's sleep to the last measured burst's end: this worker's window. */
  measuredMs: number;
}

/** The workers' results of one run together: one histogram, the events, and the rate of all of them. */
export function mergeResults(results: WorkerResult[]): { histogram: Histogram; events: number; dropped: number; eventsPerSecond: number } {
  const histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const r of results) histogram.add(hdr.decodeFromCompressedBase64(r.histogram));
  return {
    histogram,
    events: results.reduce((sum, r) => sum + r.events, 0),
    dropped: results.reduce((sum, r) => sum + r.dropped, 0),
    // Each worker's rate over its own window, summed: the rate of all workers together.
    eventsPerSecond: results.reduce((sum, r) => sum + (r.measuredMs > 0 ? r.measuredEvents / (r.measuredMs / 1000) : 0), 0),
  };
}
