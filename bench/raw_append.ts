#!/usr/bin/env -S deno run -A
// Raw append throughput: 1 and 2 writer threads append pre-encoded 128-byte records (1 GiB in all) through
// the ring (and 1 thread with format "frames", whose writers also compute each record's CRC-32C), timed from the start signal until close() has drained and closed the file; beside it, the same
// process writing 1 GiB with 1 MiB writeSync calls: what the page cache takes, the limit for any logger.
// Rounds alternate the three so the machine's noise hits them alike; the median of each is reported.
//
//   node dist/bench/raw_append.js [--gib 1] [--rounds 3] [--dir /dev/shm]      deno run -A bench/raw_append.ts      bun bench/raw_append.ts
import { Worker } from "node:worker_threads";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "../mod.ts";
import { benchModule } from "./worker_module.ts";

const RECORD = 128;
const CHUNK = 1 << 20;
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const total = flag("gib", 1) * 2 ** 30;
const rounds = flag("rounds", 3);
// Where the files go: tmpfs by default, so the figure is what the kernel takes (syscalls and copies) and
// not this cloud disk's writeback, which swung 10x between rounds here (358 ms vs 3356 ms per GiB).
// `--dir <path>` measures a real disk instead.
const dirArg = args.indexOf("--dir");
const base = dirArg >= 0 ? args[dirArg + 1] : fs.existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
const dir = fs.mkdtempSync(join(base, "ringlog-raw-"));
let runs = 0;
let path = "";

// Before every run, untimed: the previous run's file is written back and deleted, so no run pays for
// another's writeback, and every run gets pages the kernel has just freed (in this VM, pages never touched
// before cost ~10x more: 1 GiB into fresh files ran at ~300 MB/s, into a just-deleted one at ~3 GB/s).
function settle(): void {
  if (path !== "") {
    const fd = fs.openSync(path, "r+");
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.rmSync(path);
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

async function ring(writers: number, format: "text" | "frames" = "text"): Promise<number> {
  settle();
  const log = await open(path, { append: false, format });
  const records = total / RECORD / writers;
  const workers = Array.from({ length: writers }, () =>
    new Worker(benchModule(import.meta.url, "./raw_append_worker"), { workerData: { handle: log.handle, records, size: RECORD } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
  const started = performance.now();
  const done = workers.map((w) => new Promise((resolve) => w.once("message", resolve)));
  for (const w of workers) w.postMessage("go");
  await Promise.all(done);
  await log.close();
  const ms = performance.now() - started;
  const size = fs.statSync(path).size;
  const expected = format === "text" ? total : 8 + total + 8 * (total / RECORD); // file header, frame headers
  if (size !== expected) throw new Error(`the file has ${size} bytes, expected ${expected}`);
  await Promise.all(workers.map((w) => w.terminate()));
  return ms;
}

const runtime = "Deno" in globalThis ? `deno ${(globalThis as any).Deno.version.deno}` : "Bun" in globalThis ? `bun ${(globalThis as any).Bun.version}` : `node ${process.versions.node}`;
const times: Record<string, number[]> = { limit: [], one: [], two: [], frames: [] };
// Round 0 warms up (JIT, the page cache, the worker pool's code) and is not counted.
for (let round = 0; round <= rounds; round++) {
  const limit = writeSyncLimit();
  const one = await ring(1);
  const two = await ring(2);
  const frames = await ring(1, "frames");
  if (round === 0) continue;
  times.limit.push(limit);
  times.one.push(one);
  times.two.push(two);
  times.frames.push(frames);
  console.error(`round ${round}/${rounds}: limit ${limit.toFixed(0)} ms, 1 writer ${one.toFixed(0)} ms, 2 writers ${two.toFixed(0)} ms, 1 writer frames ${frames.toFixed(0)} ms`);
}
fs.rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (ms: number) => total / 1e6 / (ms / 1000);
const limit = mbps(median(times.limit));
console.log(`\nRaw append, ${runtime}, ${total / 2 ** 30} GiB of ${RECORD}-byte records into ${base}, median of ${rounds} rounds\n`);
console.log(`frames vs text, 1 writer, time ratio within each round (median): ${median(times.frames.map((ms, i) => ms / times.one[i])).toFixed(2)}\n`);
// Each round's ratio is taken within the round (the limit and the ring ran seconds apart), then the median.
const ratios = (key: string) => times[key].map((ms, i) => times.limit[i] / ms);
const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
console.log("| writer | MB/s, median | MB/s, range | ratio to the limit, median | ratio, range |");
console.log("|---|---:|---:|---:|---:|");
console.log(`| writeSync 1 MiB chunks (the limit) | ${limit.toFixed(0)} | ${range(times.limit.map(mbps), 0)} | 1.00 | |`);
// frames: MB/s of records (payload), so the CRC's and the frame headers' cost shows against text.
for (const [name, key] of [["ring, 1 writer thread", "one"], ["ring, 2 writer threads", "two"], ["ring, 1 writer, format \"frames\"", "frames"]] as const) {
  const rate = mbps(median(times[key]));
  console.log(`| ${name} | ${rate.toFixed(0)} | ${range(times[key].map(mbps), 0)} | ${median(ratios(key)).toFixed(2)} | ${range(ratios(key), 2)} |`);
}
