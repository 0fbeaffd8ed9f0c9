// Where and what a benchmark ran on: the runtime, the library's source commit, the repository root, and
// the filesystem its files went to. Shared by the benchmarks so every report names them the same way.
import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The runtime a benchmark runs in. */
export interface RuntimeInfo {
  runtime: "node" | "deno" | "bun";
  version: string;
  /** The V8 / JavaScriptCore version, where the runtime says. */
  engine: string;
}

export function runtimeInfo(): RuntimeInfo {
  const g = globalThis as { Deno?: { version: { deno: string; v8: string } }; Bun?: { version: string } };
  if (g.Deno !== undefined) return { runtime: "deno", version: g.Deno.version.deno, engine: `V8 ${g.Deno.version.v8}` };
  if (g.Bun !== undefined) return { runtime: "bun", version: g.Bun.version, engine: `JavaScriptCore ${process.versions.webkit ?? ""}`.trim() };
  return { runtime: "node", version: process.version.replace(/^v/, ""), engine: `V8 ${process.versions.v8}` };
}

/** The runtime and the machine; `load.end` is for the caller to fill in when the run ends. */
export interface MachineInfo extends RuntimeInfo {
  platform: string;
  cores: number;
  /** 1-minute load average when the run started and when it ended: this machine is shared. */
  load: { start: number; end: number };
}

export function machineInfo(): MachineInfo {
  return {
    ...runtimeInfo(),
    platform: `${process.platform} ${process.arch}`,
    cores: typeof availableParallelism === "function" ? availableParallelism() : cpus().length,
    load: { start: loadavg()[0], end: 0 },
  };
}

/** "node 20.20.2 (V8 ...), linux x64, 2 cores (load 1.19 at start, 1.18 at end)" */
export function formatMachine(info: MachineInfo): string {
  return `${info.runtime} ${info.version} (${info.engine}), ${info.platform}, ${info.cores} cores ` +
    `(load ${info.load.start.toFixed(2)} at start, ${info.load.end.toFixed(2)} at end)`;
}

/** The repository root: Node runs the compiled dist/bench/*.js, Deno and Bun run bench/*.ts. */
export function repoRoot(): string {
  return fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "../" : "../../", import.meta.url));
}

/** Which library code ran: the commit, and the library files changed since (a shared working tree). */
export function sourceInfo(): string {
  const git = (...args: string[]) => {
    const r = spawnSync("git", args, { cwd: repoRoot(), encoding: "utf8" });
    return r.status === 0 ? r.stdout.trimEnd() : undefined;
  };
  const commit = git("rev-parse", "--short", "HEAD");
  if (commit === undefined) return "unknown (not a git checkout)";
  const dirty = git("status", "--porcelain", "--", "mod.ts", "src", "assembly")?.split("\n").filter((l) => l.length > 0).map((l) => l.slice(3));
  return dirty !== undefined && dirty.length > 0 ? `${commit} (dirty: ${dirty.join(", ")})` : commit;
}

/** The filesystem `dir` lives on, e.g. "ext4 (/dev/vda on /)", from the longest mount point above it. */
export function filesystemOf(dir: string): { type: string; description: string } {
  let mounts: string;
  try {
    mounts = readFileSync("/proc/self/mounts", "utf8"); // Linux; elsewhere the type stays unknown
  } catch {
    return { type: "unknown", description: "unknown (no /proc/self/mounts)" };
  }
  const path = realpathSync(dir);
  // Mount points escape spaces and the like as octal (\040).
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  let best = { point: "", type: "unknown", device: "" };
  for (const line of mounts.split("\n")) {
    const [device, rawPoint, type] = line.split(" ");
    if (type === undefined) continue;
    const point = unescape(rawPoint);
    const above = point === "/" || path === point || path.startsWith(`${point}/`);
    if (above && point.length >= best.point.length) best = { point, type, device: unescape(device) };
  }
  return { type: best.type, description: `${best.type} (${best.device} on ${best.point})` };
}
