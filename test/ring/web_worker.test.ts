// Writers in Web Workers: Deno and Bun have them (Node has none: its writers are node:worker_threads,
// which every other test uses in all three runtimes).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { open } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { notOn } from "../support/not_on.ts";
import { tempPath } from "../support/temp.ts";

const WebWorker = (globalThis as { Worker?: new (url: URL, options: { type: "module" }) => Worker }).Worker;

// Node has no global Worker: nothing of this file applies there, and the runner lists it as such.
if (!notOn("node", "no global Worker; Node's writers are node:worker_threads, as in every other test")) test("Web Workers attach and write: every record exactly once, each worker's in order", async () => {
  assert.ok(WebWorker !== undefined, "Deno and Bun have Web Workers");
  const path = tempPath("web-workers.log");
  const log = await open(path, { append: false, capacity: 64 * 1024 });
  const count = 5000;
  const workers = [0, 1, 2].map((id) => {
    const worker = new WebWorker(siblingModule(import.meta.url, "../support/web_worker_writer"), { type: "module" });
    const done = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (event) => reject(new Error(`web worker ${id}: ${(event as ErrorEvent).message}`));
    });
    worker.postMessage({ handle: log.handle, id, count });
    return done;
  });
  await Promise.all(workers);
  await log.close();
  const next = [0, 0, 0];
  for (const line of readFileSync(path, "utf8").split("\n").slice(0, -1)) {
    const [, id, i, tail = ""] = line.split(" ");
    assert.is(Number(i), next[Number(id)]++, `worker ${id}'s records in order, once each`);
    assert.is(tail, "ü".repeat(Number(i) % 50));
  }
  assert.equal(next, [count, count, count]);
});

test.run();
