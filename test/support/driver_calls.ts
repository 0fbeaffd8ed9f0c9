// The faulty driver's call log (test/support/faulty_driver.ts, <path>.calls): every write and fdatasync the
// flusher made, in order, appended before each call returned. Tests of the sync policies and of durable
// flushes read the order of the calls, not the clock.
import { readFileSync, writeFileSync } from "node:fs";

export interface DriverCall {
  /** The line as logged: "write <start>-<end>" or "sync". */
  call: string;
  /** A write's file offsets (end exclusive); -1 for a sync. */
  start: number;
  end: number;
}

/** Makes the driver log its calls for the file at `path` (before open(): the driver looks when it opens). */
export function logCalls(path: string): void {
  writeFileSync(`${path}.calls`, "");
}

/** The driver's calls on `path` so far. */
export function driverCalls(path: string): DriverCall[] {
  return readFileSync(`${path}.calls`, "utf8").split("\n").filter(Boolean).map((call) => {
    const [start, end] = call.startsWith("write ") ? call.slice(6).split("-").map(Number) : [-1, -1];
    return { call, start, end };
  });
}

/** The calls as one line, for assertion messages. */
export function callSummary(calls: DriverCall[]): string {
  return calls.map(({ call }) => call.startsWith("write") ? "w" : "S").join("");
}
