// open() for the ring: lay out the shared memory, initialise the control block, start the flusher thread
// and register the exit drain. The opener is the only thread that initialises anything (ANCHORS.md §5).
import { coreModule, instantiateCore, ringLayout } from "./core.ts";
import type { FlusherPlan } from "./flusher.ts";
import { onExit } from "./exit_hook.ts";
import { siblingModule, workerEntry } from "./module_url.ts";
import { resolveOptions, type OpenOptions } from "./options.ts";
import type { RingHandle, RingLog, RingOwner } from "./ring_log.ts";
import { failure, lifecycle, publishFailure } from "./ring_state.ts";
import { FRAMES_MAGIC, startsWithMagic } from "./frames.ts";
import { nodeBuiltin } from "./node_builtin.ts";

// The memory of one ring log, in bytes:
//   0 .. 64 KiB             left to the module itself (the core has no data segments and allocates nothing)
//   RING_AT                 the ring: control block, then data[capacity] (layout drawn in assembly/ring.ts)
//   RING_AT + DATA + cap    staging: the flusher gathers payloads here for one file write
// initial = maximum: the memory never grows, so no thread ever holds a stale view (ANCHORS.md §5).
const RING_AT = 65536;
const PAGE = 65536;
// At least 1 MiB per file write (fewer syscalls, ANCHORS.md §5: 100k × 200 B ≈ 100 ms vs 1k × 20 KB ≈ 12 ms),
// and at least one largest record.
const MIN_STAGING = 1 << 20;

/** What the flusher thread receives. */
export interface FlusherStart {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  path: string;
  append: boolean;
  driver: string | undefined;
  plan: FlusherPlan;
  /** Bytes the flusher writes first, once the file is open: the frames header of a new frames file. */
  preamble: Uint8Array | undefined;
}

export async function startRing(
  path: string,
  options: OpenOptions | undefined,
  makeLog: (handle: RingHandle, owner: RingOwner) => RingLog,
): Promise<RingLog> {
  const settings = resolveOptions(options);
  const module = coreModule();
  const layout = ringLayout(module);
  const { capacity } = settings;
  const staging = RING_AT + layout.DATA + capacity;
  const stagingSize = Math.min(capacity, Math.max(MIN_STAGING, capacity / 8));
  const pages = Math.ceil((staging + stagingSize + 8) / PAGE); // + 8: gather copies whole words
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const { core } = instantiateCore(module, memory);
  core.init(RING_AT, capacity, settings.maxRecord);

  const plan: FlusherPlan = {
    ring: RING_AT,
    staging,
    stagingSize,
    syncIntervalMs: settings.syncIntervalMs,
    unblockTimeoutMs: settings.unblockTimeoutMs,
    lingerMs: settings.lingerMs,
  };
  const preamble = fileHeaderToWrite(path, settings.format, settings.append);
  const start: FlusherStart = { memory, module, path, append: settings.append, driver: settings.driver, plan, preamble };
  const { Worker } = await import("node:worker_threads");
  const worker = new Worker(workerEntry(siblingModule(import.meta.url, "./flusher_worker")), { workerData: start });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  // A flusher that dies is reported to every waiter and writer, never left silent (pino#2048).
  worker.on("error", (error: Error) => {
    publishFailure(core, memory, layout, RING_AT, { message: `ringlog: the flusher thread of ${JSON.stringify(path)} died: ${error?.message ?? error}` });
  });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", (message: { type: string; message?: string; code?: string }) => {
      if (message.type === "ready") resolve();
      else reject(Object.assign(new Error(message.message), { code: message.code }));
    });
    exited.then(() => reject(failure(memory, layout, RING_AT) ?? new Error(`ringlog: the flusher thread for ${JSON.stringify(path)} exited before opening the file`)));
  });
  worker.unref(); // the flusher must not keep the process alive: the exit drain below handles the end

  const handle: RingHandle = { ringlog: 1, strategy: "ring", memory, module, ring: RING_AT, path, settings };
  const i32 = new Int32Array(memory.buffer);
  const i64 = new BigInt64Array(memory.buffer);
  const stop = () => {
    core.close(RING_AT);
    core.hurry(RING_AT, 0n);
  };
  // Bounded waits: a dead producer's claim is revoked after unblockTimeoutMs, then the flusher goes on.
  const exitDeadline = () => performance.now() + settings.unblockTimeoutMs + 10_000;
  const unregister = onExit(
    () => {
      // Also when a close() is under way but not awaited (close(); process.exit()): wait for the flusher.
      stop();
      const deadline = exitDeadline();
      while (lifecycle(memory, layout, RING_AT) === layout.OPEN && performance.now() < deadline) {
        Atomics.wait(i32, (RING_AT + layout.LIFECYCLE) / 4, layout.OPEN, 100);
      }
    },
    () => {
      // Deno's uncaught error, which the program may still handle: write what is committed, stay open.
      core.hurry(RING_AT, 0n);
      const target = Atomics.load(i64, (RING_AT + layout.TAIL) / 8) & ~layout.CLOSED;
      const deadline = exitDeadline();
      for (let head = Atomics.load(i64, (RING_AT + layout.HEAD) / 8); head < target && performance.now() < deadline; head = Atomics.load(i64, (RING_AT + layout.HEAD) / 8)) {
        if (lifecycle(memory, layout, RING_AT) !== layout.OPEN) break;
        Atomics.wait(i64, (RING_AT + layout.HEAD) / 8, head, 100);
      }
    },
  );
  const owner: RingOwner = {
    async close() {
      stop();
      worker.ref();
      await exited;
      unregister(); // only now: until the flusher is gone, an exit must still wait for it
      const error = failure(memory, layout, RING_AT);
      if (error) throw error;
    },
  };
  return makeLog(handle, owner);
}

/**
 * A new or emptied frames file starts with the frames header; appending must not mix formats: frames
 * after text would be unreadable as either, and so would text after frames. (A driver for another kind of
 * sink may name a path that is no local file: that reads as a new file.)
 */
function fileHeaderToWrite(path: string, format: "text" | "frames", append: boolean): Uint8Array | undefined {
  const head = append ? firstBytes(path, FRAMES_MAGIC.length) : new Uint8Array(0);
  const frames = startsWithMagic(head);
  if (format === "frames") {
    if (head.length === 0) return FRAMES_MAGIC;
    if (frames && head.length === FRAMES_MAGIC.length) return undefined;
    throw new Error(`ringlog: cannot append frames to ${JSON.stringify(path)}: it ${frames ? "has a cut-short frames header (run recover() on it)" : "is not a frames file (it does not start with the frames header)"}; open it with append: false to replace it`);
  }
  if (frames) throw new Error(`ringlog: cannot append text to ${JSON.stringify(path)}: it is a frames file; open it with format: "frames"`);
  return undefined;
}

function firstBytes(path: string, count: number): Uint8Array {
  const fs = nodeBuiltin<typeof import("node:fs")>("node:fs");
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch {
    return new Uint8Array(0); // no such file yet (or none we can read here): the flusher's open will tell
  }
  try {
    const bytes = new Uint8Array(count);
    return bytes.subarray(0, fs.readSync(fd, bytes, 0, count, 0));
  } finally {
    fs.closeSync(fd);
  }
}
