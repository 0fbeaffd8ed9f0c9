/**
 * ringlog: many threads append records to one file through a ring buffer in shared WebAssembly memory.
 * Every record reaches the file exactly once and whole; writers never do file IO; memory is bounded.
 *
 * @example
 * ```ts
 * import { open } from "./mod.ts";
 * import { Worker } from "node:worker_threads";
 *
 * const log = await open("app.log");
 * const worker = new Worker(new URL("./worker.ts", import.meta.url), { workerData: log.handle });
 * log.record({ message: "main thread says hello" });
 * await new Promise((done) => worker.once("exit", done));
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
export type { FileDriver, FileHandle } from "./src/io/driver.ts";
export { Sequencer } from "./src/sequencer/sequencer.ts";
export type { CommitStatus, SequencerStats } from "./src/sequencer/sequencer.ts";
export type { SequencerOptions } from "./src/sequencer/sequencer_options.ts";
export type { SequencerTarget, SequentialSink } from "./src/sequencer/sequencer_sink.ts";
