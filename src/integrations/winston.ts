/**
 * ringlog/winston: a winston transport that appends to a ringlog {@link Log}, so winston loggers in many
 * threads share one file, every line exactly once and whole, and lines logged before process.exit() reach
 * the file (winston's File transport loses them: winston#228): the line is in the ring when log() returns,
 * and the log's exit drain writes it.
 *
 * @example
 * ```ts
 * import winston from "winston";
 * import { open } from "@ringlog/ringlog";
 * import { RingTransport } from "@ringlog/ringlog/winston";
 *
 * const log = await open("/tmp/app.log");
 * const logger = winston.createLogger({ format: winston.format.json(), transports: [new RingTransport(log)] });
 * logger.info("signed in", { user: 42 });
 * logger.end(); // emits "finish" once the line is in the file
 * ```
 *
 * @module
 */
import TransportStream from "winston-transport";
import type { Log } from "../../mod.ts";
import { type LineStats, LineCounter } from "./line_counter.ts";
import { requireLog } from "./log_argument.ts";

export type { LineStats } from "./line_counter.ts";

// The formatted line is info[Symbol.for("message")] (winston's triple-beam MESSAGE).
const MESSAGE = Symbol.for("message");

/**
 * Options of {@link RingTransport}: winston-transport's (level, format, silent, handleExceptions...), but
 * not its log/logv/close functions, which would replace the transport's own.
 */
export interface RingTransportOptions extends Omit<TransportStream.TransportStreamOptions, "log" | "logv" | "close"> {
  /** Appended to every line; default "\n" (winston's File transport appends os.EOL). */
  eol?: string;
}

/** A winston info: the formatted line under Symbol.for("message"). */
export type Info = Record<string | symbol, unknown>;

/**
 * A winston transport writing each info's formatted line as one record. Failures never throw into the
 * code that logs: they are counted ({@link RingTransport.stats}) and emitted, once per run of the same
 * failure, as "error" (the log failed to take a line; winston forwards it to the logger) or "warn" (the
 * log refused it: onFull "drop").
 */
export class RingTransport extends TransportStream {
  readonly #log: Log;
  readonly #eol: string;
  readonly #lines: LineCounter = new LineCounter();

  /** Writes to `log`, what open() or attach() returned, in this thread. */
  constructor(log: Log, options: RingTransportOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`ringlog: RingTransport's options must be an object, got ${options === null ? "null" : typeof options}`);
    }
    const { eol = "\n", ...transport } = options as RingTransportOptions & Partial<TransportStream.TransportStreamOptions>;
    // Functions under these names would replace the transport's own methods (winston-transport copies them).
    delete transport.log;
    delete transport.logv;
    delete transport.close;
    super(transport);
    this.#log = requireLog(log, "RingTransport");
    if (typeof eol !== "string") throw new TypeError(`ringlog: RingTransport's eol must be a string, got ${typeof eol}`);
    this.#eol = eol;
  }

  /** One info, formatted by the logger (and by this transport's format, if any). */
  override log(info: Info, next: () => void): void {
    this.#write(info);
    next();
  }

  /**
   * A batch, when the stream buffered several infos (winston-transport's _writev). Unlike log(), these
   * have not been through this transport's own format yet (winston-transport leaves that to logv).
   */
  override logv(writes: Array<{ chunk: Info }>, next: () => void): void {
    const format = this.format;
    for (const { chunk } of writes) {
      const info = format === undefined ? chunk : (format.transform({ ...chunk } as never, format.options) as Info | false);
      if (info) this.#write(info);
    }
    next();
  }

  /** "finish" (and logger.end()'s "finish") comes once every line this thread wrote is in the file. */
  override _final(callback: (error?: Error | null) => void): void {
    this.#log.flush().then(() => callback(), (error: Error) => callback(error));
  }

  /**
   * Called by winston when the transport is removed or the logger closed: flushes, then emits "closed".
   * The log stays open: it is its opener's to close.
   */
  override close(): void {
    this.#log.flush().then(() => this.emit("closed"), (error: Error) => {
      const news = this.#lines.fail(error);
      if (news !== undefined) this.emit("error", news);
      this.emit("closed");
    });
  }

  /** This transport's counters, in this thread; the log's own are log.stats(). */
  stats(): LineStats {
    return this.#lines.stats();
  }

  #write(info: Info): void {
    const refused = this.#lines.refused;
    const failure = this.#lines.write(this.#log, `${info[MESSAGE]}${this.#eol}`);
    if (failure !== undefined) this.emit(this.#lines.refused > refused ? "warn" : "error", failure);
  }
}
