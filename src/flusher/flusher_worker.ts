// The flusher thread's entry: open the file through the log's driver, write a new frames file's header,
// then run the flusher until the ring is closed and drained (runtime/writer_thread.ts orders the steps and
// reports their errors).
import { parentPort, workerData } from "node:worker_threads";
import { RingView } from "../core/ring_view.ts";
import { openFile, reportingFile, writeFully } from "../io/driver.ts";
import { loadDriver } from "../io/driver_select.ts";
import { runWriterThread } from "../runtime/writer_thread.ts";
import { type FlusherStart, runFlusher } from "./flusher.ts";

const start = workerData as FlusherStart;
const view = new RingView(start.module, start.memory, start.plan.ring);

await runWriterThread(parentPort!, start.path, {
  async open() {
    const driver = await loadDriver(start.driver);
    const file = reportingFile(openFile(driver, start.path, start.append ? "append" : "truncate"), start.path);
    if (start.preamble !== undefined) writeFully(file, start.preamble);
    return file;
  },
  opened: () => view.state.publishLifecycle(view.layout.OPEN),
  run: (file) => runFlusher(view, file, start.plan),
  done: () => view.state.publishLifecycle(view.layout.DONE),
  failed: (error) => view.publishFailure(error),
});
