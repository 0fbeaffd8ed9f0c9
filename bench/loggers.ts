#!/usr/bin/env -S deno run -A
// The article's burst workload through the loggers users run (issue 11): W worker threads each sleep 1-5
// ms, then log a burst of 200 x 3 events, each as pino's `logger.info({ id, created }, message)` (LogTape:
// `logger.info(message, { id, created })`), timing the burst. The variants (loggers_variants.ts): each
// logger through ringlog, through the file destinations its users have today (one per worker, all on the
// same file), and into a no-op sink, the floor. Every variant runs --rounds times in rotated order; the
// table shows the median of the rounds' percentiles and rates, and the check of every output file (lost,
// torn and duplicated events). Writes JSON and an SVG percentile plot under bench/results/.
//
//   npm run bench:loggers [-- flags]      Node (compiles to dist/ first); also node scripts/bench.mjs loggers
//   bun bench/loggers.ts [flags]          Bun
//   deno run -A bench/loggers.ts [flags]  Deno
//
// Flags: --warmup <s> (1)  --duration <s> (3)  --workers <n> (2)  --saturate  --rounds <n> (3)
//        --variants a,b,...  --out <dir> (bench/results)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import hdr, { type Histogram } from "hdr-histogram-js";
import { open, type Log } from "../mod.ts";
import { benchModule } from "./worker_module.ts";
import { mergeResults, type WorkerResult } from "./burst_protocol.ts";
import { formatRunInfo, formatTable, type RunInfo, type StrategyResult } from "./burst_report.ts";
import { checkLoggerFile, loggerVerdict, type LoggerCheck } from "./logger_lines.ts";
import { defaultVariants, type Runtime, type Variant, VARIANT_INFO, VARIANTS } from "./loggers_variants.ts";
import { plotPercentiles, renderPercentilePlot } from "./percentile_plot.ts";
import { parseFlags, parseOrUsage } from "./flags.ts";
import { progress } from "./progress.ts";
import { machineInfo, repoRoot, sourceInfo } from "./run_info.ts";
import { WorkerGroup } from "./worker_group.ts";
import { median } from "./rounds.ts";

interface Options {
  warmup: number;
  duration: number;
  workers: number;
  saturate: boolean;
  rounds: number;
  variants: Variant[] | undefined;
  out: string;
}

const USAGE = `usage: loggers [--warmup <s>] [--duration <s>] [--workers <n>] [--saturate] [--rounds <n>] [--variants a,b] [--out <dir>]
  --warmup <s>      warm-up seconds per variant and round, not measured (default 1)
  --duration <s>    measured seconds per variant and round (default 3)
  --workers <n>     logging threads (default 2)
  --saturate        no sleep between bursts: maximum events/s
  --rounds <n>      run every variant n times, each round in a rotated order; medians (default 3)
  --variants a,b    which variants (default: this runtime's set), of: ${VARIANTS.join(", ")}
  --out <dir>       where the JSON and SVG go (default bench/results)`;

function parseArgs(argv: string[]): Options {
  const options: Options = { warmup: 1, duration: 3, workers: 2, saturate: false, rounds: 3, variants: undefined, out: join(repoRoot(), "bench", "results") };
  parseFlags(argv, (flag, { value, number }) => {
    switch (flag) {
      case "--warmup": options.warmup = number(0, false); break;
      case "--duration": options.duration = number(0.1, false); break;
      case "--workers": options.workers = number(1, true); break;
      case "--saturate": options.saturate = true; break;
      case "--rounds": options.rounds = number(1, true); break;
      case "--variants": options.variants = value().split(",").map((s) => s.trim()).filter((s) => s.length > 0) as Variant[]; break;
      case "--out": options.out = value(); break;
      case "--help": case "-h": console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown argument ${JSON.stringify(flag)}`);
    }
  });
  for (const v of options.variants ?? []) {
    if (!(VARIANTS as readonly string[]).includes(v)) throw new Error(`--variants: ${JSON.stringify(v)} is not one of ${VARIANTS.join(", ")}`);
  }
  return options;
}

const workerUrl = benchModule(import.meta.url, "./loggers_worker");

type Round =
  | { ok: true; histogram: Histogram; events: number; eventsPerSecond: number; check: LoggerCheck | undefined }
  | { ok: false; note: string };

/** One variant's round: W workers, warm-up, measure, finish, check the file. */
async function runRound(variant: Variant, options: Options, dir: string, label: string): Promise<Round> {
  const info = VARIANT_INFO[variant];
  const path = join(dir, `${variant}.log`);
  let log: Log | undefined;
  if (info.ring) log = await open(path, { append: false });
  else writeFileSync(path, "");
  const group = new WorkerGroup<WorkerResult>();
  for (let i = 0; i < options.workers; i++) {
    group.start(workerUrl, `${variant} worker ${i}`, { variant, path, handle: log?.handle, control: group.control, saturate: options.saturate, thread: i });
  }
  await group.measure(label, options.warmup, options.duration);
  let results: WorkerResult[];
  try {
    results = await group.results();
  } catch (error) {
    await Promise.race([log?.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))]);
    rmSync(path, { force: true });
    return { ok: false, note: `a worker failed: ${String(error)}` };
  }
  progress(`${label}: checking the output`);
  await log?.close();
  const { histogram, events, eventsPerSecond } = mergeResults(results);
  const check = info.noop ? undefined : checkLoggerFile(path, events);
  rmSync(path, { force: true });
  if (check !== undefined && check.samples.length > 0) {
    process.stderr.write(`${label}: torn lines, e.g.:\n${check.samples.map((s) => `  ${JSON.stringify(s)}`).join("\n")}\n`);
  }
  return { ok: true, histogram, events, eventsPerSecond, check };
}


/** A variant's rounds: the median of each round's percentiles and rate; the histograms merged for the plot. */
function summarize(variant: Variant, rounds: Round[]): StrategyResult & { torn?: number; lines?: number } {
  const failed = rounds.find((r): r is Extract<Round, { ok: false }> => !r.ok);
  if (failed !== undefined) return { strategy: variant, status: "failed", note: failed.note };
  const ok = rounds as Array<Extract<Round, { ok: true }>>;
  const merged = hdr.build({ numberOfSignificantValueDigits: 3 });
  for (const r of ok) merged.add(r.histogram);
  const ms = (h: Histogram, p: number) => h.getValueAtPercentile(p) / 1e6;
  const checks = ok.map((r) => r.check).filter((c): c is LoggerCheck => c !== undefined);
  const sum = (key: keyof Omit<LoggerCheck, "samples">) => checks.reduce((total, c) => total + c[key], 0);
  const events = ok.reduce((total, r) => total + r.events, 0);
  let checkOk = true;
  let checkNote = `n/a: writes nothing, ${events} events`;
  if (!VARIANT_INFO[variant].noop) {
    ({ ok: checkOk, note: checkNote } = loggerVerdict({ events: sum("events"), lines: sum("lines"), torn: sum("torn"), duplicated: sum("duplicated"), lost: sum("lost"), samples: [] }));
    if (ok.length > 1) checkNote += ` (${ok.length} files)`;
  }
  return {
    strategy: variant,
    status: "ok",
    latency: {
      mean: merged.mean / 1e6,
      max: merged.maxValue / 1e6,
      stdDeviation: merged.stdDeviation / 1e6,
      totalCount: merged.totalCount,
      p50: median(ok.map((r) => ms(r.histogram, 50))),
      p99: median(ok.map((r) => ms(r.histogram, 99))),
      p999: median(ok.map((r) => ms(r.histogram, 99.9))),
    },
    eventsPerSecond: median(ok.map((r) => r.eventsPerSecond)),
    roundEventsPerSecond: ok.map((r) => r.eventsPerSecond),
    events,
    dropped: 0,
    checks: [],
    stats: [],
    checkOk,
    checkNote,
    histogram: hdr.encodeIntoCompressedBase64(merged),
    distribution: merged.totalCount === 0 ? [] : plotPercentiles(merged.totalCount).map((p) => [Number(p.toFixed(6)), merged.getValueAtPercentile(p) / 1e6]),
    torn: checks.length > 0 ? sum("torn") : undefined,
    lines: checks.length > 0 ? sum("lines") : undefined,
  };
}

/** The issue's targets per logger, computed from this run, or what is missing for them. */
function formatTargets(results: ReturnType<typeof summarize>[], saturate: boolean): string[] {
  const lines: string[] = [];
  const ok = (v: string) => results.find((r): r is Extract<ReturnType<typeof summarize>, { status: "ok" }> => r.strategy === v && r.status === "ok");
  for (const logger of ["pino", "logtape"] as const) {
    const ring = ok(`${logger}-ringlog`);
    const floor = ok(`${logger}-noop`);
    const peers = results.filter((r) => VARIANT_INFO[r.strategy as Variant].logger === logger && !VARIANT_INFO[r.strategy as Variant].ring && !VARIANT_INFO[r.strategy as Variant].noop)
      .flatMap((r) => r.status === "ok" ? [r] : []);
    if (ring === undefined) continue;
    if (floor !== undefined) {
      const ratio = ring.latency.p99 / floor.latency.p99;
      lines.push(`${logger}: ringlog p99 / no-op p99 = ${ring.latency.p99.toFixed(3)} / ${floor.latency.p99.toFixed(3)} ms = ${ratio.toFixed(2)}× (target ≤ 1.05×)${ratio <= 1.05 ? "" : ": NOT met"}`);
    }
    const encodeFloor = ok(`${logger}-encode`);
    if (encodeFloor !== undefined) {
      const ratio = ring.latency.p99 / encodeFloor.latency.p99;
      lines.push(`${logger}: ringlog p99 / encode-only p99 = ${ring.latency.p99.toFixed(3)} / ${encodeFloor.latency.p99.toFixed(3)} ms = ${ratio.toFixed(2)}× (what ringlog adds to any destination's least work)`);
    }
    if (peers.length > 0) {
      const fastest = peers.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
      const ratio = ring.eventsPerSecond / fastest.eventsPerSecond;
      lines.push(`${logger}: ringlog events/s / fastest peer's (${fastest.strategy}) = ${Math.round(ring.eventsPerSecond).toLocaleString("en-US")} / ${Math.round(fastest.eventsPerSecond).toLocaleString("en-US")} = ${ratio.toFixed(2)}× (target ≥ 1×${saturate ? "" : ", meant for --saturate"})${ratio >= 1 ? "" : ": NOT met"}`);
      for (const peer of peers) {
        if (peer.torn !== undefined) lines.push(`${logger}: ${peer.strategy}: ${peer.torn.toLocaleString("en-US")} of ${peer.lines!.toLocaleString("en-US")} lines torn; ringlog: ${ring.torn ?? 0} of ${(ring.lines ?? 0).toLocaleString("en-US")}`);
      }
    }
  }
  return lines;
}

function versionOf(name: string): string {
  try {
    return JSON.parse(readFileSync(join(repoRoot(), "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}

async function main(): Promise<number> {
  const options = parseOrUsage("loggers", USAGE, parseArgs, process.argv.slice(2));
  if (options === undefined) return 2;
  const started = new Date();
  const machine = machineInfo();
  const runtime = machine.runtime as Runtime;
  const info: RunInfo = {
    ...machine,
    workers: options.workers,
    warmupSeconds: options.warmup,
    durationSeconds: options.duration,
    saturate: options.saturate,
    rounds: options.rounds,
    command: process.argv.slice(2).join(" "),
    date: started.toISOString(),
    source: sourceInfo(),
  };
  const versions = ["pino", "@logtape/logtape", "@logtape/file"].map((name) => `${name} ${versionOf(name)}`).join(", ");
  const asked = options.variants ?? defaultVariants(runtime);
  const runnable = asked.filter((v) => VARIANT_INFO[v].runtimes.includes(runtime));
  const skipped = asked.filter((v) => !runnable.includes(v));
  const dir = mkdtempSync(join(tmpdir(), "ringlog-loggers-"));
  const rounds = new Map<Variant, Round[]>(runnable.map((v) => [v, []]));
  try {
    for (let round = 0; round < options.rounds; round++) {
      const order = runnable.map((_, i) => runnable[(i + round) % runnable.length]);
      for (const variant of order) {
        const label = options.rounds > 1 ? `${variant} (round ${round + 1}/${options.rounds})` : variant;
        const r = await runRound(variant, options, dir, label);
        rounds.get(variant)!.push(r);
        progress(r.ok
          ? `${label}: p99 ${(r.histogram.getValueAtPercentile(99) / 1e6).toFixed(3)} ms, ${Math.round(r.eventsPerSecond)} events/s${r.check ? `, ${loggerVerdict(r.check).note}` : ""}`
          : `${label}: failed: ${r.note}`, true);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const results = [
    ...runnable.map((v) => summarize(v, rounds.get(v)!)),
    ...skipped.map((v): StrategyResult => ({ strategy: v, status: "skipped", note: `not on ${runtime}: ${VARIANT_INFO[v].unavailable}` })),
  ];

  info.load.end = loadavg()[0];
  console.log(`\n### Logger benchmark, ${info.runtime} ${info.version}${options.saturate ? ", --saturate" : ""}\n`);
  console.log(`${formatRunInfo(info)}; ${versions}; percentiles and events/s are medians of the rounds\n`);
  console.log(formatTable(results) + "\n");
  console.log(results.map((r) => `- ${r.strategy}: ${VARIANT_INFO[r.strategy as Variant].label}`).join("\n") + "\n");
  for (const line of formatTargets(results as ReturnType<typeof summarize>[], options.saturate)) console.log(line);

  mkdirSync(options.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  const base = `loggers-${info.runtime}${options.saturate ? "-saturate" : ""}`;
  const jsonPath = join(options.out, `${base}-${stamp}.json`);
  writeFileSync(jsonPath, JSON.stringify({ benchmark: "loggers", ...info, versions, results }, null, 2) + "\n");
  const series = results.flatMap((r) => r.status === "ok" && r.distribution.length > 0 ? [{ name: r.strategy, points: r.distribution }] : []);
  const svg = renderPercentilePlot(
    series,
    `Burst latency by percentile through the loggers (200 x 3 events per burst), ${info.runtime} ${info.version}`,
    `${info.workers} workers, ${options.saturate ? "saturate" : "bursts every 1-5 ms"}, ${info.durationSeconds} s measured after ${info.warmupSeconds} s warm-up x ${info.rounds} rounds (merged), ${info.cores} cores, ${info.date.slice(0, 10)}, ${info.source.replace(/ \(dirty: .*\)$/, " (dirty)")}`,
  );
  const svgPath = join(options.out, `${base}-${stamp}.svg`);
  writeFileSync(svgPath, svg);
  writeFileSync(join(options.out, `${base}.svg`), svg);
  console.log(`\nwrote ${jsonPath}\nwrote ${svgPath} (and ${base}.svg, the latest)`);
  // Only ringlog's own files must check out: the peers' torn lines are what this benchmark measures.
  return results.some((r) => r.status === "failed" || (r.status === "ok" && VARIANT_INFO[r.strategy as Variant].ring && !r.checkOk)) ? 1 : 0;
}

process.exitCode = await main();
