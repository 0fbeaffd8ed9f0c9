// Which thread this is, as the ring's owner table records it (assembly/ring.ts, "Owners"): threadId + 1,
// the id a Worker object shows in the thread that created it, so that its exit can be matched to its claims.
import { describe } from "../describe.ts";
import { nodeBuiltin } from "./node_builtin.ts";

type WorkerThreads = typeof import("node:worker_threads");

/** A worker as its creating thread sees it: Node's, Deno's and Bun's node:worker_threads Worker. */
export interface WatchedWorker {
  /** The worker's thread id, as the creating thread sees it. */
  readonly threadId: number;
  /** Calls `listener` once when the worker's thread has ended. */
  once(event: "exit", listener: (code: number) => void): unknown;
}

/** This thread's owner id, or 0 (unknown) where the runtime cannot tell threads apart. */
export function threadOwner(): number {
  const { threadId, isMainThread } = nodeBuiltin<WorkerThreads>("node:worker_threads");
  // Deno's Web Workers claim to be the main thread, with threadId 0: unknown, never matched to a death.
  const scope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;
  const webWorker = scope !== undefined && globalThis instanceof scope;
  if (isMainThread && webWorker) return 0;
  return threadId + 1;
}

/** The owner id of `worker`'s thread, as seen by the thread that created it. */
export function workerOwner(worker: WatchedWorker): number {
  const w = worker as Partial<WatchedWorker> | undefined;
  if (typeof w !== "object" || w === null || typeof w.threadId !== "number" || typeof w.once !== "function") {
    throw new TypeError(`ringlog: watch() takes a node:worker_threads Worker (with threadId and once("exit")), got ${describe(worker)}`);
  }
  return w.threadId + 1;
}

/**
 * Whether a worker's exit event means its thread has stopped running, so that its claims can be revoked.
 * In Node and Bun it does. Deno emits it when terminate() is called, and the thread runs on: measured here,
 * a worker writing flat out moved the ring's tail by 17 MB in the 100 ms after its exit event, against 0 in
 * Node and Bun. There, log.watch() must not act; dead writers are found by unblockTimeoutMs alone.
 */
export function exitMeansStopped(): boolean {
  return !("Deno" in globalThis);
}
