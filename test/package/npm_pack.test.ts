// The package as npm users get it: `npm pack`, the tarball installed into an empty project (offline: it has
// no dependencies), and a user's program there, `import { open, attach } from "ringlog"` with worker threads
// attaching, run by the runtime running this file: Node loads dist/ (package.json "default"), Bun the
// TypeScript sources ("bun"), Deno dist/ too, by the package name and by an npm: specifier (Deno does not
// strip types under node_modules: ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING). Both strategies whose
// threads start from a module URL inside the package (the ring's flusher, buffered-offthread's writer).
// Deno by URL, as JSR and CDNs serve modules, is test/package/import_outside.test.ts.
import { notWhere } from "../support/not_on.ts";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectedLines, writeUserProgram, writtenLines, type UserProgram } from "../support/user_program.ts";

const repo = new URL("../..", import.meta.url).pathname.replace(/\/dist\/$/, "/");
const g = globalThis as unknown as { Deno?: { execPath(): string }; process: { execPath: string } };
const runtime = g.Deno ? "deno" : "Bun" in globalThis ? "bun" : "node";

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; output: string } {
  const child = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: child.status, stdout: child.stdout, output: `${command} ${args.join(" ")}\n${child.stdout}${child.stderr}${child.error ?? ""}` };
}

// Packed and installed once per run of this file.
let installed: { project: string; files: string[] } | undefined;
function install(): { project: string; files: string[] } {
  if (installed) return installed;
  assert.ok(existsSync(join(repo, "dist/mod.js")), "dist/ is missing: run `npm run build` first (npm test does)");
  const packs = mkdtempSync(join(tmpdir(), "ringlog-pack-"));
  // --ignore-scripts: prepack would rebuild dist/ under the tests running from it; npm test has just built it.
  const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packs], repo);
  assert.is(pack.status, 0, pack.output);
  const [{ filename, files }] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const project = mkdtempSync(join(tmpdir(), "ringlog-user-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-app", private: true, type: "module" }));
  const add = run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(packs, filename)], project);
  assert.is(add.status, 0, add.output);
  installed = { project, files: files.map((f) => f.path).sort() };
  return installed;
}

function runUserProgram(program: Omit<UserProgram, "path" | "ext">, ext: "mjs" | "ts" = "mjs"): void {
  const { project } = install();
  const dir = mkdtempSync(join(project, "run-"));
  const full: UserProgram = { ...program, path: join(dir, "app.log"), ext };
  const main = writeUserProgram(dir, full);
  const args = runtime === "deno" ? ["run", "-A", main] : [main];
  const child = run(runtime === "deno" ? g.Deno!.execPath() : g.process.execPath, args, dir);
  assert.is(child.status, 0, child.output);
  assert.equal(writtenLines(full.path), expectedLines(full));
}

test("npm pack: the tarball holds what each runtime loads, and nothing else of the repository", () => {
  const { files } = install();
  const wanted = ["package.json", "LICENSE", "README.md", "mod.ts", "dist/mod.js", "dist/mod.d.ts",
    "src/flusher/flusher_worker.ts", "src/strategies/buffered_offthread_worker.ts", "src/core/core_wasm.generated.ts"];
  for (const file of wanted) assert.ok(files.includes(file), `${file} is not in the tarball`);
  // Node loads the compiled copy of every source module (workers included, started by URL, not imported).
  for (const source of files.filter((f) => f.startsWith("src/") && f.endsWith(".ts"))) {
    const compiled = `dist/${source.replace(/\.ts$/, ".js")}`;
    assert.ok(files.includes(compiled), `${compiled} (Node's copy of ${source}) is not in the tarball`);
  }
  const stray = files.filter((f) => /^(test|bench|assembly|scripts|dist\/test|dist\/bench)\//.test(f));
  assert.equal(stray, [], "tests, benches and the AssemblyScript sources stay out of the package");
});

for (const strategy of ["ring", "buffered-offthread"]) {
  test(`installed from the tarball, ${runtime} runs import { open, attach } from "ringlog": main thread and 2 workers, every record once (${strategy})`, () => {
    runUserProgram({ specifier: "ringlog", strategy, workers: 2, records: 200 });
  });
}

// npm: specifiers are Deno's; Node and Bun import the package by its name, above.
if (!notWhere(runtime !== "deno", "node and bun", "npm: specifiers are Deno's; they import the package by its name")) test(`the npm: specifier, from the project's node_modules (Deno)`, () => {
  runUserProgram({ specifier: "npm:ringlog", workers: 2, records: 200 });
});

test("the package's types: a strict TypeScript user program checks against dist/mod.d.ts", () => {
  const { project } = install();
  const dir = mkdtempSync(join(project, "types-"));
  writeFileSync(join(dir, "check.ts"), `import { attach, open, read, Sequencer, type Log, type LogHandle, type OpenOptions } from "ringlog";
const options: OpenOptions = { capacity: 1 << 16, onFull: "drop" };
const log: Log = await open("app.log", options);
const handle: LogHandle = log.handle;
const other: Log = attach(handle);
const accepted: boolean = other.record({ message: "typed" });
await other.close();
await log.close();
for await (const record of read("app.log")) record satisfies Uint8Array;
const seq: Sequencer = new Sequencer("out.bin");
await seq.write(0, new Uint8Array([accepted ? 1 : 0]));
await seq.close();
`);
  // Node users: tsc with nodenext resolution, no @types/node, the package's .d.ts checked too (no skipLibCheck).
  const compilerOptions = { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2024", "dom"], types: [] };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["check.ts"] }));
  if (notWhere(runtime === "bun", "bun", "the package's types: Bun runs TypeScript without checking it; node checks with tsc, deno with deno check")) return;
  const checked = runtime === "deno"
    ? run(g.Deno!.execPath(), ["check", "check.ts"], dir)
    : run(g.process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], dir);
  assert.is(checked.status, 0, checked.output);
});

test.run();
