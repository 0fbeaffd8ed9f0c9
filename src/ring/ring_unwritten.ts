// What an exit drain of the ring left out of the file, for the exit hook to say (runtime/exit_hook.ts):
// the records between head and the position the drain waited for, counted by walking their headers
// (assembly/ring.ts: [i32 length | i32 tag], negative while being written, tag PADDING for filler).
import type { RingView } from "../core/ring_view.ts";

/** The ring's layout as this walk reads it: PADDING and CAPACITY are exported by assembly/ring.ts too. */
interface WalkLayout {
  readonly PADDING: number;
  readonly CAPACITY: number;
  readonly DATA: number;
  readonly HEADER: number;
}

/** Records and payload bytes in [head, end) of the ring; a header not yet written ends the count there. */
export function unwrittenRecords(view: RingView, end: bigint): { records: number; bytes: number; unknownBytes: number } {
  const layout = view.layout as unknown as WalkLayout;
  const capacity = BigInt(view.i32[(view.ring + layout.CAPACITY) / 4]);
  const data = view.ring + layout.DATA;
  let records = 0;
  let bytes = 0;
  let at = view.head();
  while (at < end) {
    const index = data + Number(at & (capacity - 1n));
    const length = Math.abs(Atomics.load(view.i32, index / 4));
    if (length === 0) break; // claimed, its header not written yet: its size is unknown
    if (Atomics.load(view.i32, index / 4 + 1) !== layout.PADDING) {
      records++;
      bytes += length - layout.HEADER;
    }
    at += BigInt((length + 7) & ~7);
  }
  return { records, bytes, unknownBytes: at < end ? Number(end - at) : 0 };
}

/**
 * Throws, for the exit hook to report on stderr (with a non-zero exit code), when the ring's exit drain did
 * not get everything below `end` into the file: the file failed, or the drain gave up after `waitedMs`.
 * Returns quietly when head reached `end`.
 */
export function assertDrained(view: RingView, path: string, end: bigint, waitedMs: number, boundMs: number): void {
  if (view.head() >= end) return;
  const { records, bytes, unknownBytes } = unwrittenRecords(view, end);
  const left = `${records} records (${bytes} bytes${unknownBytes > 0 ? `, and ${unknownBytes} bytes of claims not yet written` : ""})`;
  const failure = view.state.failure();
  const why = failure
    ? `the file failed: ${failure.message}`
    : `the exit drain gave up after ${Math.round(waitedMs)} ms (its bound: unblockTimeoutMs + 10 s = ${boundMs} ms): the flusher's file writes did not finish in time`;
  throw new Error(`ringlog: ${left} of ${JSON.stringify(path)} did not reach the file at exit; ${why}`);
}
