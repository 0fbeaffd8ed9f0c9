// LeftFiles (src/rotation/left_files.ts) on its own, with handles that record what is done to them: which
// left files are synced and closed, in what order, and when (LF1, LF2). The flusher's use of it, through
// real files and the driver's call log, is in rotation_safety.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { FileHandle } from "../../src/io/driver.ts";
import { LeftFiles, MAX_AGE_MS, MAX_LEFT } from "../../src/rotation/left_files.ts";

/** A handle that appends "<name> sync" and "<name> close" to `calls`; `fail` makes that call throw. */
function handle(name: string, calls: string[], fail: { sync?: boolean; close?: boolean } = {}): FileHandle {
  return {
    write: () => 0,
    sync() {
      if (fail.sync) throw new Error(`EIO: ${name}`);
      calls.push(`${name} sync`);
    },
    close() {
      calls.push(`${name} close`);
      if (fail.close) throw new Error(`EBADF: ${name}`);
    },
  };
}

test("a file left with nothing unsynced is closed at once; one with unsynced records waits for syncAll(), which syncs each before closing it, oldest first", () => {
  const calls: string[] = [];
  const left = new LeftFiles();
  left.leave(handle("a", calls), false, 0);
  assert.equal(calls, ["a close"]);
  left.leave(handle("b", calls), true, 0);
  left.leave(handle("c", calls), true, 1);
  assert.equal(calls, ["a close"], "leave() never syncs (the caller may hold the rotation lock)");
  assert.is(left.count, 2);
  left.syncAll();
  assert.equal(calls, ["a close", "b sync", "b close", "c sync", "c close"]);
  assert.is(left.count, 0);
});

test(`trim(): more than ${MAX_LEFT} held, or one held ${MAX_AGE_MS} ms: the oldest are synced and closed`, () => {
  const calls: string[] = [];
  const left = new LeftFiles();
  for (let i = 0; i < MAX_LEFT + 2; i++) left.leave(handle(`f${i}`, calls), true, i);
  left.trim(MAX_LEFT + 2);
  assert.equal(calls, ["f0 sync", "f0 close", "f1 sync", "f1 close"], "down to MAX_LEFT");
  left.trim(2 + MAX_AGE_MS - 1);
  assert.is(left.count, MAX_LEFT, "none is old enough yet");
  left.trim(3 + MAX_AGE_MS);
  assert.equal(calls.slice(4), ["f2 sync", "f2 close", "f3 sync", "f3 close"], "the two left at 2 and 3 ms are 30 s old");
  assert.is(left.count, MAX_LEFT - 2);
});

test("a held file whose sync fails stays held (its error thrown); closeAll() closes every held file even when a close throws, and throws the first error", () => {
  const calls: string[] = [];
  const left = new LeftFiles();
  left.leave(handle("a", calls, { sync: true, close: true }), true, 0);
  left.leave(handle("b", calls, { close: true }), true, 0);
  left.leave(handle("c", calls), true, 0);
  assert.throws(() => left.syncAll(), /EIO: a/);
  assert.is(left.count, 3, "nothing synced, nothing closed");
  assert.throws(() => left.closeAll(), /EBADF: a/);
  assert.equal(calls, ["a close", "b close", "c close"]);
  assert.is(left.count, 0);
});

test.run();
