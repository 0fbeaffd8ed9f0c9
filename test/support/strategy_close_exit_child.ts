// Run as its own process: opens a log with the strategy in argv, appends records, calls close() WITHOUT
// awaiting it and ends the process at once with process.exit(0): the exit drain must still wait for the
// records close() handed to the writer thread.
import { open, type Strategy } from "../../mod.ts";

const g = globalThis as unknown as { Deno?: { args: string[] }; process: { argv: string[]; exit(code: number): never } };
const [strategy, path, count] = g.Deno?.args ?? g.process.argv.slice(2);
// One record per 1 KiB block, so one file write per record for the writer thread. With more records than
// the 65,536 blocks, the appends wait for blocks the writer frees: it is ~64 MiB behind at close().
const log = await open(path, { strategy: strategy as Strategy, append: false, capacity: 64 * 1024 * 1024, blockSize: 1024 });
const pad = "x".repeat(980);
for (let n = 0; n < Number(count); n++) log.write(`close-exit ${n} ${pad}\n`);
void log.close();
g.process.exit(0);
