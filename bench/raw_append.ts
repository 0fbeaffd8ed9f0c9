#!/usr/bin/env -S deno run -A
// Raw append throughput (issues 2 and 12): writer threads append pre-encoded records through the ring, timed
// from the moment every writer is attached until close() has drained and closed the file, beside the same
// process writing the same bytes with 1 MiB writeSync calls: what the page cache takes, the limit for any
// logger. Cases: 1 and 2 writers of 128-byte records, 1 writer of 1 KiB records, 1 writer of 128-byte
// records in format "frames" (whose writers also compute each record's CRC-32C).
// A second limit, "handoff": a worker thread copies 1 KiB records into 1 MiB chunks of a shared buffer (four
// of them, 4 MiB as the ring), and the main thread writes each chunk with one writeSync as soon as it is
// full (bench/raw_append_handoff.ts). No protocol, no gather, no zeroing: the bound for any design in which
// the thread that writes the file is not the one that wrote the bytes, as with the ring's flusher.
//
// Fair to every case:
// - warm against warm: a warm-up round runs every case first and is not counted; the writer threads live
//   for the whole benchmark (bench/raw_append_worker.ts), so their code is as warm as the main thread's
//   writeSync loop. (Each open() starts its own flusher thread: that code runs fresh every time.)
// - every run gets pages the kernel has just freed, after the previous file was written back and deleted.
// - the order rotates within rounds: round k starts k cases later, so neither a place in the round nor a
//   change of load favours one case. Ratios are taken within each round, then the median over rounds.
// - `--base <dir>`: a checkout of another commit (its dist/ built for Node), whose library runs every ring
//   case beside this one's, in the same rounds: "before" and "after" from one run.
//
// Per case it also prints where the time goes, per record: the writer threads' CPU time from their first
// write to their last (Linux schedstat of each writer thread: its own work, without its waits on a full
// ring; "writer busy" is that CPU time over their wall time), and the flusher thread's CPU time over the
// run (the thread that appeared during open(), read just before close(): the drain inside close(), at
// most one ring's worth, is left out). A case whose writer is busy ~100 % is bound by the writer; one
// whose flusher CPU time per record times the records is near the run's time is bound by the flusher.
//
//   node dist/bench/raw_append.js [--gib 1] [--rounds 5] [--dir /dev/shm] [--base <dir>] [--cases a,b]
//   deno run -A bench/raw_append.ts ...       bun bench/raw_append.ts ...
import { Worker } from "node:worker_threads";
import * as fs from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseFlags, parseOrUsage } from "./flags.ts";
import { formatMachine, machineInfo, sourceInfo } from "./run_info.ts";
import { threadCpuNs, threadIds, workerThreadAmong } from "./thread_cpu.ts";
import type { WriterReport, WriterRun } from "./raw_append_worker.ts";
import type { HandoffRun } from "./raw_append_handoff.ts";
import { benchModule } from "./worker_module.ts";
import { median, range } from "./rounds.ts";

const CHUNK = 1 << 20;

interface RingCase {
  name: string;
  writers: number;
  size: number;
  format: "text" | "frames";
  /** What write() is given: the record's bytes, or the same record as an ASCII string. */
  data?: "bytes" | "string";
}
const RING_CASES: Record<string, RingCase> = {
  one: { name: "1 writer, 128 B", writers: 1, size: 128, format: "text" },
  two: { name: "2 writers, 128 B", writers: 2, size: 128, format: "text" },
  kib: { name: "1 writer, 1 KiB", writers: 1, size: 1024, format: "text" },
  frames: { name: "1 writer, 128 B, frames", writers: 1, size: 128, format: "frames" },
  string: { name: "1 writer, 128 B as a string", writers: 1, size: 128, format: "text", data: "string" },
};

const HANDOFF = "handoff";
const ALL_CASES = [...Object.keys(RING_CASES), HANDOFF];
const USAGE = `usage: raw_append [--gib <n>] [--rounds <n>] [--dir <dir>] [--base <checkout>] [--cases ${ALL_CASES.join(",")}]`;
interface Flags {
  gib: number;
  rounds: number;
  dir: string | undefined;
  base: string | undefined;
  cases: string[];
}
function parse(argv: string[]): Flags {
  const flags: Flags = { gib: 1, rounds: 5, dir: undefined, base: undefined, cases: ALL_CASES };
  parseFlags(argv, (flag, read) => {
    if (flag === "--gib") flags.gib = read.number(1 / 64, false);
    else if (flag === "--rounds") flags.rounds = read.number(1, true);
    else if (flag === "--dir") flags.dir = read.value();
    else if (flag === "--base") flags.base = resolve(read.value());
    else if (flag === "--cases") {
      flags.cases = read.value().split(",");
      const unknown = flags.cases.filter((c) => !ALL_CASES.includes(c));
      if (unknown.length > 0) throw new Error(`--cases takes ${ALL_CASES.join(",")}, got ${JSON.stringify(unknown.join(","))}`);
    } else throw new Error(`unknown flag ${flag}`);
  });
  return flags;
}
const flags = parseOrUsage("raw_append", USAGE, parse, process.argv.slice(2));
if (flags === undefined) process.exit(2);

const total = Math.max(1, Math.round(flags.gib * 1024)) * CHUNK; // whole chunks, so whole records of every size and writer count
// tmpfs by default, so the figure is what the kernel takes (syscalls and copies) and not this cloud disk's
// writeback, which swung 10x between rounds here (358 ms vs 3356 ms per GiB).
const base = flags.dir ?? (fs.existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
const dir = fs.mkdtempSync(join(base, "ringlog-raw-"));
const node = !import.meta.url.endsWith(".ts");
const libraries = [{ label: "this", url: new URL(node ? "../mod.js" : "../mod.ts", import.meta.url).href }];
if (flags.base !== undefined) {
  const entry = join(flags.base, node ? "dist/mod.js" : "mod.ts");
  if (!fs.existsSync(entry)) throw new Error(`--base ${flags.base} has no ${entry}${node ? " (run tsc there first)" : ""}`);
  libraries.push({ label: "base", url: new URL(`file://${entry}`).href });
}
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

interface RunResult {
  ms: number;
  /** Writer threads' CPU ns per record (their own records), flusher thread's CPU ns per record. */
  writerNs: number | undefined;
  /** The writers' CPU time over their wall time from first to last write: below 1, they waited for room. */
  writerBusy: number | undefined;
  flusherNs: number | undefined;
  bytesPerWrite: number;
}

function writeSyncLimit(): RunResult {
  const chunk = new Uint8Array(CHUNK).fill(0x61);
  settle();
  const fd = fs.openSync(path, "w");
  const started = performance.now();
  for (let done = 0; done < total; done += CHUNK) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return { ms: performance.now() - started, writerNs: undefined, writerBusy: undefined, flusherNs: undefined, bytesPerWrite: CHUNK };
}

const ringCases = flags.cases.filter((c) => c !== HANDOFF);
const pool = Array.from({ length: Math.max(0, ...ringCases.map((c) => RING_CASES[c].writers)) }, () =>
  new Worker(benchModule(import.meta.url, "./raw_append_worker")));
const producer = flags.cases.includes(HANDOFF) ? new Worker(benchModule(import.meta.url, "./raw_append_handoff")) : undefined;
const next = (worker: Worker) => new Promise<unknown>((done) => worker.once("message", done));

const HANDOFF_SLOTS = 4;
const handoffData = new SharedArrayBuffer(HANDOFF_SLOTS * CHUNK);

/** The handoff limit: a worker fills 1 MiB chunks with 1 KiB records, this thread writes each one. */
async function handoffLimit(): Promise<RunResult> {
  settle();
  const control = new Int32Array(new SharedArrayBuffer(8));
  const chunks = total / CHUNK;
  const ready = next(producer!);
  producer!.postMessage({ data: handoffData, control, chunks, chunk: CHUNK, slots: HANDOFF_SLOTS, record: 1024 } satisfies HandoffRun);
  await ready;
  const fd = fs.openSync(path, "w");
  const u8 = new Uint8Array(handoffData);
  const started = performance.now();
  producer!.postMessage("go");
  for (let k = 0; k < chunks; k++) {
    for (let filled = Atomics.load(control, 0); filled <= k; filled = Atomics.load(control, 0)) Atomics.wait(control, 0, filled);
    const at = (k % HANDOFF_SLOTS) * CHUNK;
    fs.writeSync(fd, u8.subarray(at, at + CHUNK));
    Atomics.store(control, 1, k + 1);
    Atomics.notify(control, 1);
  }
  fs.closeSync(fd);
  const ms = performance.now() - started;
  const size = fs.statSync(path).size;
  if (size !== total) throw new Error(`handoff: the file has ${size} bytes, expected ${total}`);
  return { ms, writerNs: undefined, writerBusy: undefined, flusherNs: undefined, bytesPerWrite: CHUNK };
}

async function ring(lib: string, c: RingCase): Promise<RunResult> {
  settle();
  const { open } = await import(lib);
  const before = threadIds();
  const log = await open(path, { append: false, format: c.format });
  const flusher = workerThreadAmong(threadIds().filter((tid) => !before.includes(tid)));
  const records = total / c.size / c.writers;
  const workers = pool.slice(0, c.writers);
  const ready = workers.map(next);
  for (const w of workers) w.postMessage({ lib, handle: log.handle, records, size: c.size, string: c.data === "string" } satisfies WriterRun);
  await Promise.all(ready);
  const flusherCpu = flusher === undefined ? undefined : threadCpuNs(flusher);
  const started = performance.now();
  const done = workers.map(next) as Promise<WriterReport>[];
  for (const w of workers) w.postMessage("go");
  const reports = await Promise.all(done);
  const flusherEnd = flusher === undefined ? undefined : threadCpuNs(flusher);
  await log.close();
  const ms = performance.now() - started;
  const size = fs.statSync(path).size;
  const expected = c.format === "text" ? total : 8 + total + 8 * (total / c.size); // file header, frame headers
  if (size !== expected) throw new Error(`${c.name}: the file has ${size} bytes, expected ${expected}`);
  const refused = reports.reduce((sum, r) => sum + r.refused, 0);
  if (refused > 0) throw new Error(`${c.name}: ${refused} writes refused`);
  const cpu = reports.every((r) => r.cpuNs !== undefined) ? reports.reduce((sum, r) => sum + r.cpuNs!, 0) : undefined;
  const all = total / c.size;
  return {
    ms,
    writerNs: cpu === undefined ? undefined : cpu / all,
    writerBusy: cpu === undefined ? undefined : cpu / 1e6 / reports.reduce((sum, r) => sum + r.wallMs, 0),
    flusherNs: flusherCpu === undefined || flusherEnd === undefined ? undefined : (flusherEnd - flusherCpu) / all,
    bytesPerWrite: log.stats().bytes / Math.max(1, log.stats().flushBatches),
  };
}

interface Entry {
  key: string;
  label: string;
  run: () => Promise<RunResult> | RunResult;
}
const entries: Entry[] = [{ key: "limit", label: "writeSync 1 MiB chunks (the limit)", run: writeSyncLimit }];
if (producer !== undefined) entries.push({ key: HANDOFF, label: "handoff: 1 MiB writeSync of chunks another thread filled with 1 KiB records", run: handoffLimit });
for (const c of ringCases) {
  for (const lib of libraries) entries.push({ key: `${c}/${lib.label}`, label: `ring, ${RING_CASES[c].name}${libraries.length > 1 ? `, ${lib.label}` : ""}`, run: () => ring(lib.url, RING_CASES[c]) });
}

const machine = machineInfo();
const results = new Map<string, RunResult[]>(entries.map((e) => [e.key, []]));
const loads: number[] = [];
for (let round = 0; round <= flags.rounds; round++) {
  const times: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[(i + round) % entries.length];
    const result = await entry.run();
    if (round > 0) results.get(entry.key)!.push(result);
    times.push(`${entry.key} ${result.ms.toFixed(0)}`);
  }
  loads.push(loadavg()[0]);
  console.error(`${round === 0 ? "warm-up" : `round ${round}/${flags.rounds}`} (load ${loadavg()[0].toFixed(2)}): ${times.join(", ")} ms`);
}
machine.load.end = loadavg()[0];
for (const w of pool) await w.terminate();
await producer?.terminate();
fs.rmSync(dir, { recursive: true, force: true });

const mbps = (ms: number) => total / 1e6 / (ms / 1000);
const limit = results.get("limit")!;
const ratios = (key: string) => results.get(key)!.map((r, i) => limit[i].ms / r.ms);
const pct = (xs: (number | undefined)[]) => xs.every((x) => x !== undefined) ? `${(100 * median(xs as number[])).toFixed(0)} %` : "n/a";
const ns = (xs: (number | undefined)[]) => xs.every((x) => x !== undefined) ? median(xs as number[]).toFixed(0) : "n/a";

console.log(`\nRaw append, ${formatMachine(machine)}; source ${sourceInfo()}${flags.base ? `; base: ${flags.base}` : ""}`);
console.log(`${flags.gib} GiB per run into ${base}, ${flags.rounds} rounds after a warm-up round, order rotated per round; load per round ${loads.slice(1).map((l) => l.toFixed(2)).join(", ")}\n`);
console.log("| case | MB/s, median | ratio to the limit, median | range | writer CPU ns/record | writer busy | flusher CPU ns/record | bytes per file write |");
console.log("|---|--:|--:|--:|--:|--:|--:|--:|");
for (const e of entries) {
  const rs = results.get(e.key)!;
  const ratio = e.key === "limit" ? "1.00" : median(ratios(e.key)).toFixed(2);
  const spread = e.key === "limit" ? `${range(rs.map((r) => mbps(r.ms)), 0)} MB/s` : range(ratios(e.key), 2);
  console.log(`| ${e.label} | ${mbps(median(rs.map((r) => r.ms))).toFixed(0)} | ${ratio} | ${spread} | ${ns(rs.map((r) => r.writerNs))} | ${pct(rs.map((r) => r.writerBusy))} | ${ns(rs.map((r) => r.flusherNs))} | ${median(rs.map((r) => r.bytesPerWrite)).toFixed(0)} |`);
}
// Within each round: time of one case over another, then the median.
const within = (a: string, b: string) => {
  const x = results.get(a)!;
  const y = results.get(b)!;
  return median(x.map((r, i) => r.ms / y[i].ms)).toFixed(2);
};
console.log("");
for (const lib of libraries) {
  if (flags.cases.includes("frames") && flags.cases.includes("one")) console.log(`- ${lib.label}: frames / text time, 1 writer of 128 B (median within rounds): ${within(`frames/${lib.label}`, `one/${lib.label}`)}×`);
  if (flags.cases.includes("two") && flags.cases.includes("one")) console.log(`- ${lib.label}: 2 writers / 1 writer time, 128 B: ${within(`two/${lib.label}`, `one/${lib.label}`)}×`);
}
if (producer !== undefined && flags.cases.includes("kib")) {
  for (const lib of libraries) console.log(`- ${lib.label}: 1 writer of 1 KiB over the handoff limit (median within rounds): ${within(HANDOFF, `kib/${lib.label}`)}×`);
}
if (libraries.length > 1) {
  for (const c of ringCases) console.log(`- ${RING_CASES[c].name}: this / base time (median within rounds): ${within(`${c}/this`, `${c}/base`)}×`);
}
