// Loads the AssemblyScript core (assembly/) and gives it a typed face. The module is compiled once per
// process by the opener and travels inside the handle; each thread makes its own instance over the shared
// memory, so the wasm globals (claimEnd, gatherEnd) are per thread while every control word is shared.
import { CORE_WASM_BASE64 } from "./core_wasm.generated.ts";

/** The wasm exports, as the TypeScript side uses them. Layout constants are read from the module itself. */
export interface Core {
  init(ring: number, capacity: number, maxRecord: number): void;
  attach(ring: number, owner: number): number;
  ownerDied(ring: number, owner: number): void;
  headOwnerDead(ring: number): number;
  claim(ring: number, payload: number, tag: number): number;
  commit(ring: number, payloadAt: number, tag: number): number;
  commitFrame(ring: number, payloadAt: number, tag: number): number;
  crc32cInit(table: number): void;
  crc32c(table: number, crc: number, at: number, length: number): number;
  scanFrames(table: number, at: number, length: number, maxFrame: number): number;
  frameEnds(at: number, length: number, maxFrame: number, ends: number, maxEnds: number): number;
  scanLines(at: number, length: number, ends: number, maxEnds: number): number;
  abort(ring: number, payloadAt: number, tag: number): number;
  wake(ring: number): void;
  hurry(ring: number, position: bigint): void;
  linger(ring: number): number;
  lastClaimEnd(): bigint;
  gather(ring: number, staging: number, stagingSize: number): number;
  gathered(ring: number): number;
  nextPayload(ring: number): number;
  release(ring: number): void;
  close(ring: number): bigint;
  unblock(ring: number): number;
  prepareSleep(ring: number): number;
  requestSync(ring: number, position: bigint): void;
  askRotation(ring: number, after: bigint): bigint;
  askReopen(ring: number): bigint;
  markSynced(ring: number, position: bigint): void;
  counterAdd(ring: number, counter: number, delta: bigint): void;
}

/**
 * What the ring and the strategies share, as exported by assembly/lifecycle.ts and assembly/counters.ts:
 * one numbering of the writer thread's lifecycle and of the counters.
 */
export interface SharedLayout {
  readonly OPENING: number;
  readonly OPEN: number;
  readonly CLOSING: number;
  readonly DRAINING: number;
  readonly DONE: number;
  readonly FAILED: number;
  readonly COUNT_RECORDS: number;
  readonly COUNT_BYTES: number;
  readonly COUNT_BATCHES: number;
  readonly COUNT_OCCUPANCY: number;
  readonly COUNT_DROPPED: number;
  readonly COUNT_FULL_WAITS: number;
  readonly COUNT_UNBLOCKED: number;
  readonly COUNT_SYNCS: number;
  readonly COUNT_LOST: number;
  readonly COUNT_ROTATIONS: number;
}

/** The ring's layout and codes, as exported by assembly/ring.ts (one source of truth). */
export interface RingLayout extends SharedLayout {
  readonly CLOSED: bigint;
  readonly HEADER: number;
  readonly TAIL: number;
  readonly HEAD: number;
  readonly WAKE: number;
  readonly LIFECYCLE: number;
  readonly SYNC_REQUESTED: number;
  readonly SYNCED: number;
  readonly COUNTERS: number;
  readonly ROTATE_ASKED: number;
  readonly ROTATE_ANSWERED: number;
  readonly ROTATE_AFTER: number;
  readonly REOPEN_ASKED: number;
  readonly REOPEN_ANSWERED: number;
  readonly LAST_FILE: number;
  readonly ROTATED: number;
  readonly ROTATED_SLOTS: number;
  readonly ERROR: number;
  readonly ERROR_CAPACITY: number;
  readonly DATA: number;
  readonly FRAME_HEADER: number;
  readonly CRC_TABLE_BYTES: number;
  readonly RUNNING: number;
  readonly SLEEPING: number;
  readonly LINGERING: number;
  readonly CLAIM_FULL: number;
  readonly CLAIM_CLOSED: number;
  readonly CLAIM_REVOKED: number;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled core, compiled on first use (synchronously: the module is about 8 KiB). */
export function coreModule(): WebAssembly.Module {
  if (compiled === undefined) {
    const text = atob(CORE_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

let layoutOf: RingLayout | undefined;

/** The layout constants, read once from an instance over a scratch one-page memory. */
export function ringLayout(module: WebAssembly.Module): RingLayout {
  layoutOf ??= instantiateCore(module, new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })).layout;
  return layoutOf;
}

/** A fresh instance of the core over `memory` (synchronous, so attach() can be too). */
export function instantiateCore(module: WebAssembly.Module, memory: WebAssembly.Memory): { core: Core; layout: RingLayout } {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as Record<string, unknown>;
  const layout: Record<string, number | bigint> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (value instanceof WebAssembly.Global) layout[name] = value.value;
  }
  return { core: exports as unknown as Core, layout: layout as unknown as RingLayout };
}
