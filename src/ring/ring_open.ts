// open() for the ring: lay out the shared memory, initialise the control block, start the flusher thread
// and register the exit drain. The opener is the only thread that initialises anything: every
// WebAssembly.instantiate rewrites the module's data segments, so no thread may rely on static data.
import { coreModule, ringLayout } from "../core/core.ts";
import { RingView } from "../core/ring_view.ts";
import type { FlusherPlan, FlusherStart } from "../flusher/flusher.ts";
import { FRAMES_MAGIC, startsWithMagic } from "../frames/frames.ts";
import { firstBytes, rotationDriver } from "../io/driver.ts";
import { defaultDriver, loadDriver } from "../io/driver_select.ts";
import { resolveOptions, type OpenOptions } from "../options.ts";
import { type Housekeeper, startHousekeeper } from "../rotation/housekeeper.ts";
import { needsHousekeeping } from "../rotation/rotation_policy.ts";
import { onExit } from "../runtime/exit_hook.ts";
import { siblingModule, workerEntry } from "../runtime/module_url.ts";
import { startWriterThread } from "../runtime/writer_thread.ts";
import type { RingHandle } from "./ring_handle.ts";
import { RingLog } from "./ring_log.ts";
import { assertDrained } from "./ring_unwritten.ts";

// The memory of one ring log, in bytes:
//   0 .. 64 KiB             left to the module itself (the core has no data segments and allocates nothing)
//   RING_AT                 the ring: control block, then data[capacity] (layout drawn in assembly/ring.ts)
//   RING_AT + DATA + cap    staging: the flusher gathers payloads here for one file write
// initial = maximum: the memory never grows, so no thread ever holds a stale view (views made before a
// grow keep their old length).
const RING_AT = 65536;
const PAGE = 65536;
// At least 1 MiB per file write (fewer syscalls: 1k writes of 20 KB cost a tenth of 100k writes of 200 B,
// measured in every runtime here), and at least one largest record.
const MIN_STAGING = 1 << 20;
// The exit drain waits for a dead producer's claim to be revoked (unblockTimeoutMs), then this much more.
const EXIT_DRAIN_SLACK_MS = 10_000;

export async function openRing(path: string, options: OpenOptions | undefined): Promise<RingLog> {
  const settings = resolveOptions(options);
  const module = coreModule();
  const layout = ringLayout(module);
  const { capacity } = settings;
  const staging = RING_AT + layout.DATA + capacity;
  const stagingSize = Math.min(capacity, Math.max(MIN_STAGING, capacity / 8));
  const pages = Math.ceil((staging + stagingSize + 8) / PAGE); // + 8: gather copies whole words
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const view = new RingView(module, memory, RING_AT);
  const { core } = view;
  core.init(RING_AT, capacity, settings.maxRecord);

  const plan: FlusherPlan = {
    ring: RING_AT,
    staging,
    stagingSize,
    syncIntervalMs: settings.syncIntervalMs,
    unblockTimeoutMs: settings.unblockTimeoutMs,
    lingerMs: settings.lingerMs,
  };
  const driver = await loadDriver(settings.driver);
  // Here, so that open() says it, not the flusher's first rotation.
  if (settings.rotate !== undefined) rotationDriver(driver, settings.driver === undefined ? "of this runtime" : JSON.stringify(settings.driver));
  // Through the runtime's own driver, not a custom one: the format check is about the local file, and a
  // custom driver need not know the "read" mode (a sink that is no local file reads as a new file).
  const head = settings.append ? firstBytes(defaultDriver(), path, FRAMES_MAGIC.length) : new Uint8Array(0);
  const preamble = fileHeaderToWrite(path, settings.format, head);
  const { format, rotate } = settings;
  const start: FlusherStart = { memory, module, path, append: settings.append, driver: settings.driver, plan, preamble, format, rotate };
  const flusher = await startWriterThread({
    entry: workerEntry(siblingModule(import.meta.url, "../flusher/flusher_worker")),
    workerData: start,
    path,
    role: "flusher",
    died: (message) => view.publishFailure({ message }),
    failure: () => view.state.failure(),
  });

  // Retention and compression of rotated files: a thread of their own, never the flusher's loop.
  let housekeeper: Housekeeper | undefined;
  if (rotate !== undefined && needsHousekeeping(rotate)) {
    housekeeper = await startHousekeeper({ memory, module, ring: RING_AT, path, driver: settings.driver, policy: rotate });
  }

  const handle: RingHandle = { ringlog: 1, strategy: "ring", memory, module, ring: RING_AT, path, settings };
  const stop = () => {
    core.close(RING_AT);
    core.hurry(RING_AT, 0n);
  };
  // Bounded waits: a dead producer's claim is revoked after unblockTimeoutMs, then the flusher goes on.
  // Records the drain could not write (the file failed, or the bound passed) are reported (assertDrained).
  const exitBoundMs = settings.unblockTimeoutMs + EXIT_DRAIN_SLACK_MS;
  const unregister = onExit(
    () => {
      // Also when a close() is under way but not awaited (close(); process.exit()): wait for the flusher.
      stop();
      const started = performance.now();
      view.state.waitForEndSync(exitBoundMs);
      assertDrained(view, path, view.tail(), performance.now() - started, exitBoundMs);
    },
    () => {
      // Deno's uncaught error, which the program may still handle: write what is committed, stay open.
      core.hurry(RING_AT, 0n);
      const target = view.tail();
      const started = performance.now();
      for (let head = view.head(); head < target && performance.now() < started + exitBoundMs; head = view.head()) {
        if (view.state.lifecycle() !== layout.OPEN) break;
        Atomics.wait(view.i64, view.headAt, head, 100);
      }
      assertDrained(view, path, target, performance.now() - started, exitBoundMs);
    },
  );
  return new RingLog(handle, {
    async close() {
      stop();
      flusher.ref();
      await flusher.exited;
      unregister(); // only now: until the flusher is gone, an exit must still wait for it
      const error = view.state.failure();
      const housekept = housekeeper?.finish();
      if (error) {
        housekept?.catch(() => {}); // the file's error is the one to report
        throw error;
      }
      await housekept;
    },
  });
}

/**
 * A new or emptied frames file starts with the frames header; appending must not mix formats: frames
 * after text would be unreadable as either, and so would text after frames. `head` is the file's first
 * bytes (none for a new file, or one opened with append: false).
 */
function fileHeaderToWrite(path: string, format: "text" | "frames", head: Uint8Array): Uint8Array | undefined {
  const frames = startsWithMagic(head);
  if (format === "frames") {
    if (head.length === 0) return FRAMES_MAGIC;
    if (frames && head.length === FRAMES_MAGIC.length) return undefined;
    throw new Error(`ringlog: cannot append frames to ${JSON.stringify(path)}: it ${frames ? "has a cut-short frames header (run recover() on it)" : "is not a frames file (it does not start with the frames header)"}; open it with append: false to replace it`);
  }
  if (frames) throw new Error(`ringlog: cannot append text to ${JSON.stringify(path)}: it is a frames file; open it with format: "frames"`);
  return undefined;
}
