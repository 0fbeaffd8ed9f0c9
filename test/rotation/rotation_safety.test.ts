// Exit safety and flush({ durable }) hold with rotation on (issue 10). A process that exits right after
// writing still gets every record into the files; a durable flush resolves only after an fdatasync of the
// file that holds the caller's last record, even when the log rotated in between (the old file is synced
// before the switch: a sync of the next file would not cover it), and after a sync of the directory once
// the file was created (its name as durable as its records). Checked against the file driver's own record
// of its calls (faulty_driver's <path>.calls).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { open, type SyncPolicy } from "../../mod.ts";
import { MAX_LEFT } from "../../src/rotation/left_files.ts";
import { rotatedPath } from "../../src/rotation/rotated_name.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { checkFiles, logFiles, rotationRecord } from "../support/rotation_records.ts";
import { childCommand } from "../support/runtime.ts";
import { tempDir, tempPath } from "../support/temp.ts";

test("process.exit() right after writing: every record is in the files", () => {
  const path = tempPath("exit.log");
  const count = 20_000;
  const { command, args } = childCommand(import.meta.url, "../support/rotation_exit_child");
  const child = spawnSync(command, [...args, path, String(count)], { encoding: "utf8", timeout: 60_000 });
  assert.is(child.status, 0, child.stderr);
  const files = logFiles(path);
  assert.ok(files.length > 10, `it rotated (${files.length} files)`);
  assert.equal(checkFiles(files, new Map([[0, count]])).problems, []);
});

const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;

/**
 * Fails unless, in the driver's calls, a sync of the file holding `record` follows the write that put it
 * there, and a sync of the directory follows the file's opening (a new file's name durable, as its
 * records). `beforeNextOpen`: that sync comes before the log opened its next file (A3: a policy that syncs
 * syncs the old file at the switch); else it may come later (sync "never": a file left with unsynced
 * records is synced with the next sync, left_files.ts).
 */
function assertSyncedAfter(path: string, record: string, beforeNextOpen = false): void {
  const calls = readFileSync(`${path}.calls`, "utf8").split("\n"); // first: the files now hold no less
  const file = logFiles(path).find((f) => f.text.includes(record));
  assert.ok(file !== undefined, `${JSON.stringify(record)} is in a file`);
  const name = `${path.slice(0, path.lastIndexOf("/"))}/${file.name}`;
  const { dev, ino } = statSync(name, { bigint: true });
  const end = Buffer.byteLength(file.text.slice(0, file.text.indexOf(record) + record.length));
  const opened = calls.lastIndexOf(`open ${dev}:${ino}`);
  assert.ok(opened >= 0, `the driver opened ${file.name}`);
  let next = calls.findIndex((call, i) => i > opened && call.startsWith("open "));
  if (next < 0) next = calls.length;
  const write = calls.findIndex((call, i) => {
    if (i <= opened || i >= next || !call.startsWith("write ")) return false;
    const [from, to] = call.slice(6).split("-").map(Number);
    return from < end && end <= to;
  });
  assert.ok(write >= 0, `a write put the record's last byte (${end}) in ${file.name}`);
  const synced = calls.slice(write + 1, beforeNextOpen ? next : calls.length).includes(`sync ${dev}:${ino}`);
  assert.ok(synced, `a sync of ${file.name} follows that write${beforeNextOpen ? " before the next file was opened" : ""}: ${calls.slice(write, beforeNextOpen ? next + 1 : undefined).join(", ")}`);
  assert.ok(calls.slice(opened + 1).includes("syncdir"), `the directory was synced after ${file.name} was opened (created, or renamed to): ${calls.slice(opened, opened + 8).join(", ")}`);
}

for (const sync of ["never", "batch", { intervalMs: 50 }] as SyncPolicy[]) {
  test(`sync ${JSON.stringify(sync)}, rotating every 8 KiB: each durable flush resolves after a sync of each file holding the caller's records`, async () => {
    const path = tempPath("durable.log");
    writeFileSync(`${path}.calls`, "");
    const log = await open(path, { append: false, driver, sync, rotate: { size: 8 * 1024 } });
    let seq = 0;
    for (let round = 0; round < 40; round++) {
      const n = 5 + ((round * 37) % 60); // so the last record of a round lands before, at and after rotations
      const first = seq;
      for (let i = 0; i < n; i++) log.write(rotationRecord(0, seq++));
      await log.flush({ durable: true });
      // Its first record too: it may be in the file the log rotated away from on the way.
      assertSyncedAfter(path, rotationRecord(0, first), sync !== "never");
      assertSyncedAfter(path, rotationRecord(0, seq - 1), sync !== "never");
    }
    await log.close();
    assert.ok(log.stats().rotations > 10, `${log.stats().rotations} rotations`);
    assert.equal(checkFiles(logFiles(path), new Map([[0, seq]])).problems, []);
  });
}

test(`sync "never": a durable flush asked for after the log rotated away from its records' file syncs that file`, async () => {
  // The records are written (a plain flush), then the log rotates (the next record does not fit) with no
  // durable flush waiting, so nothing is synced at the switch; only then comes the durable flush. The old
  // file stays open for it (left_files.ts): a sync of the new file alone would leave them unsynced.
  const path = tempPath("left.log");
  writeFileSync(`${path}.calls`, "");
  const log = await open(path, { append: false, driver, sync: "never", rotate: { size: 8192 } });
  for (let round = 0; round < 3; round++) {
    const first = rotationRecord(0, round * 20);
    for (let i = 0; i < 19; i++) log.write(rotationRecord(0, round * 20 + i));
    await log.flush();
    log.write("x".repeat(8190) + "\n"); // does not fit: a rotation, then a file of its own
    await log.flush();
    assert.not.match(readFileSync(`${path}.calls`, "utf8"), /^sync /m, `no sync yet (sync "never")`);
    await log.flush({ durable: true });
    assertSyncedAfter(path, first);
    const calls = readFileSync(`${path}.calls`, "utf8");
    await log.flush({ durable: true }); // nothing new: no sync either
    assert.is(readFileSync(`${path}.calls`, "utf8"), calls, "a second durable flush with nothing new syncs nothing");
    writeFileSync(`${path}.calls`, "");
  }
  await log.close();
  assert.is(log.stats().rotations, 5);
});

test(`sync "never": a durable flush after a reopen (logrotate's rename, no rotate option), or after close(), covers the file the log left`, async () => {
  for (const when of ["after reopen", "after close"]) {
    const path = tempPath("left-reopen.log");
    writeFileSync(`${path}.calls`, "");
    const log = await open(path, { append: false, driver, sync: "never", rotate: when === "after close" ? { size: 8192 } : undefined });
    for (let i = 0; i < 10; i++) log.write(rotationRecord(0, i));
    await log.flush();
    if (when === "after reopen") {
      renameSync(path, rotatedPath(path, { stamp: Date.UTC(2020, 0, 1), counter: 0 })); // as logrotate does
      await log.reopen();
    }
    log.write("x".repeat(8190) + "\n"); // with the rotate option, a rotation
    await log.flush();
    assert.not.match(readFileSync(`${path}.calls`, "utf8"), /^sync /m, `${when}: no sync yet (sync "never")`);
    if (when === "after close") await log.close();
    await log.flush({ durable: true });
    assertSyncedAfter(path, rotationRecord(0, 0));
    if (when === "after reopen") await log.close();
  }
});

test(`sync "never": at most ${MAX_LEFT} left files wait for a durable flush; the oldest is synced and closed when one more is left`, async () => {
  const path = tempPath("left-max.log");
  writeFileSync(`${path}.calls`, "");
  const log = await open(path, { append: false, driver, sync: "never", rotate: { size: 8192 } });
  const rotations = MAX_LEFT + 2;
  for (let i = 0; i <= rotations; i++) {
    log.write(`${i} ${"x".repeat(8000)}\n`); // a file each: every one after the first rotates
    await log.flush();
  }
  // Held files are trimmed between two batches (never under the rotation lock): one more batch, which
  // fits, and the flusher has trimmed before gathering it.
  log.write("end\n");
  await log.flush();
  const syncs = () => readFileSync(`${path}.calls`, "utf8").split("\n").filter((call) => call.startsWith("sync "));
  const opened = readFileSync(`${path}.calls`, "utf8").split("\n").filter((call) => call.startsWith("open ")).map((call) => call.slice(5));
  assert.is(opened.length, rotations + 1);
  assert.equal(syncs(), opened.slice(0, 2).map((identity) => `sync ${identity}`), "the two oldest, synced when a fifth and a sixth were left");
  await log.flush({ durable: true });
  assert.equal(syncs(), opened.map((identity) => `sync ${identity}`), "the durable flush synced the files left, oldest first, then the current one");
  await log.close();
  assert.is(log.stats().rotations, rotations);
});

test("a directory that cannot be fsynced (EINVAL: the file system does not do it) is no failure; a directory fsync that fails (EIO) fails the durable flush", async () => {
  for (const code of ["EINVAL", "EIO"]) {
    const dir = tempDir(`syncdir-${code}`);
    const path = `${dir}/app.log`;
    const log = await open(path, { driver, sync: "never", rotate: { size: 1 << 20 } });
    writeFileSync(`${dir}/syncdir.fail`, code);
    log.write("first\n");
    const flushed = await log.flush({ durable: true }).then(() => "resolved", (error: Error) => error.message);
    if (code === "EINVAL") {
      assert.is(flushed, "resolved", "EINVAL: the directory cannot be synced here, which is no failure");
      log.write("second\n");
      await log.close();
      assert.is(readFileSync(path, "utf8"), "first\nsecond\n");
    } else {
      assert.match(flushed, "EIO", `EIO: the durable flush fails with the directory's error, got ${flushed}`);
      await log.close().catch(() => {});
    }
  }
});

test("a log that follows another log's new file syncs the directory with that file's records", async () => {
  // B rotates and never syncs; A follows the file B created, and its durable flush must make that file's
  // name durable too: A's own open is the only directory change A knows of.
  const path = tempPath("follow.log");
  writeFileSync(`${path}.calls`, "");
  const a = await open(path, { driver, sync: "never", rotate: { size: 1 << 30 } });
  const b = await open(path, { driver, sync: "never", rotate: { size: 1 << 30 } });
  a.write(rotationRecord(0, 0));
  await a.flush({ durable: true });
  b.write(rotationRecord(1, 0));
  await b.flush();
  await b.rotate();
  a.write(rotationRecord(0, 1));
  await a.flush({ durable: true });
  assertSyncedAfter(path, rotationRecord(0, 1));
  await a.close();
  await b.close();
  assert.equal(checkFiles(logFiles(path), new Map([[0, 2], [1, 1]])).problems, []);
});

test.run();
