// A user's program, as the README shows it: a main module that opens the log and starts node:worker_threads
// workers, and a worker module that attaches to the handle it is given. Written into the user's directory,
// importing ringlog by `specifier` (a package name, an npm: specifier, a URL).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface UserProgram {
  /** How the user's modules import ringlog: "ringlog", "npm:ringlog", "http://127.0.0.1:8000/mod.ts"... */
  specifier: string;
  /** The log file. */
  path: string;
  /** "mjs" (Node, Bun, Deno) or "ts" (Deno, Bun). */
  ext: "mjs" | "ts";
  /** open()'s strategy; default the ring. */
  strategy?: string;
  /** Worker threads, each writing `records` records; the main thread writes as many. */
  workers: number;
  records: number;
}

/** Writes `main.<ext>` and `worker.<ext>` into `dir`; returns the main module's file name. */
export function writeUserProgram(dir: string, program: UserProgram): string {
  const { specifier, path, ext, strategy, workers, records } = program;
  const options = strategy === undefined ? { append: false } : { append: false, strategy };
  writeFileSync(join(dir, `worker.${ext}`), `import { workerData } from "node:worker_threads";
import { attach } from ${JSON.stringify(specifier)};
const log = attach(workerData.handle);
for (let i = 0; i < ${records}; i++) log.record({ message: \`\${i}\`, id: \`w\${workerData.id}\` });
await log.close();
`);
  writeFileSync(join(dir, `main.${ext}`), `import { open } from ${JSON.stringify(specifier)};
import { Worker } from "node:worker_threads";
const log = await open(${JSON.stringify(path)}, ${JSON.stringify(options)});
const workers = Array.from({ length: ${workers} }, (_, id) =>
  new Worker(new URL("./worker.${ext}", import.meta.url), { workerData: { handle: log.handle, id } }));
for (let i = 0; i < ${records}; i++) log.record({ message: \`\${i}\`, id: "main" });
await Promise.all(workers.map((worker) => new Promise((resolve, reject) => {
  worker.once("error", reject);
  worker.once("exit", resolve);
})));
await log.close();
`);
  return `main.${ext}`;
}

/** The lines the program should leave, `<id> <message>`, sorted: every record exactly once. */
export function expectedLines(program: UserProgram): string[] {
  const ids = ["main", ...Array.from({ length: program.workers }, (_, id) => `w${id}`)];
  return ids.flatMap((id) => Array.from({ length: program.records }, (_, i) => `${id} ${i}`)).sort();
}

/** The log's lines without their timestamps, sorted. */
export function writtenLines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => line.split(" ").slice(1).join(" ")).sort();
}
