#!/usr/bin/env -S deno run -A
// read() and recover() throughput (issue 12): a log of 150-byte records on tmpfs, read back through the public
// API, beside the limit: the same file read in 1 MiB chunks, each into a fresh buffer as the reader's (records
// are views, so no buffer is reused), with nothing done to the bytes. Cases:
// - batches:  `for await (const batch of read(path).batches())`, every record touched (its length summed)
// - records:  `for await (const record of read(path))`, one promise per record
// - recover:  `recover(path)` of the frames file (it reads every frame and checks its CRC-32C)
// for both formats (text: lines; frames: [u32 n][u32 crc32c][payload], each CRC checked).
//
// Warm against warm: the files are written once (through the library) and read once before any timing, so
// their pages are in memory for every case; then `--rounds` rounds, each running every case in an order that
// rotates by one per round. Figures: the median over rounds of MB/s and of the ratio to the limit's run of
// the same round.
// `--base <dir>`: a checkout of another commit (its dist/ built for Node), whose read() and recover() run
// beside this one's in the same rounds (batches(), one record at a time, and recover(); batches() came
// with issue 12, so an older base has none).
//
//   node dist/bench/read.js [--mib 512] [--rounds 5] [--dir /dev/shm] [--recover-mib 1024] [--base <dir>]
//   deno run -A bench/read.ts ...       bun bench/read.ts ...
import * as fs from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { open, read, recover } from "../mod.ts";
import { parseFlags, parseOrUsage } from "./flags.ts";
import { formatMachine, machineInfo, sourceInfo } from "./run_info.ts";
import { median } from "./rounds.ts";

const RECORD = 150;
// As src/frames/read.ts: fresh 4 MiB buffers come as new pages, one fault per 4 KiB, and held Bun's limit
// to 436-1330 MB/s where 1 MiB buffers read at 2.8 GB/s (issue 12).
const CHUNK = 1 << 20;
const USAGE = "usage: read [--mib <n>] [--rounds <n>] [--dir <dir>] [--recover-mib <n>] [--base <checkout>]";

interface Flags {
  mib: number;
  rounds: number;
  dir: string;
  recoverMib: number;
  base: string | undefined;
}
function parse(argv: string[]): Flags {
  const flags: Flags = { mib: 512, rounds: 5, dir: fs.existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), recoverMib: 1024, base: undefined };
  parseFlags(argv, (flag, read) => {
    if (flag === "--mib") flags.mib = read.number(1, true);
    else if (flag === "--rounds") flags.rounds = read.number(1, true);
    else if (flag === "--dir") flags.dir = read.value();
    else if (flag === "--recover-mib") flags.recoverMib = read.number(1, true);
    else if (flag === "--base") flags.base = resolve(read.value());
    else throw new Error(`unknown flag ${flag}`);
  });
  return flags;
}

/** Writes `mib` MiB of 150-byte records (line end included) through the library. */
async function writeLog(path: string, format: "text" | "frames", mib: number): Promise<number> {
  fs.rmSync(path, { force: true });
  const log = await open(path, { format, append: false, capacity: 64 << 20 });
  const count = Math.floor((mib << 20) / (format === "frames" ? RECORD + 8 : RECORD));
  const body = new TextEncoder().encode(`${"r".repeat(RECORD - 1)}\n`);
  for (let i = 0; i < count; i++) log.write(body);
  await log.close();
  return count;
}

async function readLimit(path: string): Promise<number> {
  const file = await fs.promises.open(path, "r");
  let bytes = 0;
  try {
    for (;;) {
      const buffer = new Uint8Array(CHUNK);
      const { bytesRead } = await file.read(buffer, 0, CHUNK, bytes);
      if (bytesRead === 0) return bytes;
      bytes += bytesRead;
    }
  } finally {
    await file.close();
  }
}

type Library = { read: typeof read; recover: typeof recover };

async function readBatches(path: string, records: number, library: Library = { read, recover }): Promise<void> {
  let seen = 0;
  let bytes = 0;
  for await (const batch of library.read(path).batches()) {
    seen += batch.length;
    for (const record of batch) bytes += record.length;
  }
  if (seen !== records || bytes === 0) throw new Error(`batches read ${seen} records of ${records}`);
}

async function readRecords(path: string, records: number, library: Library = { read, recover }): Promise<void> {
  let seen = 0;
  for await (const record of library.read(path)) seen += record.length > 0 ? 1 : 0;
  if (seen !== records) throw new Error(`the iterator read ${seen} records of ${records}`);
}

async function main(): Promise<void> {
  const flags = parseOrUsage("read", USAGE, parse, process.argv.slice(2));
  if (flags === undefined) return process.exit(2);
  console.log(`# read() and recover(), ${flags.mib} MiB of ${RECORD}-byte records per format in ${flags.dir}, ${flags.rounds} rounds`);
  console.log(`# ${formatMachine(machineInfo())}; ${sourceInfo()}${flags.base ? `; base: ${flags.base}` : ""}; load ${loadavg()[0].toFixed(2)}`);
  const text = join(flags.dir, "ringlog-read-bench.log");
  const frames = join(flags.dir, "ringlog-read-bench.frames");
  const big = join(flags.dir, "ringlog-recover-bench.frames");
  const counts = { text: await writeLog(text, "text", flags.mib), frames: await writeLog(frames, "frames", flags.mib) };
  await writeLog(big, "frames", flags.recoverMib);
  const sizes = { text: fs.statSync(text).size, frames: fs.statSync(frames).size, big: fs.statSync(big).size };
  const recoverAll = async (library: Library) => {
    const { truncatedBytes } = await library.recover(big);
    if (truncatedBytes !== 0) throw new Error("recover() cut a whole file");
  };
  const cases: [string, string, number, () => Promise<unknown>][] = [
    ["text: 1 MiB reads, nothing else (the limit)", "text", sizes.text, () => readLimit(text)],
    ["text: batches()", "text", sizes.text, () => readBatches(text, counts.text)],
    ["text: one record at a time", "text", sizes.text, () => readRecords(text, counts.text)],
    ["frames: 1 MiB reads, nothing else (the limit)", "frames", sizes.frames, () => readLimit(frames)],
    ["frames: batches()", "frames", sizes.frames, () => readBatches(frames, counts.frames)],
    ["frames: one record at a time", "frames", sizes.frames, () => readRecords(frames, counts.frames)],
    [`frames: recover() of ${(sizes.big / 2 ** 30).toFixed(2)} GiB`, "big", sizes.big, () => recoverAll({ read, recover })],
  ];
  if (flags.base !== undefined) {
    const entry = join(flags.base, "Deno" in globalThis || "Bun" in globalThis ? "mod.ts" : "dist/mod.js");
    const base = await import(new URL(`file://${entry}`).href) as Library;
    cases.push(
      ["base: text, batches()", "text", sizes.text, () => readBatches(text, counts.text, base)],
      ["base: frames, batches()", "frames", sizes.frames, () => readBatches(frames, counts.frames, base)],
      ["base: text, one record at a time", "text", sizes.text, () => readRecords(text, counts.text, base)],
      ["base: frames, one record at a time", "frames", sizes.frames, () => readRecords(frames, counts.frames, base)],
      [`base: frames, recover() of ${(sizes.big / 2 ** 30).toFixed(2)} GiB`, "big", sizes.big, () => recoverAll(base)],
    );
  }
  for (const [, , , run] of cases) await run(); // warm-up: pages in memory, code compiled
  const seconds = cases.map(() => [] as number[]);
  const ratios = cases.map(() => [] as number[]);
  for (let round = 0; round < flags.rounds; round++) {
    const times = new Array<number>(cases.length);
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      const start = performance.now();
      await cases[i][3]();
      times[i] = (performance.now() - start) / 1000;
    }
    cases.forEach(([, format], i) => {
      seconds[i].push(times[i]);
      const limit = format === "frames" || format === "big" ? times[3] * sizes[format === "big" ? "big" : "frames"] / sizes.frames : times[0];
      ratios[i].push(limit / times[i]);
    });
  }
  console.log(`\n| case | MB/s (median) | s (median) | × the limit (median of rounds) |\n|---|--:|--:|--:|`);
  cases.forEach(([name, , size], i) => {
    const s = median(seconds[i]);
    console.log(`| ${name} | ${(size / 1e6 / s).toFixed(0)} | ${s.toFixed(3)} | ${median(ratios[i]).toFixed(2)} |`);
  });
  console.log(`# load at the end ${loadavg()[0].toFixed(2)}`);
  for (const path of [text, frames, big]) fs.rmSync(path, { force: true });
}

await main();
