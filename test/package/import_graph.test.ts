// The house's import rules, checked over the import graph of mod.ts, src/ and assembly/ (every kind of edge:
// see test/support/import_graph.ts): no circle; only src/integrations/ imports src/integrations/ (adapters
// to other loggers sit on top of the library, never under it); src/core/ (the wasm core and its views)
// imports no other room, only the public types of src/log.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { importCircles, importGraph, tsFilesUnder, type ImportEdge, type ImportGraph } from "../support/import_graph.ts";

const repo = new URL("../..", import.meta.url).pathname.replace(/\/dist\/$/, "/");
const graph = importGraph(repo, ["mod.ts", ...tsFilesUnder(repo, "src"), ...tsFilesUnder(repo, "assembly")]);
const allEdges = (g: ImportGraph): ImportEdge[] => [...g.edges.values()].flat();
const where = (e: ImportEdge): string => `${e.from}:${e.line} -> ${e.to} (${e.kind}${e.typeOnly ? ", types only" : ""})`;

test("mod.ts, src/ and assembly/: no import circle, type-only imports, dynamic imports and worker entries included", () => {
  const circles = importCircles(graph);
  assert.ok(circles.length === 0, `import circles:\n  ${circles.join("\n  ")}`);
});

test("the graph sees the library: every file under src/ and assembly/, worker entries, type-only edges", () => {
  // A reader that found no edges would find no circle either: pin a few edges of each kind that exist.
  const files = [...graph.edges.keys()];
  assert.ok(files.every((f) => f === "mod.ts" || f.startsWith("src/") || f.startsWith("assembly/")), `outside the library: ${files.join(", ")}`);
  const has = (from: string, to: string, kind: string, typeOnly: boolean): boolean =>
    allEdges(graph).some((e) => e.from === from && e.to === to && e.kind === kind && e.typeOnly === typeOnly);
  assert.ok(has("mod.ts", "src/open.ts", "export", false), "mod.ts re-exports open.ts");
  assert.ok(has("mod.ts", "src/log.ts", "export", true), "mod.ts re-exports log.ts's types");
  assert.ok(has("src/ring/ring_open.ts", "src/flusher/flusher_worker.ts", "worker-url", false), "the flusher's thread entry");
  assert.ok(has("src/strategies/buffered_offthread.ts", "src/strategies/buffered_offthread_worker.ts", "worker-url", false), "the offthread writer's entry");
  assert.ok(has("assembly/core.ts", "assembly/ring.ts", "export", false), "AssemblyScript, extensionless");
  assert.ok(has("src/core/writer_state.ts", "src/log.ts", "import", true), "import type");
  // The one computed specifier: the user's own file driver (open()'s `driver` option), not our module.
  assert.equal(graph.unanalyzable.map((at) => at.replace(/:\d+$/, "")), ["src/io/driver_select.ts"]);
});

test("nothing under src/ imports src/integrations/ but src/integrations/ itself", () => {
  const wrong = allEdges(graph).filter(
    (e) => e.to.startsWith("src/integrations/") && e.from.startsWith("src/") && !e.from.startsWith("src/integrations/"),
  );
  assert.equal(wrong.map(where), []);
});

test("src/core/ imports no other room, only the types of src/log.ts", () => {
  const wrong = allEdges(graph).filter(
    (e) => e.from.startsWith("src/core/") && !e.to.startsWith("src/core/") && !(e.to === "src/log.ts" && e.typeOnly),
  );
  assert.equal(wrong.map(where), []);
});

// The reader itself, on small made-up trees: a circle closed by each kind of edge is found and named.
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "ringlog-graph-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, dirname(name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const closers: Record<string, string> = {
  "import type": `import type { A } from "./a.ts";`,
  "import { type A }": `import { type A } from "./a.ts";`,
  "export type from": `export type { A } from "./a.ts";`,
  "export * from": `export * from "./a.ts";`,
  "typeof import()": `type M = typeof import("./a.ts");`,
  "dynamic import()": `export async function later(): Promise<unknown> { return await import("./a.ts"); }`,
  "siblingModule worker": `import { siblingModule } from "./url.ts";\nexport const entry: URL = siblingModule(import.meta.url, "./a");`,
  "new URL worker": `export const entry: URL = new URL("./a.ts", import.meta.url);`,
  "AssemblyScript, no extension": `import { A } from "./a";`,
};

for (const [kind, closer] of Object.entries(closers)) {
  test(`a circle closed by ${kind} is found, and named`, () => {
    const root = tree({
      "a.ts": `import { B } from "./b.ts";\nexport type A = number;`,
      "b.ts": `${closer}\nexport const B = 1;`,
      "url.ts": `export function siblingModule(base: string, name: string): URL { return new URL(name, base); }`,
    });
    const circles = importCircles(importGraph(root, ["a.ts"]));
    assert.is(circles.length, 1, circles.join("\n"));
    assert.match(circles[0], /^a\.ts -> b\.ts \[a\.ts:1 import\] -> a\.ts \[b\.ts:\d+ /);
  });
}

test("imports in comments and strings are not edges; a longer circle is named file by file", () => {
  const root = tree({
    "a.ts": `// import "./c.ts"\nconst s = 'import "./c.ts"';\nimport "./b.ts";`,
    "b.ts": `/* import "./a.ts" */ import "./c.ts";`,
    "c.ts": `import "./a.ts";`,
  });
  assert.equal(importCircles(importGraph(root, ["a.ts"])), ["a.ts -> b.ts [a.ts:3 import] -> c.ts [b.ts:1 import] -> a.ts [c.ts:1 import]"]);
  const open = tree({ "a.ts": `// import "./b.ts"\nimport "./b.ts";`, "b.ts": `const a = "import './a.ts'";` });
  assert.equal(importCircles(importGraph(open, ["a.ts"])), []);
});

test("an import of a file that does not exist fails the reader, naming it", () => {
  const root = tree({ "a.ts": `import "./gone.ts";` });
  assert.throws(() => importGraph(root, ["a.ts"]), /a\.ts:1 imports "\.\/gone\.ts", which is no file/);
});

test.run();
