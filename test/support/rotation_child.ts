// A child process of the rotation tests: opens `path` with the options in argv (JSON), starts `threads`
// writer threads (rotation_writer.ts) numbered from `first`, prints "ready", and writes until the file
// `<path>.stop` appears (or each thread wrote `count`), then closes the log and prints
// "done <JSON: [[writer, count]...] and the log's stats().rotations>".
import { existsSync } from "node:fs";
import process from "node:process";
import { open, type OpenOptions } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { sleep, startWriters } from "./rotation_writers.ts";

const [path, optionsJson, threads, first, count] = process.argv.slice(-5);
const options = JSON.parse(optionsJson) as OpenOptions & { faulty?: boolean };
if (options.faulty) options.driver = siblingModule(import.meta.url, "./faulty_driver").href;
delete options.faulty;
const log = await open(path, options);
const writers = startWriters(log.handle, Number(threads), Number(count), { first: Number(first) });
console.log(`ready ${process.pid}`);
let finished = false;
writers.done.then(() => (finished = true), () => (finished = true));
while (!finished && !existsSync(`${path}.stop`)) await sleep(20);
writers.stop();
const counts = await writers.done;
await log.close();
console.log(`done ${JSON.stringify({ counts: [...counts], rotations: log.stats().rotations })}`);
