#!/usr/bin/env -S deno run -A
// Raw append throughput: 1 and 2 writer threads append pre-encoded 128-byte records (1 GiB in all) through
// the ring, timed from the start signal until close() has drained and closed the file; beside it, the same
// process writing 1 GiB with 1 MiB writeSync calls: what the page cache takes, the limit for any logger.
// Rounds alternate the three so the machine's noise hits them alike; the median of each is reported.
//
//   node dist/bench/raw_append.js [--gib 1] [--rounds 3]      deno run -A bench/raw_append.ts      bun bench/raw_append.ts
import { Worker } from "node:worker_threads";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "../mod.ts";
import { siblingModule } from "../src/module_url.ts";

const RECORD = 128;
const CHUNK = 1 << 20;
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const total = flag("gib", 1) * 2 ** 30;
const rounds = flag("rounds", 3);
const dir = fs.mkdtempSync(join(tmpdir(), "ringlog-raw-"));
let runs = 0;
let path = "";

// Every run writes a fresh file, and the one before it is written back first, untimed: no run pays for
// another's writeback, and none gets a warmer page cache (measured here: rewriting a just-deleted file ran
// up to 10× faster than a fresh one, which is what made a first attempt at this bench meaningless).
function settle(): void {
  if (path !== "") {
    const fd = fs.openSync(path, "r+");
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  path = join(dir, `run-${runs++}.log`);
}

function writeSyncLimit(): number {
  const chunk = new Uint8Array(CHUNK).fill(0x61);
  settle();
  const fd = fs.openSync(path, "w");
  const started = performance.now();
  for (let done = 0; done < total; done += CHUNK) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return performance.now() - started;
}

async function ring(writers: number): Promise<number> {
  settle();
  const log = await open(path, { append: false });
  const records = total / RECORD / writers;
  const workers = Array.from({ length: writers }, () =>
    new Worker(siblingModule(import.meta.url, "./raw_append_worker"), { workerData: { handle: log.handle, records, size: RECORD } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
  const started = performance.now();
  const done = workers.map((w) => new Promise((resolve) => w.once("message", resolve)));
  for (const w of workers) w.postMessage("go");
  await Promise.all(done);
  await log.close();
  const ms = performance.now() - started;
  const size = fs.statSync(path).size;
  if (size !== total) throw new Error(`the file has ${size} bytes, expected ${total}`);
  await Promise.all(workers.map((w) => w.terminate()));
  return ms;
}

const runtime = "Deno" in globalThis ? `deno ${(globalThis as any).Deno.version.deno}` : "Bun" in globalThis ? `bun ${(globalThis as any).Bun.version}` : `node ${process.versions.node}`;
const times: Record<string, number[]> = { limit: [], one: [], two: [] };
for (let round = 1; round <= rounds; round++) {
  times.limit.push(writeSyncLimit());
  times.one.push(await ring(1));
  times.two.push(await ring(2));
  console.error(`round ${round}/${rounds}: limit ${times.limit.at(-1)!.toFixed(0)} ms, 1 writer ${times.one.at(-1)!.toFixed(0)} ms, 2 writers ${times.two.at(-1)!.toFixed(0)} ms`);
}
fs.rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (ms: number) => total / 1e6 / (ms / 1000);
const limit = mbps(median(times.limit));
console.log(`\nRaw append, ${runtime}, ${total / 2 ** 30} GiB of ${RECORD}-byte records, median of ${rounds} rounds\n`);
console.log("| writer | MB/s | ratio to the limit |");
console.log("|---|---:|---:|");
console.log(`| writeSync 1 MiB chunks (the limit) | ${limit.toFixed(0)} | 1.00 |`);
for (const [name, key] of [["ring, 1 writer thread", "one"], ["ring, 2 writer threads", "two"]] as const) {
  const rate = mbps(median(times[key]));
  console.log(`| ${name} | ${rate.toFixed(0)} | ${(rate / limit).toFixed(2)} |`);
}
