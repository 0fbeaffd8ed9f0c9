// Run as its own process: opens a log with the strategy in argv, appends records and lets the process end
// without close(): the exit drain must put them in the file.
import { open, type Strategy } from "../../mod.ts";

const args = (globalThis as unknown as { Deno?: { args: string[] } }).Deno?.args ?? process.argv.slice(2);
const [strategy, path, count] = args;
const log = await open(path, { strategy: strategy as Strategy, append: false });
// A file that fails (/dev/full) may fail before every record is written: the flusher's first batch can
// come while this loop runs (a loaded machine), and later writes then throw the file's error. The loop
// stops there and says how many records it wrote, for the test to expect in the exit drain's report.
for (let n = 0; n < Number(count); n++) {
  try {
    log.write(`exit ${n}\n`);
  } catch (error) {
    console.log(`written ${n} (then: ${(error as Error).message})`);
    break;
  }
}
