// The flusher thread's entry: open the file through the log's driver (rotation/active_file.ts, which writes
// a new frames file's header and switches files when the log rotates or reopens), then run the flusher until the ring is closed and drained (runtime/writer_thread.ts orders the steps and
// reports their errors).
import { parentPort, workerData } from "node:worker_threads";
import { RingView } from "../core/ring_view.ts";
import { loadDriver } from "../io/driver_select.ts";
import { ActiveFile } from "../rotation/active_file.ts";
import { runWriterThread } from "../runtime/writer_thread.ts";
import { type FlusherStart, runFlusher } from "./flusher.ts";

const start = workerData as FlusherStart;
const view = new RingView(start.module, start.memory, start.plan.ring);

await runWriterThread(parentPort!, start.path, {
  async open() {
    return ActiveFile.open(view, await loadDriver(start.driver), start);
  },
  opened: () => view.state.publishLifecycle(view.layout.OPEN),
  run: (file) => runFlusher(view, file, start.plan),
  done: () => view.state.publishLifecycle(view.layout.DONE),
  failed: (error) => view.publishFailure(error),
});
