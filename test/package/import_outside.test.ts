// Deno importing the library by URL from a directory outside this repository (no deno.json, no import map),
// as JSR and CDNs serve modules: import.meta.url is then http(s), so the flusher's and the offthread writer's
// thread entries start through a data: module (src/runtime/module_url.ts workerEntry). Served here from this
// checkout on 127.0.0.1. The package as npm installs it, in all three runtimes: npm_pack.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { notWhere } from "../support/not_on.ts";
import { expectedLines, writeUserProgram, writtenLines, type UserProgram } from "../support/user_program.ts";

const repo = new URL("../..", import.meta.url).pathname.replace(/\/dist\/$/, "/");
const g = globalThis as unknown as { Deno?: { execPath(): string } };

// Node and Bun import no modules over http; they load the package from node_modules (npm_pack.test.ts).
const applies = !notWhere(!g.Deno, "node and bun", "they import no modules over http; npm_pack.test.ts imports the package there");
for (const strategy of applies ? ["ring", "buffered-offthread"] : []) {
  test(`imported by http URL (Deno), records from the main thread and 2 workers reach the file (${strategy})`, async () => {
    const server = createServer((req, res) => {
      try {
        const body = readFileSync(join(repo, new URL(req.url!, "http://x").pathname));
        res.writeHead(200, { "content-type": "application/typescript" }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const dir = mkdtempSync(join(tmpdir(), "ringlog-user-"));
    const program: UserProgram = { specifier: `http://127.0.0.1:${port}/mod.ts`, path: join(dir, "app.log"), ext: "ts", strategy, workers: 2, records: 200 };
    const main = writeUserProgram(dir, program);
    // Asynchronous: this process serves the modules the child imports. A fresh module cache (DENO_DIR), as
    // a first-time user has: not --reload, under which each worker fetches every module again and Deno's
    // HTTP client fails now and then with 3 workers starting ("dispatch task is gone").
    const env = { ...process.env, DENO_DIR: mkdtempSync(join(tmpdir(), "ringlog-deno-dir-")) };
    const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(g.Deno!.execPath(), ["run", "-A", main], { cwd: dir, env });
      setTimeout(() => child.kill("SIGKILL"), 60_000).unref();
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (status) => resolve({ status, stderr }));
    });
    server.close();
    assert.is(run.status, 0, run.stderr);
    assert.equal(writtenLines(program.path), expectedLines(program));
  });
}

test.run();
