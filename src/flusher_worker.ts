// The flusher thread's entry. It opens the file itself (Deno threads do not share fds), reports "ready"
// or the open error to open(), then runs the flusher until the ring is closed and drained.
import { parentPort, workerData } from "node:worker_threads";
import { instantiateCore } from "./core.ts";
import { FileError, openFile, reportingFile, writeFully, type FileHandle } from "./driver.ts";
import { loadDriver } from "./driver_select.ts";
import { runFlusher } from "./flusher.ts";
import type { FlusherStart } from "./ring_open.ts";
import { publishFailure, publishLifecycle } from "./ring_state.ts";

const start = workerData as FlusherStart;
const { core, layout } = instantiateCore(start.module, start.memory);
const port = parentPort!;

let file: FileHandle | undefined;
try {
  const driver = await loadDriver(start.driver);
  file = reportingFile(openFile(driver, start.path, start.append ? "append" : "truncate"), start.path);
  if (start.preamble !== undefined) writeFully(file, start.preamble);
} catch (error) {
  port.postMessage({ type: "error", message: (error as Error).message, code: (error as { code?: string }).code });
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
    // The file's own errors name their operation; anything else (a driver that wrote 0 bytes) was a write.
    const failed = error instanceof FileError ? error : new FileError(start.path, "write", error);
    publishFailure(core, start.memory, layout, start.plan.ring, failed);
    if (!closed) {
      try {
        file.close();
      } catch {
        // The file's first error is the one reported.
      }
    }
  }
}
