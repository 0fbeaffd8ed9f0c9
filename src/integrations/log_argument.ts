// The Log each integration is handed, checked once when the destination, sink or transport is made, so a
// wrong argument fails there with a sentence instead of at the first line logged.
import type { Log } from "../../mod.ts";

/** The Log an integration was given, checked: what open() or attach() returned. */
export function requireLog(log: unknown, who: string): Log {
  const candidate = log as Partial<Log> | null | undefined;
  if (typeof candidate?.write !== "function" || typeof candidate.flush !== "function" || typeof candidate.flushSync !== "function") {
    throw new TypeError(`ringlog: ${who} takes a Log (what open() or attach() returns), got ${log === null ? "null" : Array.isArray(log) ? "an array" : typeof log}`);
  }
  return candidate as Log;
}
