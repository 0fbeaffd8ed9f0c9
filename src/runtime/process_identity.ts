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

/** The start time of process `pid` from /proc, or undefined when there is no such process or no /proc. */
function startOf(pid: number): string | undefined {
  try {
    const stat = nodeBuiltin<Fs>("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19]; // field 22 overall; fields[0] is field 3
  } catch {
    return undefined;
  }
}

let self: ProcessId | undefined;

/** This process. */
export function thisProcess(): ProcessId {
  if (self === undefined) {
    const pid = (globalThis as unknown as { process: { pid: number } }).process.pid;
    self = { pid, start: startOf(pid) ?? "0" };
  }
  return self;
}

/** Whether `id` still runs. When in doubt (no permission to ask), it does: never take a live one's place. */
export function processAlive(id: ProcessId): boolean {
  if (id.start !== "0") {
    const start = startOf(id.pid);
    if (start !== undefined) return start === id.start;
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
