// CPU time of single threads, from Linux's /proc/<pid>/task/<tid>/schedstat (its first field: nanoseconds
// the thread has run on a CPU). No runtime has a per-thread CPU clock on all three (Node's
// process.threadCpuUsage came after Node 20), and wall time would count a writer's waits on a full ring.
// Elsewhere than Linux every figure is undefined and the benchmarks print "n/a".
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Nanoseconds the calling thread has run so far, or undefined without /proc. */
export function ownThreadCpuNs(): number | undefined {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]);
  } catch {
    return undefined;
  }
}

/** The calling thread's id (as /proc/self/task lists it), or undefined without /proc. */
export function ownThreadId(): string | undefined {
  try {
    return readlinkSync("/proc/thread-self").split("/").pop();
  } catch {
    return undefined;
  }
}

/** The ids of this process's threads. */
export function threadIds(): string[] {
  try {
    return readdirSync("/proc/self/task");
  } catch {
    return [];
  }
}

/** Nanoseconds thread `tid` of this process has run, or undefined once it has ended. */
export function threadCpuNs(tid: string): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return undefined;
  }
}

/**
 * The thread among `started` (ids that appeared while a log was opened) that runs a worker: Node names
 * worker threads "node", Deno "worker-N", Bun "Worker", and Bun also starts a JSC heap helper with it.
 */
export function workerThreadAmong(started: string[]): string | undefined {
  if (started.length <= 1) return started[0];
  const name = (tid: string) => {
    try {
      return readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
    } catch {
      return "";
    }
  };
  return started.find((tid) => /worker|^node$/i.test(name(tid))) ?? started[0];
}
