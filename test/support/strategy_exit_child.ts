// Run as its own process: opens a log with the strategy in argv, appends records and lets the process end
// without close(): the exit drain must put them in the file.
import { open, type Strategy } from "../../mod.ts";

const args = (globalThis as unknown as { Deno?: { args: string[] } }).Deno?.args ?? process.argv.slice(2);
const [strategy, path, count] = args;
const log = await open(path, { strategy: strategy as Strategy, append: false });
for (let n = 0; n < Number(count); n++) log.write(`exit ${n}\n`);
