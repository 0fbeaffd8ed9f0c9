#!/usr/bin/env -S deno run -A
// What each `sync` policy costs (issue 5): records/s with 2 writer threads appending 200-byte records flat
// out, and the latency of flush() and flush({ durable: true }) from a thread that writes a record and then
// flushes, for "never", "batch" and two intervals, side by side in one process run, in rounds whose order
// rotates. Every output file is checked record by record. The files must be on a real disk: fdatasync
// does nothing on tmpfs, and the report names the filesystem.
//
//   npm run bench:sync [-- flags]    Node (compiles to dist/, runs node dist/bench/sync_policies.js)
//   deno task bench:sync [flags]     Deno (deno run -A bench/sync_policies.ts)
//   bun run bench:sync [flags]       Bun  (bun bench/sync_policies.ts)
//
// Each policy, each round, two phases, each with its own log and file:
//   throughput  the 2 writers flat out; records/s is what reached the file (log.stats().records) over the
//               measured window. No prober: its durable flushes would fdatasync under "never" too.
//   latency     the 2 writers in bursts (600 records every 1-5 ms, the burst benchmark's pace) plus the
//               prober. Not flat out: with the ring full, a flush waits for the whole 4 MiB backlog to
//               drain, and that measures the ring's capacity more than the policy (--load flat shows it).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import process from "node:process";
import hdr, { type Histogram } from "hdr-histogram-js";
import { open, type LogStats, type SyncPolicy } from "../mod.ts";
import { benchModule } from "./worker_module.ts";
import { Phase } from "./burst_protocol.ts";
import { parseFlags, parseOrUsage } from "./flags.ts";
import { phase, progress } from "./progress.ts";
import { filesystemOf, formatMachine, machineInfo, repoRoot, sourceInfo } from "./run_info.ts";
import { checkRecordFile, RECORD_BYTES, recordVerdict } from "./sync_records.ts";
import type { SyncWorkerData, SyncWorkerResult } from "./sync_policies_worker.ts";
import { WorkerGroup } from "./worker_group.ts";
import { median } from "./rounds.ts";

// "never" first: the ratios are against it. The intervals bracket what an fdatasync costs on this disk
// (0.2 ms for a few KB, ~1 ms per MiB): 10 ms, a group-commit window, the shortest interval that still
// spreads one sync over many flusher writes (at full speed ~4 MB, ~4 ms to sync: most of the interval);
// 100 ms, ten times fewer syncs, a loss window still a tenth of Redis's `appendfsync everysec`.
const DEFAULT_POLICIES: SyncPolicy[] = ["never", "batch", { intervalMs: 10 }, { intervalMs: 100 }];
const WRITERS = 2;

interface Options {
  seconds: number;
  warmup: number;
  rounds: number;
  policies: SyncPolicy[];
  load: "paced" | "flat";
  dir: string;
  out: string;
}

const USAGE = `usage: sync_policies [--seconds <s>] [--warmup <s>] [--rounds <n>] [--policies never,batch,10,100] [--load paced|flat] [--dir <dir>] [--out <dir>]
  --seconds <s>     measured seconds per phase, policy and round (default 3)
  --warmup <s>      unmeasured seconds before each phase's measurement (default 0.5)
  --rounds <n>      rounds, each in an order rotated by one policy (default 3)
  --policies a,b    "never", "batch", or a number: { intervalMs: n } (default never,batch,10,100)
  --load paced|flat the writers during the latency phase: bursts every 1-5 ms (default) or flat out
  --dir <dir>       where the log files go, on a real disk (default bench/results/ of this checkout)
  --out <dir>       where the JSON goes (default bench/results)`;

function policyName(policy: SyncPolicy): string {
  return typeof policy === "string" ? policy : `interval ${policy.intervalMs} ms`;
}

function parseArgs(argv: string[]): Options {
  const results = join(repoRoot(), "bench", "results");
  const options: Options = { seconds: 3, warmup: 0.5, rounds: 3, policies: DEFAULT_POLICIES, load: "paced", dir: results, out: results };
  parseFlags(argv, (flag, { value, number }) => {
    switch (flag) {
      case "--seconds": options.seconds = number(0.1, false); break;
      case "--warmup": options.warmup = number(0, false); break;
      case "--rounds": options.rounds = number(1, true); break;
      case "--policies":
        options.policies = value().split(",").map((p): SyncPolicy => {
          if (p === "never" || p === "batch") return p;
          const ms = Number(p);
          if (!(ms > 0)) throw new Error(`--policies: ${JSON.stringify(p)} is not "never", "batch" or an interval in ms`);
          return { intervalMs: ms };
        });
        break;
      case "--load": {
        const load = value();
        if (load !== "paced" && load !== "flat") throw new Error(`--load must be "paced" or "flat", got ${JSON.stringify(load)}`);
        options.load = load;
        break;
      }
      case "--dir": options.dir = value(); break;
      case "--out": options.out = value(); break;
      case "--help": case "-h": console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown argument ${JSON.stringify(flag)}`);
    }
  });
  return options;
}

/** One phase of one policy in one round. */
interface PhaseRun {
  ok: boolean;
  note: string;
  recordsPerSecond: number;
  syncsPerSecond: number;
  /** Measured window only. */
  recordsPerWrite: number;
  flush: Histogram | undefined;
  durable: Histogram | undefined;
  stats: LogStats | undefined;
}

const workerUrl = benchModule(import.meta.url, "./sync_policies_worker");

/**
 * Untimed, before every phase: write back whatever is dirty (`sync`), so no phase pays for the one before
 * it. A "never" throughput phase leaves up to ~2 GB in the page cache, past the kernel's background
 * writeback threshold (10 % of memory here); the next phase's fdatasyncs would queue behind it.
 */
function settleDisk(): void {
  spawnSync("sync", { stdio: "ignore" }); // Linux and macOS; elsewhere nothing is settled
}

async function runPhase(policy: SyncPolicy, kind: "throughput" | "latency", options: Options, path: string, label: string): Promise<PhaseRun> {
  const failed = (note: string): PhaseRun => ({ ok: false, note, recordsPerSecond: 0, syncsPerSecond: 0, recordsPerWrite: 0, flush: undefined, durable: undefined, stats: undefined });
  settleDisk();
  const log = await open(path, { sync: policy, append: false });
  const group = new WorkerGroup<SyncWorkerResult>();
  const paced = kind === "latency" && options.load === "paced";
  const roles: Array<Pick<SyncWorkerData, "role" | "tag">> = Array.from({ length: WRITERS }, (_, i) => ({ role: "writer", tag: `w${i}` }));
  if (kind === "latency") roles.push({ role: "prober", tag: "p0" });
  for (const { role, tag } of roles) {
    const data: SyncWorkerData = { handle: log.handle, control: group.control, role, tag, paced };
    group.start(workerUrl, tag, data);
  }
  await group.ready();
  await phase(`${label}: warm-up`, options.warmup, () => group.failed);
  const before = log.stats();
  const started = performance.now();
  group.enter(Phase.Measure);
  await phase(`${label}: measure`, options.seconds, () => group.failed);
  const after = log.stats();
  const seconds = (performance.now() - started) / 1000;
  group.enter(Phase.Stop);
  let reports: SyncWorkerResult[];
  try {
    reports = await group.results();
  } catch (error) {
    await Promise.race([log.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))]);
    rmSync(path, { force: true });
    return failed(`a worker failed: ${String(error)}`);
  }
  progress(`${label}: closing and checking the output`);
  await log.close();
  const stats = log.stats();
  const check = checkRecordFile(path);
  rmSync(path, { force: true });
  const verdict = recordVerdict(check, Object.fromEntries(reports.map((r) => [r.tag, r.written])));
  if (check.samples.length > 0) process.stderr.write(`${label}: bad records, e.g.:\n${check.samples.map((s) => `  ${s}`).join("\n")}\n`);
  if (stats.error !== undefined) return failed(`the log failed: ${stats.error}`);
  const prober = reports.find((r) => r.flush !== undefined);
  const batches = after.flushBatches - before.flushBatches;
  return {
    ok: verdict.ok,
    note: verdict.note,
    recordsPerSecond: (after.records - before.records) / seconds,
    syncsPerSecond: (after.syncs - before.syncs) / seconds,
    recordsPerWrite: batches > 0 ? (after.records - before.records) / batches : 0,
    flush: prober === undefined ? undefined : hdr.decodeFromCompressedBase64(prober.flush!),
    durable: prober === undefined ? undefined : hdr.decodeFromCompressedBase64(prober.durable!),
    stats,
  };
}

interface Latency {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** One policy over all rounds. */
interface PolicyResult {
  policy: string;
  ok: boolean;
  note: string;
  /** Each round's records/s (throughput phase). */
  rounds: number[];
  /** Each round's records/s divided by "never"'s in the same round. */
  ratios: number[];
  syncsPerSecond: number[];
  recordsPerWrite: number[];
  flush: Latency;
  durable: Latency;
  histograms: { flush: string; durable: string };
}

function merge(histograms: Array<Histogram | undefined>): Histogram {
  const merged = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const h of histograms) if (h !== undefined) merged.add(h);
  return merged;
}

function latency(h: Histogram): Latency {
  const ms = (ns: number) => ns / 1e6;
  return { count: h.totalCount, p50: ms(h.getValueAtPercentile(50)), p99: ms(h.getValueAtPercentile(99)), p999: ms(h.getValueAtPercentile(99.9)), max: ms(h.maxValue) };
}

const rate = (n: number) => Math.round(n).toLocaleString("en-US");
const ms3 = (n: number) => n.toFixed(3);
const times = (n: number) => `${n.toFixed(2)}×`;
const range = (xs: number[], format: (n: number) => string) => `${format(Math.min(...xs))}–${format(Math.max(...xs))}`;

function throughputTable(results: PolicyResult[]): string {
  const rows = results.map((r) => {
    const never = r.ratios.length > 0 ? `${times(median(r.ratios))} (${range(r.ratios, (n) => n.toFixed(2))})` : "–";
    return `| ${r.policy} | ${rate(median(r.rounds))} | ${range(r.rounds, rate)} | ${never} | ${(median(r.rounds) * RECORD_BYTES / 1e6).toFixed(0)} | ${rate(median(r.syncsPerSecond))} | ${median(r.recordsPerWrite).toFixed(0)} | ${r.note} |`;
  });
  return [
    "| policy | records/s (median) | range | × never (median, range) | MB/s | fdatasyncs/s | records per write | output check |",
    "|---|--:|--:|--:|--:|--:|--:|---|",
    ...rows,
  ].join("\n");
}

function latencyTable(results: PolicyResult[]): string {
  const never = results.find((r) => r.policy === "never");
  const vs = (mine: number, base: number | undefined) => base === undefined || base === 0 ? "–" : times(mine / base);
  const rows = results.map((r) => {
    const f = r.flush;
    const d = r.durable;
    return `| ${r.policy} | ${ms3(f.p50)} | ${ms3(f.p99)} | ${ms3(f.p999)} | ${ms3(f.max)} | ${vs(f.p99, never?.flush.p99)} | ` +
      `${ms3(d.p50)} | ${ms3(d.p99)} | ${ms3(d.p999)} | ${ms3(d.max)} | ${vs(d.p99, never?.durable.p99)} | ${f.count} + ${d.count} |`;
  });
  return [
    "| policy | flush() p50 ms | p99 | p99.9 | max | p99 × never | flush({ durable }) p50 ms | p99 | p99.9 | max | p99 × never | flushes timed |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...rows,
  ].join("\n");
}

async function main(): Promise<number> {
  const options = parseOrUsage("sync_policies", USAGE, parseArgs, process.argv.slice(2));
  if (options === undefined) return 2;
  const startedAt = new Date();
  const machine = machineInfo();
  mkdirSync(options.dir, { recursive: true });
  const dir = mkdtempSync(join(options.dir, "ringlog-sync-"));
  const fs = filesystemOf(dir);
  const names = options.policies.map(policyName);
  const runs = new Map(names.map((name) => [name, { throughput: [] as PhaseRun[], latency: [] as PhaseRun[] }]));
  try {
    for (let round = 0; round < options.rounds; round++) {
      // Each round starts one policy later: none always runs first (cold) or right after another's writeback.
      const order = options.policies.map((_, i) => options.policies[(i + round) % options.policies.length]);
      for (const policy of order) {
        const name = policyName(policy);
        for (const kind of ["throughput", "latency"] as const) {
          const label = `${name}, ${kind} (round ${round + 1}/${options.rounds})`;
          const run = await runPhase(policy, kind, options, join(dir, `${name.replace(/ /g, "-")}-${kind}-${round}.log`), label);
          runs.get(name)![kind].push(run);
          const figure = kind === "throughput"
            ? `${rate(run.recordsPerSecond)} records/s, ${rate(run.syncsPerSecond)} fdatasyncs/s`
            : `flush p99 ${ms3(latency(run.flush ?? merge([])).p99)} ms, durable p99 ${ms3(latency(run.durable ?? merge([])).p99)} ms`;
          progress(`${label}: ${run.ok ? figure : "FAILED"}, ${run.note}`, true);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const neverRuns = runs.get("never")?.throughput;
  const results: PolicyResult[] = names.map((name) => {
    const { throughput, latency: probes } = runs.get(name)!;
    const all = [...throughput, ...probes];
    const ok = all.every((r) => r.ok);
    const records = all.reduce((sum, r) => sum + (r.stats?.records ?? 0), 0);
    const flush = merge(probes.map((r) => r.flush));
    const durable = merge(probes.map((r) => r.durable));
    return {
      policy: name,
      ok,
      note: ok ? `ok: ${rate(records)} records = lines (${all.length} files)` : all.filter((r) => !r.ok).map((r) => r.note).join("; "),
      rounds: throughput.map((r) => r.recordsPerSecond),
      ratios: neverRuns === undefined ? [] : throughput.flatMap((r, i) => neverRuns[i].recordsPerSecond > 0 ? [r.recordsPerSecond / neverRuns[i].recordsPerSecond] : []),
      syncsPerSecond: throughput.map((r) => r.syncsPerSecond),
      recordsPerWrite: throughput.map((r) => r.recordsPerWrite),
      flush: latency(flush),
      durable: latency(durable),
      histograms: { flush: hdr.encodeIntoCompressedBase64(flush), durable: hdr.encodeIntoCompressedBase64(durable) },
    };
  });

  machine.load.end = loadavg()[0];
  const source = sourceInfo();
  const loadNote = options.load === "paced" ? "bursts of 600 records every 1-5 ms" : "flat out";
  console.log(`\n### Sync policies, ${machine.runtime} ${machine.version}\n`);
  console.log(`${formatMachine(machine)}; files in ${dir} on **${fs.description}**; ${WRITERS} writer threads, ` +
    `${RECORD_BYTES}-byte records; ${options.rounds} rounds in rotated order; per policy and round: ` +
    `warm-up ${options.warmup} s + ${options.seconds} s flat out, then warm-up ${options.warmup} s + ${options.seconds} s ` +
    `probing flush() while the writers write ${loadNote}; ${startedAt.toISOString()}; source ${source}\n`);
  if (fs.type === "tmpfs" || fs.type === "ramfs") {
    console.log(`**${fs.type}: fdatasync does nothing here, so these figures say nothing about a disk. Use --dir on a disk.**\n`);
  }
  console.log(`Throughput (${WRITERS} writers flat out; records/s reaching the file, median of ${options.rounds} rounds):\n`);
  console.log(throughputTable(results) + "\n");
  console.log(`Flush latency (one thread: write a record, await flush(), alternately plain and durable, 1-5 ms apart; ${WRITERS} writers: ${loadNote}; ${options.rounds} rounds merged):\n`);
  console.log(latencyTable(results));

  mkdirSync(options.out, { recursive: true });
  const jsonPath = join(options.out, `sync-policies-${machine.runtime}-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(jsonPath, JSON.stringify({ benchmark: "sync_policies", ...machine, filesystem: fs.description, options, source, date: startedAt.toISOString(), results }, null, 2) + "\n");
  console.log(`\nwrote ${jsonPath}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

process.exitCode = await main();
