/**
 * A module beside `base` (the bench's import.meta.url) for a Worker to run: Deno and Bun run the .ts
 * sources, Node the compiled .js in dist/bench/, so the worker takes the extension of its caller.
 */
export function benchModule(base: string, name: string): URL {
  return new URL(`${name}${base.endsWith(".ts") ? ".ts" : ".js"}`, base);
}
