// A child process for test/signals.test.ts: opens a log, writes `count` lines `signal <n>\n`, prints
// "ready <records in the file so far>", then waits for the parent's signal (at most WAIT_MS). argv:
//   path strategy count mode, where mode is
//   handle:     handleSignals: true
//   default:    no handleSignals
//   closed:     handleSignals: true, and the log is closed before "ready"
//   one-closed: two logs with handleSignals; the other one is closed before "ready"
// The ring's flusher writes through faulty_driver, so a <path>.slow file keeps records in the ring.
import { open, type Strategy } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";

// Far longer than any test waits for "ready" plus the signal; a child the signal did not end fails by it.
const WAIT_MS = 30_000;
const NOT_ENDED_BY_SIGNAL = 3;

const proc = (globalThis as unknown as { process: { argv: string[]; exit(code: number): never } }).process;
const [path, strategy, countText, mode] = proc.argv.slice(-4);
const options = {
  strategy: strategy as Strategy,
  append: false,
  handleSignals: mode !== "default",
  driver: strategy === "ring" ? siblingModule(import.meta.url, "./faulty_driver").href : undefined,
};
if (mode === "one-closed") await (await open(`${path}.other`, options)).close();
const log = await open(path, options);
for (let n = 0; n < Number(countText); n++) log.write(`signal ${n}\n`);
if (mode === "closed") await log.close();
console.log(`ready ${log.stats().records}`);
setTimeout(() => proc.exit(NOT_ENDED_BY_SIGNAL), WAIT_MS);
