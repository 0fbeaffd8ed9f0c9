// Tail-friendly rotation (issue 10): a follower that works like Vector, Fluent Bit or Filebeat (by inode,
// reading a rotated file to its end before letting it go: test/support/tail_follower.ts) sees every record
// exactly once while the log rotates under load. It would miss records if the flusher ever wrote to the old
// file after the new one appeared, or copied and truncated.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { open } from "../../mod.ts";
import { checkFiles } from "../support/rotation_records.ts";
import { sleep, startWriters } from "../support/rotation_writers.ts";
import { TailFollower } from "../support/tail_follower.ts";
import { tempPath } from "../support/temp.ts";

for (const size of [16 * 1024, 256 * 1024]) {
  test(`3 threads flat out, size ${size / 1024} KiB: a follower by inode reads every record exactly once, in order`, async () => {
    const path = tempPath("tail.log");
    const log = await open(path, { append: false, rotate: { size } });
    const follower = new TailFollower(path);
    const writers = startWriters(log.handle, 3, 60_000);
    let writing = true;
    writers.done.finally(() => (writing = false));
    const started = Date.now();
    while (writing && Date.now() - started < 3000) {
      follower.poll();
      await sleep(1);
    }
    writers.stop();
    const counts = await writers.done;
    await log.close();
    follower.poll();
    follower.poll(); // the file that was active is read through now
    follower.close();
    const read = follower.read();
    assert.ok(read.length >= 4, `the follower followed ${read.length} files`);
    assert.equal(checkFiles(read.map(({ name, text }) => ({ name, size: text.length, text })), counts).problems, []);
  });
}

test.run();
