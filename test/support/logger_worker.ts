// A worker thread of the logger tests: attaches to the log, logs `count` lines through the named logger,
// gets them out as that logger's docs say (finish()), detaches, and says "done".
import { parentPort, workerData } from "node:worker_threads";
import { attach, type LogHandle } from "../../mod.ts";
import { type LoggerName, threadLogger } from "./loggers.ts";

const { handle, name, thread, count } = workerData as { handle: LogHandle; name: LoggerName; thread: number; count: number };
const log = attach(handle);
const logger = await threadLogger(name, log, thread);
for (let n = 0; n < count; n++) logger.line(n);
await logger.finish();
await log.close();
parentPort!.postMessage("done");
