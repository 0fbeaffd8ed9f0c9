// Reading faulty_driver's call log (<path>.calls: "write <start>-<end>", "sync", appended before each call
// returns), to check the order of a file's writes and syncs: a durable flush must be followed by a sync
// that comes after the write holding the caller's last record.
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";

/** The driver's calls so far, each with the byte range of a write. */
export function driverCalls(path: string): { call: string; start: number; end: number }[] {
  return readFileSync(`${path}.calls`, "utf8").split("\n").filter(Boolean).map((call) => {
    const [start, end] = call.startsWith("write ") ? call.slice(6).split("-").map(Number) : [-1, -1];
    return { call, start, end };
  });
}

/** Fails unless the call log shows a sync after the write that put `record` (unique in the file) there. */
export function assertSyncedAfter(path: string, record: string): void {
  const log = driverCalls(path); // read first: whatever the file holds now was written before these calls ended
  const at = readFileSync(path).indexOf(record);
  assert.ok(at >= 0, `${JSON.stringify(record)} is in the file`);
  const last = at + new TextEncoder().encode(record).length - 1;
  const write = log.findIndex(({ start, end }) => start <= last && last < end);
  assert.ok(write >= 0, `a write put bytes ${at}-${last + 1} in the file: ${log.map((c) => c.call).join(", ")}`);
  const sync = log.findIndex(({ call }, i) => i > write && call === "sync");
  assert.ok(sync > write, `a sync follows call ${write} (${log[write].call}); calls: ${log.slice(write).map((c) => c.call).join(", ")}`);
}
