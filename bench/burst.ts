#!/usr/bin/env -S deno run -A
// The burst benchmark of the article "Synchronizing File Writes", for every strategy open() knows, in one
// process run: W worker threads each sleep 1-5 ms, then write a burst of 200 x 3 events, timing the burst
// into an HDR histogram. Prints the article's table (Markdown) with percentiles, events/s and a check of
// every output file; writes JSON and an SVG percentile plot under bench/results/.
//
//   npm run bench [-- flags]        Node (compiles to dist/ first)
//   deno task bench [flags]         Deno
//   bun run bench [flags]           Bun
//
// Flags: --warmup <s> (2)  --duration <s> (5)  --workers <n> (2)  --saturate  --rounds <n> (1)  --strategies a,b,...
//        --article (the article's 120 s warm-up + 60 s measure)  --out <dir> (bench/results)
import { mkdirSync, mkdtempSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import hdr, { type Histogram } from "hdr-histogram-js";
import { open, type Log, type LogStats, type Strategy } from "../mod.ts";
import { benchModule } from "./worker_module.ts";
import { mergeResults, type WorkerResult } from "./burst_protocol.ts";
import { formatRatios, formatRunInfo, formatStats, formatTable, toJson, type RunInfo, type StrategyResult } from "./burst_report.ts";
import { checkOutputFile, verdict, type OutputCheck } from "./check_output.ts";
import { plotPercentiles, renderPercentilePlot } from "./percentile_plot.ts";
import { parseFlags, parseOrUsage } from "./flags.ts";
import { progress } from "./progress.ts";
import { machineInfo, repoRoot, sourceInfo } from "./run_info.ts";
import { WorkerGroup } from "./worker_group.ts";

/** Every strategy, baseline first, then the article's order, then ringlog's ring. */
const ALL: Strategy[] = ["null", "locked-writer", "locked-stream", "atomic-position", "buffered", "buffered-offthread", "ring"];

interface Options {
  warmup: number;
  duration: number;
  workers: number;
  saturate: boolean;
  rounds: number;
  strategies: string[];
  out: string;
}

const USAGE = `usage: burst [--warmup <s>] [--duration <s>] [--workers <n>] [--saturate] [--strategies a,b] [--article] [--out <dir>]
  --warmup <s>      warm-up seconds per strategy, not measured (default 2)
  --duration <s>    measured seconds per strategy (default 5)
  --workers <n>     writer threads (default 2)
  --saturate        no sleep between bursts: maximum events/s
  --rounds <n>      run every strategy n times, each round in a rotated order; merge (default 1)
  --strategies a,b  which strategies, in this order (default: ${ALL.join(",")})
  --article         the article's durations: 120 s warm-up, 60 s measured
  --out <dir>       where the JSON and SVG go (default bench/results)`;

function parseArgs(argv: string[]): Options {
  const options: Options = { warmup: 2, duration: 5, workers: 2, saturate: false, rounds: 1, strategies: ALL, out: join(repoRoot(), "bench", "results") };
  parseFlags(argv, (flag, { value, number }) => {
    switch (flag) {
      case "--warmup": options.warmup = number(0, false); break;
      case "--duration": options.duration = number(0.1, false); break;
      case "--workers": options.workers = number(1, true); break;
      case "--saturate": options.saturate = true; break;
      case "--rounds": options.rounds = number(1, true); break;
      case "--article": options.warmup = 120; options.duration = 60; break;
      case "--strategies": options.strategies = value().split(",").map((s) => s.trim()).filter((s) => s.length > 0); break;
      case "--out": options.out = value(); break;
      case "--help": case "-h": console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown argument ${JSON.stringify(flag)}`);
    }
  });
  for (const s of options.strategies) {
    if (!(ALL as string[]).includes(s)) throw new Error(`--strategies: ${JSON.stringify(s)} is not one of ${ALL.join(", ")}`);
  }
  return options;
}

const workerUrl = benchModule(import.meta.url, "./burst_worker");

/** One strategy's run: W workers, warm-up, measure, close, check the file. */
type Round =
  | {
    ok: true;
    histogram: Histogram;
    events: number;
    dropped: number;
    eventsPerSecond: number;
    check: OutputCheck | undefined;
    checkOk: boolean;
    checkNote: string;
    stats: LogStats;
  }
  | { ok: false; note: string };

async function runRound(name: Strategy, options: Options, dir: string, label: string): Promise<Round> {
  const path = join(dir, `${name}.log`);
  let log: Log;
  try {
    log = await open(path, { strategy: name, append: false });
  } catch (error) {
    return { ok: false, note: `open() threw: ${String(error)}` };
  }
  const group = new WorkerGroup<WorkerResult>();
  for (let i = 0; i < options.workers; i++) {
    group.start(workerUrl, `burst worker ${i}`, { handle: log.handle, control: group.control, saturate: options.saturate, thread: i });
  }
  await group.measure(label, options.warmup, options.duration);
  let results: WorkerResult[];
  try {
    results = await group.results();
  } catch (error) {
    // The log may be in any state now; do not let a hung close() hold up the other strategies.
    await Promise.race([log.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))]);
    rmSync(path, { force: true });
    return { ok: false, note: `a worker failed: ${String(error)}` };
  }
  progress(`${label}: closing and checking the output`);
  await log.close();
  const stats = log.stats();

  const { histogram, events, dropped, eventsPerSecond } = mergeResults(results);

  const check = existsSync(path) ? checkOutputFile(path) : undefined;
  rmSync(path, { force: true });
  let checkOk: boolean;
  let checkNote: string;
  if (name === "null") {
    // The baseline formats every record and writes nothing.
    checkOk = check === undefined || check.lines === 0;
    checkNote = checkOk ? "n/a: writes nothing (0 lines)" : `FAILED: null wrote ${check!.lines} lines`;
  } else if (check === undefined) {
    checkOk = false;
    checkNote = "FAILED: no output file";
  } else {
    // Per worker, in start order (= its thread number): the events its log accepted.
    ({ ok: checkOk, note: checkNote } = verdict(check, results.map((r) => r.events - r.dropped)));
    if (dropped > 0) checkNote += ` (${dropped} dropped)`;
  }
  if (check !== undefined && check.samples.length > 0) {
    process.stderr.write(`${label}: bad lines, e.g.:\n${check.samples.map((s) => `  ${JSON.stringify(s)}`).join("\n")}\n`);
  }
  return { ok: true, histogram, events, dropped, eventsPerSecond, check, checkOk, checkNote, stats };
}

/** A strategy's rounds, merged: one histogram, events summed, events/s averaged, every file checked. */
function summarize(name: Strategy, rounds: Round[]): StrategyResult {
  const failed = rounds.find((r): r is Extract<Round, { ok: false }> => !r.ok);
  if (failed !== undefined) return { strategy: name, status: "failed", note: failed.note };
  const ok = rounds as Array<Extract<Round, { ok: true }>>;
  const histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const r of ok) histogram.add(r.histogram);
  const scale = 1e6; // ns -> ms
  const totalCount = histogram.totalCount;
  const checkOk = ok.every((r) => r.checkOk);
  const events = ok.reduce((sum, r) => sum + r.events, 0);
  const lines = ok.reduce((sum, r) => sum + (r.check?.lines ?? 0), 0);
  const checkNote = ok.length === 1 ? ok[0].checkNote : !checkOk
    ? ok.filter((r) => !r.checkOk).map((r) => r.checkNote).join("; ")
    : name === "null" ? `${ok[0].checkNote}, ${ok.length} rounds` : `ok: ${events} events = ${lines} lines (${ok.length} files)`;
  return {
    strategy: name,
    status: "ok",
    latency: {
      mean: histogram.mean / scale,
      max: histogram.maxValue / scale,
      stdDeviation: histogram.stdDeviation / scale,
      totalCount,
      p50: histogram.getValueAtPercentile(50) / scale,
      p99: histogram.getValueAtPercentile(99) / scale,
      p999: histogram.getValueAtPercentile(99.9) / scale,
    },
    eventsPerSecond: ok.reduce((sum, r) => sum + r.eventsPerSecond, 0) / ok.length,
    roundEventsPerSecond: ok.map((r) => r.eventsPerSecond),
    events,
    dropped: ok.reduce((sum, r) => sum + r.dropped, 0),
    checks: ok.map((r) => r.check),
    stats: ok.map((r) => r.stats),
    checkOk,
    checkNote,
    histogram: hdr.encodeIntoCompressedBase64(histogram),
    distribution: totalCount === 0 ? [] : plotPercentiles(totalCount).map((p) => [Number(p.toFixed(6)), histogram.getValueAtPercentile(p) / scale]),
  };
}

async function main(): Promise<number> {
  const options = parseOrUsage("burst", USAGE, parseArgs, process.argv.slice(2));
  if (options === undefined) return 2;
  const started = new Date();
  const info: RunInfo = {
    ...machineInfo(),
    workers: options.workers,
    warmupSeconds: options.warmup,
    durationSeconds: options.duration,
    saturate: options.saturate,
    rounds: options.rounds,
    command: process.argv.slice(2).join(" "),
    date: started.toISOString(),
    source: sourceInfo(),
  };
  const dir = mkdtempSync(join(tmpdir(), "ringlog-bench-"));
  const runnable = options.strategies as Strategy[];
  const rounds = new Map<Strategy, Round[]>(runnable.map((name) => [name, []]));
  try {
    for (let round = 0; round < options.rounds; round++) {
      // Each round starts one strategy later, so none always runs first (cold) or last (after the others'
      // files went through the page cache).
      const order = runnable.map((_, i) => runnable[(i + round) % runnable.length]);
      for (const name of order) {
        const label = options.rounds > 1 ? `${name} (round ${round + 1}/${options.rounds})` : name;
        const r = await runRound(name, options, dir, label);
        rounds.get(name)!.push(r);
        progress(r.ok
          ? `${label}: p99 ${(r.histogram.getValueAtPercentile(99) / 1e6).toFixed(3)} ms, ${Math.round(r.eventsPerSecond)} events/s, ${r.checkNote}`
          : `${label}: failed: ${r.note}`, true);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const results: StrategyResult[] = runnable.map((name) => summarize(name, rounds.get(name)!));

  info.load.end = loadavg()[0];
  console.log(`\n### Burst benchmark, ${info.runtime} ${info.version}${options.saturate ? ", --saturate" : ""}\n`);
  console.log(formatRunInfo(info) + "\n");
  console.log(formatTable(results) + "\n");
  for (const line of formatRatios(results, options.saturate)) console.log(line);
  const notes = formatStats(results);
  if (notes.length > 0) console.log(`\nFile writes (log.stats() after close, all rounds):\n${notes.join("\n")}`);

  mkdirSync(options.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  const base = `burst-${info.runtime}${options.saturate ? "-saturate" : ""}`;
  const jsonPath = join(options.out, `${base}-${stamp}.json`);
  writeFileSync(jsonPath, toJson(info, results));
  const series = results.flatMap((r) => r.status === "ok" && r.distribution.length > 0 ? [{ name: r.strategy, points: r.distribution }] : []);
  const svg = renderPercentilePlot(
    series,
    `Burst latency by percentile (200 x 3 events per burst), ${info.runtime} ${info.version}`,
    `${info.workers} workers, ${options.saturate ? "saturate" : "bursts every 1-5 ms"}, ${info.durationSeconds} s measured after ${info.warmupSeconds} s warm-up${info.rounds > 1 ? ` x ${info.rounds} rounds` : ""}, ${info.cores} cores, ${info.date.slice(0, 10)}, ${info.source.replace(/ \(dirty: .*\)$/, " (dirty)")}`,
  );
  const svgPath = join(options.out, `${base}-${stamp}.svg`);
  writeFileSync(svgPath, svg);
  writeFileSync(join(options.out, `${base}.svg`), svg);
  console.log(`\nwrote ${jsonPath}\nwrote ${svgPath} (and ${base}.svg, the latest)`);
  return results.some((r) => r.status === "failed" || (r.status === "ok" && !r.checkOk)) ? 1 : 0;
}

process.exitCode = await main();
