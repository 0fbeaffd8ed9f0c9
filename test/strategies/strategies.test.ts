// Every strategy of the article (and the null baseline): exactly once and never torn under the stress
// test, nothing lost when close() lands mid-burst, flush() resolving only once the bytes are in the file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { attach, open, type Strategy } from "../../mod.ts";
import { runStress } from "../support/stress.ts";
import { closeMidBurst } from "../support/strategy_close.ts";
import { tempPath } from "../support/temp.ts";

const WRITING: Strategy[] = ["locked-writer", "locked-stream", "atomic-position", "buffered", "buffered-offthread"];
const LOCK_FREE: Strategy[] = ["atomic-position", "buffered", "buffered-offthread"];

for (const strategy of WRITING) {
  test(`${strategy}: exactly-once, 4 threads × 20k records`, async () => {
    const result = await runStress(4, 20_000, { strategy });
    assert.equal(result.problems, []);
    assert.is(result.lines, 80_000);
    assert.is(result.stats.records, 80_000);
  });
}

for (const strategy of LOCK_FREE) {
  test(`${strategy}: exactly-once, 8 threads on 2 cores × 10k records`, async () => {
    const result = await runStress(8, 10_000, { strategy });
    assert.equal(result.problems, []);
    assert.is(result.lines, 80_000);
  });
}

test("null: formats, writes nothing", async () => {
  const result = await runStress(4, 5_000, { strategy: "null" });
  assert.is(result.lines, 0);
  assert.is(result.stats.records, 0);
});

for (const strategy of WRITING) {
  test(`${strategy}: close() while 4 threads are mid-burst loses nothing`, async () => {
    const result = await closeMidBurst(strategy, 4);
    assert.equal(result.problems, []);
    for (const message of result.messages) assert.is(message, "ringlog: write after the log was closed by its opener");
    assert.ok(result.written.every((n) => n >= 2000), `every writer was mid-burst: ${result.written}`);
  });
}

for (const strategy of WRITING) {
  test(`${strategy}: flush() resolves once the record is in the file`, async () => {
    const path = tempPath("flush.log");
    const log = await open(path, { strategy, append: false });
    for (let n = 0; n < 3; n++) {
      log.write(`line ${n}\n`);
      await log.flush();
      assert.ok(readFileSync(path, "utf8").endsWith(`line ${n}\n`), `line ${n} is in the file after flush()`);
    }
    await log.flush({ durable: true });
    assert.is(log.stats().syncs, 1);
    await log.close();
    assert.throws(() => log.write("late\n"), /write after close\(\): this log is closed/);
  });
}

/** This runtime's command line for running `script` as a process of its own. */
function runtimeCommand(script: string): [string, string[]] {
  const deno = (globalThis as unknown as { Deno?: { execPath(): string } }).Deno;
  return deno ? [deno.execPath(), ["run", "-A", script]] : [process.execPath, [script]];
}

for (const strategy of ["buffered", "buffered-offthread"] as Strategy[]) {
  test(`${strategy}: records still in blocks reach the file when the process ends without close()`, () => {
    const path = tempPath("exit.log");
    const [command, args] = runtimeCommand(new URL(siblingModule(import.meta.url, "../support/strategy_exit_child")).pathname);
    execFileSync(command, [...args, strategy, path, "100"], { stdio: "inherit" });
    const expected = Array.from({ length: 100 }, (_, n) => `exit ${n}\n`).join("");
    assert.is(readFileSync(path, "utf8"), expected);
  });
}

test("every strategy: bad input gets the ring's errors", async () => {
  for (const strategy of [...WRITING, "null"] as Strategy[]) {
    const log = await open(tempPath("bad.log"), { strategy, maxRecord: 100 });
    assert.throws(() => log.write(42 as unknown as string), /write\(\) takes a string or a Uint8Array, got 42/);
    assert.throws(() => log.write("x".repeat(101)), /larger than maxRecord \(100 bytes\)/);
    assert.throws(() => log.write(new Uint8Array(101)), /a record of 101 bytes is larger than maxRecord/);
    assert.throws(() => log.record(null as never), /record\(\) takes an event object/);
    assert.throws(() => attach({ ...log.handle, ringlog: 2 } as never), /attach\(\) takes the handle of an open log/);
    await log.close();
    assert.throws(() => log.write("x\n"), /write after close\(\)/);
  }
});

test.run();
