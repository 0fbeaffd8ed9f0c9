// Removes a file after a delay, from its own thread (the test's main thread may be blocked in a write).
import { workerData } from "node:worker_threads";
import { rmSync } from "node:fs";

const { path, ms } = workerData as { path: string; ms: number };
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
rmSync(path, { force: true });
