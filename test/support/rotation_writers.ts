// Starts rotation_writer.ts threads on a log and collects how many records each wrote.
import { Worker } from "node:worker_threads";
import type { LogHandle } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";

export interface Writers {
  /** Asks every writer to stop after its current record. */
  stop(): void;
  /** Resolves to each writer's count, by writer number. */
  done: Promise<Map<number, number>>;
}

/** Writers numbered `first`, `first + 1`, ...; each writes at most `count` records. */
export function startWriters(handle: LogHandle, threads: number, count: number, options: { first?: number; times?: SharedArrayBuffer[]; pauseMs?: number } = {}): Writers {
  const stop = new SharedArrayBuffer(4);
  const url = siblingModule(import.meta.url, "./rotation_writer");
  const first = options.first ?? 0;
  const counts = Array.from({ length: threads }, (_, t) => new Promise<[number, number]>((resolve, reject) => {
    const writer = first + t;
    const worker = new Worker(url, { workerData: { handle, writer, count, stop, times: options.times?.[t], pauseMs: options.pauseMs } });
    worker.once("message", (written: number) => resolve([writer, written]));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`writer ${writer} exited with ${code} before reporting`)));
  }));
  return {
    stop: () => Atomics.store(new Int32Array(stop), 0, 1),
    done: Promise.all(counts).then((pairs) => new Map(pairs)),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
