// The housekeeper thread of a log with retention or compression (housekeeping.ts): a pass after each
// rotation this process's flusher makes or notices (it notifies the rotations counter), and every
// PASS_MS anyway, for rotations by other processes and files a late writer held. Off the write path:
// compression never runs in the flusher's loop. On "finish" (the log's close(), once its flusher is
// done), a last pass, then it reports its first error and exits.
import { parentPort, workerData } from "node:worker_threads";
import { RingView } from "../core/ring_view.ts";
import { rotationDriver } from "../io/driver.ts";
import { loadDriver } from "../io/driver_select.ts";
import { FileLock } from "./file_lock.ts";
import type { HousekeeperReport, HousekeeperStart } from "./housekeeper_messages.ts";
import { housekeep } from "./housekeeping.ts";
import { RotationRoom } from "./rotation_room.ts";

const PASS_MS = 1000;

const start = workerData as HousekeeperStart;
const view = new RingView(start.module, start.memory, start.ring);
const rotationsAt = (start.ring + view.layout.COUNTERS) / 8 + view.layout.COUNT_ROTATIONS;
let finishing = false;
let failure: HousekeeperReport["error"];
const onMessage = (message: unknown) => {
  if (message !== "finish") return;
  finishing = true;
  Atomics.notify(view.i64, rotationsAt);
};
parentPort!.on("message", onMessage);

try {
  const room = new RotationRoom(rotationDriver(await loadDriver(start.driver), "of this log"), start.path);
  const lock = new FileLock(room, room.housekeepingLockPath);
  for (;;) {
    const seen = Atomics.load(view.i64, rotationsAt);
    const last = finishing;
    try {
      // Another process's housekeeper at work does this pass's work too; the last pass waits for it, since
      // that one may have looked before this log's last rotation.
      if (last) lock.acquire();
      if (lock.held || lock.tryAcquire()) {
        try {
          await housekeep(room, start.policy);
        } finally {
          lock.release();
        }
      }
    } catch (error) {
      failure ??= { message: String((error as Error)?.message ?? error), code: (error as { code?: string })?.code };
    }
    if (last) break;
    const wait = Atomics.waitAsync(view.i64, rotationsAt, seen, PASS_MS);
    if (wait.async) await wait.value;
  }
} catch (error) {
  failure ??= { message: String((error as Error)?.message ?? error), code: (error as { code?: string })?.code };
}
parentPort!.postMessage({ error: failure } satisfies HousekeeperReport);
// The thread ends once nothing keeps its event loop alive: the listener was the last thing. (Not
// parentPort.close(): Deno's parentPort has no close(), and the throw would kill the thread.)
parentPort!.off("message", onMessage);
