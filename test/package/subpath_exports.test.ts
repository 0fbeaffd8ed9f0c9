// The logger integrations as packages: "ringlog/pino", "ringlog/logtape" and "ringlog/winston" resolve
// through package.json "exports" (Node: dist/, Bun: the .ts sources) and deno.json "exports"; the core
// (mod.ts and every src/ file outside src/integrations/) imports none of them; the loggers are optional
// peer dependencies, so installing ringlog alone never pulls them in.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = new URL("../..", import.meta.url).pathname.replace(/\/dist\/$/, "/");
const g = globalThis as unknown as { Deno?: unknown; Bun?: unknown; process: { execPath: string } };
const SUBPATHS = { pino: "pinoDestination", logtape: "getRingSink", winston: "RingTransport" } as const;
const PEERS = ["pino", "@logtape/logtape", "winston", "winston-transport"];
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
const deno = JSON.parse(readFileSync(join(repo, "deno.json"), "utf8"));

test("the core imports no integration, and the integrations import only the public API and each other", () => {
  const files = readdirSync(join(repo, "src"), { recursive: true }).map(String).filter((f) => f.endsWith(".ts"));
  const importsOf = (path: string) => [...readFileSync(path, "utf8").matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
  for (const file of ["../mod.ts", ...files.filter((f) => !f.startsWith("integrations/"))]) {
    for (const specifier of importsOf(join(repo, "src", file))) {
      assert.not.match(specifier, "integrations/", `${file} imports ${specifier}`);
    }
  }
  for (const file of files.filter((f) => f.startsWith("integrations/"))) {
    for (const specifier of importsOf(join(repo, "src", file))) {
      const allowed = specifier === "../../mod.ts" || /^\.\/[a-z_]+\.ts$/.test(specifier) || PEERS.includes(specifier);
      assert.ok(allowed, `${file} imports ${specifier}: only ../../mod.ts, its siblings and the loggers`);
    }
  }
});

test("the loggers are optional peer dependencies, never dependencies", () => {
  for (const peer of PEERS) {
    assert.ok(pkg.peerDependencies?.[peer], `${peer} is a peer dependency`);
    assert.is(pkg.peerDependenciesMeta?.[peer]?.optional, true, `${peer} is optional`);
    assert.not.ok(pkg.dependencies?.[peer], `${peer} is not a dependency`);
  }
});

test("package.json and deno.json export each subpath, to files that exist and export the integration", async () => {
  for (const [name, symbol] of Object.entries(SUBPATHS)) {
    const entry = pkg.exports[`./${name}`];
    assert.equal(Object.keys(entry), ["types", "bun", "deno", "default"], `package.json exports ./${name}`);
    assert.is(entry.bun, `./src/integrations/${name}.ts`);
    assert.is(entry.default, `./dist/src/integrations/${name}.js`);
    assert.is(deno.exports[`./${name}`], `./src/integrations/${name}.ts`, `deno.json exports ./${name}`);
    const condition = g.Deno !== undefined ? "deno" : g.Bun !== undefined ? "bun" : "default";
    const module = await import(join(repo, entry[condition]));
    assert.type(module[symbol], "function", `${name} exports ${symbol}`);
  }
  assert.is(deno.exports["."], "./mod.ts");
});

test("imported by package name from outside the repository (Node: dist/, Bun: sources), each subpath logs a line", () => {
  if (g.Deno !== undefined) {
    console.log("subpath_exports: Deno resolves the subpaths through deno.json (checked above), not node_modules");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "ringlog-subpaths-"));
  mkdirSync(join(dir, "node_modules", "@logtape"), { recursive: true });
  symlinkSync(repo, join(dir, "node_modules", "ringlog"));
  for (const peer of PEERS) symlinkSync(join(repo, "node_modules", peer), join(dir, "node_modules", peer));
  const path = join(dir, "app.log");
  writeFileSync(join(dir, "user.mjs"), `import pino from "pino";
import winston from "winston";
import { configure, getLogger, reset } from "@logtape/logtape";
import { open } from "ringlog";
import { pinoDestination } from "ringlog/pino";
import { getRingSink } from "ringlog/logtape";
import { RingTransport } from "ringlog/winston";
const log = await open(${JSON.stringify(path)}, { append: false });
pino({}, pinoDestination(log)).info("from pino");
winston.createLogger({ format: winston.format.json(), transports: [new RingTransport(log)] }).info("from winston");
await configure({ sinks: { ring: getRingSink(log) }, loggers: [{ category: ["app"], sinks: ["ring"] }, { category: ["logtape", "meta"], lowestLevel: "fatal", sinks: [] }] });
getLogger(["app"]).info("from logtape");
await reset();
await log.close();
`);
  const child = spawnSync(g.process.execPath, ["user.mjs"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  assert.is(child.status, 0, child.stderr);
  const text = readFileSync(path, "utf8");
  for (const line of ["from pino", "from winston", "from logtape"]) assert.match(text, line);
});

test.run();
