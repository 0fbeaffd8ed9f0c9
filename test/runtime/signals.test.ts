// handleSignals: SIGINT and SIGTERM drain the log, then end the process with 128 + the signal's number.
// Real child processes of the runtime under test (test/support/signal_child.ts), real signals.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import type { Strategy } from "../../mod.ts";
import { childCommand } from "../support/runtime.ts";
import { tempPath } from "../support/temp.ts";

const COUNT = 20_000;
// Every file write of the ring's flusher takes this long, so most records are still in the ring when the
// signal comes: the drain has work to do.
const SLOW_WRITE_MS = 500;
// Bounds each child: a hung one is killed and the test fails.
const CHILD_TIMEOUT_MS = 60_000;
const REPEAT_MS = 200;

type Signal = "SIGINT" | "SIGTERM";
type Mode = "handle" | "default" | "closed" | "one-closed";

interface Outcome {
  code: number | null;
  signal: string | null;
  /** Records in the file when the child said "ready" (stats().records). */
  atReady: number;
  text: string;
  stderr: string;
}

interface ChildOptions {
  strategy?: Strategy;
  count?: number;
  /** The ring's disk stalls (faulty_driver's gate): the drain cannot finish, and the signal is repeated. */
  stalled?: boolean;
}

function runChild(mode: Mode, signal: Signal, { strategy = "ring", count = COUNT, stalled = false }: ChildOptions = {}): Promise<Outcome> {
  const path = tempPath(`signal-${strategy}-${mode}.log`);
  writeFileSync(`${path}.slow`, String(SLOW_WRITE_MS));
  if (stalled) writeFileSync(`${path}.gate`, "");
  const { command, args } = childCommand(import.meta.url, "../support/signal_child");
  const child = spawn(command, [...args, path, strategy, String(count), mode], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let atReady = -1;
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    stdout += chunk;
    const ready = /ready (\d+)\n/.exec(stdout);
    if (ready && atReady < 0) {
      atReady = Number(ready[1]);
      // Not child.kill(): after it, Deno's node:child_process reports the signal it sent as the cause of
      // death even when the child caught it and exited with a code (143 comes back as [null, "SIGTERM"]).
      process.kill(child.pid!, signal);
      if (stalled) repeat = setInterval(() => process.kill(child.pid!, signal), REPEAT_MS);
    }
  });
  child.stderr!.on("data", (chunk: string) => (stderr += chunk));
  let repeat: ReturnType<typeof setInterval> | undefined;
  const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on("close", (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      clearInterval(repeat);
      resolve({ code, signal, atReady, text: readFileSync(path, "utf8"), stderr });
    });
  });
}

function expected(count: number): string {
  return Array.from({ length: count }, (_, n) => `signal ${n}\n`).join("");
}

/** Every record whole, exactly once, in order: the file is exactly what was written. */
function assertAllRecords(outcome: Outcome, count = COUNT) {
  assert.ok(outcome.atReady >= 0, `the child never got ready: ${outcome.stderr}`);
  assert.is(outcome.text.length, expected(count).length, "the file's length");
  assert.ok(outcome.text === expected(count), "the file holds every record, whole, once, in order");
}

for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
  test(`handleSignals: ${signal} drains the ring into the file, then exits with ${code}`, async () => {
    const outcome = await runChild("handle", signal);
    assert.equal([outcome.code, outcome.signal], [code, null], outcome.stderr);
    assert.ok(outcome.atReady < COUNT, `records were still in the ring at the signal (${outcome.atReady} in the file)`);
    assertAllRecords(outcome);
  });
}

test("a second signal while the drain is stuck on a stalled disk ends the process by the signal", async () => {
  // Without the second signal the drain would give up only after unblockTimeoutMs + 10 s, then exit 143.
  const outcome = await runChild("handle", "SIGTERM", { stalled: true });
  assert.ok(outcome.atReady >= 0, outcome.stderr);
  assert.equal([outcome.code, outcome.signal], [null, "SIGTERM"], outcome.stderr);
});

test("without handleSignals: the signals keep their default action (the child dies by them)", async () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const outcome = await runChild("default", signal, { count: 100 });
    assert.ok(outcome.atReady >= 0, outcome.stderr);
    assert.equal([outcome.code, outcome.signal], [null, signal]);
  }
});

test("after close() the listeners are gone: the signal's default action is back", async () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const outcome = await runChild("closed", signal, { count: 100 });
    assert.equal([outcome.code, outcome.signal], [null, signal], outcome.stderr);
    assertAllRecords(outcome, 100);
  }
});

test("the listeners stay while another log that asked for them is open", async () => {
  const outcome = await runChild("one-closed", "SIGTERM");
  assert.equal([outcome.code, outcome.signal], [143, null], outcome.stderr);
  assertAllRecords(outcome);
});

test("every other strategy: SIGTERM writes out every record, then exits with 143", async () => {
  for (const strategy of ["locked-writer", "locked-stream", "atomic-position", "buffered", "buffered-offthread", "null"] as Strategy[]) {
    const outcome = await runChild("handle", "SIGTERM", { strategy, count: 5_000 });
    assert.equal([outcome.code, outcome.signal], [143, null], `${strategy}: ${outcome.stderr}`);
    if (strategy === "null") assert.is(outcome.text, "", "null writes nothing");
    else assertAllRecords(outcome, 5_000);
  }
});

test.run();
