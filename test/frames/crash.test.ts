// Crashes: a child process appending from 4 threads is SIGKILLed at a random moment, again and again, onto
// the same file. Each time the file must read as a prefix of what each thread committed, hold every record
// whose flush() had resolved (at least one had, each time), keep every record of the runs before, and hold
// no corrupt record; recover() cuts a torn tail; the next child appends. A kill rarely lands inside a file
// write (0 torn tails in 50 frames kills is usual), so half the text runs are killed while the faulty
// driver holds a write it cut short inside a line: a torn tail every time, which recover() must cut.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { read, recover } from "../../mod.ts";
import { childCommand } from "../support/runtime.ts";
import { parseCrashRecord } from "../support/crash_records.ts";
import { tempPath } from "../support/temp.ts";

const THREADS = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 5 ms for up to 30 s; fails naming `what` if it never holds. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (const started = performance.now(); !done(); await sleep(5)) {
    if (performance.now() - started > 30_000) throw new Error(`${what} did not happen in 30 s`);
  }
}

/** The last flushed seq of each thread, from the child's side file (-1: none yet). */
function flushedSeqs(flushedPath: string): bigint[] {
  return [...new BigInt64Array(new Uint8Array(readFileSync(flushedPath)).buffer)];
}

/**
 * Starts the child, waits until its writers run and at least one flush() has resolved, lets them write for
 * a random while, SIGKILLs it. With `tear`, the kill lands while the faulty driver holds a write it cut
 * short (<path>.tear): the file surely ends in a torn record.
 */
async function killedChild(path: string, format: string, run: number, tear: boolean): Promise<bigint[]> {
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
  // A flush() that never resolved would leave nothing to check: wait for one, then kill at a random moment.
  await until(() => flushedSeqs(flushedPath).some((seq) => seq >= 0n), `run ${run}: a resolved flush()`);
  await sleep(Math.random() * 150);
  if (tear) {
    writeFileSync(`${path}.tear`, "");
    await until(() => existsSync(`${path}.torn`), `run ${run}: the torn write`);
  }
  child.kill("SIGKILL");
  assert.is(await exited, "SIGKILL", `run ${run}: killed`);
  rmSync(`${path}.tear`, { force: true });
  rmSync(`${path}.torn`, { force: true });
  return flushedSeqs(flushedPath);
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

/**
 * `kills` children, each SIGKILLed mid-append onto what the ones before it left (after recover()). With
 * `tearEvery` n, every nth run is killed during a write the driver cut short, and must leave a torn tail
 * that recover() cuts.
 */
async function crashLoop(format: "frames" | "text", kills: number, tearEvery = 0) {
  let path = "";
  let torn = 0;
  let flushedRecords = 0;
  let kept: number[][] = [];
  for (let kill = 0; kill < kills; kill++) {
    const run = kill % KILLS_PER_FILE;
    if (run === 0) {
      path = tempPath(`crash.${format}`);
      kept = [];
    }
    const tear = tearEvery > 0 && kill % tearEvery === tearEvery - 1;
    const flushed = await killedChild(path, format, run, tear);
    const { texts, end } = await readAll(path);
    assert.is.not(end.reason, "corrupt", `run ${run}: ${end.detail}`);
    const counts = checkRecords(texts, run + 1);
    kept.forEach((before, earlier) => assert.equal(counts[earlier], before, `run ${run}: run ${earlier}'s records are all still there`));
    let flushedNow = 0;
    for (let thread = 0; thread < THREADS; thread++) {
      const held = counts[run][thread];
      assert.ok(BigInt(held) > flushed[thread], `run ${run} thread ${thread}: records up to seq ${flushed[thread]} were flushed, the file holds ${held}`);
      flushedNow += Number(flushed[thread]) + 1;
    }
    assert.ok(flushedNow > 0, `run ${run}: some flush() resolved before the kill`);
    flushedRecords += flushedNow;
    if (tear) assert.is(end.reason, "torn", `run ${run} was killed inside a write cut short: ${end.detail}`);
    if (end.reason === "torn") {
      torn++;
      assert.ok(end.tailBytes > 0);
    }
    const recovered = await recover(path);
    assert.equal(recovered, { format, records: texts.length, truncatedBytes: end.tailBytes });
    const again = await readAll(path);
    assert.is(again.end.reason, "end", `run ${run}, after recover(): ${again.end.detail}`);
    assert.is(again.texts.length, texts.length);
    kept = counts;
  }
  console.log(`  ${format}: ${kills} kills survived, ${torn} torn tails cut, ${flushedRecords} flushed records all present`);
  return torn;
}

test("frames: SIGKILLed 50 times mid-append from 4 threads: every flushed record kept, earlier runs' records kept, no corrupt record, recover() and append go on", async () => {
  await crashLoop("frames", 50);
});

test("text: SIGKILLed 16 times, every other time inside a write cut short: every complete line a whole record, the torn last line cut by recover()", async () => {
  const torn = await crashLoop("text", 16, 2);
  assert.ok(torn >= 8, `${torn} torn tails: at least the 8 staged ones`);
});

test.run();
