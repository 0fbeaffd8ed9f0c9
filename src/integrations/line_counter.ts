// What a logger integration counts about the lines it hands to a Log, and which failures it surfaces.
// A logger's write path must not throw into the application (pino's destination contract; a winston
// transport reports through its 'error' event), so every failure is counted here and the integration
// surfaces it as an event. A failing log fails every write the same way (a full disk fails them all), so
// only the first of a run of identical failures is surfaced: a stream of events per line would be a
// second outage. A line written since ends the run.
import type { Log } from "../../mod.ts";

/** Counters of one destination or transport, in this thread. */
export interface LineStats {
  /** Lines the log took. */
  written: number;
  /**
   * Lines the log refused without an error (its write() returned false): dropped because the ring was full
   * under onFull "drop", or lost because this thread stalled mid-write; log.stats() tells which.
   */
  refused: number;
  /** Lines whose write threw: the file failed, the ring stayed full past blockTimeoutMs, a line over maxRecord... */
  failed: number;
  /** The latest failure (a refusal included), or undefined. */
  lastError: Error | undefined;
}

const REFUSED = "ringlog: the log refused a line: the ring was full and onFull is \"drop\", or this thread stalled mid-write past unblockTimeoutMs (lost); log.stats() counts both";

export class LineCounter {
  #written = 0;
  #refused = 0;
  #failed = 0;
  #lastError: Error | undefined;
  /** The message of the failure last surfaced, until a line is written. */
  #surfaced: string | undefined;

  /** Hands `line` to `log`. Returns the failure to surface, if any: never throws. */
  write(log: Log, line: string): Error | undefined {
    try {
      if (log.write(line)) {
        this.#written++;
        this.#surfaced = undefined;
        return undefined;
      }
      this.#refused++;
      return this.#news(new Error(REFUSED));
    } catch (error) {
      this.#failed++;
      return this.#news(error);
    }
  }

  /** A line that failed before it reached the log (after end()). */
  failLine(error: Error): Error | undefined {
    this.#failed++;
    return this.#news(error);
  }

  /** A failure that is not a line's (a flush): kept as lastError; returned when it is news. */
  fail(error: unknown): Error | undefined {
    return this.#news(error);
  }

  /** Lines refused so far (stats().refused, without making the object). */
  get refused(): number {
    return this.#refused;
  }

  stats(): LineStats {
    return { written: this.#written, refused: this.#refused, failed: this.#failed, lastError: this.#lastError };
  }

  #news(error: unknown): Error | undefined {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.#lastError = failure;
    if (failure.message === this.#surfaced) return undefined;
    this.#surfaced = failure.message;
    return failure;
  }
}

