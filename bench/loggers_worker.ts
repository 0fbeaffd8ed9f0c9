// One writer thread of the logger benchmark: sets up its logger for the variant (loggers_variants.ts), says
// it is ready, runs the article's bursts (burst_loop.ts) with every event logged as pino's
// `logger.info({ id, created }, message)` or LogTape's `logger.info(message, { id, created })`, then gets
// its lines out as that logger's docs say and posts its histogram.
import { parentPort, workerData } from "node:worker_threads";
import { once } from "node:events";
import { configure, getJsonLinesFormatter, getLogger, reset, type Sink } from "@logtape/logtape";
import { getFileSink } from "@logtape/file";
import pino from "pino";
import { attach, type LogHandle } from "../mod.ts";
import { getRingSink } from "../src/integrations/logtape.ts";
import { AsciiWriter } from "../src/record/ascii_writer.ts";
import { pinoDestination } from "../src/integrations/pino.ts";
import { runBursts, type EmitEvent } from "./burst_loop.ts";
import type { WorkerResult } from "./burst_protocol.ts";
import type { Variant } from "./loggers_variants.ts";
import { signalReady } from "./worker_group.ts";

const { variant, path, handle, control, saturate, thread } = workerData as {
  variant: Variant;
  path: string;
  handle: LogHandle | undefined;
  control: SharedArrayBuffer;
  saturate: boolean;
  thread: number;
};

/** The variant's logger: emit logs one event; finish() gets every line out and releases the logger. */
async function setUp(): Promise<{ emit: EmitEvent; finish: () => Promise<void> }> {
  const log = handle === undefined ? undefined : attach(handle);
  if (variant.startsWith("pino")) {
    let finish = async () => {};
    let destination: pino.DestinationStream;
    if (variant === "pino-ringlog") {
      destination = pinoDestination(log!);
      finish = () => log!.close();
    } else if (variant === "pino-destination") {
      // sonic-boom, asynchronous, gathering 4 KiB before a write: pino's fastest file destination.
      const sonic = pino.destination({ dest: path, minLength: 4096, sync: false });
      destination = sonic;
      finish = async () => {
        const closed = once(sonic, "close");
        sonic.end();
        await closed;
      };
    } else if (variant === "pino-file") {
      // One transport (one more thread) per producer, as pino's docs set it up.
      const transport = pino.transport({ target: "pino/file", options: { destination: path } });
      destination = transport;
      finish = async () => {
        const closed = once(transport, "close");
        transport.end();
        // The transport's thread is unref'd: without a ref'd timer this thread would end before "close".
        const keepAlive = setInterval(() => {}, 1000);
        await closed.finally(() => clearInterval(keepAlive));
      };
    } else if (variant === "pino-encode") {
      // The floor of any destination that writes the line: it reads (flattens) and encodes it, no IO, the
      // fastest way this runtime has, ringlog's writer's own (src/record/ascii_writer.ts on Node and Bun,
      // encodeInto elsewhere or for a line that is not ASCII).
      const encoder = new TextEncoder();
      const buffer = new Uint8Array(64 * 1024);
      const ascii = AsciiWriter.over(buffer.buffer);
      destination = {
        write: (line: string) => {
          if (ascii !== undefined && ascii.isAscii(line)) ascii.write(line, 0);
          else encoder.encodeInto(line, buffer);
        },
      };
    } else {
      destination = { write() {} }; // the floor: pino's own work, no IO
    }
    const logger = pino({}, destination);
    return { emit: (message, created) => logger.info({ id: crypto.randomUUID(), created }, message), finish };
  }
  // LogTape: the same JSON Lines formatter for every sink, so each line carries the event's id.
  const formatter = getJsonLinesFormatter();
  const sink: Sink = variant === "logtape-ringlog" ? getRingSink(log!, { formatter })
    : variant === "logtape-file" ? getFileSink(path, { formatter })
    : variant === "logtape-file-nonblocking" ? getFileSink(path, { formatter, nonBlocking: true })
    : noopSink((record) => void formatter(record)); // the floor: LogTape's work and the formatting, no IO
  await configure({
    sinks: { out: sink },
    loggers: [{ category: ["bench"], sinks: ["out"], lowestLevel: "info" }, { category: ["logtape", "meta"], lowestLevel: "fatal", sinks: [] }],
  });
  const logger = getLogger(["bench"]);
  return {
    emit: (message, created) => logger.info(message, { id: crypto.randomUUID(), created }),
    finish: async () => {
      await reset(); // disposes the sink: the file sinks write out and close
      await log?.close();
    },
  };
}

/**
 * The floor formats and keeps nothing, as the ring sink and @logtape/file's sinks: marked so (LogTape's
 * registered symbol, see src/integrations/logtape.ts), else LogTape copies each record's properties for
 * it first and the floor would cost more than the sinks it is the floor of.
 */
function noopSink(sink: Sink): Sink {
  return Object.defineProperty(sink, Symbol.for("LogTape.sinkSnapshotPolicy.immediate"), { value: true });
}

const { emit, finish } = await setUp();
signalReady(control);
const loop = runBursts(new Int32Array(control), saturate, thread, emit);
await finish();
const result: WorkerResult = { ...loop, dropped: 0 };
parentPort!.postMessage(result);
