// The opener's side of a log's housekeeper thread (housekeeper_worker.ts): started with the flusher when
// the rotate option asks for retention or compression, unref'd (it never keeps the process alive), and
// finished by close(). At exit it is simply ended: compression is crash-safe, and the next pass (this
// process's next run, or another process's housekeeper) finishes the work.
import { siblingModule, workerEntry } from "../runtime/module_url.ts";
import type { HousekeeperReport, HousekeeperStart } from "./housekeeper_messages.ts";

export interface Housekeeper {
  /** A last pass (the flusher is done), then the thread ends; rejects with the first error it had. */
  finish(): Promise<void>;
}

export async function startHousekeeper(start: HousekeeperStart): Promise<Housekeeper> {
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(workerEntry(siblingModule(import.meta.url, "./housekeeper_worker")), { workerData: start });
  let report: HousekeeperReport | undefined;
  const ended = new Promise<void>((resolve) => {
    worker.once("message", (message: HousekeeperReport) => (report = message));
    worker.once("error", (error: Error) => (report ??= { error: { message: `ringlog: the housekeeper thread of ${JSON.stringify(start.path)} died: ${error?.message ?? error}` } }));
    worker.once("exit", () => resolve());
  });
  worker.unref();
  return {
    async finish() {
      worker.ref();
      worker.postMessage("finish");
      await ended;
      const error = report?.error;
      if (error !== undefined) throw Object.assign(new Error(error.message), { code: error.code });
    },
  };
}
