// Runs rotation_child.ts processes of the runtime under test and collects what they report.
import { spawn } from "node:child_process";
import process from "node:process";
import type { OpenOptions } from "../../mod.ts";
import { childCommand } from "./runtime.ts";

export interface Child {
  pid: number;
  /** Resolves once the child printed "ready". */
  ready: Promise<void>;
  /** Resolves when it ended: its report (undefined if killed), exit code and stderr. */
  ended: Promise<{ counts: Map<number, number> | undefined; rotations: number; code: number | null; signal: string | null; stderr: string }>;
  kill(signal: "SIGKILL" | "SIGHUP" | "SIGTERM"): void;
}

const CHILD_TIMEOUT_MS = 120_000;

export function startChild(path: string, options: OpenOptions & { faulty?: boolean }, threads: number, first: number, count = Number.MAX_SAFE_INTEGER): Child {
  const { command, args } = childCommand(import.meta.url, "./rotation_child");
  const child = spawn(command, [...args, path, JSON.stringify(options), String(threads), String(first), String(count)], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    stdout += chunk;
    if (/ready \d+\n/.test(stdout)) ready();
  });
  child.stderr!.on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
  const ended = new Promise<Awaited<Child["ended"]>>((resolve) => {
    child.on("close", (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      ready(); // a child that died before "ready" must not hang the test
      const done = /done (.*)\n/.exec(stdout);
      const report = done === null ? undefined : JSON.parse(done[1]) as { counts: [number, number][]; rotations: number };
      resolve({ counts: report && new Map(report.counts), rotations: report?.rotations ?? 0, code, signal, stderr });
    });
  });
  return {
    pid: child.pid!,
    ready: isReady,
    ended,
    // process.kill, not child.kill: see test/runtime/signals.test.ts (Deno reports the signal it sent).
    kill: (signal) => process.kill(child.pid!, signal),
  };
}
