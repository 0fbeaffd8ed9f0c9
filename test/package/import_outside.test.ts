// The library as its users import it, from a directory outside this repository (no deno.json, no import map):
// Node and Bun through the package name (package.json "exports": dist/mod.js for Node, mod.ts for Bun),
// Deno by http URL, as from deno.land or a CDN (served here from this checkout on 127.0.0.1).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { tempDir } from "../support/temp.ts";

const repo = new URL("../..", import.meta.url).pathname.replace(/\/dist\/$/, "/");
const g = globalThis as unknown as { Deno?: { execPath(): string }; process: { execPath: string } };

// The user's program and its worker, written into the user's directory.
function writeProgram(dir: string, specifier: string, path: string, ext: string): string {
  writeFileSync(join(dir, `worker.${ext}`), `import { workerData } from "node:worker_threads";
import { attach } from ${JSON.stringify(specifier)};
const log = attach(workerData);
log.record({ message: "worker", id: "w" });
await log.close();
`);
  writeFileSync(join(dir, `user.${ext}`), `import { open } from ${JSON.stringify(specifier)};
import { Worker } from "node:worker_threads";
const log = await open(${JSON.stringify(path)}, { append: false });
log.record({ message: "main", id: "m" });
const worker = new Worker(new URL("./worker.${ext}", import.meta.url), { workerData: log.handle });
await new Promise((resolve) => worker.once("exit", resolve));
await log.close();
`);
  return `user.${ext}`;
}

test("imported from outside the repository, records from the main thread and a worker reach the file", async () => {
  const dir = tempDir("user");
  const path = join(dir, "app.log");
  let run;
  if (g.Deno) {
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
    const program = writeProgram(dir, `http://127.0.0.1:${port}/mod.ts`, path, "ts");
    // Asynchronous: this process serves the modules the child imports.
    run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const p = spawn(g.Deno!.execPath(), ["run", "-A", "--reload", program], { cwd: dir });
      setTimeout(() => p.kill("SIGKILL"), 60_000).unref();
      let stderr = "";
      p.stderr.on("data", (d) => (stderr += d));
      p.on("close", (status) => resolve({ status, stderr }));
    });
    server.close();
  } else {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(repo, join(dir, "node_modules", "ringlog"));
    const program = writeProgram(dir, "ringlog", path, "mjs");
    const child = spawnSync(g.process.execPath, [program], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    run = { status: child.status, stderr: child.stderr };
  }
  assert.is(run.status, 0, run.stderr);
  const lines = readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => l.split(" ").slice(1).join(" ")).sort();
  assert.equal(lines, ["m main", "w worker"]);
});

test.run();
