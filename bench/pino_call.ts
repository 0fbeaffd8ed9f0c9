// What one pino call costs in the thread that logs, by what the destination does with the line: the
// loggers benchmark's p99 target compares pino → ringlog with pino → a no-op stream, and this says how much
// of the gap is taking the line at all. One thread, no bursts, no other thread but ringlog's flusher:
//   noop     write(line) {}: pino builds the line (a string of concatenated parts) and nothing reads it
//   flatten  reads the line's last character: V8 and JSC flatten a concatenated string on first read
//   encode   encodeInto a local buffer: what any destination that puts the line in bytes pays at least
//   ringlog  pinoDestination(log): encodes the line into the ring (ringlog/pino); a flusher thread writes
//            it to a file on tmpfs
// Each round runs every destination once for --calls calls, in an order rotated per round; the figure is
// the median of the rounds' ns per call, and each destination's ratio to the no-op is taken per round.
//
//   node dist/bench/pino_call.js [--rounds 9] [--calls 300000]     (also bun bench/pino_call.ts)
import { existsSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import process from "node:process";
import pino from "pino";
import { open } from "../mod.ts";
import { pinoDestination } from "../src/integrations/pino.ts";
import { parseFlags, parseOrUsage } from "./flags.ts";
import { median, range } from "./rounds.ts";
import { formatMachine, machineInfo, sourceInfo } from "./run_info.ts";

const USAGE = "usage: pino_call [--rounds n] [--calls n] [--dir d]";

interface Options {
  rounds: number;
  calls: number;
  dir: string;
}

function parse(argv: string[]): Options {
  const options: Options = { rounds: 9, calls: 300_000, dir: "/dev/shm" };
  parseFlags(argv, (flag, read) => {
    if (flag === "--rounds") options.rounds = read.number(1, true);
    else if (flag === "--calls") options.calls = read.number(1, true);
    else if (flag === "--dir") options.dir = read.value();
    else throw new Error(`unknown flag ${JSON.stringify(flag)}`);
  });
  return options;
}

type Destination = { write(line: string): void };

async function main(): Promise<void> {
  const options = parseOrUsage("pino_call", USAGE, parse, process.argv.slice(2));
  if (options === undefined) {
    process.exitCode = 2;
    return;
  }
  const machine = machineInfo();
  const dir = options.dir === "/dev/shm" && !existsSync("/dev/shm") ? tmpdir() : options.dir;
  const path = `${dir}/ringlog-pino-call-${process.pid}.log`;
  const log = await open(path, { append: false });
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(64 * 1024);
  let sink = 0; // what the reading destinations read goes somewhere, so no engine drops the read
  const destinations: Record<string, Destination> = {
    noop: { write() {} },
    flatten: { write: (line) => void (sink += line.charCodeAt(line.length - 1)) },
    encode: { write: (line) => void (sink += encoder.encodeInto(line, buffer).written) },
    ringlog: pinoDestination(log),
  };
  const names = Object.keys(destinations);
  const perCall: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const ratios: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const loads: number[] = [];
  for (let round = 0; round <= options.rounds; round++) { // round 0: warm-up, not counted
    const order = names.map((_, i) => names[(i + round) % names.length]);
    const ns: Record<string, number> = {};
    for (const name of order) {
      const logger = pino({ base: undefined }, destinations[name]);
      const start = performance.now();
      for (let i = 0; i < options.calls; i++) logger.info({ id: i, created: 1_765_000_000_000 + i }, "a burst event");
      ns[name] = ((performance.now() - start) * 1e6) / options.calls;
      await log.flush(); // the ring drained between runs: each ringlog run starts with room
    }
    if (round === 0) continue;
    loads.push(loadavg()[0]);
    for (const name of names) {
      perCall[name].push(ns[name]);
      ratios[name].push(ns[name] / ns.noop);
    }
  }
  await log.close();
  rmSync(path, { force: true });
  machine.load.end = loadavg()[0];
  console.log(`pino call cost, ${formatMachine(machine)}; source ${sourceInfo()}`);
  console.log(`one thread, ${options.calls.toLocaleString("en-US")} calls of logger.info({ id, created }, msg) per destination and round; ${options.rounds} rounds after a warm-up, order rotated; load per round ${loads.map((l) => l.toFixed(2)).join(", ")}`);
  console.log("");
  console.log("| destination | ns per call, median | range | × noop (median of rounds, range) |");
  console.log("|---|--:|--:|--:|");
  for (const name of names) {
    console.log(`| ${name} | ${median(perCall[name]).toFixed(0)} | ${range(perCall[name], 0)} | ${median(ratios[name]).toFixed(2)} (${range(ratios[name], 2)}) |`);
  }
}

await main();
