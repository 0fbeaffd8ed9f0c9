// The flusher thread's entry. It opens the file itself (Deno threads do not share fds), reports "ready"
// or the open error to open(), then runs the flusher until the ring is closed and drained.
import { parentPort, workerData } from "node:worker_threads";
import { instantiateCore } from "./core.ts";
import { openFile, writeFully } from "./driver.ts";
import { loadDriver } from "./driver_select.ts";
import { runFlusher } from "./flusher.ts";
import type { FlusherStart } from "./ring_open.ts";
import { publishFailure, publishLifecycle } from "./ring_state.ts";

const start = workerData as FlusherStart;
const { core, layout } = instantiateCore(start.module, start.memory);
const port = parentPort!;

let file;
try {
  const driver = await loadDriver(start.driver);
  file = openFile(driver, start.path, start.append ? "append" : "truncate");
  if (start.preamble !== undefined) writeFully(file, start.preamble);
} catch (error) {
  port.postMessage({ type: "error", message: (error as Error).message });
}

if (file !== undefined) {
  publishLifecycle(start.memory, layout, start.plan.ring, layout.OPEN);
  port.postMessage({ type: "ready" });
  let closed = false;
  try {
    runFlusher(core, layout, start.memory, file, start.plan);
    closed = true; // even if close() throws: never close an fd twice (it may be another file's by then)
    file.close();
    publishLifecycle(start.memory, layout, start.plan.ring, layout.DONE);
  } catch (error) {
    core.close(start.plan.ring);
    publishFailure(start.memory, layout, start.plan.ring, `ringlog: writing ${JSON.stringify(start.path)} failed: ${(error as Error)?.message ?? error}`);
    if (!closed) {
      try {
        file.close();
      } catch {
        // The file's first error is the one reported.
      }
    }
  }
}
