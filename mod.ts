/**
 * ringlog: many threads append records to one file through a ring buffer in shared WebAssembly memory.
 * Every record reaches the file exactly once and whole; writers never do file IO; memory is bounded.
 *
 * The thread that calls {@link open} owns the log; every other thread gets `log.handle` (as a Worker's
 * `workerData`, or by `postMessage`) and calls {@link attach} with it. The README shows a main module and
 * its worker module, for Node, Deno and Bun.
 *
 * @example
 * ```ts
 * import { attach, open } from "@ringlog/ringlog";
 *
 * const log = await open("app.log");
 * log.record({ message: "main thread says hello" });
 * // In a worker: attach(workerData). A structured clone of the handle is what a worker receives.
 * const inWorker = attach(structuredClone(log.handle));
 * inWorker.record({ message: "a worker says hello" });
 * await inWorker.close();
 * await log.close(); // every thread's records are in app.log
 * ```
 *
 * @module
 */
export { attach, open } from "./src/open.ts";
export { read, recover } from "./src/frames/read.ts";
export type { LogReader, ReadEnd, Recovered } from "./src/frames/read.ts";
export type { Log, LogHandle, LogStats } from "./src/log.ts";
export type { LogEvent } from "./src/record/event_line.ts";
export type { LogFormat, OnFull, OpenOptions, Strategy, SyncPolicy } from "./src/options.ts";
export type { RotateOptions } from "./src/rotation/rotation_policy.ts";
export type { WatchedWorker } from "./src/runtime/thread_owner.ts";
export type { FileDriver, FileHandle, FileStat, OpenMode } from "./src/io/driver.ts";
export { Sequencer } from "./src/sequencer/sequencer.ts";
export type { CommitStatus, SequencerStats } from "./src/sequencer/sequencer.ts";
export type { SequencerOptions } from "./src/sequencer/sequencer_options.ts";
export type { SequencerTarget, SequentialSink } from "./src/sequencer/sequencer_sink.ts";
