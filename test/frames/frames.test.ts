// The frames format: CRC-32C from the wasm core, records read back whole, torn and corrupt tails found,
// cut by recover(), and appending that goes on after it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { appendFileSync, promises, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { open, read, recover } from "../../mod.ts";
import { FrameChecker } from "../../src/frames/frames.ts";
import { crc32cReference } from "../support/crc32c_reference.ts";
import { runStress } from "../support/stress.ts";
import { tempPath } from "../support/temp.ts";

const MAGIC = [0x89, 0x52, 0x4c, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

async function records(path: string) {
  const reader = read(path);
  const all: Uint8Array[] = [];
  for await (const record of reader) all.push(record);
  return { records: all, end: reader.end! };
}

test("CRC-32C in the core: the test vectors of RFC 3720 appendix B.4, and the check value", () => {
  const checker = new FrameChecker();
  const bytes = (f: (i: number) => number, n = 32) => Uint8Array.from({ length: n }, (_, i) => f(i));
  const pdu = Uint8Array.from([
    0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
    0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  ]);
  const vectors: [string, Uint8Array, number][] = [
    ["32 bytes of zeroes", bytes(() => 0), 0x8a9136aa],
    ["32 bytes of ones", bytes(() => 0xff), 0x62a8ab43],
    ["32 incrementing bytes", bytes((i) => i), 0x46dd794e],
    ["32 decrementing bytes", bytes((i) => 31 - i), 0x113fdb5c],
    ["an iSCSI read command PDU", pdu, 0xd9963a56],
    ["\"123456789\"", new TextEncoder().encode("123456789"), 0xe3069283],
  ];
  for (const [name, input, crc] of vectors) {
    assert.is(checker.crc32c(input), crc, name);
    assert.is(crc32cReference(input), crc, `${name} (reference)`);
    // Chained: the CRC of a then b equals the CRC of a followed by b.
    assert.is(checker.crc32c(input.subarray(7), checker.crc32c(input.subarray(0, 7))), crc, `${name}, chained`);
  }
  // Every length from 0 to 100 against the bitwise reference: the 8-byte loop and the byte tail.
  const random = Uint8Array.from({ length: 100 }, () => Math.floor(Math.random() * 256));
  for (let n = 0; n <= 100; n++) assert.is(checker.crc32c(random.subarray(0, n)), crc32cReference(random.subarray(0, n)), `${n} bytes`);
});

test("the file: header, then [u32 length][u32 crc32c(length, payload)][payload] per record", async () => {
  const path = tempPath("layout.frames");
  const log = await open(path, { format: "frames", append: false });
  const payloads = [new TextEncoder().encode("hello\n"), new Uint8Array([0, 10, 255]), new Uint8Array(0), new TextEncoder().encode("é 中 😀")];
  log.write("hello\n");
  log.write(payloads[1]);
  log.write("");
  log.write("é 中 😀");
  await log.close();
  const file = readFileSync(path);
  assert.equal([...file.subarray(0, 8)], MAGIC);
  let at = 8;
  for (const payload of payloads) {
    const view = new DataView(file.buffer, file.byteOffset + at);
    assert.is(view.getUint32(0, true), payload.length);
    const covered = new Uint8Array(4 + payload.length);
    covered.set(file.subarray(at, at + 4));
    covered.set(payload, 4);
    assert.is(view.getUint32(4, true), crc32cReference(covered), "the CRC covers the length and the payload");
    assert.equal([...file.subarray(at + 8, at + 8 + payload.length)], [...payload]);
    at += 8 + payload.length;
  }
  assert.is(at, file.length);
  const { records: got, end } = await records(path);
  assert.equal(got.map((r) => [...r]), payloads.map((p) => [...p]));
  assert.equal(end, { format: "frames", records: 4, offset: file.length, reason: "end", tailBytes: 0, detail: "4 whole records" });
  assert.is(log.stats().bytes, file.length - 8, "stats count what reached the file after its header");
});

test("exactly-once in frames: 4 threads × 50k records, each frame exactly one record", async () => {
  const result = await runStress(4, 50_000, { format: "frames" });
  assert.equal(result.problems, []);
  assert.is(result.lines, 200_000);
});

test("exactly-once in frames: 8 threads, a 64 KiB ring that wraps and fills", async () => {
  const result = await runStress(8, 10_000, { format: "frames", capacity: 64 * 1024 });
  assert.equal(result.problems, []);
  assert.ok(result.stats.fullWaits > 0);
});

test("torn tail, cut anywhere: read() yields the whole records before it, recover() cuts it, appending goes on", async () => {
  const path = tempPath("torn.frames");
  const log = await open(path, { format: "frames", append: false });
  const texts = Array.from({ length: 50 }, (_, i) => `record ${i} ${"x".repeat(i * 7)}`);
  for (const text of texts) log.write(text);
  await log.close();
  const whole = readFileSync(path);
  // Frame boundaries, to know how many records a cut leaves whole.
  const ends: number[] = [];
  for (let at = 8; at < whole.length;) ends.push((at += 8 + whole.readUInt32LE(at)));
  for (let trial = 0; trial < 40; trial++) {
    const cut = trial === 0 ? 3 : 8 + Math.floor(Math.random() * (whole.length - 8));
    writeFileSync(path, whole.subarray(0, cut));
    const complete = ends.filter((end) => end <= cut).length;
    const atBoundary = cut === 8 || ends.includes(cut);
    const { records: got, end } = await records(path);
    assert.is(got.length, trial === 0 ? 0 : complete, `cut at ${cut}`);
    got.forEach((r, i) => assert.is(new TextDecoder().decode(r), texts[i]));
    assert.is(end.reason, atBoundary ? "end" : "torn", `cut at ${cut}: ${end.detail}`);
    const recovered = await recover(path);
    const kept = trial === 0 ? 0 : 8 + (complete === 0 ? 0 : ends[complete - 1] - 8);
    assert.equal(recovered, { format: "frames", records: got.length, truncatedBytes: cut - kept });
    assert.is(statSync(path).size, kept);
    const again = await open(path, { format: "frames" });
    again.write("appended");
    await again.close();
    const after = await records(path);
    assert.is(after.end.reason, "end", after.end.detail);
    assert.is(after.records.length, got.length + 1);
    assert.is(new TextDecoder().decode(after.records.at(-1)!), "appended");
  }
});

test("corrupt frames: a flipped bit, a wild length, a run of zeroes: reading stops there and says so", async () => {
  const path = tempPath("corrupt.frames");
  const log = await open(path, { format: "frames", append: false });
  for (let i = 0; i < 10; i++) log.write(`record ${i}\n`);
  await log.close();
  const whole = readFileSync(path);
  const third = 8 + 2 * (8 + 9);

  const flipped = Buffer.from(whole);
  flipped[third + 8 + 3] ^= 0x04;
  writeFileSync(path, flipped);
  let { records: got, end } = await records(path);
  assert.is(got.length, 2);
  assert.is(end.reason, "corrupt");
  assert.is(end.offset, third);
  assert.match(end.detail, `the frame at byte ${third} (9 bytes) fails its CRC-32C check`);

  const wild = Buffer.from(whole);
  wild.writeUInt32LE(0xfffffff0, third);
  writeFileSync(path, wild);
  ({ records: got, end } = await records(path));
  assert.is(got.length, 2);
  assert.is(end.reason, "corrupt");
  assert.match(end.detail, "more than any record can hold");

  writeFileSync(path, whole);
  appendFileSync(path, new Uint8Array(4096)); // what a crash can leave where data never reached the disk
  ({ records: got, end } = await records(path));
  assert.is(got.length, 10);
  assert.is(end.reason, "corrupt", "zeroes are no empty frame: the CRC covers the length");
  assert.equal(await recover(path), { format: "frames", records: 10, truncatedBytes: 4096 });
  assert.equal([...readFileSync(path)], [...whole]);
});

test("text logs: lines are the records; recover() trims a last line without its line end", async () => {
  const path = tempPath("torn.log");
  writeFileSync(path, "one\ntwo\nthr");
  const { records: got, end } = await records(path);
  assert.equal(got.map((r) => new TextDecoder().decode(r)), ["one\n", "two\n"]);
  assert.equal(end, { format: "text", records: 2, offset: 8, reason: "torn", tailBytes: 3, detail: "the last line (3 bytes from byte 8) has no line end" });
  assert.equal(await recover(path), { format: "text", records: 2, truncatedBytes: 3 });
  assert.is(readFileSync(path, "utf8"), "one\ntwo\n");
  assert.equal(await recover(path), { format: "text", records: 2, truncatedBytes: 0 });
  // A line longer than the reader's first read of 1 MiB, and than its scratch of 4 MiB (the read grows, as for a
  // frame longer than a chunk).
  const long = "y".repeat(9 << 20) + "\n";
  writeFileSync(path, "a\n" + long + "b\n");
  const big = await records(path);
  assert.equal(big.records.map((r) => r.length), [2, long.length, 2]);
  assert.is(big.end.reason, "end");
});

// A frames file built by hand: the header, then each payload framed as the writers frame it.
function framesFile(payloads: Uint8Array[]): Uint8Array {
  const checker = new FrameChecker();
  const parts: Uint8Array[] = [Uint8Array.from(MAGIC)];
  for (const payload of payloads) {
    const header = new Uint8Array(8);
    const view = new DataView(header.buffer);
    view.setUint32(0, payload.length, true);
    view.setUint32(4, checker.crc32c(payload, checker.crc32c(header.subarray(0, 4))), true);
    parts.push(header, payload);
  }
  return Buffer.concat(parts);
}

async function batchesOf(path: string) {
  const reader = read(path);
  const batches: Uint8Array[][] = [];
  for await (const batch of reader.batches()) batches.push(batch);
  return { batches, records: batches.flat(), end: reader.end! };
}

test("batches(): up to 2048 records per step over a file of many 1 MiB chunks, every record and the end as written; records longer than a chunk; the per-record iterator gives copies", async () => {
  // ~20 MiB of records from 0 to 300 bytes, and two of 9 MiB: frames cut by every chunk boundary.
  const payloads = Array.from({ length: 130_000 }, (_, i) => new TextEncoder().encode(`${i} ${"z".repeat((i * 37) % 300)}`));
  const huge = (fill: number) => new Uint8Array(9 << 20).fill(fill);
  payloads.splice(20_000, 0, huge(0x61));
  payloads.push(huge(0x62));
  const framesPath = tempPath("batches.frames");
  writeFileSync(framesPath, framesFile(payloads));
  const linesPath = tempPath("batches.log");
  const lines = payloads.map((p) => Buffer.concat([p, Uint8Array.of(0x0a)]));
  writeFileSync(linesPath, Buffer.concat(lines));
  for (const [path, expected, format] of [[framesPath, payloads, "frames"], [linesPath, lines, "text"]] as const) {
    const { batches, records: got, end } = await batchesOf(path);
    const size = statSync(path).size;
    assert.ok(batches.every((b) => b.length > 0 && b.length <= 2048), `${format}: batches of 1 to 2048 records`);
    // Full batches but the last of each chunk read (~20 MiB in 1 MiB reads, and the two records of 9 MiB).
    const most = Math.ceil(expected.length / 2048) + Math.ceil(size / (1 << 20)) + 4;
    assert.ok(batches.length <= most, `${format}: ${batches.length} batches, at most ${most} expected`);
    assert.is(got.length, expected.length, format);
    for (let i = 0; i < expected.length; i++) if (Buffer.compare(got[i], expected[i]) !== 0) assert.unreachable(`${format}: record ${i} differs`);
    assert.equal({ ...end, detail: "" }, { format, records: expected.length, offset: size, reason: "end", tailBytes: 0, detail: "" }, end.detail);
    const one = await records(path); // the per-record iterator: the same records, each a copy of its own
    assert.is(one.records.length, expected.length);
    assert.ok(one.records.every((r) => r.byteOffset === 0 && r.buffer.byteLength === r.length), "each record owns its buffer");
    for (let i = 0; i < expected.length; i += 997) assert.is(Buffer.compare(one.records[i], expected[i]), 0, `${format}: record ${i}`);
    assert.equal(one.end, end);
  }
});

test("batches() of short lines: a chunk's lines over many batches, more line ends in a chunk than one count scan returns (524288), lines across every 16-byte step", async () => {
  const path = tempPath("short.log");
  // First 1.1 M empty lines: the first 1 MiB chunk holds 1,048,576 line ends, so recover()'s count scans it
  // three times (twice 524,288, then none); then lines of 0 to 22 bytes, across every 16-byte step.
  const lines = Array.from({ length: 1_500_000 }, (_, i) => i < 1_100_000 ? "\n" : `${"v".repeat(i % 23)}\n`);
  writeFileSync(path, lines.join(""));
  const { batches, records: got, end } = await batchesOf(path);
  assert.ok(batches.length >= lines.length / 2048 && batches.every((b) => b.length <= 2048), `${batches.length} batches of up to 2048 lines`);
  assert.is(got.length, lines.length);
  const decoder = new TextDecoder();
  for (let i = 0; i < lines.length; i++) if (decoder.decode(got[i]) !== lines[i]) assert.unreachable(`line ${i}: ${JSON.stringify(decoder.decode(got[i]))}`);
  assert.equal([end.reason, end.records], ["end", lines.length]);
  appendFileSync(path, "torn");
  assert.equal(await recover(path), { format: "text", records: lines.length, truncatedBytes: 4 }, "recover() counts without views, the same");
});

test("batches(): a corrupt frame and a torn tail beyond the first chunks stop reading at the right byte", async () => {
  const payloads = Array.from({ length: 60_000 }, (_, i) => new TextEncoder().encode(`record ${i} ${"q".repeat(i % 200)}`));
  const whole = framesFile(payloads);
  const starts: number[] = [];
  for (let at = 8; at < whole.length; at += 8 + new DataView(whole.buffer, whole.byteOffset).getUint32(at, true)) starts.push(at);
  const path = tempPath("batches-bad.frames");
  const victim = starts.findIndex((at) => at > (5 << 20)); // a frame in the second chunk
  assert.ok(victim > 0, `${whole.length} bytes`);
  const flipped = Buffer.from(whole);
  flipped[starts[victim] + 8 + 2] ^= 0x10;
  writeFileSync(path, flipped);
  let { records: got, end } = await batchesOf(path);
  assert.is(got.length, victim);
  assert.equal([end.reason, end.offset, end.records], ["corrupt", starts[victim], victim], end.detail);
  // recover() counts the same records without views: up to a CRC failure inside a chunk it checked whole.
  assert.equal(await recover(path), { format: "frames", records: victim, truncatedBytes: whole.length - starts[victim] });
  const cut = starts[victim] + 5; // inside the header of that frame
  writeFileSync(path, whole.subarray(0, cut));
  ({ records: got, end } = await batchesOf(path));
  assert.is(got.length, victim);
  assert.equal([end.reason, end.offset, end.tailBytes], ["torn", starts[victim], 5], end.detail);
  assert.equal(await recover(path), { format: "frames", records: victim, truncatedBytes: 5 });
  const inPayload = starts[victim] + 8 + 3; // inside that frame's payload
  writeFileSync(path, whole.subarray(0, inPayload));
  ({ records: got, end } = await batchesOf(path));
  assert.equal([got.length, end.reason, end.offset, end.tailBytes], [victim, "torn", starts[victim], 11], end.detail);
  // A frame longer than a chunk (checked frame by frame, not in one wasm call) with one byte flipped.
  const huge = framesFile([new TextEncoder().encode("before"), new Uint8Array(9 << 20).fill(7), new TextEncoder().encode("after")]);
  huge[8 + 8 + 6 + 8 + (5 << 20)] ^= 1;
  writeFileSync(path, huge);
  ({ records: got, end } = await batchesOf(path));
  assert.equal([got.length, end.reason, end.offset], [1, "corrupt", 8 + 8 + 6], end.detail);
});

test("scanLines at its limits: 65541 line ends in one chunk, the last 5 past the last 16-byte step", async () => {
  const path = tempPath("newlines.log");
  writeFileSync(path, "\n".repeat(65541));
  const { records: got, end } = await batchesOf(path);
  assert.is(got.length, 65541);
  assert.ok(got.every((r) => r.length === 1 && r[0] === 0x0a));
  assert.equal([end.reason, end.offset], ["end", 65541]);
  assert.equal(await recover(path), { format: "text", records: 65541, truncatedBytes: 0 }, "recover() counts without views, the same");
});

test("formats do not mix: frames onto text, text onto frames, frames with another strategy", async () => {
  const text = tempPath("text.log");
  writeFileSync(text, "a line\n");
  const error = await open(text, { format: "frames" }).then(() => undefined, (e: Error) => e);
  assert.match(error!.message, `cannot append frames to ${JSON.stringify(text)}: it is not a frames file`);
  assert.is(readFileSync(text, "utf8"), "a line\n", "nothing written");
  const frames = tempPath("frames.log");
  await (await open(frames, { format: "frames", append: false })).close();
  const textError = await open(frames).then(() => undefined, (e: Error) => e);
  assert.match(textError!.message, "it is a frames file; open it with format: \"frames\"");
  const torn = tempPath("torn-header.log");
  writeFileSync(torn, new Uint8Array(MAGIC.slice(0, 3)));
  const tornError = await open(torn, { format: "frames" }).then(() => undefined, (e: Error) => e);
  assert.match(tornError!.message, "cut-short frames header (run recover() on it)");
  assert.equal(await recover(torn), { format: "frames", records: 0, truncatedBytes: 3 });
  await (await open(torn, { format: "frames" })).close();
  assert.equal([...readFileSync(torn)], MAGIC);
  const strategyError = await open(tempPath("s.log"), { format: "frames", strategy: "buffered" }).then(() => undefined, (e: Error) => e);
  assert.match(strategyError!.message, 'format "frames" needs the "ring" strategy, got strategy "buffered"');
  const missing = await records(tempPath("missing.log")).then(() => undefined, (e: Error) => e);
  assert.match(missing!.message, /ENOENT|No such file|not found/i);
});


/**
 * Runs `run` while every FileHandle's read() and close() are noted: the reader's I/O as the file saw it.
 * `pendingAtClose`: the most reads still running when a handle was closed (a read ahead left behind).
 * `readMs`: each read takes that long more, as on a slow disk.
 */
async function watchingReads<T>(run: () => Promise<T>, readMs = 0) {
  type Handle = { read: (...args: unknown[]) => Promise<unknown>; close: () => Promise<void> };
  const realOpen = promises.open;
  const reads: { position: number; length: number }[] = [];
  let pending = 0;
  let pendingAtClose = 0;
  // Each handle's own methods (Node's close is an instance field, not the prototype's).
  (promises as { open: unknown }).open = async (...args: unknown[]) => {
    const handle = await (realOpen as (...a: unknown[]) => Promise<Handle>)(...args);
    const { read: realRead, close: realClose } = handle;
    handle.read = (...readArgs: unknown[]) => {
      reads.push({ position: readArgs[3] as number, length: readArgs[2] as number });
      pending++;
      const done = realRead.apply(handle, readArgs);
      const slowed = readMs > 0 ? done.then((r) => new Promise((resolve) => setTimeout(() => resolve(r), readMs))) : done;
      return slowed.finally(() => pending--);
    };
    handle.close = () => {
      pendingAtClose = Math.max(pendingAtClose, pending);
      return realClose.apply(handle);
    };
    return handle;
  };
  try {
    const result = await run();
    const bytes = reads.reduce((sum, r) => sum + r.length, 0);
    const twice = reads.filter((r, i) => reads.findIndex((o) => o.position === r.position && o.length === r.length) !== i);
    return { result, reads, bytes, twice, pendingAtClose };
  } finally {
    (promises as { open: unknown }).open = realOpen;
  }
}

test("read ahead: each range read once, no read left running at close (also after an early break), and never more than a chunk read in vain past a corrupt or torn frame", async () => {
  const payloads = Array.from({ length: 100_000 }, (_, i) => new TextEncoder().encode(`${i} ${"w".repeat(i % 250)}`));
  const path = tempPath("ahead.frames");
  const file = framesFile(payloads);
  writeFileSync(path, file);
  const size = file.length; // ~13 MiB: a dozen 1 MiB chunks, each cutting a frame that the next reads again
  const runs: [string, () => Promise<unknown>][] = [["batches()", () => batchesOf(path)], ["recover()", () => recover(path)]];
  for (const [name, run] of runs) {
    const { reads, bytes, twice, pendingAtClose } = await watchingReads(run);
    assert.equal(twice, [], `${name}: a range read twice`);
    assert.ok(bytes <= size + reads.length * 300, `${name}: ${bytes} bytes read for a file of ${size}`);
    assert.is(pendingAtClose, 0, `${name}: a read still running when the file was closed`);
  }
  const early = await watchingReads(async () => {
    for await (const batch of read(path).batches()) return batch.length; // the reader had read ahead by then
  }, 50);
  assert.ok(early.reads.length >= 2, `${early.reads.length} reads before the break`);
  assert.is(early.pendingAtClose, 0, "an early break closes the file under a read ahead");

  // A length over MAX_FRAME in the third chunk: reading stops there, without reading the length's bytes.
  const wild = Buffer.from(file);
  let at = 8;
  let before = 0;
  for (; at < (2 << 20) + 100; before++) at += 8 + wild.readUInt32LE(at);
  wild.writeUInt32LE(0xfffffff0, at);
  writeFileSync(path, wild);
  const overlong = await watchingReads(() => recover(path));
  assert.equal(overlong.result, { format: "frames", records: before, truncatedBytes: size - at });
  assert.ok(overlong.bytes <= 4 << 20, `${overlong.bytes} bytes read to find a corrupt length at byte ${at}`);

  // A CRC failure in the first chunk, then a frame of 20 MiB: not read before the failure is found.
  const bad = framesFile([new TextEncoder().encode("a"), ...payloads.slice(0, 3000), new Uint8Array(20 << 20).fill(1)]);
  bad[8 + 8] ^= 1; // the first payload's byte
  writeFileSync(path, bad);
  const crc = await watchingReads(() => recover(path));
  assert.equal(crc.result, { format: "frames", records: 0, truncatedBytes: bad.length - 8 });
  assert.ok(crc.bytes <= 2 << 20, `${crc.bytes} bytes read to find a CRC failure at byte 8`);

  // A long frame first in its chunk and cut short by the file's end (torn): its bytes read once.
  bad[8 + 8] ^= 1;
  writeFileSync(path, bad.subarray(0, bad.length - (10 << 20)));
  const torn = await watchingReads(() => recover(path));
  assert.is(torn.result.truncatedBytes, (20 << 20) + 8 - (10 << 20));
  assert.equal(torn.twice, [], "the torn frame's bytes read twice");
});

test.run();
