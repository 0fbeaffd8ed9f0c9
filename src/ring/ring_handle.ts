// What crosses threads for a ring log, and what only its opener holds.
import type { RingSettings } from "../options.ts";

/** The ring's handle: plain data plus the shared memory and the compiled module, so structured-cloneable. */
export interface RingHandle {
  readonly ringlog: 1;
  readonly strategy: "ring";
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  /** Address of the ring's control block in memory. */
  readonly ring: number;
  /** The file, absolute. */
  readonly path: string;
  readonly settings: RingSettings;
}

/** The opener's side of a ring: it alone can stop the flusher. */
export interface RingOwner {
  /** Closes the ring to new records, waits until the flusher drained it and closed the file. */
  close(): Promise<void>;
}
