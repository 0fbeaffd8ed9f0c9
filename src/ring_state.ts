// The flusher's lifecycle word and failure text, as every thread reads and the flusher writes them.
import type { Core, RingLayout } from "./core.ts";
import { loadFailure, storeFailureText } from "./failure_text.ts";

export function lifecycle(memory: WebAssembly.Memory, layout: RingLayout, ring: number): number {
  return Atomics.load(new Int32Array(memory.buffer), (ring + layout.LIFECYCLE) / 4);
}

export function publishLifecycle(memory: WebAssembly.Memory, layout: RingLayout, ring: number, state: number): void {
  const i32 = new Int32Array(memory.buffer);
  Atomics.store(i32, (ring + layout.LIFECYCLE) / 4, state);
  Atomics.notify(i32, (ring + layout.LIFECYCLE) / 4);
}

/**
 * The flusher failed: store the error (message and code), publish FAILED, close the ring, then wake every
 * kind of waiter so each sees it. FAILED before the close: a writer whose claim finds the ring closed
 * must find the file's error too, not a plain "closed". The wake after the close: a blocked writer woken
 * earlier could find the ring still open and full, and go back to sleep.
 */
export function publishFailure(core: Core, memory: WebAssembly.Memory, layout: RingLayout, ring: number, error: { message: string; code?: string }): void {
  storeFailureText(memory, ring + layout.ERROR, layout.ERROR_CAPACITY, error.message, error.code);
  publishLifecycle(memory, layout, ring, layout.FAILED);
  core.close(ring);
  const i64 = new BigInt64Array(memory.buffer);
  Atomics.notify(i64, (ring + layout.HEAD) / 8);
  Atomics.notify(i64, (ring + layout.SYNCED) / 8);
}

/** The flusher's failure as an Error, or undefined while it has not failed. */
export function failure(memory: WebAssembly.Memory, layout: RingLayout, ring: number): (Error & { code?: string }) | undefined {
  return lifecycle(memory, layout, ring) === layout.FAILED ? loadFailure(memory, ring + layout.ERROR) : undefined;
}
