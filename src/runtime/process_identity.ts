// Which process this is, in a form another process can test for life: the pid, and on Linux the process's
// start time (field 22 of /proc/<pid>/stat, in clock ticks since boot), so that a pid reused by a later
// process is not taken for the one that died. Rotation's lock files and writer entries carry it
// (src/rotation/file_lock.ts, writer_registry.ts): a process SIGKILLed while holding one must not stop the
// others, who find it dead and take over. As Chronicle Queue's writer lock, which holds the PID.
//
// Processes must share a pid namespace (one host, or one container) for this to mean anything.
import { nodeBuiltin } from "./node_builtin.ts";

type Fs = typeof import("node:fs");

/** A process: its pid and its start time ("0" where the system does not say, e.g. macOS). */
export interface ProcessId {
  pid: number;
  start: string;
}

/**
 * What /proc says of process `pid`: its start time and whether it still runs (a zombie, state Z or X, has
 * an entry with its start time until it is reaped, but runs nothing: it holds nothing); "gone" when it has
 * no entry (or there is no /proc); "unknown" when the entry cannot be read (hidepid, no permission).
 */
function procEntry(pid: number): { start: string; running: boolean } | "gone" | "unknown" {
  let stat: string;
  try {
    stat = nodeBuiltin<Fs>("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    return (error as { code?: string })?.code === "ENOENT" ? "gone" : "unknown";
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), fields[19] field 22 (start time)
  return { start: fields[19], running: fields[0] !== "Z" && fields[0] !== "X" };
}

let self: ProcessId | undefined;

/** This process. */
export function thisProcess(): ProcessId {
  if (self === undefined) {
    const pid = (globalThis as unknown as { process: { pid: number } }).process.pid;
    const entry = procEntry(pid);
    self = { pid, start: typeof entry === "object" ? entry.start : "0" };
  }
  return self;
}

/**
 * Whether `id` still runs. When in doubt (no permission to read its entry), it does: never take a live
 * one's place. A zombie (killed, not yet reaped) does not: a parent that never reaps, such as a Node
 * process as a container's PID 1, must not hold every other process's lock forever.
 */
export function processAlive(id: ProcessId): boolean {
  if (id.start !== "0") {
    const entry = procEntry(id.pid);
    if (entry === "unknown") return true;
    if (entry !== "gone") return entry.running && entry.start === id.start;
    // No /proc entry: dead if /proc itself is there (Linux), else ask kill().
    if (procMounted()) return false;
  }
  try {
    (globalThis as unknown as { process: { kill(pid: number, signal: number): void } }).process.kill(id.pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string })?.code !== "ESRCH";
  }
}

function procMounted(): boolean {
  try {
    return nodeBuiltin<Fs>("node:fs").existsSync("/proc/self/stat");
  } catch {
    return false;
  }
}

/** `id` as one word: `<pid>-<start>`. */
export function processWord(id: ProcessId): string {
  return `${id.pid}-${id.start}`;
}

/** The ProcessId in a word made by {@link processWord}, or undefined when it is none. */
export function parseProcessWord(word: string): ProcessId | undefined {
  const match = /^(\d+)-(\d+)$/.exec(word);
  return match === null ? undefined : { pid: Number(match[1]), start: match[2] };
}
