// Deno.bench, typed here so that `tsc` (which compiles bench/ for Node with @types/node) accepts the
// `deno bench` suites, and Deno's own checker sees no second declaration of `Deno`.

/** Deno's BenchContext: the part of fn between start() and end() is what is timed. */
export interface BenchContext {
  start(): void;
  end(): void;
}

export interface BenchDefinition {
  name: string;
  group?: string;
  baseline?: boolean;
  fn: (b: BenchContext) => void;
}

/** `Deno.bench`: registers a benchmark; only `deno bench` runs these files. */
export function bench(definition: BenchDefinition): void {
  const deno = (globalThis as unknown as { Deno?: { bench(definition: BenchDefinition): void } }).Deno;
  if (deno === undefined) throw new Error("this file is a `deno bench` suite: run it with `deno bench -A <file>`");
  deno.bench(definition);
}
