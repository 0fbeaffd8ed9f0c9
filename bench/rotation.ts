#!/usr/bin/env -S deno run -A
// What rotation costs (issue 10): writer threads append pre-encoded 128-byte records flat out through the
// ring, to a log opened with `rotate: { size: 1 MiB }` (--size: a rotation every 1 MiB, each a rename aside
// and a new file, and a look at `path` before every batch) and to the same log without rotate, side by side
// in the same rounds. Two figures:
//   - records/s, timed from the start signal until close() has drained and closed the file (as
//     bench/raw_append.ts): rotate over plain, per round, then the median over rounds (target ≥ 0.9×);
//   - the longest write pause a rotation causes: every write() timed in the writer threads (separate,
//     "timed" runs, so the clock calls do not weigh on the records/s above), p99, p99.9, p99.99 and max of
//     the writers' write() times, with rotate and without.
//
// Fair to both, as raw_append.ts: a warm-up round runs every case first and is not counted; the writer
// threads live for the whole benchmark (bench/rotation_worker.ts); the order rotates within rounds (round
// k starts k cases later); ratios are taken within a round, then the median over rounds. Files go to tmpfs
// (/dev/shm) by default, so the figures are the kernel's and the library's, not this cloud disk's
// writeback (--dir for a real disk). Before every run, untimed: the previous run's files (the rotated ones
// too) are written back and deleted.
//
// After every run, untimed: every file of the log (the rotated ones oldest first, by name, then the
// active one) is read back: every file a whole number of records and at most --size, every writer's records
// 0, 1, 2, ... each exactly once and in order across the files, nothing else, and as many rotated files as
// log.stats().rotations says. The bench throws at the first run that fails the check.
//
//   node dist/bench/rotation.js [--mib 512] [--rounds 5] [--writers 2] [--size 1048576] [--dir /dev/shm]
//   deno run -A bench/rotation.ts ...       bun bench/rotation.ts ...       npm run bench:rotation -- ...
import { Worker } from "node:worker_threads";
import * as fs from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "../mod.ts";
import { parseFlags, parseOrUsage } from "./flags.ts";
import { formatMachine, machineInfo, sourceInfo } from "./run_info.ts";
import { checkRecordFiles, RECORD } from "./rotation_record.ts";
import type { RotationReport, RotationRun } from "./rotation_worker.ts";
import { benchModule } from "./worker_module.ts";
import { median, range } from "./rounds.ts";

const NAME = "rotation.log";

const USAGE = "usage: rotation [--mib <n>] [--rounds <n>] [--writers <n>] [--size <bytes>] [--dir <dir>]";
interface Flags {
  mib: number;
  /** rotate.size in bytes. */
  size: number;
  rounds: number;
  writers: number;
  dir: string | undefined;
}
function parse(argv: string[]): Flags {
  const flags: Flags = { mib: 512, size: 1 << 20, rounds: 5, writers: 2, dir: undefined };
  parseFlags(argv, (flag, read) => {
    if (flag === "--mib") flags.mib = read.number(1, true);
    else if (flag === "--rounds") flags.rounds = read.number(1, true);
    else if (flag === "--writers") {
      flags.writers = read.number(1, true);
      if (flags.writers > 10) throw new Error(`--writers must be at most 10 (one digit per record), got ${flags.writers}`);
    } else if (flag === "--size") flags.size = read.number(RECORD, true);
    else if (flag === "--dir") flags.dir = read.value();
    else throw new Error(`unknown flag ${flag}`);
  });
  return flags;
}
const flags = parseOrUsage("rotation", USAGE, parse, process.argv.slice(2));
if (flags === undefined) process.exit(2);
const ROTATE_SIZE = flags.size;

// Whole records per writer: the total is --mib MiB, split evenly.
const perWriter = Math.floor((flags.mib * (1 << 20)) / RECORD / flags.writers);
const total = perWriter * flags.writers;
const base = flags.dir ?? (fs.existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
const dir = fs.mkdtempSync(join(base, "ringlog-rotation-"));
let runs = 0;
let runDir = "";

/** Writes back and deletes the previous run's directory (every file of its log), and makes the next one. */
function settle(): string {
  if (runDir !== "") {
    for (const name of fs.readdirSync(runDir)) {
      const file = join(runDir, name);
      if (!fs.statSync(file).isFile()) continue;
      const fd = fs.openSync(file, "r+");
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    }
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  runDir = join(dir, `run-${runs++}`);
  fs.mkdirSync(runDir);
  return join(runDir, NAME);
}

/** The log's files, oldest first: rotated ones by name (ls order is age order), then the active file. */
function logFiles(path: string): string[] {
  const names = fs.readdirSync(runDir).filter((n) => !n.startsWith("."));
  const rotated = names.filter((n) => n !== NAME).sort();
  const stem = NAME.slice(0, NAME.lastIndexOf("."));
  for (const n of rotated) if (!n.startsWith(`${stem}.`) || !n.endsWith(".log")) throw new Error(`unexpected file ${n} in ${runDir}`);
  return names.includes(NAME) ? [...rotated.map((n) => join(runDir, n)), path] : rotated.map((n) => join(runDir, n));
}

/** Every record of every writer exactly once, whole, in order across the files; rotated files as counted. */
function check(path: string, rotate: boolean, rotations: number): void {
  const files = logFiles(path);
  checkRecordFiles(files.map((file) => ({ name: file.slice(runDir.length + 1), bytes: fs.readFileSync(file) })), flags!.writers, perWriter, rotate ? ROTATE_SIZE : Infinity);
  if (files.length - 1 !== rotations) throw new Error(`${files.length - 1} rotated files, stats().rotations ${rotations}`);
  if (!rotate && files.length !== 1) throw new Error(`no rotate, but ${files.length} files`);
}

const pool = Array.from({ length: flags.writers }, () => new Worker(benchModule(import.meta.url, "./rotation_worker")));
const next = (worker: Worker) => new Promise<unknown>((done) => worker.once("message", done));

interface RunResult {
  ms: number;
  rotations: number;
  flushBatches: number;
  /** Timed runs: every write()'s time, all writers, sorted, in ns. */
  latencies: Uint32Array | undefined;
}

async function run(rotate: boolean, timed: boolean): Promise<RunResult> {
  const path = settle();
  const log = await open(path, rotate ? { append: false, rotate: { size: ROTATE_SIZE } } : { append: false });
  const ready = pool.map(next);
  pool.forEach((w, writer) => w.postMessage({ handle: log.handle, writer, records: perWriter, timed } satisfies RotationRun));
  await Promise.all(ready);
  const started = performance.now();
  const done = pool.map(next) as Promise<RotationReport>[];
  for (const w of pool) w.postMessage("go");
  const reports = await Promise.all(done);
  await log.close();
  const ms = performance.now() - started;
  const refused = reports.reduce((sum, r) => sum + r.refused, 0);
  if (refused > 0) throw new Error(`${refused} writes refused`);
  const stats = log.stats();
  if (stats.records !== total) throw new Error(`stats().records ${stats.records}, expected ${total}`);
  check(path, rotate, stats.rotations);
  let latencies: Uint32Array | undefined;
  if (timed) {
    latencies = new Uint32Array(total);
    reports.forEach((r, i) => latencies!.set(r.latencies!, i * perWriter));
    latencies.sort();
  }
  return { ms, rotations: stats.rotations, flushBatches: stats.flushBatches, latencies };
}

interface Entry {
  key: string;
  rotate: boolean;
  timed: boolean;
}
const entries: Entry[] = [
  { key: "plain", rotate: false, timed: false },
  { key: "rotate", rotate: true, timed: false },
  { key: "plain, timed", rotate: false, timed: true },
  { key: "rotate, timed", rotate: true, timed: true },
];

interface Latency {
  p50: number;
  p99: number;
  p999: number;
  p9999: number;
  max: number;
  /** Writes of at least 1 ms. */
  overMs: number;
}
/** ns percentiles of a sorted sample. */
function latency(sorted: Uint32Array): Latency {
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  let overMs = 0;
  for (let i = sorted.length - 1; i >= 0 && sorted[i] >= 1e6; i--) overMs++;
  return { p50: at(50), p99: at(99), p999: at(99.9), p9999: at(99.99), max: sorted[sorted.length - 1], overMs };
}

const machine = machineInfo();
interface Measured {
  ms: number;
  rotations: number;
  flushBatches: number;
  latency: Latency | undefined;
}
const results = new Map<string, Measured[]>(entries.map((e) => [e.key, []]));
const loads: number[] = [];
for (let round = 0; round <= flags.rounds; round++) {
  const times: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[(i + round) % entries.length];
    const r = await run(entry.rotate, entry.timed);
    if (round > 0) results.get(entry.key)!.push({ ms: r.ms, rotations: r.rotations, flushBatches: r.flushBatches, latency: r.latencies && latency(r.latencies) });
    times.push(`${entry.key} ${r.ms.toFixed(0)} ms${r.latencies ? ` (p99.9 ${(latency(r.latencies).p999 / 1e3).toFixed(1)} µs, max ${(r.latencies[r.latencies.length - 1] / 1e6).toFixed(2)} ms)` : ""}`);
  }
  loads.push(loadavg()[0]);
  console.error(`${round === 0 ? "warm-up" : `round ${round}/${flags.rounds}`} (load ${loadavg()[0].toFixed(2)}): ${times.join(", ")}; every file checked`);
}
settle();
machine.load.end = loadavg()[0];
for (const w of pool) await w.terminate();
fs.rmSync(dir, { recursive: true, force: true });

const rate = (ms: number) => total / (ms / 1000);
const group = (n: number) => Math.round(n).toLocaleString("en-US");
const us = (ns: number) => (ns / 1e3).toFixed(ns < 1e4 ? 2 : 1);
const within = (a: string, b: string, of: (m: Measured) => number) => {
  const x = results.get(a)!;
  const y = results.get(b)!;
  return x.map((m, i) => of(m) / of(y[i]));
};

console.log(`\nRotation, ${formatMachine(machine)}; source ${sourceInfo()}`);
console.log(`${flags.writers} writer threads, ${RECORD}-byte records, ${flags.mib} MiB (${group(total)} records) per run into ${base}, rotate: { size: ${ROTATE_SIZE} } against no rotate; ${flags.rounds} rounds after a warm-up round, order rotated per round; load per round ${loads.slice(1).map((l) => l.toFixed(2)).join(", ")}\n`);
console.log("| case | records/s, median | range | MB/s | × plain (median of rounds, range) | rotations per run | records per file write |");
console.log("|---|--:|--:|--:|--:|--:|--:|");
for (const e of entries) {
  const rs = results.get(e.key)!;
  const plainKey = e.timed ? "plain, timed" : "plain";
  const ratios = within(e.key, plainKey, (m) => 1 / m.ms);
  const ms = median(rs.map((r) => r.ms));
  console.log(`| ${e.key} | ${group(rate(ms))} | ${group(rate(Math.max(...rs.map((r) => r.ms))))}–${group(rate(Math.min(...rs.map((r) => r.ms))))} | ${(rate(ms) * RECORD / 1e6).toFixed(0)} | ${median(ratios).toFixed(2)} (${range(ratios, 2)}) | ${median(rs.map((r) => r.rotations)).toFixed(0)} | ${median(rs.map((r) => total / r.flushBatches)).toFixed(0)} |`);
}
console.log("\nwrite() time in the writer threads, timed runs (every write of every writer; median over rounds, µs):\n");
console.log("| case | p50 | p99 | p99.9 | p99.99 | max (median; highest) | writes ≥ 1 ms per run |");
console.log("|---|--:|--:|--:|--:|--:|--:|");
for (const key of ["plain, timed", "rotate, timed"]) {
  const ls = results.get(key)!.map((m) => m.latency!);
  const med = (of: (l: Latency) => number) => us(median(ls.map(of)));
  console.log(`| ${key.replace(", timed", "")} | ${med((l) => l.p50)} | ${med((l) => l.p99)} | ${med((l) => l.p999)} | ${med((l) => l.p9999)} | ${med((l) => l.max)}; ${us(Math.max(...ls.map((l) => l.max)))} | ${median(ls.map((l) => l.overMs)).toFixed(0)} |`);
}
const ratioLine = (name: string, of: (l: Latency) => number) => {
  const rs = within("rotate, timed", "plain, timed", (m) => of(m.latency!));
  return `${name} ${median(rs).toFixed(2)}× (${range(rs, 2)})`;
};
const throughput = within("rotate", "plain", (m) => 1 / m.ms);
console.log("");
console.log(`- records/s, rotate / plain (median of per-round ratios): ${median(throughput).toFixed(2)}× (range ${range(throughput, 2)}); target ≥ 0.9×: ${median(throughput) >= 0.9 ? "met" : "NOT met"}`);
console.log(`- write() time, rotate / plain (median of per-round ratios): ${[ratioLine("p99", (l) => l.p99), ratioLine("p99.9", (l) => l.p999), ratioLine("p99.99", (l) => l.p9999), ratioLine("max", (l) => l.max)].join(", ")}`);
