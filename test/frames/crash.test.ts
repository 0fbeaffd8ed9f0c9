// Crashes: a child process appending from 4 threads is SIGKILLed at a random moment, again and again, onto
// the same file. Each time the file must read as a prefix of what each thread committed, hold every record
// whose flush() had resolved, and hold no corrupt record; recover() cuts a torn tail; the next child appends.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { read, recover } from "../../mod.ts";
import { childCommand } from "../support/runtime.ts";
import { parseCrashRecord } from "../support/crash_records.ts";
import { tempPath } from "../support/temp.ts";

const THREADS = 4;

/** Starts the child, waits until its writers run, lets them write for a random while, SIGKILLs it. */
async function killedChild(path: string, format: string, run: number): Promise<bigint[]> {
  const flushedPath = `${path}.flushed`;
  writeFileSync(flushedPath, new Uint8Array(8 * THREADS).fill(0xff)); // -1: nothing flushed yet
  const { command, args } = childCommand(import.meta.url, "../support/crash_child");
  const child = spawn(command, [...args, path, format, String(run), flushedPath], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<string | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run ${run}: the child did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout!.on("data", (chunk) => String(chunk).includes("ready") && (clearTimeout(timer), resolve()));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`run ${run}: the child exited (${code}) before it was killed: ${stderr}`))));
  });
  await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 150));
  child.kill("SIGKILL");
  assert.is(await exited, "SIGKILL", `run ${run}: killed`);
  return [...new BigInt64Array(new Uint8Array(readFileSync(flushedPath)).buffer)];
}

/** The file's records per (run, thread): each must be 0, 1, 2 ... with nothing missing, doubled or cut. */
function checkRecords(texts: string[], runs: number): number[][] {
  const counts = Array.from({ length: runs }, () => new Array<number>(THREADS).fill(0));
  texts.forEach((text, n) => {
    const record = parseCrashRecord(text);
    assert.ok(record, `record ${n} is not one whole record: ${JSON.stringify(text.slice(0, 60))}`);
    const { run, thread, seq } = record!;
    assert.ok(run < runs, `record ${n} is from run ${run}, which has not happened`);
    assert.is(seq, counts[run][thread], `run ${run} thread ${thread}: seq ${seq} where ${counts[run][thread]} was next (lost, doubled or reordered)`);
    counts[run][thread]++;
  });
  return counts;
}

async function readAll(path: string) {
  const reader = read(path);
  const texts: string[] = [];
  const decoder = new TextDecoder();
  for await (const record of reader) texts.push(decoder.decode(record));
  return { texts, end: reader.end! };
}

// Kills per file: each child appends to what the kills before it left (after recover()); a new file now
// and then keeps reading it back cheap.
const KILLS_PER_FILE = 10;

async function crashLoop(format: "frames" | "text", kills: number) {
  let path = "";
  let torn = 0;
  let flushedRecords = 0;
  for (let kill = 0; kill < kills; kill++) {
    const run = kill % KILLS_PER_FILE;
    if (run === 0) path = tempPath(`crash.${format}`);
    const flushed = await killedChild(path, format, run);
    const { texts, end } = await readAll(path);
    assert.is.not(end.reason, "corrupt", `run ${run}: ${end.detail}`);
    const counts = checkRecords(texts, run + 1);
    for (let thread = 0; thread < THREADS; thread++) {
      const held = counts[run][thread];
      assert.ok(BigInt(held) > flushed[thread], `run ${run} thread ${thread}: records up to seq ${flushed[thread]} were flushed, the file holds ${held}`);
      flushedRecords += Number(flushed[thread]) + 1;
    }
    if (end.reason === "torn") torn++;
    const recovered = await recover(path);
    assert.equal(recovered, { format, records: texts.length, truncatedBytes: end.tailBytes });
    const again = await readAll(path);
    assert.is(again.end.reason, "end", `run ${run}, after recover(): ${again.end.detail}`);
    assert.is(again.texts.length, texts.length);
  }
  console.log(`  ${format}: ${kills} kills survived, ${torn} torn tails cut, ${flushedRecords} flushed records all present`);
}

test("frames: SIGKILLed 50 times mid-append from 4 threads: every flushed record kept, no corrupt record, recover() and append go on", async () => {
  await crashLoop("frames", 50);
});

test("text: SIGKILLed 15 times: every complete line a whole record, only the last line cut, recover() trims it", async () => {
  await crashLoop("text", 15);
});

test.run();
