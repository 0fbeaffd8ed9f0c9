// The faulty driver's call log (test/support/faulty_driver.ts, <path>.calls): every write and fdatasync the
// flusher made, in order, appended before each call returned. Tests of the sync policies and of durable
// flushes read the order of the calls, not the clock.
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";

export interface DriverCall {
  /** "write <start>-<end>" as logged, or "sync". */
  call: string;
  /** A write's file offsets (end exclusive); -1 for a sync. */
  start: number;
  end: number;
}

/** Makes the driver log its calls for the file at `path` (before open(): the driver looks when it opens). */
export function logCalls(path: string): void {
  writeFileSync(`${path}.calls`, "");
}

/**
 * The driver's writes and syncs on `path` so far. (The log also records each open of the path, "open
 * <dev:ino>", for the rotation tests, which read it whole: those lines are no write or sync, left out here.)
 */
export function driverCalls(path: string): DriverCall[] {
  return readFileSync(`${path}.calls`, "utf8").split("\n").filter((line) => line.startsWith("write ") || line.startsWith("sync ")).map((line) => {
    const call = line.startsWith("sync ") ? "sync" : line; // which file it synced: the rotation tests read it
    const [start, end] = call.startsWith("write ") ? call.slice(6).split("-").map(Number) : [-1, -1];
    return { call, start, end };
  });
}

/** The calls as one line, for assertion messages. */
export function callSummary(calls: DriverCall[]): string {
  return calls.map(({ call }) => call.startsWith("write") ? "w" : "S").join("");
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
