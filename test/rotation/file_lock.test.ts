// The rotation lock between processes (src/rotation/file_lock.ts), one process playing the parts: a
// second holder waits, a dead holder's lock is broken (L2), and release() removes only the holder's own
// lock file (L4), also when a wrong liveness answer let another process break it and take the lock.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { FileLock } from "../../src/rotation/file_lock.ts";
import { RotationRoom } from "../../src/rotation/rotation_room.ts";
import { defaultDriver } from "../../src/io/driver_select.ts";
import { rotationDriver } from "../../src/io/driver.ts";
import { notWhere } from "../support/not_on.ts";
import { tempDir } from "../support/temp.ts";

function room(): RotationRoom {
  return new RotationRoom(rotationDriver(defaultDriver(), "of the test"), `${tempDir("lock")}/app.log`);
}

test("one holder at a time: a second lock on the path waits until the first releases it", () => {
  const shared = room();
  const first = new FileLock(shared, shared.lockPath);
  const second = new FileLock(shared, shared.lockPath);
  assert.ok(first.tryAcquire());
  assert.not.ok(second.tryAcquire(), "held by a live holder (this process)");
  first.release();
  assert.not.ok(existsSync(shared.lockPath), "release() removed the lock file");
  assert.ok(second.tryAcquire());
  second.release();
});

test("L2: the lock of a holder that is gone (a pid with no process) is broken, and taken", () => {
  const shared = room();
  assert.ok(shared.createExclusive(shared.lockPath, "2147483646-1 abc\n"), "a dead holder's lock, left behind");
  const lock = new FileLock(shared, shared.lockPath);
  assert.ok(lock.tryAcquire());
  assert.match(readFileSync(shared.lockPath, "utf8"), /^\d+-\d+ [0-9a-f]+\n$/);
  assert.not.match(readFileSync(shared.lockPath, "utf8"), "2147483646");
  lock.release();
});

test("L4: release() leaves a lock file that is not its own (another process broke ours and holds it now)", () => {
  const shared = room();
  const lock = new FileLock(shared, shared.lockPath);
  assert.ok(lock.tryAcquire());
  // Taken for dead: another process removed our lock file and created its own at the path.
  rmSync(shared.lockPath);
  writeFileSync(shared.lockPath, "1-1 another\n", { flag: "wx" });
  lock.release();
  assert.is(readFileSync(shared.lockPath, "utf8"), "1-1 another\n", "the other process's lock is still there");
  assert.not.ok(lock.held);
});

if (!notWhere(!existsSync("/proc/self/fd"), "this system", "no /proc/self/fd to count open files in")) {
  test("the lock file held open while held is closed at release: 300 acquire/release cycles leave no open file behind", () => {
    const shared = room();
    const lock = new FileLock(shared, shared.lockPath);
    const open = () => readdirSync("/proc/self/fd").length;
    const before = open();
    for (let i = 0; i < 300; i++) {
      assert.ok(lock.tryAcquire());
      lock.release();
    }
    assert.ok(open() - before < 10, `${open() - before} more open files after 300 cycles`);
  });
}

test.run();
