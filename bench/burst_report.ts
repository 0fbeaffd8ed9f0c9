// The burst benchmark's report: the article's table in Markdown (plus percentiles, events/s and the output
// check), the ratios the issue asks about, and the JSON written under bench/results/.
import type { LogStats } from "../mod.ts";
import type { OutputCheck } from "./check_output.ts";
import { formatMachine, type MachineInfo } from "./run_info.ts";

/** Where and how the benchmark ran; printed above the table and stored in the JSON. */
export interface RunInfo extends MachineInfo {
  workers: number;
  warmupSeconds: number;
  durationSeconds: number;
  saturate: boolean;
  /** Times each strategy ran (in rotated order); its histograms are merged, its events/s averaged. */
  rounds: number;
  command: string;
  date: string;
  /** `git rev-parse --short HEAD`, plus " (dirty: files)" when the library's sources differ from it. */
  source: string;
}

/** The latency summary of one strategy's measured bursts, in milliseconds. */
export interface BurstLatency {
  mean: number;
  max: number;
  stdDeviation: number;
  /** Bursts measured (the article's "Total count"). */
  totalCount: number;
  p50: number;
  p99: number;
  p999: number;
}

export type StrategyResult =
  | {
    strategy: string;
    status: "ok";
    latency: BurstLatency;
    /** Measured events per second, all workers together (the mean over rounds). */
    eventsPerSecond: number;
    /** Events per second of each round. */
    roundEventsPerSecond: number[];
    /** Events written, warm-up included. */
    events: number;
    dropped: number;
    /** Each round's output file check (undefined: no file). */
    checks: Array<OutputCheck | undefined>;
    /** Each round's log.stats(), read after close(). */
    stats: LogStats[];
    checkOk: boolean;
    checkNote: string;
    /** Measured histogram, hdr-histogram-js compressed base64 (ns), to re-plot or merge later. */
    histogram: string;
    /** [percentile, ms] points of the plot. */
    distribution: Array<[number, number]>;
  }
  | { strategy: string; status: "skipped" | "failed"; note: string };

const ms = (value: number): string => value.toFixed(3);

function formatRate(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** The article's table plus percentiles, events/s and the output check, as Markdown. */
export function formatTable(results: StrategyResult[]): string {
  const head = "| Strategy | Mean ms | Max ms | Std. Deviation | Total count | p50 ms | p99 ms | p99.9 ms | events/s | output check |";
  const rule = "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|";
  const rows = results.map((r) => {
    if (r.status !== "ok") return `| ${r.strategy} | – | – | – | – | – | – | – | – | ${r.status}: ${r.note} |`;
    const l = r.latency;
    return `| ${r.strategy} | ${ms(l.mean)} | ${ms(l.max)} | ${ms(l.stdDeviation)} | ${l.totalCount} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.p999)} | ${formatRate(r.eventsPerSecond)} | ${r.checkNote} |`;
  });
  return [head, rule, ...rows].join("\n");
}

/** One line about where and how: runtime, version, W, durations, cores. */
export function formatRunInfo(info: RunInfo): string {
  const mode = info.saturate ? "saturate (no sleep between bursts)" : "bursts every 1-5 ms";
  return `${formatMachine(info)}; ${info.workers} workers, ${mode}; warm-up ${info.warmupSeconds} s + measure ${info.durationSeconds} s per strategy` +
    `${info.rounds > 1 ? ` and round (${info.rounds} rounds, rotated order, merged)` : ""}; ${info.date}; source ${info.source}`;
}

/** The issue's two targets, computed from this run, or a note saying what is missing. */
export function formatRatios(results: StrategyResult[], saturate: boolean): string[] {
  const ok = results.filter((r): r is Extract<StrategyResult, { status: "ok" }> => r.status === "ok");
  const ring = ok.find((r) => r.strategy === "ring");
  const nul = ok.find((r) => r.strategy === "null");
  const lines: string[] = [];
  if (ring === undefined || nul === undefined) {
    lines.push(`Ratios against "null": not computed (${ring === undefined ? "ring" : "null"} did not run in this run).`);
  } else {
    const p99 = ring.latency.p99 / nul.latency.p99;
    const rate = ring.eventsPerSecond / nul.eventsPerSecond;
    lines.push(`ring p99 / null p99 = ${ring.latency.p99.toFixed(3)} / ${nul.latency.p99.toFixed(3)} ms = ${p99.toFixed(2)}× (target ≤ 1.2×${saturate ? ", meant for the default mode" : ""})`);
    lines.push(`ring events/s / null events/s = ${formatRate(ring.eventsPerSecond)} / ${formatRate(nul.eventsPerSecond)} = ${rate.toFixed(2)}× (target ≥ 0.85×${saturate ? "" : ", meant for --saturate"})`);
  }
  if (ring !== undefined) {
    const others = ok.filter((r) => r.strategy !== "ring" && r.strategy !== "null");
    if (others.length > 0) {
      const above = others.filter((r) => r.latency.p99 <= ring.latency.p99).map((r) => r.strategy);
      lines.push(above.length === 0
        ? `ring's p99 is below every other strategy's (${others.map((r) => r.strategy).join(", ")}).`
        : `ring's p99 is NOT below: ${above.join(", ")}.`);
    }
  }
  return lines;
}

/**
 * Per strategy that reports file writes: records per write (the ring's batching) and stats().fullWaits,
 * which the ring counts as writes that found it full and the article's strategies as waits (a lock held by
 * another thread, or a full buffer queue).
 */
export function formatStats(results: StrategyResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.status !== "ok") continue;
    const records = r.stats.reduce((sum, s) => sum + s.records, 0);
    const batches = r.stats.reduce((sum, s) => sum + s.flushBatches, 0);
    const fullWaits = r.stats.reduce((sum, s) => sum + s.fullWaits, 0);
    if (batches === 0) continue;
    lines.push(`- ${r.strategy}: ${records} records in ${batches} file writes (${(records / batches).toFixed(1)} records per write), fullWaits ${fullWaits}`);
  }
  return lines;
}

/** The JSON document of one run. */
export function toJson(info: RunInfo, results: StrategyResult[]): string {
  return JSON.stringify({ benchmark: "burst", ...info, results }, null, 2) + "\n";
}
