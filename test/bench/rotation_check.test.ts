// The rotation benchmark's checker (bench/rotation_record.ts): what lets its report say "every record
// exactly once across all files", so it must catch a record lost, duplicated, reordered, torn or split
// across two files, and a file past the rotation size.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkRecordFiles, firstRecord, nextRecord, RECORD } from "../../bench/rotation_record.ts";

/** Writer `writer`'s records `from` to `to` - 1, as the benchmark's writers write them. */
function records(writer: number, from: number, to: number): Uint8Array[] {
  const record = firstRecord(writer);
  for (let i = 0; i < from; i++) nextRecord(record);
  const out: Uint8Array[] = [];
  for (let i = from; i < to; i++) {
    out.push(record.slice());
    nextRecord(record);
  }
  return out;
}
const join = (parts: Uint8Array[]) => {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
};
const file = (name: string, parts: Uint8Array[]) => ({ name, bytes: join(parts) });
const fails = (run: () => void, pattern: RegExp) => assert.throws(run, (e: Error) => pattern.test(e.message));

test("nextRecord counts the seq up in decimal, carrying", () => {
  const r = firstRecord(3);
  for (let i = 0; i < 1009; i++) nextRecord(r);
  assert.is(new TextDecoder().decode(r.subarray(0, 14)), "3 0000001009 a");
  assert.is(r.length, RECORD);
  assert.is(r[RECORD - 1], 0x0a);
});

test("two writers interleaved over three files: passes", () => {
  const a = records(0, 0, 30);
  const b = records(1, 0, 30);
  const mixed = a.flatMap((r, i) => [r, b[i]]);
  checkRecordFiles([file("1", mixed.slice(0, 20)), file("2", mixed.slice(20, 40)), file("3", mixed.slice(40))], 2, 30, 20 * RECORD);
});

test("lost, duplicated and reordered records fail", () => {
  const a = records(0, 0, 10);
  fails(() => checkRecordFiles([file("x", [...a.slice(0, 4), ...a.slice(5)])], 1, 10, Infinity), /expected 4/);
  fails(() => checkRecordFiles([file("x", [...a.slice(0, 5), a[4], ...a.slice(5)])], 1, 10, Infinity), /record 4, expected 5/);
  fails(() => checkRecordFiles([file("x", [a[0], a[2], a[1], ...a.slice(3)])], 1, 10, Infinity), /record 2, expected 1/);
  fails(() => checkRecordFiles([file("x", a.slice(0, 9))], 1, 10, Infinity), /9 records in the files, of 10/);
  // Files in the wrong order: the per-writer order catches it.
  fails(() => checkRecordFiles([file("2", a.slice(5)), file("1", a.slice(0, 5))], 1, 10, Infinity), /record 5, expected 0/);
});

test("a torn record, a record split across files and a file past the size fail", () => {
  const a = records(0, 0, 4);
  const torn = a.map((r) => r.slice());
  torn[2][70] = 0x62;
  fails(() => checkRecordFiles([file("x", torn)], 1, 4, Infinity), /torn or corrupt/);
  const bytes = join(a);
  fails(() => checkRecordFiles([{ name: "1", bytes: bytes.subarray(0, 200) }, { name: "2", bytes: bytes.subarray(200) }], 1, 4, Infinity), /not a whole number/);
  fails(() => checkRecordFiles([file("x", a)], 1, 4, 3 * RECORD), /more than/);
  const spliced = a.map((r) => r.slice());
  spliced[1].set(new TextEncoder().encode("0 00000"), 60);
  fails(() => checkRecordFiles([file("x", spliced)], 1, 4, Infinity), /torn or corrupt/);
  fails(() => checkRecordFiles([file("x", [new Uint8Array(RECORD)])], 1, 1, Infinity), /no record here/);
});

test.run();
