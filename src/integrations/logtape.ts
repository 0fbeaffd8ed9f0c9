/**
 * ringlog/logtape: a LogTape sink that appends to a ringlog {@link Log}, so LogTape in every thread (Deno,
 * Bun and Node, main or worker, with configure() in each) shares one file: every record exactly once and
 * whole. Unlike @logtape/file's sinks it neither fsyncs each record nor keeps an unbounded buffer: the
 * record goes into the ring when the sink returns and the log's flusher thread writes batches.
 *
 * @example
 * ```ts
 * import { configure, getLogger } from "@logtape/logtape";
 * import { open } from "@ringlog/ringlog";
 * import { getRingSink } from "@ringlog/ringlog/logtape";
 *
 * const log = await open("/tmp/app.log");
 * await configure({
 *   sinks: { file: getRingSink(log) },
 *   loggers: [{ category: ["app"], sinks: ["file"], lowestLevel: "info" }],
 * });
 * getLogger(["app"]).info("user {id} signed in", { id: 42 });
 * await log.close();
 * ```
 *
 * @module
 */
import { getTextFormatter, type LogRecord, type Sink, type TextFormatter } from "@logtape/logtape";
import type { Log } from "../../mod.ts";
import { requireLog } from "./log_argument.ts";

/** Options of {@link getRingSink}. */
export interface RingSinkOptions {
  /** Turns a record into its line (newline included). Default: LogTape's text formatter, getTextFormatter(). */
  formatter?: TextFormatter;
}

/**
 * A LogTape sink, Disposable (LogTape's configure() disposes sinks on reset(), dispose() and at process
 * exit) and Drainable (LogTape's drain()).
 */
export type RingSink = Sink & Disposable & {
  /** Resolves once every record this thread gave the sink is in the file (log.flush()). */
  drain(): Promise<void>;
};

// The sink formats the record before it returns and keeps nothing of it, so LogTape need not copy the
// record's properties for it first. LogTape's own file sinks say so with this registered symbol
// (markSinkAsImmediate in its packages/logtape/src/sink.ts); it does not export the helper.
const IMMEDIATE = Symbol.for("LogTape.sinkSnapshotPolicy.immediate");

/**
 * A sink writing each record as one line to `log`. A record the log cannot take throws from the sink, and
 * LogTape reports it to its meta logger ("logtape", "meta"), as it does for every sink.
 *
 * Disposing the sink (LogTape does it on reset() and dispose(), and at exit) blocks until this thread's
 * records are in the file (log.flushSync()); the log stays open, its opener's to close. That is a
 * synchronous dispose on purpose: it also works with configureSync(), and at process exit, where an
 * asynchronous one would never finish.
 *
 * @example
 * ```ts
 * import { configure, getJsonLinesFormatter, getLogger, reset } from "@logtape/logtape";
 * import { attach, open } from "@ringlog/ringlog";
 * import { getRingSink } from "@ringlog/ringlog/logtape";
 *
 * const opener = await open("/tmp/app.log");
 * // In a worker: attach(workerData), the opener having passed opener.handle as the worker's workerData.
 * const log = attach(structuredClone(opener.handle));
 * await configure({
 *   sinks: { file: getRingSink(log, { formatter: getJsonLinesFormatter() }) },
 *   loggers: [{ category: [], sinks: ["file"] }],
 * });
 * getLogger(["worker"]).info("ready");
 * await reset(); // the line is in the file
 * await log.close();
 * await opener.close();
 * ```
 */
export function getRingSink(log: Log, options: RingSinkOptions = {}): RingSink {
  const target = requireLog(log, "getRingSink()");
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`ringlog: getRingSink()'s options must be an object, got ${options === null ? "null" : typeof options}`);
  }
  const formatter = options.formatter ?? getTextFormatter();
  if (typeof formatter !== "function") throw new TypeError(`ringlog: formatter must be a function (a LogTape TextFormatter), got ${typeof formatter}`);
  const sink = ((record: LogRecord) => {
    target.write(formatter(record));
  }) as RingSink;
  sink[Symbol.dispose] = () => target.flushSync();
  sink.drain = () => target.flush();
  Object.defineProperty(sink, IMMEDIATE, { value: true });
  return sink;
}
