// The Sequencer (issue 4): out-of-order writes at arbitrary offsets become one sequential stream, in bounded
// memory. Tests named "HDFS-nnnn" each pin a bug that Hadoop's OpenFileCtx had (apache/hadoop,
// hadoop-hdfs-nfs OpenFileCtx.java; the issue number names the bug and its fix).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Worker } from "node:worker_threads";
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Sequencer, type SequencerOptions, type SequencerTarget } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import {
  checkingStream,
  collectingStream,
  firstMismatch,
  gate,
  prng,
  randomChunks,
  recordingDriver,
  shuffle,
  streamBytes,
  streamInto,
} from "../support/sequencer_stream.ts";
import { tempPath } from "../support/temp.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const fileText = (path: string): string => readFileSync(path, "utf8");
const turn = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

function throws(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

/** Is `promise` still unsettled after the queued work (and a timer turn) has run? */
async function stillPending(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  await turn(20);
  return !settled;
}

/** Starts one worker per plan; each posts its chunks in its own random order; the owner writes them all. */
async function deliverFromWorkers(seq: Sequencer, seed: number, plans: Array<Array<[number, number]>>): Promise<void> {
  const url = siblingModule(import.meta.url, "../support/sequencer_worker");
  const writes: Promise<void>[] = [];
  await Promise.all(plans.map((chunks, i) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(url, { workerData: { seed, orderSeed: seed * 31 + i, chunks } });
    worker.on("message", (message: { done?: true; offset: number; bytes: Uint8Array }) => {
      if (message.done) resolve();
      else writes.push(seq.write(message.offset, message.bytes));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`producer ${i} exited with ${code}`))));
  })));
  await Promise.all(writes);
}

type Kind = "file (write-ahead)" | "file (in order)" | "WritableStream";

function makeTarget(kind: Kind): { target: SequencerTarget; options: SequencerOptions; result(): Uint8Array } {
  if (kind === "WritableStream") {
    const sink = collectingStream();
    return { target: sink.stream, options: {}, result: () => sink.bytes() };
  }
  const path = tempPath("seq.bin");
  return { target: path, options: { writeAhead: kind === "file (write-ahead)" }, result: () => new Uint8Array(readFileSync(path)) };
}

const KINDS: Kind[] = ["file (write-ahead)", "file (in order)", "WritableStream"];

for (const kind of KINDS) {
  test(`4 worker threads deliver a random chunking in random order: the exact stream (${kind})`, async () => {
    const seed = (Math.random() * 2 ** 31) | 0;
    const total = 3 * MiB + 12345;
    const chunks = shuffle(prng(seed), randomChunks(prng(seed + 1), total, 1, 48 * KiB));
    const plans: Array<Array<[number, number]>> = [[], [], [], []];
    chunks.forEach((chunk, i) => plans[i % 4].push(chunk));
    const { target, options, result } = makeTarget(kind);
    const seq = new Sequencer(target, { ...options, watermark: 64 * KiB, maxPending: 512 * KiB });
    await deliverFromWorkers(seq, seed, plans);
    await seq.commit(total);
    const stats = seq.stats();
    await seq.close();
    const got = result();
    assert.is(got.length, total, `seed ${seed}`);
    assert.is(firstMismatch(seed, 0, got), -1, `seed ${seed}`);
    assert.is(stats.written, total);
    assert.ok(stats.maxPendingBytes <= 512 * KiB + 48 * KiB, `pending bytes peaked at ${stats.maxPendingBytes}`);
    if (kind === "file (write-ahead)") assert.is(stats.spilledTotal, 0, "a file writing ahead never spills");
    assert.is(seq.stats().pendingBytes, 0);
  });

  test(`3 worker threads each deliver the whole stream, chunked differently: every byte 3 times, still exact (${kind})`, async () => {
    const seed = (Math.random() * 2 ** 31) | 0;
    const total = MiB + 777;
    const plans = [0, 1, 2].map((p) => randomChunks(prng(seed + 10 + p), total, 100, 32 * KiB));
    const { target, options, result } = makeTarget(kind);
    const seq = new Sequencer(target, { ...options, watermark: 32 * KiB, maxPending: 256 * KiB });
    await deliverFromWorkers(seq, seed, plans);
    await seq.close();
    const got = result();
    assert.is(got.length, total, `seed ${seed}`);
    assert.is(firstMismatch(seed, 0, got), -1, `seed ${seed}`);
    assert.is(seq.stats().pendingBytes, 0);
  });
}

/** Delivers [0, total) of stream `seed` in reverse order, `chunk` bytes at a time, from one reused buffer. */
async function deliverReversed(seq: Sequencer, seed: number, total: number, chunk: number, each?: () => void): Promise<void> {
  const buffer = new Uint8Array(chunk);
  for (let end = total; end > 0; end -= chunk) {
    const start = Math.max(0, end - chunk);
    await seq.write(start, streamInto(seed, start, buffer.subarray(0, end - start)));
    each?.();
  }
}

test("50 MiB in reverse order with a 64 KiB watermark: resident memory bounded, dump file used then removed", async () => {
  const seed = 4971;
  const total = 50 * MiB;
  const path = tempPath("reverse.bin");
  // A file written in order: every byte but the last chunk goes through the dump file and back.
  const seq = new Sequencer(path, { writeAhead: false, watermark: 64 * KiB, maxPending: MiB });
  const rss = (): number => process.memoryUsage().rss;
  const before = rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 5);
  let dump: string | undefined;
  let dumpExisted = false;
  try {
    await deliverReversed(seq, seed, total, 64 * KiB, () => {
      if (dump === undefined && (dump = seq.stats().dumpFile) !== undefined) dumpExisted = existsSync(dump);
    });
    await seq.commit(total);
    peak = Math.max(peak, rss());
  } finally {
    clearInterval(sampler);
  }
  const stats = seq.stats();
  await seq.close();
  const grew = (peak - before) / MiB;
  console.log(`  50 MiB reverse: RSS ${(before / MiB).toFixed(0)} MiB before, peak +${grew.toFixed(1)} MiB; ${stats.spilledTotal} bytes spilled; pending peaked at ${stats.maxPendingBytes}`);
  assert.ok(dumpExisted, "the dump file exists while bytes are spilled");
  assert.not.ok(existsSync(dump!), "the dump file is removed at close");
  assert.ok(stats.spilledTotal >= total - 2 * MiB, `spilled ${stats.spilledTotal} bytes`);
  assert.ok(stats.maxPendingBytes <= MiB, `pending bytes peaked at ${stats.maxPendingBytes}`);
  assert.equal([seq.stats().pendingBytes, seq.stats().spilledBytes], [0, 0]);
  // Holding the stream would take 50 MiB at least; measured here: +2 to +12 MiB depending on the runtime.
  assert.ok(grew < 25, `resident memory grew by ${grew.toFixed(1)} MiB`);
  const file = openSync(path, "r");
  const piece = new Uint8Array(MiB);
  try {
    for (let at = 0; at < total; at += MiB) {
      assert.is(readSync(file, piece, 0, MiB, at), MiB);
      assert.is(firstMismatch(seed, at, piece), -1);
    }
    assert.is(fstatSync(file).size, total);
  } finally {
    closeSync(file);
  }
});

test("reverse order into a sequential sink: spilled, read back in order, pending bounded, dump removed", async () => {
  const seed = 49710;
  const total = 12 * MiB;
  const sink = checkingStream(seed);
  const seq = new Sequencer(sink.stream, { watermark: 64 * KiB, maxPending: 512 * KiB });
  let dump: string | undefined;
  await deliverReversed(seq, seed, total, 48 * KiB, () => void (dump ??= seq.stats().dumpFile));
  await seq.commit(total);
  const stats = seq.stats();
  await seq.close();
  assert.is(sink.length(), total);
  assert.is(sink.mismatch(), -1);
  assert.ok(stats.spilledTotal >= total - MiB);
  assert.ok(stats.maxPendingBytes <= 512 * KiB);
  assert.ok(dump !== undefined);
  assert.not.ok(existsSync(dump!));
});

test("commit statuses at each stage: finished, wait, inactive-with-pending, inactive, error", async () => {
  const release = gate();
  const got: Uint8Array[] = [];
  const seq = new Sequencer({ write: async (b: Uint8Array) => { await release.promise; got.push(b); } });
  assert.is(seq.checkCommit(0), "finished");
  await seq.write(5, text("fghij"));
  assert.is(seq.checkCommit(10), "wait");
  assert.is(seq.stats().accepted, 0);
  await seq.write(0, text("abcde"));
  assert.is(seq.stats().accepted, 10);
  assert.is(seq.checkCommit(10), "wait", "accepted but being written is not finished");
  release.open();
  await seq.commit(10);
  assert.is(seq.checkCommit(10), "finished");
  assert.is(seq.checkCommit(11), "wait");
  await seq.write(20, text("uvwxy"));
  const closing = seq.close();
  assert.is(seq.checkCommit(25), "inactive-with-pending");
  assert.match((await rejection(closing)).message, "hole at offset 10");
  assert.is(seq.checkCommit(25), "inactive");
  assert.is(seq.checkCommit(10), "finished");

  const failing = new Sequencer(new WritableStream({ write: () => Promise.reject(new Error("EPIPE")) }));
  await failing.write(0, text("x"));
  assert.match((await rejection(failing.commit(1))).message, "EPIPE");
  assert.is(failing.checkCommit(1), "error");
  await rejection(failing.close());
});

test("repeated, overlapping and conflicting writes (file and sequential sink)", async () => {
  for (const kind of KINDS) {
    const { target, options, result } = makeTarget(kind);
    const seq = new Sequencer(target, options);
    await seq.write(4, text("efgh"));
    await seq.write(4, text("efgh")); // repeated while pending: acknowledged
    await seq.write(2, text("cdef")); // overlaps a pending range: trimmed to "cd"
    const conflict = await rejection(seq.write(6, text("gX")));
    assert.match(conflict.message, "at offset 7", kind);
    await seq.write(0, text("ab"));
    await seq.commit(8);
    await seq.write(0, text("abcd")); // entirely written, matches: acknowledged
    await seq.write(6, text("ghijkl")); // straddles the written position: trimmed to "ijkl"
    if (kind !== "WritableStream") {
      // A file reads back what it wrote; a sequential sink has let its bytes go and cannot compare.
      assert.match((await rejection(seq.write(1, text("bQ")))).message, "at offset 2");
    }
    await seq.close();
    assert.is(new TextDecoder().decode(result()), "abcdefghijkl", kind);
    assert.is(seq.stats().pendingBytes, 0, kind);
  }
});

test("close with pending writes and waiters: every waiter settled, bytes released, dump removed", async () => {
  const path = tempPath("close.bin");
  const seq = new Sequencer(path, { writeAhead: false, watermark: 8, maxPending: 16 });
  await seq.write(0, text("0123456789"));
  await seq.write(100, new Uint8Array(16).fill(1)); // above the hole at 10
  const blocked = seq.write(200, new Uint8Array(16).fill(2)); // does not fit in maxPending: waits
  const reached = seq.commit(10);
  const unreached = seq.commit(116);
  const alsoUnreached = seq.commit(50, { durable: true });
  assert.is(seq.stats().blockedWrites, 1);
  const closed = rejection(seq.close());
  assert.match((await rejection(blocked)).message, "closed before the write at offset 200 could be accepted");
  await reached;
  assert.match((await rejection(unreached)).message, "hole at offset 10");
  assert.match((await rejection(alsoUnreached)).message, "hole at offset 10");
  assert.match((await closed).message, "16 bytes in 1 ranges beyond it were never written");
  assert.is(fileText(path), "0123456789");
  const stats = seq.stats();
  assert.is(stats.pendingBytes, 0);
  assert.is(stats.waiters, 0);
  assert.is(stats.discardedBytes, 16);
  assert.match((await rejection(seq.write(10, text("x")))).message, "after close()");
  assert.match((await rejection(seq.commit(11))).message, "closed at written offset 10");
});

test("spill failure (dump directory not writable): waiters rejected with a clear error, backpressure kept", async () => {
  const notADir = tempPath("not-a-dir");
  writeFileSync(notADir, "");
  const dumpDir = `${notADir}/dump`;
  const sink = collectingStream();
  const seq = new Sequencer(sink.stream, { watermark: KiB, maxPending: 4 * KiB, dumpDir });
  const seed = 5249;
  for (let i = 4; i >= 1; i--) await seq.write(i * KiB, streamBytes(seed, i * KiB, KiB));
  const waiter = seq.commit(5 * KiB);
  const error = await rejection(waiter);
  assert.match(error.message, "could not spill");
  assert.match(error.message, dumpDir);
  // Memory is at the limit and cannot spill: more out-of-order bytes are refused at once, never held.
  const refused = await rejection(seq.write(5 * KiB, streamBytes(seed, 5 * KiB, KiB)));
  assert.is(refused, error, "the same spill error, not a new silent mode");
  assert.ok(seq.stats().pendingBytes <= 4 * KiB);
  // The hole arrives: what was held drains, and the Sequencer carries on within maxPending.
  await seq.write(0, streamBytes(seed, 0, KiB));
  await seq.write(5 * KiB, streamBytes(seed, 5 * KiB, KiB));
  await seq.commit(6 * KiB);
  await seq.close();
  assert.is(firstMismatch(seed, 0, sink.bytes()), -1);
  assert.is(sink.bytes().length, 6 * KiB);
});

test("HDFS-5249: a dump file that fails part way (disk full) is reported, and what it holds is still read back", async () => {
  let dumpWrites = 0;
  const { driver } = recordingDriver((path, operation) => {
    if (path.endsWith(".dump") && operation === "write" && ++dumpWrites > 3) throw new Error("ENOSPC: no space left on device");
  });
  const sink = collectingStream();
  const seq = new Sequencer(sink.stream, { watermark: KiB, maxPending: 8 * KiB, driver });
  const seed = 52490;
  const writes: Promise<void>[] = [];
  for (let i = 8; i >= 1; i--) writes.push(seq.write(i * KiB, streamBytes(seed, i * KiB, KiB)));
  await Promise.all(writes);
  const waiter = seq.commit(9 * KiB);
  assert.match((await rejection(waiter)).message, "ENOSPC");
  const stats = seq.stats();
  assert.is(stats.spilledBytes, 3 * KiB, "three spills succeeded before the disk filled");
  assert.ok(stats.pendingBytes <= 8 * KiB);
  await seq.write(0, streamBytes(seed, 0, KiB));
  await seq.commit(9 * KiB);
  await seq.close();
  assert.is(sink.bytes().length, 9 * KiB);
  assert.is(firstMismatch(seed, 0, sink.bytes()), -1);
});

test("HDFS-5657: one drain task at a time, across many idle/busy cycles", async () => {
  let inFlight = 0;
  let most = 0;
  const got: Uint8Array[] = [];
  const next = prng(5657);
  const seq = new Sequencer({
    async write(b: Uint8Array) {
      most = Math.max(most, ++inFlight);
      if (next() < 0.3) await turn();
      else await Promise.resolve();
      got.push(b);
      inFlight--;
    },
  });
  const seed = 56570;
  let at = 0;
  for (let round = 0; round < 60; round++) {
    const chunks = shuffle(next, randomChunks(next, 2000, 1, 300)).map(([s, e]) => [s + at, e + at] as const);
    const writes = chunks.map(([s, e]) => seq.write(s, streamBytes(seed, s, e - s)));
    at += 2000;
    await Promise.all(writes);
    // Let the drain go idle half the time, so tasks start and stop again and again.
    if (round % 2 === 0) await seq.commit(at);
  }
  await seq.close();
  assert.is(most, 1, "two drain tasks wrote at once");
  const all = new Uint8Array(at);
  let offset = 0;
  for (const b of got) {
    all.set(b, offset);
    offset += b.length;
  }
  assert.is(offset, at);
  assert.is(firstMismatch(seed, 0, all), -1);
});

test("HDFS-7387: commit is not finished while the last write is in flight (accepted is not written)", async () => {
  const release = gate();
  const got: Uint8Array[] = [];
  const seq = new Sequencer({ write: async (b: Uint8Array) => { await release.promise; got.push(b); } });
  await seq.write(0, text("last"));
  const committed = seq.commit(4);
  assert.ok(await stillPending(committed));
  assert.is(seq.checkCommit(4), "wait");
  assert.equal([seq.stats().accepted, seq.stats().written], [4, 0]);
  release.open();
  await committed;
  assert.is(got.length, 1);
  await seq.close();
});

test("HDFS-5281: queued commits are answered by the drain task, and a write arriving as it stops is written", async () => {
  const seed = 5281;
  const total = 400 * 50;
  let seq!: Sequencer;
  let written = 0;
  const sink = {
    write(b: Uint8Array): Promise<void> {
      written += b.length;
      const done = Promise.resolve();
      // The next write arrives exactly as the drain task finishes with this one: 0 to 3 microtasks later.
      const hops = written % 4;
      let chain = done;
      for (let i = 0; i < hops; i++) chain = chain.then(() => {});
      if (written < total) void chain.then(() => seq.write(written, streamBytes(seed, written, 50)));
      return done;
    },
  };
  seq = new Sequencer(sink);
  const committed = seq.commit(total); // queued before any byte exists: answered, never polled
  await seq.write(0, streamBytes(seed, 0, 50));
  await committed;
  assert.is(seq.stats().written, total);
  await seq.close();
});

test("HDFS-5337 / HDFS-5252: a durable commit resolves only after an fdatasync that covers it", async () => {
  const { driver, log } = recordingDriver();
  const path = tempPath("durable.bin");
  const seq = new Sequencer(path, { driver });
  const durable = seq.commit(30, { durable: true });
  await seq.write(10, new Uint8Array(20).fill(7));
  await seq.write(0, new Uint8Array(10).fill(6));
  await seq.commit(30);
  await durable;
  assert.ok(log.syncs.length >= 1);
  assert.ok(log.syncs[log.syncs.length - 1] >= 30, `synced up to ${log.syncs}`);
  assert.is(seq.stats().synced, 30);
  const syncs = log.syncs.length;
  await seq.write(30, new Uint8Array(5));
  await seq.commit(35);
  assert.is(log.syncs.length, syncs, "a plain commit does not sync");
  assert.is(seq.stats().synced, 30);
  await seq.commit(35, { durable: true });
  assert.is(log.syncs.length, syncs + 1);
  await seq.close();
});

test("HDFS-5259: a write straddling the written position is trimmed to its new part and charged for it alone", async () => {
  const release = gate();
  const got: Uint8Array[] = [];
  const seq = new Sequencer({ write: async (b: Uint8Array) => { await release.promise; got.push(b); } });
  await seq.write(0, text("0123456789"));
  await seq.write(5, text("56789ABCDE"));
  assert.is(seq.stats().pendingBytes, 15, "10 in flight + the 5 new bytes, nothing charged twice");
  release.open();
  await seq.commit(15);
  await seq.close();
  assert.equal(got.map((b) => new TextDecoder().decode(b)), ["0123456789", "ABCDE"]);
});

test("HDFS-9092: overlapping writes are trimmed, never dropped", async () => {
  for (const kind of KINDS) {
    const { target, options, result } = makeTarget(kind);
    const seq = new Sequencer(target, options);
    await seq.write(10, text("KLMNOPQRST"));
    await seq.write(15, text("PQRSTUVWXYZ")); // [15, 26): only [20, 26) is new
    await seq.write(0, text("ABCDEFGHIJKLMNO")); // [0, 15): only [0, 10) is new
    await seq.close();
    assert.is(new TextDecoder().decode(result()), "ABCDEFGHIJKLMNOPQRSTUVWXYZ", kind);
  }
});

test("HDFS-7180: writers are throttled while pending bytes are above maxPending (stalled sink)", async () => {
  const release = gate();
  const got: Uint8Array[] = [];
  const seq = new Sequencer({ write: async (b: Uint8Array) => { await release.promise; got.push(b); } }, { watermark: 16 * KiB, maxPending: 64 * KiB });
  const seed = 7180;
  let offset = 0;
  let blocked: Promise<void> | undefined;
  for (let i = 0; i < 20; i++) {
    const write = seq.write(offset, streamBytes(seed, offset, 16 * KiB));
    offset += 16 * KiB;
    if (await stillPending(write)) {
      blocked = write;
      break;
    }
  }
  assert.ok(blocked, "a producer writing into a stalled sink must be made to wait");
  assert.ok(seq.stats().pendingBytes <= 64 * KiB + 16 * KiB, `pending ${seq.stats().pendingBytes}`);
  release.open();
  await blocked;
  await seq.close();
  assert.is(got.reduce((n, b) => n + b.length, 0), offset);
});

test("HDFS-5364: an idle file is closed after idleTimeoutMs, never while writes or commits are pending; reopens on the next write", async () => {
  const { driver, log } = recordingDriver();
  const path = tempPath("idle.bin");
  const seq = new Sequencer(path, { driver, writeAhead: false, idleTimeoutMs: 20 });
  await seq.write(5, text("56789"));
  await turn(80);
  assert.is(seq.stats().idleCloses, 0, "pending writes keep the file open");
  const committed = seq.commit(10);
  await seq.write(0, text("01234"));
  await committed;
  const waiting = seq.commit(12);
  await turn(80);
  assert.is(seq.stats().idleCloses, 0, "a waiting commit keeps the file open");
  await seq.write(10, text("ab"));
  await waiting;
  await turn(80);
  assert.is(seq.stats().idleCloses, 1);
  const opens = log.opens.length;
  await seq.write(12, text("cd"));
  await seq.commit(14);
  assert.is(log.opens.length, opens + 1, "reopened on the next write");
  assert.equal(log.opens[opens].mode, "readwrite", "reopened without truncating");
  await seq.close();
  assert.is(fileText(path), "0123456789abcd");
});

test("HDFS-6416: the idle timeout runs on a monotonic clock (a wall-clock jump closes nothing)", async () => {
  const path = tempPath("mono.bin");
  const seq = new Sequencer(path, { idleTimeoutMs: 60 });
  const realNow = Date.now;
  Date.now = () => realNow() + 24 * 3600 * 1000;
  try {
    for (let i = 0; i < 10; i++) {
      await seq.write(i, text("x"));
      await turn(15);
    }
    assert.is(seq.stats().idleCloses, 0);
  } finally {
    Date.now = realNow;
  }
  await turn(150);
  assert.is(seq.stats().idleCloses, 1);
  await seq.close();
});

test("the memory counter never leaks: duplicates, trims, conflicts, discards and failures all release exactly once", async () => {
  const sink = collectingStream();
  const seq = new Sequencer(sink.stream, { watermark: 4, maxPending: 64 });
  await seq.write(8, text("89ab"));
  await seq.write(8, text("89ab"));
  await seq.write(6, text("6789abcd"));
  await rejection(seq.write(12, text("cX")));
  assert.is(seq.stats().pendingBytes + seq.stats().spilledBytes, 8);
  await seq.write(0, text("012345"));
  await seq.commit(14);
  assert.is(seq.stats().pendingBytes, 0);
  await seq.write(3, text("3456789abcdef"));
  await seq.write(40, text("far"));
  await rejection(seq.close());
  assert.equal([seq.stats().pendingBytes, seq.stats().spilledBytes], [0, 0]);
  assert.is(new TextDecoder().decode(sink.bytes()), "0123456789abcdef");

  let calls = 0;
  const failing = new Sequencer({ write: () => (++calls === 2 ? Promise.reject(new Error("broken pipe")) : undefined) });
  await failing.write(0, text("ab"));
  await failing.write(5, text("fgh"));
  await failing.write(2, text("cde"));
  const error = await rejection(failing.commit(8));
  assert.match(error.message, "broken pipe");
  assert.is(failing.stats().pendingBytes, 0);
  assert.match((await rejection(failing.write(8, text("i")))).message, "broken pipe");
  await rejection(failing.close());
  assert.is(failing.stats().pendingBytes, 0);
});

test("a Node stream sink (process.stdout's kind) gets bytes strictly in order, honouring 'drain'", async () => {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      setTimeout(callback, 0);
    },
  });
  const seed = 1234;
  const total = 64 * KiB;
  const seq = new Sequencer(stream);
  const pieces = shuffle(prng(seed), randomChunks(prng(seed + 1), total, 100, 4 * KiB));
  await Promise.all(pieces.map(([s, e]) => seq.write(s, streamBytes(seed, s, e - s))));
  await seq.close();
  const all = Buffer.concat(chunks);
  assert.is(all.length, total);
  assert.is(firstMismatch(seed, 0, new Uint8Array(all)), -1);
  // The Sequencer does not end a stream it did not open.
  assert.not.ok(stream.writableEnded);
});

test("process.stdout as the sink: a child process writes out-of-order chunks, the parent reads the exact stream", async () => {
  const seed = 777;
  const script = fileURLToPath(siblingModule(import.meta.url, "../support/sequencer_stdout"));
  const args = "Deno" in globalThis ? ["run", "-A", script, String(seed)] : [script, String(seed)];
  const child = spawnSync(process.execPath, args, { maxBuffer: 4 * MiB });
  assert.is(child.status, 0, String(child.stderr));
  assert.is(child.stdout.length, 256 * KiB);
  assert.is(firstMismatch(seed, 0, new Uint8Array(child.stdout)), -1);
});

test("bad input: clear errors naming the value", async () => {
  const path = tempPath("bad.bin");
  const seq = new Sequencer(path);
  const cases: Array<[() => Promise<unknown>, string]> = [
    [() => seq.write(-1, bytes(1)), "offset that is a whole number from 0 to Number.MAX_SAFE_INTEGER, got -1"],
    [() => seq.write(1.5, bytes(1)), "got 1.5"],
    [() => seq.write("3" as unknown as number, bytes(1)), 'got "3"'],
    [() => seq.write(0, [1, 2] as unknown as Uint8Array), "bytes as a Uint8Array, got an array"],
    [() => seq.write(Number.MAX_SAFE_INTEGER, bytes(1, 2)), "beyond Number.MAX_SAFE_INTEGER"],
    [() => seq.commit(NaN), "got NaN"],
    [() => seq.commit(1, { durable: "yes" as unknown as boolean }), 'durable must be true or false, got "yes"'],
  ];
  for (const [run, message] of cases) assert.match((await rejection(run())).message, message);
  assert.match(throws(() => seq.checkCommit(-5)).message, "got -5");
  await seq.close();
  const constructions: Array<[unknown, unknown, string]> = [
    [42, undefined, "must be a file path, a file: URL, a WritableStream or an object with a write(bytes) method, got 42"],
    [new URL("https://example.com/x"), undefined, 'file: URL, got "https://example.com/x"'],
    [tempPath("o.bin"), { watermark: 0 }, "watermark must be a positive whole number of bytes, got 0"],
    [tempPath("o.bin"), { maxPending: "16M" }, 'maxPending must be a positive whole number of bytes, got "16M"'],
    [tempPath("o.bin"), { watermark: 2 * MiB, maxPending: MiB }, "watermark (2097152) must be below maxPending (1048576)"],
    [tempPath("o.bin"), { idleTimeoutMs: -1 }, "idleTimeoutMs must be a finite number of milliseconds > 0, got -1"],
    [tempPath("o.bin"), { dumpDir: 7 }, "dumpDir must be a directory path, got 7"],
    [tempPath("o.bin"), { writeAhead: 1 }, "writeAhead must be true or false, got 1"],
    [tempPath("o.bin"), { watermak: MiB }, 'the Sequencer has no option "watermak"; the options are watermark, maxPending, dumpDir, idleTimeoutMs, writeAhead, driver'],
    [tempPath("o.bin"), { driver: {} }, "driver must be a FileDriver"],
    [tempPath("o.bin"), "fast", 'options must be an object, got "fast"'],
  ];
  for (const [target, options, message] of constructions) {
    assert.match(throws(() => new Sequencer(target as SequencerTarget, options as SequencerOptions)).message, message);
  }
});

test.run();
