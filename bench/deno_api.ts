// Deno.bench, typed here so that `tsc` (which compiles bench/ for Node with @types/node) accepts the
// `deno bench` suites, and Deno's own checker sees no second declaration of `Deno`.

export interface BenchDefinition {
  name: string;
  group?: string;
  baseline?: boolean;
  fn: () => void;
}

/** `Deno.bench`: registers a benchmark; only `deno bench` runs these files. */
export function bench(definition: BenchDefinition): void {
  const deno = (globalThis as unknown as { Deno?: { bench(definition: BenchDefinition): void } }).Deno;
  if (deno === undefined) throw new Error("this file is a `deno bench` suite: run it with `deno bench -A <file>`");
  deno.bench(definition);
}
