/**
 * ringlog/pino: a pino destination that appends to a ringlog {@link Log}, so pino loggers in any number of
 * threads (main or worker, after open() or attach()) share one file: every line exactly once and whole, no
 * transport thread per producer, bounded memory, and lines logged before process.exit() or an uncaught
 * throw reach the file (the log's exit drain).
 *
 * It has what pino calls on a destination (pino's lib/proto.js, lib/levels.js, lib/multistream.js):
 * `write(line)`, which never throws into the code that logs; `flush(cb)`; a blocking `flushSync()`, which
 * pino's `fatal()` calls; `end()`; `writable`; `emit`.
 *
 * @example
 * ```ts
 * import pino from "pino";
 * import { open } from "@ringlog/ringlog";
 * import { pinoDestination } from "@ringlog/ringlog/pino";
 *
 * const log = await open("/tmp/app.log");
 * const logger = pino({}, pinoDestination(log));
 * logger.info({ user: 42 }, "signed in");
 * await log.close();
 * ```
 *
 * @module
 */
import type { Log } from "../../mod.ts";
import { Emitter } from "./emitter.ts";
import { type LineStats, LineCounter } from "./line_counter.ts";
import { requireLog } from "./log_argument.ts";

export type { Emitter, Listener } from "./emitter.ts";
export type { LineStats } from "./line_counter.ts";

/** pino sets lastLevel, lastObj, lastMsg, lastTime and lastLogger before each write on a stream that has it. */
const METADATA = Symbol.for("pino.metadata");

/** Options of {@link pinoDestination}. */
export interface PinoDestinationOptions {
  /**
   * A line at this pino level or above (60 is fatal, 50 error) is followed by `log.flushSync({ durable:
   * true })`: the line is fdatasync'd before the log call returns. Turns on pino's metadata, which costs a
   * few property stores per line. Default: never.
   */
  durableLevel?: number;
}

/** A pino destination writing to a ringlog Log: what {@link pinoDestination} returns. */
export class PinoDestination extends Emitter {
  /** True until {@link PinoDestination.end}; pino(dest) with one argument takes dest as a stream by it. */
  writable: boolean = true;
  /** The level of the line being written, set by pino when durableLevel turned its metadata on. */
  lastLevel: number | undefined;
  readonly #log: Log;
  readonly #durableLevel: number | undefined;
  readonly #lines: LineCounter = new LineCounter();

  /** A destination for `log`; {@link pinoDestination} is the same, as a function. */
  constructor(log: Log, options: PinoDestinationOptions = {}) {
    super();
    this.#log = requireLog(log, "pinoDestination()");
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`ringlog: pinoDestination()'s options must be an object, got ${options === null ? "null" : typeof options}`);
    }
    const { durableLevel } = options;
    if (durableLevel !== undefined && (typeof durableLevel !== "number" || !Number.isFinite(durableLevel))) {
      throw new TypeError(`ringlog: durableLevel must be a pino level number (60 is fatal), got ${JSON.stringify(durableLevel) ?? typeof durableLevel}`);
    }
    this.#durableLevel = durableLevel;
    if (durableLevel !== undefined) Object.defineProperty(this, METADATA, { value: true });
  }

  /**
   * Appends one line (pino's, newline included) as one record. Never throws: a line the log refuses
   * (onFull "drop") or fails to take (a failed file) is counted in {@link PinoDestination.stats} and
   * surfaced as an "error" event, once per run of the same failure.
   */
  write(line: string): void {
    const failure = this.writable ? this.#lines.write(this.#log, line) : this.#lines.failLine(new Error("ringlog: pino wrote a line after end(): it was not written"));
    if (failure !== undefined) return this.#surface(failure);
    if (this.#durableLevel !== undefined && (this.lastLevel ?? 0) >= this.#durableLevel) {
      try {
        this.#log.flushSync({ durable: true });
      } catch (error) {
        const news = this.#lines.fail(error);
        if (news !== undefined) this.#surface(news);
      }
    }
  }

  /** Calls back once every line this thread wrote before is in the file, or with the log's error. */
  flush(cb?: (error?: Error) => void): void {
    this.#log.flush().then(() => cb?.(), (error: Error) => {
      const news = this.#lines.fail(error);
      if (news !== undefined) this.#surface(news);
      cb?.(error);
    });
  }

  /** Returns once every line this thread wrote before is in the file ({@link Log.flushSync}); throws when it cannot. */
  flushSync(): void {
    this.#log.flushSync();
  }

  /**
   * No more lines; emits "finish" then "close" (and calls `cb`) once this thread's lines are in the file.
   * The log stays open: it is its opener's to close.
   */
  end(cb?: (error?: Error) => void): void {
    if (!this.writable) {
      if (cb) this.once("close", cb);
      return;
    }
    this.writable = false;
    this.#log.flush().then(() => {
      this.emit("finish");
      this.emit("close");
      cb?.();
    }, (error: Error) => {
      const news = this.#lines.fail(error);
      if (news !== undefined) this.#surface(news);
      this.emit("close");
      cb?.(error);
    });
  }

  /** This destination's counters, in this thread; the log's own are log.stats(). */
  stats(): LineStats {
    return this.#lines.stats();
  }

  /** An "error" event; with no listener, one line on stderr instead, so the failure is not silent. */
  #surface(error: Error): void {
    if (!this.emit("error", error)) console.error(`${error.message} (ringlog/pino: listen for "error" on the destination to handle this)`);
  }
}

/**
 * A destination for `pino(options, pinoDestination(log))`, in any thread that has the log (open() or
 * attach()).
 *
 * @example
 * ```ts
 * import pino from "pino";
 * import { attach, open } from "@ringlog/ringlog";
 * import { pinoDestination } from "@ringlog/ringlog/pino";
 *
 * const opener = await open("/tmp/app.log");
 * // In a worker: attach(workerData), the opener having passed opener.handle as the worker's workerData.
 * const log = attach(structuredClone(opener.handle));
 * const logger = pino({ base: { worker: 1 } }, pinoDestination(log, { durableLevel: 60 }));
 * logger.info("started");
 * logger.fatal("disk on fire"); // fdatasync'd before fatal() returns
 * await log.close();
 * await opener.close();
 * ```
 */
export function pinoDestination(log: Log, options?: PinoDestinationOptions): PinoDestination {
  return new PinoDestination(log, options);
}
