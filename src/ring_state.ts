// The flusher's lifecycle word and failure text, as every thread reads and the flusher writes them.
import type { RingLayout } from "./core.ts";
import { loadFailure, storeFailureText } from "./failure_text.ts";

export function lifecycle(memory: WebAssembly.Memory, layout: RingLayout, ring: number): number {
  return Atomics.load(new Int32Array(memory.buffer), (ring + layout.LIFECYCLE) / 4);
}

export function publishLifecycle(memory: WebAssembly.Memory, layout: RingLayout, ring: number, state: number): void {
  const i32 = new Int32Array(memory.buffer);
  Atomics.store(i32, (ring + layout.LIFECYCLE) / 4, state);
  Atomics.notify(i32, (ring + layout.LIFECYCLE) / 4);
}

/** The flusher failed: store the message, then FAILED, then wake every kind of waiter so each sees it. */
export function publishFailure(memory: WebAssembly.Memory, layout: RingLayout, ring: number, message: string): void {
  storeFailureText(memory, ring + layout.ERROR, layout.ERROR_CAPACITY, message);
  publishLifecycle(memory, layout, ring, layout.FAILED);
  const i64 = new BigInt64Array(memory.buffer);
  Atomics.notify(i64, (ring + layout.HEAD) / 8);
  Atomics.notify(i64, (ring + layout.SYNCED) / 8);
}

/** The flusher's failure as an Error, or undefined while it has not failed. */
export function failure(memory: WebAssembly.Memory, layout: RingLayout, ring: number): Error | undefined {
  return lifecycle(memory, layout, ring) === layout.FAILED ? loadFailure(memory, ring + layout.ERROR) : undefined;
}
