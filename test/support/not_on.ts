// Tests that do not apply somewhere say so, out loud: a test is either run or declared not to apply, never
// a silent pass. `notOn("node", why)` (or `notWhere(condition, where, why)`) prints a marker line that
// scripts/run_tests.mjs collects and lists in its summary ("web_worker: not on node (no global Worker)"),
// and returns true on that runtime, so the caller leaves its tests unregistered there:
//
//   if (!notOn("node", "no global Worker")) test("Web Workers attach and write", ...);
//
// A file whose every test is declared away reports 0 tests and the marker; the runner accepts that, and
// fails a file with 0 tests and no marker.

export type Runtime = "node" | "deno" | "bun";

/** The marker's prefix, as scripts/run_tests.mjs looks for it at the start of a line of output. */
export const NOT_ON_MARKER = "[does not apply]";

/** The runtime running this file. */
export function runtime(): Runtime {
  if ("Deno" in globalThis) return "deno";
  if ("Bun" in globalThis) return "bun";
  return "node";
}

/** True (after printing the marker) when the tests this guards do not apply here, as `where` and `why` say. */
export function notWhere(condition: boolean, where: string, why: string): boolean {
  if (condition) console.log(`${NOT_ON_MARKER} not on ${where} (${why})`);
  return condition;
}

/** True (after printing the marker) on `on`: the tests this guards do not apply to that runtime. */
export function notOn(on: Runtime, why: string): boolean {
  return notWhere(runtime() === on, on, why);
}
