/**
 * The URL of a module beside `base` (an import.meta.url). Deno and Bun run the .ts sources, Node runs the
 * compiled .js in dist/: the sibling takes the extension of the module asking for it.
 */
export function siblingModule(base: string, name: string): URL {
  return new URL(`${name}${base.endsWith(".ts") ? ".ts" : ".js"}`, base);
}

/**
 * A URL that node:worker_threads can start in every runtime. Deno's accepts only file: and data: URLs, so
 * a module imported over http(s) (deno.land, an import map pointing to a CDN) starts through a one-line
 * data: module that imports it.
 */
export function workerEntry(url: URL): URL {
  if (url.protocol === "file:") return url;
  return new URL(`data:text/javascript,import ${encodeURIComponent(JSON.stringify(url.href))};`);
}
