// Bad input to rotation (issue 10) gets a clear error naming the value and what was expected, and nothing
// already written is lost. Also: a directory removed under a rotating log is made again.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { attach, open, type OpenOptions } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { checkFiles, logFiles, rotationRecord } from "../support/rotation_records.ts";
import { tempPath } from "../support/temp.ts";

async function openError(options: unknown): Promise<Error> {
  try {
    const log = await open(tempPath("bad.log"), options as OpenOptions);
    await log.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`open() with ${JSON.stringify(options)} should have failed`);
}

test("every rotate option of the wrong type or range, and rotate itself", async () => {
  const cases: [unknown, string][] = [
    [5, "rotate must be an object such as { size: 10485760 } or { every: \"day\", keep: 7 }, got 5"],
    [null, "rotate must be an object such as { size: 10485760 } or { every: \"day\", keep: 7 }, got null"],
    [{ size: 0 }, "rotate.size must be a whole number of bytes >= 1, got 0"],
    [{ size: 1.5 }, "rotate.size must be a whole number of bytes >= 1, got 1.5"],
    [{ size: "10M" }, 'rotate.size must be a whole number of bytes >= 1, got "10M"'],
    [{ every: "week" }, 'rotate.every must be "hour", "day" or a whole number of milliseconds >= 1, got "week"'],
    [{ every: -5 }, 'rotate.every must be "hour", "day" or a whole number of milliseconds >= 1, got -5'],
    [{ every: Infinity }, "got Infinity"],
    [{ size: 1024, keep: -1 }, "rotate.keep must be a whole number of rotated files >= 0, got -1"],
    [{ size: 1024, keep: "all" }, 'rotate.keep must be a whole number of rotated files >= 0, got "all"'],
    [{ size: 1024, maxAgeMs: 0 }, "rotate.maxAgeMs must be a finite number of milliseconds > 0, got 0"],
    [{ size: 1024, maxAgeMs: NaN }, "got NaN"],
    [{ size: 1024, compress: "zip" }, 'rotate.compress must be "gzip", got "zip"'],
    [{ size: 1024, compress: true }, 'rotate.compress must be "gzip", got true'],
    [{ keep: 3 }, "rotate needs size or every, which make the file rotate; got only keep"],
    [{ keep: 3, compress: "gzip" }, "got only keep, compress"],
    [{}, "rotate needs size or every, which make the file rotate; got an empty object"],
    [{ size: 1024, sise: 5 }, 'open()\'s rotate has no option "sise"; the options are size, every, keep, maxAgeMs, compress'],
  ];
  for (const [rotate, message] of cases) {
    const error = await openError({ rotate });
    assert.match(error.message, message, JSON.stringify(rotate));
  }
});

test("the other strategies refuse rotate, rotate() and reopen()", async () => {
  for (const strategy of ["locked-writer", "locked-stream", "atomic-position", "buffered", "buffered-offthread", "null"] as const) {
    const error = await openError({ strategy, rotate: { size: 1024 } });
    assert.match(error.message, `the rotate option is supported by the "ring" strategy only (its flusher owns the file), got it with strategy "${strategy}"`);
    const log = await open(tempPath("strategy.log"), { strategy });
    for (const call of [() => log.rotate(), () => log.reopen()]) {
      const refused = await call().then(() => undefined, (e: Error) => e);
      assert.match(refused!.message, `is supported by the "ring" strategy only (its flusher owns the file), and this log's strategy is "${strategy}"`);
    }
    await log.close();
  }
});

test("a driver without the directory operations cannot rotate: open() says which are missing", async () => {
  const driver = siblingModule(import.meta.url, "../support/plain_driver").href;
  const error = await openError({ driver, rotate: { size: 1024 } });
  assert.match(error.message, "cannot rotate files: it has no stat(), rename(), unlink(), readdir(), mkdir()");
  const log = await open(tempPath("plain.log"), { driver }); // fine without rotate
  await log.close();
});

test("rotate() without the rotate option; rotate() and reopen() after close, here and in an attached writer", async () => {
  const path = tempPath("closed.log");
  const plain = await open(path, { append: false });
  const refused = await plain.rotate().then(() => undefined, (e: Error) => e);
  assert.match(refused!.message, "rotate() needs open()'s rotate option");
  plain.write("kept\n");
  await plain.reopen(); // reopen() needs no rotate option
  await plain.close();
  const log = await open(path, { rotate: { size: 1 << 20 } });
  const attached = attach(log.handle);
  await log.close();
  for (const [who, call, message] of [
    [log, "rotate", "ringlog: rotate() after close(): this log is closed"],
    [log, "reopen", "ringlog: reopen() after close(): this log is closed"],
    [attached, "rotate", "ringlog: rotate() after the log was closed by its opener"],
    [attached, "reopen", "ringlog: reopen() after the log was closed by its opener"],
  ] as const) {
    const error = await who[call]().then(() => undefined, (e: Error) => e);
    assert.is(error?.message, message);
  }
  assert.is(readFileSync(path, "utf8"), "kept\n", "nothing written was lost");
});

test("the log's directory removed under it: the next rotation (or reopen()) makes it again and goes on", async () => {
  const dir = tempPath("vanishing");
  mkdirSync(dir);
  const path = `${dir}/app.log`;
  const log = await open(path, { rotate: { size: 4096 } });
  for (let seq = 0; seq < 100; seq++) log.write(rotationRecord(0, seq));
  await log.flush();
  rmSync(dir, { recursive: true });
  for (let seq = 100; seq < 300; seq++) log.write(rotationRecord(0, seq));
  await log.close();
  assert.is(log.stats().error, undefined);
  // What went to the removed files is gone with them; from some record on, every one is in the new files.
  const check = checkFiles(logFiles(path), new Map([[0, 300]]), { mayStartLate: true });
  assert.equal(check.problems, []);

  const plain = `${tempPath("vanishing-plain")}/app.log`;
  mkdirSync(plain.slice(0, plain.lastIndexOf("/")));
  const reopened = await open(plain);
  rmSync(plain.slice(0, plain.lastIndexOf("/")), { recursive: true });
  await reopened.reopen();
  reopened.write("after\n");
  await reopened.close();
  assert.is(readFileSync(plain, "utf8"), "after\n");
});

test.run();
