// compress: "gzip" (issue 10): rotated files are compressed by the housekeeper thread, off the write path,
// and decompress to exactly what was written; a process SIGKILLed in the middle of a compression leaves
// the plain file and no .gz, and the next housekeeper (here: the log opened again) finishes the work.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { open, recover } from "../../mod.ts";
import { startChild } from "../support/rotation_children.ts";
import { rotatedFiles } from "../../src/rotation/rotated_name.ts";
import { checkFiles, logFiles, rotationRecord } from "../support/rotation_records.ts";
import { sleep, startWriters } from "../support/rotation_writers.ts";
import { tempPath } from "../support/temp.ts";

const SIZE = 64 * 1024;

const roomOf = (path: string) => `${path.slice(0, path.lastIndexOf("/"))}/.${path.slice(path.lastIndexOf("/") + 1)}.rotation`;
const partials = (path: string) => existsSync(roomOf(path)) ? readdirSync(roomOf(path)).filter((n) => n.endsWith(".partial")) : [];

test("under load: every rotated file is a .gz once the log is closed, and they decompress to every record exactly once", async () => {
  const path = tempPath("gzip.log");
  const log = await open(path, { append: false, rotate: { size: SIZE, compress: "gzip" } });
  const writers = startWriters(log.handle, 2, 100_000);
  await sleep(1500);
  writers.stop();
  const counts = await writers.done;
  await log.close();
  const files = logFiles(path);
  const rotated = files.slice(0, -1);
  assert.ok(rotated.length >= 3, `${rotated.length} rotations`);
  assert.ok(rotated.every((f) => f.name.endsWith(".gz")), `all compressed: ${rotated.filter((f) => !f.name.endsWith(".gz")).map((f) => f.name).join(", ")}`);
  assert.ok(rotated.every((f) => f.size < SIZE / 2), "and smaller");
  assert.equal(checkFiles(files, counts).problems, []);
  assert.equal(partials(path), []);
});

test("SIGKILL during a compression: the plain file stays and no .gz appears; opening the log again finishes it", async () => {
  const path = tempPath("gzip-crash.log");
  writeFileSync(`${path}.gzgate`, ""); // the child's compressions stop at their first write (faulty_driver)
  const options = { rotate: { size: SIZE, compress: "gzip" as const } };
  const child = startChild(path, { ...options, faulty: true }, 2, 0);
  await child.ready;
  for (let waited = 0; partials(path).length === 0 && waited < 60_000; waited += 10) await sleep(10);
  assert.equal(partials(path).length, 1, "a compression is under way");
  await sleep(300); // more rotations meanwhile
  child.kill("SIGKILL");
  assert.is((await child.ended).signal, "SIGKILL");
  // A SIGKILL in the middle of the child's write(2) can leave the active file with a cut-short last
  // record (Linux stops a write at a fatal signal and keeps what it wrote): cut it as a user would after a
  // crash, before opening the log again. Rotated files are never written to by a batch in flight here.
  // (A kill between a rotation's rename and its create leaves no active file at all.)
  const { truncatedBytes } = existsSync(path) ? await recover(path) : { truncatedBytes: 0 };
  assert.ok(truncatedBytes < 1 << 20, `at most one batch's tail cut (${truncatedBytes} bytes)`);
  const killed = logFiles(path); // a half .gz would not decompress: logFiles would throw
  assert.ok(killed.slice(0, -1).length >= 2 && killed.slice(0, -1).every((f) => !f.name.endsWith(".gz")), "no .gz: the one under way never got its name");
  const most = new Map([[0, Number.MAX_SAFE_INTEGER], [1, Number.MAX_SAFE_INTEGER]]);
  const before = checkFiles(killed, most, { mayStop: new Set([0, 1]) });
  assert.equal(before.problems, []);

  rmSync(`${path}.gzgate`);
  const again = await open(path, options);
  await again.close(); // its housekeeper's last pass: the dead one's partial dropped, every file compressed
  const files = logFiles(path);
  assert.ok(files.slice(0, -1).every((f) => f.name.endsWith(".gz")), `all compressed now: ${files.map((f) => f.name).join(", ")}`);
  assert.equal(partials(path), []);
  const after = checkFiles(files, most, { mayStop: new Set([0, 1]) });
  assert.equal(after.problems, []);
  assert.equal([...after.seen], [...before.seen], "the same records, none lost");
});

test("a rotated file another process may still write to (its write was under way) is not compressed until that write is in", async () => {
  const path = tempPath("gzip-late.log");
  const options = { rotate: { size: SIZE, compress: "gzip" as const } };
  // The late writer: a child whose first file write stalls (faulty_driver's gate), after it checked that
  // `path` is its file, as any process may be between that check and its write.
  writeFileSync(`${path}.gate`, "");
  const late = startChild(path, { ...options, faulty: true }, 1, 10, 2000);
  await late.ready;
  await sleep(300);
  const log = await open(path, options);
  for (let seq = 0; seq < 3000; seq++) log.write(rotationRecord(0, seq)); // past size: this process rotates
  await log.flush();
  await sleep(1500); // the housekeeper's passes
  const dir = path.slice(0, path.lastIndexOf("/"));
  const rotated = rotatedFiles(path, readdirSync(dir));
  assert.ok(rotated.length > 0 && !rotated[0].gzip, `the file the late writer holds is still plain: ${rotated.map((f) => f.name).join(", ")}`);
  rmSync(`${path}.gate`);
  const ended = await late.ended;
  assert.is(ended.code, 0, ended.stderr);
  await log.close();
  const files = logFiles(path);
  assert.ok(files.slice(0, -1).every((f) => f.name.endsWith(".gz")), `all compressed once it moved on: ${files.map((f) => f.name).join(", ")}`);
  assert.equal(checkFiles(files, new Map([[0, 3000], [10, 2000]])).problems, []);
});

test.run();
