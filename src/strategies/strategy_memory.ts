// open() for the article's strategies: validate the options, lay out the log's shared memory and
// initialise it. The opener alone initialises anything; other threads attach to the handle and instantiate
// the core again, which must not rewrite what is live (WebAssembly instantiation copies the module's data
// segments into its memory, shared or not; the core has none: scripts/wasm_source.mjs checks).
import { coreModule } from "../core/core.ts";
import { describe } from "../describe.ts";
import { fileSize, openFile, reportingFile } from "../io/driver.ts";
import { defaultDriver } from "../io/driver_select.ts";
import { resolveBlockSize, resolveOptions, type OpenOptions, type RingSettings } from "../options.ts";
import type { HandleBase } from "../log.ts";
import { strategyCore, type StrategyCore, type StrategyLayout } from "../core/strategy_core.ts";

/** The validated settings; structured-cloneable. blockSize is 0 for the strategies without blocks. */
export interface StrategySettings extends RingSettings {
  blockSize: number;
}

/** Where each part lives in the log's memory (every address 128-aligned). */
export interface StrategyPlan {
  /** assembly/log_state.ts's block. */
  state: number;
  /** assembly/mutex.ts's lock word (locked strategies). */
  mutex: number;
  /** assembly/file_position.ts's block (positional strategies). */
  position: number;
  /** assembly/block_queue.ts: full blocks for the background writer (buffered-offthread). */
  full: number;
  /** assembly/block_queue.ts: the free list of blocks (buffered strategies). */
  free: number;
  /** assembly/block.ts: blockCount blocks, blockStride bytes apart. */
  blocks: number;
  blockStride: number;
  blockCount: number;
}

/** A handle of one of the article's strategies: plain data plus the memory and module, so cloneable. */
export interface StrategyHandle extends HandleBase {
  /** Absolute path: every thread that writes opens its own fd (Deno threads do not share fds). */
  readonly path: string;
  readonly settings: StrategySettings;
  readonly plan: StrategyPlan;
}

// 0 .. 64 KiB is left to the module itself (it has no data segments and allocates nothing), as in the ring.
const BASE = 65536;
const PAGE = 65536;
const LINE = 128;
// Completion slots: ranges that may complete out of order ahead of the oldest pending one. Each writer
// thread has at most one pending range, so 1024 threads before a completer ever waits (file_position P3).
const SLOT_COUNT = 1024;

const align = (n: number) => Math.ceil(n / LINE) * LINE;
const powerOfTwoAtLeast = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

function resolveSettings(strategy: string, options: OpenOptions | undefined): StrategySettings {
  const ring = resolveOptions(options);
  if (ring.driver !== undefined) {
    throw new TypeError(`ringlog: the driver option is supported by the "ring" strategy only, got it with strategy ${describe(strategy)}`);
  }
  if (ring.rotate !== undefined) {
    throw new TypeError(`ringlog: the rotate option is supported by the "ring" strategy only (its flusher owns the file), got it with strategy ${describe(strategy)}`);
  }
  if (ring.syncIntervalMs !== 0) {
    throw new TypeError(`ringlog: the sync option is supported by the "ring" strategy only (use flush({ durable: true })), got it with strategy ${describe(strategy)}`);
  }
  if (strategy !== "buffered" && strategy !== "buffered-offthread") {
    if (options?.blockSize !== undefined) throw new TypeError(`ringlog: blockSize applies to the "buffered" and "buffered-offthread" strategies only, got it with strategy ${describe(strategy)}`);
    return { ...ring, blockSize: 0 };
  }
  const blockSize = resolveBlockSize(options, ring.capacity);
  if (options?.maxRecord === undefined) return { ...ring, maxRecord: Math.min(ring.maxRecord, blockSize), blockSize };
  if (ring.maxRecord > blockSize) {
    throw new RangeError(`ringlog: maxRecord must be at most blockSize (${blockSize}) for strategy ${describe(strategy)}: a record never spans two blocks, got ${describe(ring.maxRecord)}`);
  }
  return { ...ring, blockSize };
}

function planMemory(layout: StrategyLayout, settings: StrategySettings): { plan: StrategyPlan; bytes: number; queueCapacity: number } {
  // The buffered strategies' blocks come out of `capacity` bytes: 512 blocks of 8 KiB by default.
  const blockCount = settings.blockSize === 0 ? 0 : Math.floor(settings.capacity / settings.blockSize);
  const queueCapacity = powerOfTwoAtLeast(blockCount); // file_position Q3: a push never finds it full
  const queueBytes = align(layout.QUEUE_CELLS + 8 * queueCapacity);
  const state = BASE;
  const mutex = state + align(layout.LOG_STATE_SIZE);
  const position = mutex + LINE;
  const full = position + align(layout.POSITION_SLOTS + 8 * SLOT_COUNT);
  const free = full + queueBytes;
  const blocks = free + queueBytes;
  const blockStride = align(layout.BLOCK_DATA + settings.blockSize);
  return { plan: { state, mutex, position, full, free, blocks, blockStride, blockCount }, bytes: blocks + blockCount * blockStride, queueCapacity };
}

/**
 * The opener's setup, shared by every strategy but "ring": truncates the file when `append` is false (so
 * each thread can then open its own fd without truncating), makes the memory and initialises it.
 */
export function createStrategyLog(strategy: HandleBase["strategy"], path: string, options: OpenOptions | undefined): {
  handle: StrategyHandle;
  core: StrategyCore;
  layout: StrategyLayout;
} {
  const settings = resolveSettings(strategy, options);
  const module = coreModule();
  const scratch = strategyCore(module, new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }));
  const { plan, bytes, queueCapacity } = planMemory(scratch.layout, settings);
  // A file that cannot be opened fails here, in open(), with the same words as the ring's; appending
  // positional strategies start at its size.
  const file = reportingFile(openFile(defaultDriver(), path, settings.append ? "append" : "truncate"), path);
  let start: number;
  try {
    start = settings.append ? fileSize(file, path) : 0;
  } finally {
    file.close();
  }
  const pages = Math.ceil(bytes / PAGE);
  // initial = maximum: the memory never grows, so no thread ever holds a stale view (views made before a
  // grow keep their old length).
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const { core, layout } = strategyCore(module, memory);
  core.logInit(plan.state);
  core.positionInit(plan.position, start, SLOT_COUNT);
  core.queueInit(plan.full, queueCapacity);
  core.queueInit(plan.free, queueCapacity);
  for (let n = 0; n < plan.blockCount; n++) core.queuePush(plan.free, n);
  return { handle: { ringlog: 1, strategy, memory, module, path, settings, plan }, core, layout };
}
