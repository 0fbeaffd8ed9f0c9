// The logger benchmark's variants: each logger with ringlog, with the file destinations its users run
// today (one per producer thread, all appending to the same file), and with a no-op sink, the floor. pino
// has a second floor, "pino-encode": a destination that UTF-8-encodes each line into a buffer and keeps
// nothing, the least any destination that puts the line in a file must do (pino's line is a string built
// by concatenation, which the no-op never reads, so never flattens nor encodes: bench/pino_call.ts).

export const VARIANTS = [
  "pino-noop",
  "pino-encode",
  "pino-ringlog",
  "pino-destination",
  "pino-file",
  "logtape-noop",
  "logtape-ringlog",
  "logtape-file",
  "logtape-file-nonblocking",
] as const;
export type Variant = (typeof VARIANTS)[number];

export type Runtime = "node" | "deno" | "bun";

interface VariantInfo {
  /** What the table calls it. */
  label: string;
  logger: "pino" | "logtape";
  /** Writes the file through ringlog (the main thread opens the log, the workers attach). */
  ring: boolean;
  /** Writes nothing: the floor. */
  noop: boolean;
  /** Where it runs, and why not elsewhere. */
  runtimes: readonly Runtime[];
  unavailable?: string;
}

const PINO_PEER = "pino's own destinations write nothing on Deno (deno#26154)";
export const VARIANT_INFO: Record<Variant, VariantInfo> = {
  "pino-noop": { label: "pino → no-op stream", logger: "pino", ring: false, noop: true, runtimes: ["node", "deno", "bun"] },
  "pino-encode": { label: "pino → encodes each line (the fastest way), writes nothing", logger: "pino", ring: false, noop: true, runtimes: ["node", "deno", "bun"] },
  "pino-ringlog": { label: "pino → ringlog (pinoDestination)", logger: "pino", ring: true, noop: false, runtimes: ["node", "deno", "bun"] },
  "pino-destination": { label: "pino → pino.destination() per worker", logger: "pino", ring: false, noop: false, runtimes: ["node", "bun"], unavailable: PINO_PEER },
  "pino-file": { label: "pino → pino/file transport per worker", logger: "pino", ring: false, noop: false, runtimes: ["node", "bun"], unavailable: PINO_PEER },
  "logtape-noop": { label: "LogTape → no-op sink (formats)", logger: "logtape", ring: false, noop: true, runtimes: ["node", "deno", "bun"] },
  "logtape-ringlog": { label: "LogTape → ringlog (getRingSink)", logger: "logtape", ring: true, noop: false, runtimes: ["node", "deno", "bun"] },
  "logtape-file": { label: "LogTape → getFileSink per worker", logger: "logtape", ring: false, noop: false, runtimes: ["node", "deno", "bun"] },
  "logtape-file-nonblocking": { label: "LogTape → getFileSink nonBlocking per worker", logger: "logtape", ring: false, noop: false, runtimes: ["node", "deno", "bun"] },
};

/** The sets: pino on Node; pino and LogTape on Bun; LogTape on Deno. */
export function defaultVariants(runtime: Runtime): Variant[] {
  const pinoSet: Variant[] = ["pino-noop", "pino-encode", "pino-ringlog", "pino-destination", "pino-file"];
  const logtapeSet: Variant[] = ["logtape-noop", "logtape-ringlog", "logtape-file", "logtape-file-nonblocking"];
  return runtime === "node" ? pinoSet : runtime === "deno" ? logtapeSet : [...pinoSet, ...logtapeSet];
}
