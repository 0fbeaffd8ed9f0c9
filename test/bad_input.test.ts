// Bad input gets a clear error naming the value and what was expected, and nothing already written is lost.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { attach, open, read, recover, type OpenOptions } from "../mod.ts";
import { tempPath } from "./support/temp.ts";

async function openError(path: unknown, options?: unknown): Promise<Error> {
  try {
    const log = await open(path as string, options as OpenOptions);
    await log.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`open(${String(path)}) should have failed`);
}

test("capacity: not a power of two, or out of 64 KiB..1 GiB", async () => {
  for (const capacity of [1000, 32 * 1024, 2 ** 31, -65536, 65536.5, "4M"]) {
    const error = await openError(tempPath("c.log"), { capacity });
    assert.instance(error, RangeError);
    assert.match(error.message, "capacity must be a power of two between 64 KiB (65536) and 1 GiB (1073741824) bytes, got ");
    assert.match(error.message, typeof capacity === "string" ? `"${capacity}"` : String(capacity));
  }
});

test("an option name open() does not know is refused, naming it and the known ones, for every strategy", async () => {
  for (const strategy of ["ring", "buffered", "null"] as const) {
    for (const [options, name] of [[{ capcity: 65536 }, "capcity"], [{ maxRecords: 100 }, "maxRecords"], [{ sync: { intervalMs: 5, every: 1 } }, "every"]] as const) {
      const path = tempPath("unknown.log");
      const error = await openError(path, { strategy, ...options });
      assert.instance(error, TypeError);
      assert.match(error.message, `has no option "${name}"; the options are `);
      if (name !== "every") assert.match(error.message, "strategy, format, capacity, maxRecord, onFull");
    }
  }
});

test("other options: maxRecord, onFull, blockTimeoutMs, sync, append, handleSignals, strategy, format", async () => {
  const cases: [OpenOptions | unknown, string][] = [
    [{ capacity: 65536, maxRecord: 8193 }, "maxRecord must be an integer from 1 to capacity / 8 (8192), got 8193"],
    [{ maxRecord: 0 }, "maxRecord must be an integer from 1 to capacity / 8 (524288), got 0"],
    [{ onFull: "sometimes" }, 'onFull must be "block", "drop" or "throw", got "sometimes"'],
    [{ blockTimeoutMs: -1 }, "blockTimeoutMs must be a finite number of milliseconds >= 0, got -1"],
    [{ sync: "always" }, 'sync must be "never", "batch" or { intervalMs: n } with n > 0, got "always"'],
    [{ sync: { intervalMs: 0 } }, "got an object"],
    [{ append: "yes" }, 'append must be true or false, got "yes"'],
    [{ handleSignals: 1 }, "handleSignals must be true or false, got 1"],
    [{ handleSignals: "SIGTERM", strategy: "buffered" }, 'handleSignals must be true or false, got "SIGTERM"'],
    [{ unblockTimeoutMs: 10 }, "unblockTimeoutMs must be at least 1000 ms, got 10"],
    [{ lingerMs: Infinity }, "lingerMs must be a finite number of milliseconds >= 0, got Infinity"],
    [{ strategy: "fast" }, 'got "fast"'],
    [{ format: "json" }, 'format must be "text" or "frames", got "json"'],
    [{ format: "frames", strategy: "locked-writer" }, 'format "frames" needs the "ring" strategy, got strategy "locked-writer"'],
    ["options", 'options must be an object, got "options"'],
  ];
  for (const [options, message] of cases) {
    const error = await openError(tempPath("o.log"), options);
    assert.match(error.message, message);
  }
});

test("path: missing directory, unwritable location, not a path", async () => {
  const missing = await openError("/nonexistent-ringlog-dir/sub/app.log");
  assert.match(missing.message, 'cannot open "/nonexistent-ringlog-dir/sub/app.log" for appending: the directory "/nonexistent-ringlog-dir/sub" does not exist (ENOENT)');
  // /sys refuses new files even to root, where a chmod'ed directory would not.
  const unwritable = await openError("/sys/ringlog.log");
  assert.match(unwritable.message, 'cannot open "/sys/ringlog.log" for appending: permission denied');
  assert.match(unwritable.message, "(EACCES)");
  const file = tempPath("a-file");
  writeFileSync(file, "");
  const notDir = await openError(`${file}/x.log`);
  assert.match(notDir.message, "a parent of the path is not a directory (ENOTDIR)");
  for (const path of [42, "", null, new URL("https://example.com/x.log")]) {
    const error = await openError(path);
    assert.instance(error, TypeError);
    assert.match(error.message, "the log path must be a");
  }
});

test("path errors read the same for every strategy", async () => {
  for (const strategy of ["ring", "locked-writer", "locked-stream", "atomic-position", "buffered", "buffered-offthread", "null"] as const) {
    const error = await openError("/nonexistent-ringlog-dir/app.log", { strategy });
    assert.match(error.message, 'cannot open "/nonexistent-ringlog-dir/app.log" for appending: the directory "/nonexistent-ringlog-dir" does not exist (ENOENT)', strategy);
  }
});

test("records: too large, wrong type, bad events; earlier records are kept", async () => {
  const path = tempPath("records.log");
  const log = await open(path, { capacity: 65536, maxRecord: 100, append: false });
  log.write("kept 1\n");
  assert.throws(() => log.write(new Uint8Array(101)), (e: Error) => e instanceof RangeError && e.message === "ringlog: a record of 101 bytes is larger than maxRecord (100 bytes)");
  assert.throws(() => log.write("x".repeat(101)), /a record of at least 101 bytes is larger than maxRecord \(100 bytes\)/);
  // 60 characters, 120 bytes of UTF-8: the limit is in bytes.
  assert.throws(() => log.write("é".repeat(60)), /a record of 120 bytes is larger than maxRecord \(100 bytes\)/);
  log.write(new TextEncoder().encode("kept 2\n"));
  for (const [data, named] of [[123, "123"], [null, "null"], [{}, "an object"], [new ArrayBuffer(4), "an ArrayBuffer"], [[1, 2], "an array"]] as const) {
    assert.throws(() => log.write(data as unknown as string), (e: Error) => e instanceof TypeError && e.message === `ringlog: write() takes a string or a Uint8Array, got ${named}`);
  }
  assert.throws(() => log.record({ message: 5 as unknown as string }), /event.message to be a string, got 5/);
  assert.throws(() => log.record(null as unknown as { message: string }), /record\(\) takes an event object/);
  assert.throws(() => log.record({ message: "m", created: new Date("nope") }), /event.created must be a valid Date/);
  assert.throws(() => log.record({ message: "m", id: 7 as unknown as string }), /event.id must be a string, got 7/);
  log.record({ message: "kept 3", id: "00000000-0000-4000-8000-000000000000", created: new Date(0) });
  await log.close();
  assert.is(readFileSync(path, "utf8"), "kept 1\nkept 2\n1970-01-01T00:00:00.000Z 00000000-0000-4000-8000-000000000000 kept 3\n");
});

test("write after close throws a clear error, in the opener and in an attached writer", async () => {
  const log = await open(tempPath("closed.log"), { append: false });
  const attached = attach(log.handle);
  attached.write("from attached\n");
  await attached.close();
  assert.throws(() => attached.write("late\n"), /ringlog: write after close\(\): this log is closed/);
  const other = attach(log.handle);
  await log.close();
  assert.throws(() => log.write("late\n"), /ringlog: write after close\(\): this log is closed/);
  assert.throws(() => log.record({ message: "late" }), /write after close/);
  assert.throws(() => other.write("late\n"), /ringlog: write after the log was closed by its opener/);
});

test("attach() given something that is not a handle", () => {
  for (const [value, named] of [[{}, "an object"], [null, "null"], ["handle", '"handle"'], [{ ringlog: 1, strategy: "ring" }, "an object"]] as const) {
    assert.throws(() => attach(value as never), (e: Error) => e instanceof TypeError && e.message === `ringlog: attach() takes the handle of an open log (log.handle, posted to this thread), got ${named}`);
  }
});

test("watch() takes a worker; read() and recover() take a path", async () => {
  for (const strategy of ["ring", "buffered"] as const) {
    const log = await open(tempPath("w.log"), { strategy });
    for (const bad of [42, {}, { threadId: "1", once() {} }, null]) {
      assert.throws(() => log.watch(bad as never), /watch\(\) takes a node:worker_threads Worker \(with threadId and once\("exit"\)\), got/);
    }
    log.write("kept\n");
    await log.close();
  }
  for (const bad of [42, "", new URL("https://example.com/x.log")]) {
    assert.throws(() => read(bad as never), /the log path must be/);
    const error = await recover(bad as never).then(() => undefined, (e: Error) => e);
    assert.match(error!.message, "the log path must be");
  }
});

test.run();
