// A writer thread for the flushSync tests: attaches, writes a line, blocks in flushSync(), then reads the
// file at once and posts whether the line was there.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { attach } from "../../mod.ts";
import { thrown } from "./outcome.ts";

const { handle, line } = workerData;
const log = attach(handle);
log.write(line);
const flushed = thrown(() => log.flushSync());
const inFile = readFileSync(handle.path, "utf8").includes(line);
await log.close();
parentPort!.postMessage({ flushed, inFile });
