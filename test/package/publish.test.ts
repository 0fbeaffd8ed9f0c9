// Publishable on JSR: `deno publish --dry-run` passes (no error, no slow types), `deno doc --lint mod.ts` is
// clean, and every @example sits on a symbol mod.ts exports, type-checks and runs. These are checks of the
// source tree with the project's own deno binary, the same whichever runtime runs this file: they run once,
// under node, and the deno and bun runs of this file say so.
import { notWhere } from "../support/not_on.ts";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tsFilesUnder } from "../support/import_graph.ts";

const repo = new URL("../..", import.meta.url).pathname.replace(/\/dist\/$/, "/");
const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";

function deno(args: string[], cwd = repo): { status: number | null; output: string; stdout: string } {
  const run = spawnSync(join(repo, "node_modules/.bin/deno"), args, {
    cwd,
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}${run.error ? String(run.error) : ""}`, stdout: run.stdout };
}

// `warning[code]` and the file:line that follows it.
function warnings(output: string): string[] {
  return [...output.matchAll(/^warning\[([\w-]+)\][^\n]*\n\s*--> (\S+?):\d+:\d+/gm)].map(([, code, at]) => `${code} ${at.replace(repo, "")}`);
}

// What JSR publishes as entry points: deno.json's exports (".", "./pino", "./logtape", "./winston").
const entryPoints = Object.values((JSON.parse(readFileSync(join(repo, "deno.json"), "utf8")) as { exports: Record<string, string> }).exports);
const withExamples = ["mod.ts", ...tsFilesUnder(repo, "src")].filter((f) => readFileSync(join(repo, f), "utf8").includes("@example"));

// The checks run the project's deno binary on the sources, the same whichever runtime runs this file: once.
if (!notWhere(runtime !== "node", runtime, "the node run checks the sources with the project's deno, once")) {
  test("deno publish --dry-run: no error, no slow types, the published files", () => {
    const { status, output } = deno(["publish", "--dry-run", "--allow-dirty"]);
    assert.is(status, 0, output);
    assert.match(output, "Success Dry run complete");
    assert.not.match(output, /^error/m, output);
    // The one warning allowed: open()'s `driver` option imports the user's module by a computed specifier,
    // on purpose. (deno publish has no way to silence a warning: denoland/deno#22594.)
    assert.equal(warnings(output), ["unanalyzable-dynamic-import src/io/driver_select.ts"], output);
    // Worker entries are started by URL, not imported, so no graph pulls them in: the include list must.
    for (const file of ["LICENSE", "README.md", "mod.ts", "src/core/core_wasm.generated.ts", "src/flusher/flusher_worker.ts", "src/strategies/buffered_offthread_worker.ts"]) {
      assert.ok(output.includes(`file://${repo}${file} `), `${file} is not published:\n${output}`);
    }
  });

  test("deno doc --lint of every entry point (mod.ts and the logger subpaths): every exported symbol documented, no private type in the public API", () => {
    const { status, output } = deno(["doc", "--lint", ...entryPoints]);
    // The one kind of finding allowed: a logger subpath's API names the logger's own types (LogTape's Sink
    // and TextFormatter, winston-transport's TransportStream), which the logger's package documents.
    // Re-exporting them would pull the peer's undocumented declarations into this package's docs.
    const peerTypes = new Set(["TextFormatter", "Sink", "TransportStream", "TransportStream.TransportStreamOptions"]);
    const findings = [...output.matchAll(/^error\[([\w-]+)\]: ([^\n]*)\n\s*--> (\S+?):\d+:\d+/gm)]
      .map(([, code, message, at]) => ({ code, message, at: at.replace(repo, "") }));
    const ourErrors = findings.filter(({ code, message, at }) => {
      const type = /references private type '([^']+)'/.exec(message)?.[1];
      return !(code === "private-type-ref" && at.startsWith("src/integrations/") && type !== undefined && peerTypes.has(type));
    });
    assert.equal(ourErrors, [], output);
    assert.ok(status === 0 || findings.length > 0, output);
    // deno doc resolves @types/node's own `/// <reference path>` lines as packages and warns
    // (denoland/deno#36751, open): those warnings are about @types/node, not about this package.
    const ours = output.split("\n").filter((line) => line.startsWith("Warning") && !/referrer '[^']*\/@types\/node\//.test(line));
    assert.equal(ours, [], output);
  });

  test("every @example is on a symbol an entry point exports (mod.ts or a logger subpath)", () => {
    const { status, output, stdout } = deno(["doc", "--json", ...entryPoints]);
    assert.is(status, 0, output);
    // Each example once, by its text: a module reachable from two entry points is listed under both.
    const published = new Map<string, Set<string>>();
    const walk = (node: unknown, file: string | undefined): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, file));
      if (typeof node !== "object" || node === null) return;
      const o = node as { kind?: unknown; location?: { filename: string } };
      const here = o.location ? o.location.filename.replace(`file://${repo}`, "") : file;
      if (o.kind === "example" && here !== undefined) published.set(here, (published.get(here) ?? new Set()).add(JSON.stringify(o)));
      for (const value of Object.values(o)) walk(value, here);
    };
    // { nodes: { [module url]: { module_doc, symbols } } }; each symbol carries its own location.
    const { nodes } = JSON.parse(stdout) as { nodes: Record<string, unknown> };
    for (const [url, module] of Object.entries(nodes)) walk(module, url.replace(`file://${repo}`, ""));
    const inSource = new Map(withExamples.map((f) => [f, readFileSync(join(repo, f), "utf8").match(/@example/g)!.length]));
    assert.equal(Object.fromEntries([...published].map(([f, examples]) => [f, examples.size])), Object.fromEntries(inSource), "a file has @example blocks on symbols that no entry point (deno.json exports) exports");
  });

  test("comments cite sources a reader can open: none cites the project brief's anchors file", () => {
    // The brief is not part of the repository; its sections name the public sources to cite instead.
    const brief = ["ANCHORS", "md"].join(".");
    const dirs = ["src", "assembly", "test", "bench", "scripts"];
    const files = ["mod.ts", "README.md", ...dirs.flatMap((d) => readdirSync(join(repo, d), { recursive: true }).map((f) => join(d, String(f))))]
      .filter((f) => /\.(ts|mjs|js|md)$/.test(f) && !f.includes("/results/"));
    const citing = files.filter((f) => readFileSync(join(repo, f), "utf8").includes(brief));
    assert.equal(citing, []);
  });

  test("every @example type-checks and runs (deno check --doc, deno test --doc)", () => {
    const check = deno(["check", "--doc", ...withExamples]);
    assert.is(check.status, 0, check.output);
    // Run from an empty directory, as a user would: the examples' relative paths land there. Type-checked
    // above; --no-check here because tsconfig.json's libs (for tsc) lack the Deno namespace the runner needs.
    const cwd = mkdtempSync(join(tmpdir(), "ringlog-examples-"));
    const run = deno(["test", "--doc", "--no-check", "-A", "--config", join(repo, "deno.json"), ...withExamples.map((f) => join(repo, f))], cwd);
    assert.is(run.status, 0, run.output);
    const passed = Number(/ok \| (\d+) passed \| 0 failed/.exec(run.output)?.[1]);
    const examples = withExamples.reduce((n, f) => n + readFileSync(join(repo, f), "utf8").match(/@example/g)!.length, 0);
    assert.ok(passed >= examples, `${passed} doc tests passed, for ${examples} @example blocks:\n${run.output}`);
  });
}

test.run();
