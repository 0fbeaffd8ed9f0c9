/**
 * The URL of a module beside `base` (an import.meta.url). Deno and Bun run the .ts sources, Node runs the
 * compiled .js in dist/: the sibling takes the extension of the module asking for it.
 */
export function siblingModule(base: string, name: string): URL {
  return new URL(`${name}${base.endsWith(".ts") ? ".ts" : ".js"}`, base);
}
