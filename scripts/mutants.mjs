// Mutants: does each test catch what it claims to guard? Every mutant below breaks one invariant or protocol
// step on purpose, with a small search/replace of an exact snippet of the source, in a copy of the
// repository (the working tree as it is, node_modules linked). The copy is rebuilt (asbuild when assembly/
// changed, then tsc) and the test that names the invariant runs against it `runs` times: the mutant must be
// killed (the test fails, or hangs past its timeout) in every run. A snippet that no longer matches fails
// the whole script at once ("mutant X: snippet not found"): re-aim it at the source as it is now.
//
//   npm run mutants                          every mutant, on Node
//   npm run mutants -- --only ring-I2-publish-before-zero,sync-batch-dropped
//   npm run mutants -- --runs 3 --runtime deno --no-baseline
//
// Prints a table (mutant | breaks | test | killed n/n) and exits 1 if any mutant survived a run, 2 when the
// setup failed (a snippet not found, a mutant that does not build, a test failing without any mutant).
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const RING_RUNS = 10;
const RUNS = 3;
// Node and Deno close the files a worker opened when the worker exits, so once the flusher is gone an fd
// it leaked is invisible there (and harmless); Bun keeps it open, and the tests count it there.
const WORKER_FILES_CLOSED_AT_EXIT = {
  node: "Node closes a worker's fds when it exits: the leak cannot outlive the flusher there",
  deno: "Deno closes a worker's files when it exits: the leak cannot outlive the flusher there",
};

/**
 * name: what the table calls it; breaks: the invariant, as the source's comments state it; test: the file
 * under test/ (without .test.ts) whose name claims it; edits: exact snippets and their replacements;
 * notOn: runtimes where the mutant cannot be seen (why), skipped there and reported n/a.
 */
const MUTANTS = [
  // assembly/ring.ts, invariants I1-I5 (drawn at the top of that file).
  {
    name: "ring-I1-claim-past-head",
    breaks: "I1: a claim checked against head a lap too late overruns unconsumed records",
    test: "ring/ring",
    runs: RING_RUNS,
    edits: [{ file: "assembly/ring.ts", find: "      if (required > capacity - (tail - head)) return CLAIM_FULL;", replace: "      if (required > 2 * capacity - (tail - head)) return CLAIM_FULL;" }],
  },
  {
    name: "ring-I1-wrap-over-head",
    breaks: "I1: a claim that wraps to index 0 ignores head, overrunning records not yet consumed there",
    test: "ring/ring",
    runs: RING_RUNS,
    edits: [{ file: "assembly/ring.ts", find: "        if (required > headIndex) return CLAIM_FULL;", replace: "        if (false) return CLAIM_FULL;" }],
  },
  {
    name: "ring-I2-publish-before-zero",
    breaks: "I2: release() publishes head before zeroing what it consumed (producers claim stale memory)",
    test: "ring/ring",
    runs: RING_RUNS,
    edits: [{
      file: "assembly/ring.ts",
      find: "  memory.fill(r + DATA + <usize>(head & (capacity - 1)), 0, <usize>(gatherEnd - head));\n  atomic.store<i64>(r, gatherEnd, HEAD);",
      replace: "  atomic.store<i64>(r, gatherEnd, HEAD);\n  memory.fill(r + DATA + <usize>(head & (capacity - 1)), 0, <usize>(gatherEnd - head));",
    }],
  },
  {
    name: "ring-I2-zero-short",
    breaks: "I2: release() leaves the last 8 consumed bytes unzeroed (a stale word outside [head, tail))",
    test: "ring/ring",
    runs: RING_RUNS,
    edits: [{ file: "assembly/ring.ts", find: "0, <usize>(gatherEnd - head));", replace: "0, <usize>(gatherEnd - head - 8));" }],
  },
  {
    name: "ring-I3-commit-before-payload",
    breaks: "I3: the writer commits a record before copying its payload in",
    test: "ring/ring",
    runs: RING_RUNS,
    edits: [
      { file: "src/ring/ring_log.ts", find: "    try {\n      this.#u8.set(bytes, at);", replace: "    const committed = this.#commit(at);\n    try {\n      this.#u8.set(bytes, at);" },
      { file: "src/ring/ring_log.ts", find: "    return this.#commit(at);\n  }", replace: "    return committed;\n  }" },
    ],
  },
  {
    name: "ring-I3-tail-without-cas",
    breaks: "I3: tail moved by a plain store, so two producers can own one range",
    test: "ring/ring",
    runs: RING_RUNS,
    edits: [{
      file: "assembly/ring.ts",
      find: "  } while (atomic.cmpxchg<i64>(r, tail, tail + padding + required, TAIL) != tail);",
      replace: "    atomic.store<i64>(r, tail + padding + required, TAIL);\n  } while (false);",
    }],
  },
  {
    name: "ring-I4-skip-in-flight",
    breaks: "I4: gather() skips a record still being written instead of stopping at it",
    test: "ring/ring",
    runs: RING_RUNS,
    edits: [{
      file: "assembly/ring.ts",
      find: "    if (length <= 0) break; // free or still being written: I4, stop here",
      replace: "    if (length == 0) break;\n    if (length < 0) { offset += align8(-length); continue; }",
    }],
  },
  {
    name: "ring-I5-header-without-cas",
    breaks: "I5: a producer writes its header with a plain store, over a stretch the flusher revoked",
    test: "ring/ring_faults",
    runs: RING_RUNS,
    edits: [{ file: "assembly/ring.ts", find: "  if (atomic.cmpxchg<i64>(at, 0, header(-length, tag)) != 0) {", replace: "  atomic.store<i64>(at, header(-length, tag));\n  if (false) {" }],
  },
  {
    name: "ring-I5-commit-without-cas",
    breaks: "I5: commit skips the revocation check (a plain store of +length)",
    test: "ring/ring_faults",
    runs: RING_RUNS,
    edits: [{
      file: "assembly/ring.ts",
      find: "  const committed = atomic.cmpxchg<i64>(at, claimed, header(-length, tag)) == claimed;",
      replace: "  atomic.store<i64>(at, header(-length, tag));\n  const committed = claimed != 0;",
    }],
  },
  // The article's strategies: assembly/mutex.ts, file_position.ts, block.ts, block_queue.ts.
  {
    name: "mutex-M1-trylock-without-cas",
    breaks: "M1: mutexTryLock takes a lock another thread holds",
    test: "strategies/strategies",
    runs: RUNS,
    edits: [{ file: "assembly/mutex.ts", find: "  return atomic.cmpxchg<i32>(m, MUTEX_FREE, MUTEX_LOCKED) == MUTEX_FREE;", replace: "  atomic.store<i32>(m, MUTEX_LOCKED);\n  return true;" }],
  },
  {
    name: "mutex-M1-unlock-leaves-it-held",
    breaks: "M1/M2: unlocking a contended lock leaves the word LOCKED with no holder",
    test: "strategies/strategies",
    runs: RUNS,
    edits: [{ file: "assembly/mutex.ts", find: "    atomic.store<i32>(m, MUTEX_FREE);\n    atomic.notify(m, 1);", replace: "    atomic.notify(m, 1);" }],
  },
  {
    name: "position-P2-slot-from-a-lap-ago",
    breaks: "P2/P3: a completion slot still holding the previous lap's end moves the written prefix",
    test: "strategies/strategies",
    runs: RUNS,
    edits: [{
      file: "assembly/file_position.ts",
      find: "    if (number(end) != ((number(written) + 1) & NUMBER_MASK)) break; // not completed yet (or a lap ago)",
      replace: "    if (end == 0) break;",
    }],
  },
  {
    name: "block-B4-owner-count-ignored",
    breaks: "B4: a thread acts on a block another thread has taken since (the owner count is not checked)",
    test: "strategies/strategy_faults",
    runs: RUNS,
    edits: [{
      file: "assembly/block.ts",
      find: "  return atomic.load<i32>(b, BLOCK_STATE) == BLOCK_OWNED && atomic.load<i32>(b, BLOCK_TAKEN) == taken;",
      replace: "  return atomic.load<i32>(b, BLOCK_STATE) == BLOCK_OWNED;",
    }],
  },
  {
    name: "queue-Q1-cell-not-handed-back",
    breaks: "Q1: a pop does not hand its cell back to producers a lap later (pushes then fail)",
    test: "strategies/strategies",
    runs: RUNS,
    edits: [{ file: "assembly/block_queue.ts", find: "  atomic.store<i32>(cell, position + capacity); // Q1", replace: "  atomic.store<i32>(cell, position + 1); // Q1" }],
  },
  // The flusher's sync decision (src/flusher/flusher.ts).
  {
    name: "sync-batch-dropped",
    breaks: 'sync "batch": no fdatasync after each write (only close()\'s)',
    test: "ring/flush",
    runs: RUNS,
    edits: [{ file: "src/flusher/flusher.ts", find: "const due = syncIntervalMs === -1 || ", replace: "const due = " }],
  },
  {
    name: "sync-interval-dropped",
    breaks: "sync { intervalMs }: no fdatasync while writes go on (only close()'s)",
    test: "ring/flush",
    runs: RUNS,
    edits: [{ file: "src/flusher/flusher.ts", find: " || (syncIntervalMs > 0 && now - lastSync >= syncIntervalMs);", replace: ";" }],
  },
  {
    name: "sync-marked-before-fdatasync",
    breaks: "a durable flush is answered before its fdatasync (SYNCED published first)",
    test: "flusher/durability",
    runs: RUNS,
    edits: [{
      file: "src/flusher/flusher.ts",
      find: "    file.sync();\n    lastSync = performance.now();\n    core.markSynced(ring, head);",
      replace: "    core.markSynced(ring, head);\n    file.sync();\n    lastSync = performance.now();",
    }],
  },
  // The exit drains (src/runtime/exit_hook.ts, src/ring/ring_open.ts, src/strategies/buffered_offthread.ts).
  {
    name: "exit-ring-drain-no-wait",
    breaks: "the ring's exit drain does not wait for the flusher",
    test: "runtime/exit",
    runs: RUNS,
    edits: [{ file: "src/ring/ring_open.ts", find: "      view.state.waitForEndSync(exitBoundMs);", replace: "      void exitBoundMs;" }],
  },
  {
    name: "exit-loss-unreported",
    breaks: "an exit drain that left records says nothing and exits 0",
    test: "runtime/exit",
    runs: RUNS,
    edits: [{ file: "src/runtime/exit_hook.ts", find: "      reportLoss(error);", replace: "      void error;" }],
  },
  {
    name: "exit-offthread-drain-no-wait",
    breaks: "buffered-offthread's exit drain does not wait for its writer thread",
    test: "strategies/strategy_faults",
    runs: RUNS,
    edits: [{
      file: "src/strategies/buffered_offthread.ts",
      find: "    this.writer.waitForEndSync(EXIT_DRAIN_MS);",
      replace: "    void EXIT_DRAIN_MS;",
    }],
  },
  // Rotation (src/rotation/active_file.ts, A1-A6, and file_lock.ts, L1-L3), several logs on one path.
  {
    name: "rotation-append-false-truncates",
    breaks: "append: false with rotate empties a file other processes append to (their records lost)",
    test: "rotation/rotation_processes",
    runs: RUNS,
    edits: [
      { file: "src/rotation/active_file.ts", find: "        const found = start.append ? undefined : file.#room!.stat(start.path);", replace: "        const found = undefined as FileStat | undefined;" },
      { file: "src/rotation/active_file.ts", find: "        file.#openPath(\"append\", \"if-empty\");\n        return aside;", replace: "        file.#openPath(mode, \"if-empty\");\n        return aside;" },
    ],
  },
  {
    name: "rotation-counter-reuses-freed-name",
    breaks: "names: a rotation takes a counter retention freed, sorts before older files and is removed first",
    test: "rotation/rotation_processes",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "        if (file.stamp === stamp) counter = Math.max(counter, file.counter + 1);", replace: "        if (false) counter = Math.max(counter, file.counter + 1);" }],
  },
  {
    name: "rotation-A4-period-rotated-twice",
    breaks: "A4: a process that saw the file empty at a period's start rotates it again after another gave it the period",
    test: "rotation/rotation_processes",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "        if (shared !== undefined && shared >= period!) {", replace: "        if (shared !== undefined && shared >= period! && Number.NaN > 0) {" }],
  },
  {
    name: "rotation-A2-size-ignored",
    breaks: "A2: the size check never rotates (files grow past size)",
    test: "rotation/rotation_size",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "      if (doesNotFit(next, room) && this.#size > this.#headerBytes) {", replace: "      if (doesNotFit(next, room) && this.#size > this.#headerBytes && Number.NaN > 0) {" }],
  },
  {
    name: "rotation-answer-after-follow",
    breaks: "rotate() after following another process's rotation rotates the new file: the caller gets a file without its records",
    test: "rotation/rotation_processes",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "        const found = asked && this.#switchedFrom !== undefined ? this.#rotatedFileOf(this.#switchedFrom) : undefined;", replace: "        const found = undefined as RotatedName | undefined;" }],
  },
  {
    name: "rotation-answer-rotated-meanwhile",
    breaks: "rotate() finding its file rotated by another process rotates the new one: the caller gets a file without its records",
    test: "rotation/rotation_processes",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "        if (found === undefined) this.#rotateHeld();", replace: "        if (found === undefined || Number.isNaN(Number.NaN)) this.#rotateHeld();" }],
  },
  {
    name: "rotation-L2-live-holder-broken",
    breaks: "L1/L2: a lock whose holder is alive is broken as if it were dead (two rotators)",
    test: "rotation/rotation_processes",
    runs: RUNS,
    edits: [{ file: "src/rotation/file_lock.ts", find: "    if (processAlive(holder.id)) return false;", replace: "    if (processAlive(holder.id) && Number.NaN > 0) return false;" }],
  },
  {
    // Three defences stand between a skipped look and A4's bug, each enough alone for the every test's
    // scenario (a mutant of any one or two survives 3 of 3): the look itself (not skipped with every), the
    // judgement of a followed file's period in beforeGather, and the period judged again in beforeWrite
    // (1a7115a). All three removed are the bug the every test reproduces.
    name: "rotation-A4-look-skipped-no-judge-after-follow",
    breaks: "A4: with every, the look at path is skipped when our count says full, a file followed inside #rotate is not judged again, nor the period at write time, so a batch of the new period goes into another process's file of the last one",
    test: "rotation/rotation_every",
    runs: RUNS,
    edits: [
      { file: "src/rotation/active_file.ts", find: "    const full = policy.sizeBytes > 0 && policy.everyMs === 0 && this.#size", replace: "    const full = policy.sizeBytes > 0 && this.#size" },
      { file: "src/rotation/active_file.ts", find: "      if (identity === this.#identity) return result;", replace: "      if (identity === this.#identity || !Number.isNaN(0)) return result;" },
      { file: "src/flusher/flusher.ts", find: "        file.beforeWrite(batch, bytes);", replace: "        if (Number.isNaN(0)) file.beforeWrite(batch, bytes);" },
    ],
  },
  {
    // The file was empty at this flusher's look; another process's batch of the last period landed since.
    name: "rotation-A4-stale-empty-kept",
    breaks: "A4: a file seen empty at the look, found under the lock with another process's batch of an earlier period, is kept as if it were this period's, and this period's batch goes into it",
    test: "rotation/rotation_every",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "        this.#size = stat.size;\n        this.#period = shared ?? periodStart(policy, stat.mtimeMs);\n        if (this.#period >= current) {", replace: "        if (shared !== undefined) this.#period = shared;\n        if (!Number.isNaN(0)) return;\n        if (this.#period >= current) {" }],
  },
  {
    name: "rotation-stale-empty-not-counted",
    breaks: "stats().rotations: the rotation of a file found with another process's batch of an earlier period is not counted (nor the housekeeper woken)",
    test: "rotation/rotation_every",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    if (rotated) this.#counted();", replace: "    if (rotated && Number.isNaN(0)) this.#counted();" }],
  },
  {
    name: "rotation-A4-emptied-renamed-aside",
    breaks: "A4: with every, a file emptied in place after the look is renamed aside empty at the period's end instead of taking the new period",
    test: "rotation/rotation_every",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: " : stat.size <= this.#headerBytes;", replace: " : stat.size <= this.#headerBytes && Number.isNaN(0);" }],
  },
  {
    name: "rotation-A5-followed-cut-header-fails",
    breaks: "A5 after a follow: a frames file at path cut short inside its header fails the flusher (\"cut-short frames header\") instead of being set aside",
    test: "rotation/rotation_external",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "          if (stat === undefined || !this.#opened || setAside >= 3) {", replace: "          if (stat === undefined || !this.#opened || !Number.isNaN(0)) {" }],
  },
  {
    name: "rotation-A3-directory-sync-unavailable-fails",
    breaks: "A3: a directory that cannot be fsynced (EINVAL, ENOTSUP...) fails the log instead of being skipped",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/io/driver.ts", find: "    if (code !== undefined && DIRECTORY_SYNC_UNAVAILABLE.has(code)) return;", replace: "    if (code !== undefined && DIRECTORY_SYNC_UNAVAILABLE.has(code) && Number.isNaN(0)) return;" }],
  },
  {
    name: "rotation-A3-directory-sync-error-ignored",
    breaks: "A3: a directory fsync that fails (EIO) is ignored, and a durable flush resolves for records whose file name may not be durable",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/io/driver.ts", find: "    throw error instanceof FileError ? error : new FileError(dir, \"fsync-directory\", error);", replace: "    if (Number.isNaN(0)) throw error instanceof FileError ? error : new FileError(dir, \"fsync-directory\", error);" }],
  },
  {
    name: "rotation-LF1-left-file-closed-unsynced",
    breaks: "LF1: with sync \"never\", a file left at a rotation is closed unsynced, and a durable flush asked for after the switch resolves with its records never fdatasync'd",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    this.#left.leave(old, unsynced);", replace: "    this.#left.leave(old, unsynced && Number.isNaN(0));" }],
  },
  {
    name: "rotation-LF1-left-files-not-synced",
    breaks: "LF1: the sync that advances the synced position does not sync the files left since the last one",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    this.#left.syncAll(); // the files left", replace: "    if (Number.isNaN(0)) this.#left.syncAll(); // the files left" }],
  },
  {
    name: "rotation-LF2-left-files-unbounded",
    breaks: "LF2: files left unsynced pile up open without bound (each holds its disk space after a retention removed it)",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/rotation/left_files.ts", find: "    while (this.#files.length > MAX_LEFT || (this.#files.length > 0", replace: "    while ((this.#files.length > MAX_LEFT && Number.isNaN(0)) || (this.#files.length > 0" }],
  },
  {
    name: "rotation-LF2-left-files-never-expire",
    breaks: "LF2: a file left unsynced stays open past MAX_AGE_MS, however long no sync comes",
    test: "rotation/left_files",
    runs: RUNS,
    edits: [{ file: "src/rotation/left_files.ts", find: "(this.#files.length > 0 && now - this.#files[0].since >= MAX_AGE_MS)", replace: "(this.#files.length > 0 && now - this.#files[0].since >= MAX_AGE_MS && Number.isNaN(0))" }],
  },
  {
    name: "rotation-LF1-closed-with-left-files-unsynced",
    breaks: "LF1: the flusher ends (close) with files left unsynced and closes them unsynced; a durable flush after close() syncs only the file at path",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/flusher/flusher.ts", find: "> synced || file.leftUnsynced > 0)) syncTo(head);", replace: "> synced || (file.leftUnsynced > 0 && Number.isNaN(0)))) syncTo(head);" }],
  },
  {
    name: "rotation-A3-old-file-not-settled",
    breaks: "A3: a policy that syncs (batch, intervalMs) does not sync the old file before the switch: its last records wait for a later sync of a file left open",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/flusher/flusher.ts", find: "      if (head > synced && (syncIntervalMs !== 0 || Atomics.load(i64, syncRequestedAt) > synced)) syncTo(head);\n    },", replace: "      if (Number.isNaN(0) && head > synced && (syncIntervalMs !== 0 || Atomics.load(i64, syncRequestedAt) > synced)) syncTo(head);\n    }," }],
  },
  {
    name: "late-durable-flush-syncs-path",
    breaks: "a durable flush after close() syncs whatever is at path (makes an empty file there), not the file the log wrote last, renamed since",
    test: "flusher/durability",
    runs: RUNS,
    edits: [{ file: "src/io/sync_last_file.ts", find: "    const name = findFile(driver, path, dir, identity);", replace: "    const name = Number.isNaN(0) ? findFile(driver, path, dir, identity) : path;" }],
  },
  {
    name: "late-durable-flush-no-directory-sync",
    breaks: "a durable flush after close() syncs the file but not its directory: a name open() created or a rename made may be lost",
    test: "flusher/durability",
    runs: RUNS,
    edits: [{ file: "src/io/sync_last_file.ts", find: "  syncDirectoryOf(driver, dir);", replace: "  if (Number.isNaN(0)) syncDirectoryOf(driver, dir);" }],
  },
  {
    name: "rotation-open-path-failure-leaks-file",
    breaks: "#openPath, failing after it took the file (publishing it), neither closes it nor keeps the file before it as the log's: at open() the new file's fd leaks, when following the old one's",
    test: "rotation/rotation_external",
    runs: RUNS,
    notOn: WORKER_FILES_CLOSED_AT_EXIT,
    edits: [{ file: "src/rotation/active_file.ts", find: "      if (previous !== undefined) this.#file = previous;\n      try {\n        file.close();", replace: "      void previous;\n      try {\n        void file;" }],
  },
  {
    name: "rotation-W1-failed-publish-entry-left",
    breaks: "W1: a publish whose rename fails (EIO) already names the new entry, so withdraw() at close removes nothing and the old entry stays while the process lives",
    test: "rotation/rotation_external",
    runs: RUNS,
    edits: [{ file: "src/rotation/writer_registry.ts", find: "    if (previous !== undefined) {\n      try {\n        this.#room.rename(previous, entry);", replace: "    this.#entry = entry;\n    if (previous !== undefined) {\n      try {\n        this.#room.rename(previous, entry);" }],
  },
  {
    name: "late-durable-flush-takes-any-file-at-path",
    breaks: "a durable flush after close() syncs whatever file is at path now (another process's, after a rename), not the one the log wrote",
    test: "flusher/durability",
    runs: RUNS,
    edits: [{ file: "src/io/sync_last_file.ts", find: "  if (identityOf(path) === identity) return path;", replace: "  if (identityOf(path) !== undefined) return path;" }],
  },
  {
    name: "late-durable-flushsync-skips-sync",
    breaks: "flushSync({ durable: true }) after close() returns without syncing anything",
    test: "ring/flush_sync",
    runs: RUNS,
    edits: [{ file: "src/ring/ring_log.ts", find: "    this.#syncOwnFd(defaultDriver());", replace: "    if (Number.isNaN(0)) this.#syncOwnFd(defaultDriver());" }],
  },
  {
    name: "last-file-odd-identity-breaks-close",
    breaks: "an identity that is not dev:ino numbers (a custom driver's) makes the flusher's close throw: nothing closed, close() fails",
    test: "flusher/durability",
    runs: RUNS,
    edits: [{ file: "src/core/ring_view.ts", find: "    if (parts === null) return;", replace: "    if (parts === null) throw new SyntaxError(`Cannot convert ${identity} to a BigInt`);" }],
  },
  {
    name: "writer-ascii-path-unchecked",
    breaks: "the Buffer ASCII path copies a string that is not ASCII as latin1 (ü as one byte 0xFC): not the UTF-8 the line was",
    test: "ring/ring",
    runs: RUNS,
    edits: [{ file: "src/record/ascii_writer.ts", find: "    return this.#buffer.byteLength(text, \"utf8\") === text.length;", replace: "    return this.#buffer.byteLength(text, \"utf8\") >= 0;" }],
  },
  {
    name: "rotation-L4-lock-file-left-open",
    breaks: "L4: release() leaves the held lock file open (a handle leaked per rotation, EMFILE in the end)",
    test: "rotation/file_lock",
    runs: RUNS,
    edits: [{ file: "src/rotation/file_lock.ts", find: "    } finally {\n      held.file.close();", replace: "    } finally {\n      void held.file;" }],
  },
  {
    name: "rotation-A2-emptied-file-rotated",
    breaks: "A2: a size rotation judged by the flusher's own count rotates a file emptied in place meanwhile",
    test: "rotation/rotation_size",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "const emptied = period === undefined ? stat.size < this.#size :", replace: "const emptied = period === undefined ? stat.size < this.#size && Number.NaN > 0 :" }],
  },
  {
    name: "rotation-directory-not-synced",
    breaks: "A3: a sync leaves the directory unsynced, so a new file's name is not durable with its records",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    if (!this.#directoryChanged) return;", replace: "    if (!this.#directoryChanged || !Number.isNaN(0)) return;" }],
  },
  {
    name: "rotation-A2-emptied-file-rotated-for-large-record",
    breaks: "A2: a file emptied in place is rotated aside empty when the next record is larger than size",
    test: "rotation/rotation_size",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "          if (this.#size === this.#headerBytes || this.#policy!.sizeBytes", replace: "          if (Number.isNaN(0) || this.#policy!.sizeBytes" }],
  },
  {
    name: "rotation-A5-emptied-frames-file-headerless",
    breaks: "A5: a frames file emptied in place gets frames without the header (the flusher's own count path)",
    test: "rotation/rotation_size",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    if (size === 0 && this.#headerBytes > 0) {", replace: "    if (size === 0 && this.#headerBytes > 0 && Number.isNaN(0)) {" }],
  },
  {
    name: "rotation-A5-emptied-frames-file-unnoticed",
    breaks: "A5: the look at path finds a frames file emptied below its header and writes frames into it anyway",
    test: "rotation/rotation_size",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    else if (stat.size < this.#headerBytes) this.#mend(batch);", replace: "    else if (stat.size < this.#headerBytes && Number.isNaN(0)) this.#mend(batch);" }],
  },
  {
    name: "rotation-follow-directory-unsynced",
    breaks: "A3: a log that follows another's new file does not sync the directory: that file's name is not durable with the records it calls synced",
    test: "rotation/rotation_safety",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    file = reportingFile(file, this.#path);\n    this.#directoryChanged = true;", replace: "    file = reportingFile(file, this.#path);" }],
  },
  {
    name: "rotation-A5-mend-rotates-a-file-with-room",
    breaks: "A5/A2: a frames file seen emptied below its header goes through the size rotation, which renames it aside when another log already wrote its header and a record",
    test: "rotation/rotation_size",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    else if (stat.size < this.#headerBytes) this.#mend(batch);", replace: "    else if (stat.size < this.#headerBytes) this.#rotate(batch, false);" }],
  },
  {
    name: "rotation-answer-forgets-followed-file",
    breaks: "rotate() after the flusher rotated a file this log followed but never wrote answers with that file, not the one holding the caller's records",
    test: "rotation/rotation_every",
    runs: RUNS,
    edits: [{ file: "src/rotation/active_file.ts", find: "    this.#renameAside(policy.everyMs > 0 ? Math.max(this.#period, 0) : Date.now());\n    this.#follow();", replace: "    this.#renameAside(policy.everyMs > 0 ? Math.max(this.#period, 0) : Date.now());\n    this.#follow();\n    this.#switchedFrom = undefined;" }],
  },
  {
    name: "rotation-A2-rotated-while-idle",
    breaks: "A2: a file past size (a record larger than size took it) is rotated with no record waiting, while the flusher idles",
    test: "rotation/rotation_size",
    runs: RUNS,
    edits: [
      { file: "src/rotation/active_file.ts", find: "      if (next < 0) return Math.max(0, Math.min(batch.stagingSize, room));", replace: "" },
      { file: "src/rotation/active_file.ts", find: "  return next >= 0 && next > room;", replace: "  return next > room;" },
    ],
  },
  {
    name: "read-count-lines-resume-relative",
    breaks: "recover() of a text log whose chunk holds more lines than one scan returns resumes from the wrong place: a wrong count",
    test: "frames/frames",
    runs: RUNS,
    edits: [{ file: "src/frames/frames.ts", find: "      start += this.#ends[found - 1];", replace: "      start = this.#ends[found - 1];" }],
  },
  {
    name: "read-frames-crc-failure-ignored",
    breaks: "read() takes the frames' lengths for the whole truth: a frame whose CRC fails is handed out",
    test: "frames/frames",
    runs: RUNS,
    edits: [{ file: "src/frames/frames.ts", find: "      if (checked !== end) return checked; // a frame before `end` fails its CRC", replace: "      if (Number.isNaN(0)) return checked;" }],
  },
  {
    name: "read-frames-overlong-length-is-torn",
    breaks: "a frame whose length is over MAX_FRAME after whole frames reads as a cut frame, not as corrupt",
    test: "frames/frames",
    runs: RUNS,
    edits: [{ file: "src/frames/frames.ts", find: "      return walked < 0 ? -end - 1 : end;", replace: "      return end;" }],
  },
  {
    name: "read-frame-views-from-lengths-off-by-header",
    breaks: "the views made from the frames' ends kept by scan() start at the frame header, not the payload",
    test: "frames/frames",
    runs: RUNS,
    edits: [{ file: "src/frames/frames.ts", find: "      batch.push(new Uint8Array(buffer, byteOffset + p + FRAME_HEADER, end - p - FRAME_HEADER)); // cheaper than subarray() in V8", replace: "      batch.push(new Uint8Array(buffer, byteOffset + p + (ends !== undefined ? 0 : FRAME_HEADER), end - p - FRAME_HEADER));" }],
  },
  {
    name: "read-frame-count-off-by-one",
    breaks: "recover() counts the frames before a CRC failure from the ends scan() kept, one too few",
    test: "frames/frames",
    runs: RUNS,
    edits: [{ file: "src/frames/frames.ts", find: "    return low + 1;", replace: "    return low;" }],
  },
  {
    name: "crc32c-length-word-wrong-tables",
    breaks: "the CRC step over a frame's 4 length bytes uses the tables of a byte further from the end: every frame's CRC is wrong, in writers and reader alike",
    test: "frames/frames",
    runs: RUNS,
    edits: [{ file: "assembly/crc32c.ts", find: "  return ~word(table, 3, value ^ ~crc);", replace: "  return ~word(table, 4, value ^ ~crc);" }],
  },
  {
    name: "read-ahead-any-size",
    breaks: "read() reads ahead whatever comes next before the CRCs are checked: a long frame after a corrupt one read in vain, a torn one read twice",
    test: "frames/frames",
    runs: RUNS,
    edits: [{ file: "src/frames/read.ts", find: "        if (whole > 0 && nextRead(chunk, whole) === CHUNK) chunks.readAhead(at + whole, CHUNK);", replace: "        chunks.readAhead(at + whole, nextRead(chunk, whole));" }],
  },
  {
    name: "read-ahead-not-settled-before-close",
    breaks: "read() closes its file while a read ahead still runs (a consumer that breaks early, a corrupt frame)",
    test: "frames/frames",
    runs: RUNS,
    edits: [{ file: "src/frames/read.ts", find: "        await chunks.settle();", replace: "        Number.isNaN(0);" }],
  },
  {
    name: "writer-state-done-erases-failed",
    breaks: "S1: publishLifecycle is a plain store, so the closer's DRAINING (or a DONE) erases a FAILED the writer thread published just before: close() resolves, the exit drain waits out its bound and reports a timeout",
    test: "strategies/strategy_faults",
    runs: RUNS,
    edits: [{ file: "src/core/writer_state.ts", find: "    for (let seen = Atomics.load(this.#i32, this.#lifecycleAt); seen < state;) {", replace: "    Atomics.store(this.#i32, this.#lifecycleAt, state);\n    for (let seen = Atomics.load(this.#i32, this.#lifecycleAt); seen < state;) {" }],
  },
  {
    name: "rotation-L4-release-removes-any",
    breaks: "L4: release() removes whatever lock file is at the path, also another holder's",
    test: "rotation/file_lock",
    runs: RUNS,
    edits: [{ file: "src/rotation/file_lock.ts", find: "      if (found !== undefined && (found.identity === held.identity || this.#room.readSmall(this.#path) === held.text)) this.#room.unlink(this.#path);", replace: "      if (found !== undefined) this.#room.unlink(this.#path);" }],
  },
];

// ---------------------------------------------------------------------------------------------------------

const USAGE = "usage: node scripts/mutants.mjs [--only a,b] [--runs n] [--runtime node|deno|bun] [--timeout s] [--no-baseline] [--list] [--check]";

function parseArgs(argv) {
  const options = { only: undefined, runs: undefined, runtime: "node", timeoutMs: 300_000, baseline: true, list: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    if (flag === "--only") options.only = value().split(",");
    else if (flag === "--runs") options.runs = Number(value());
    else if (flag === "--runtime") options.runtime = value();
    else if (flag === "--timeout") options.timeoutMs = Number(value()) * 1000;
    else if (flag === "--no-baseline") options.baseline = false;
    else if (flag === "--list") options.list = true;
    else if (flag === "--check") options.check = true; // every snippet found once in the tree, nothing run
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}\n${USAGE}`);
  }
  if (!["node", "deno", "bun"].includes(options.runtime)) throw new Error(`--runtime must be node, deno or bun, got ${JSON.stringify(options.runtime)}`);
  if (options.runs !== undefined && !(Number.isInteger(options.runs) && options.runs > 0)) throw new Error(`--runs must be a positive integer, got ${options.runs}`);
  return options;
}

function fail(message) {
  console.error(`mutants: ${message}`);
  process.exit(2);
}

/** Every edit's snippet occurs exactly once in its file (of the working tree): else name the mutant. */
function checkSnippets(mutants) {
  const problems = [];
  for (const mutant of mutants) {
    for (const { file, find } of mutant.edits) {
      let text;
      try {
        text = readFileSync(join(root, file), "utf8");
      } catch {
        problems.push(`mutant ${mutant.name}: ${file} does not exist`);
        continue;
      }
      const count = text.split(find).length - 1;
      if (count === 0) problems.push(`mutant ${mutant.name}: snippet not found in ${file}: ${JSON.stringify(find)}`);
      else if (count > 1) problems.push(`mutant ${mutant.name}: snippet found ${count} times in ${file}, it must be unique: ${JSON.stringify(find)}`);
    }
  }
  if (problems.length > 0) fail(`${problems.join("\n")}\nRe-aim these mutants at the source as it is now (scripts/mutants.mjs).`);
}

/** A copy of the working tree (tracked and untracked files, not ignored ones) with node_modules linked. */
function copyRepository() {
  const dir = mkdtempSync(join(tmpdir(), "ringlog-mutants-"));
  const copy = join(dir, "repo");
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter((f) => f && f !== "node_modules" && !f.startsWith("node_modules/") && !f.startsWith("dist/"));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file), { dereference: false });
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  // The tests' temporary files go under the copy, so they go with it whatever the tests leave.
  mkdirSync(join(dir, "tmp"));
  return { dir, copy, tmp: join(dir, "tmp") };
}

function build(copy, assembly) {
  const steps = assembly ? [["node", ["scripts/gen_wasm.mjs"]], ["npm", ["run", "build", "--silent"]]] : [["npm", ["run", "build", "--silent"]]];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { cwd: copy, encoding: "utf8" });
    if (result.status !== 0) return `${command} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`;
  }
  return undefined;
}

function testCommand(copy, runtime, test) {
  const bin = (name) => join(copy, "node_modules/.bin", name);
  if (runtime === "node") return [process.execPath, [join(copy, "dist/test", `${test}.test.js`)]];
  if (runtime === "deno") return [bin("deno"), ["run", "-A", join(copy, "test", `${test}.test.ts`)]];
  return [bin("bun"), [join(copy, "test", `${test}.test.ts`)]];
}

/** One run of the test: passed, or how it failed (its first failing test's name, or the timeout). */
function runTest(copy, tmp, runtime, test, timeoutMs) {
  const [command, args] = testCommand(copy, runtime, test);
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: copy, env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    let timedOut = false;
    let failedAt = -1;
    const kill = () => {
      try {
        process.kill(-child.pid, "SIGKILL"); // the test and the children it started
      } catch {
        child.kill("SIGKILL");
      }
    };
    // uvu marks each test as it ends (• passed, ✘ failed): the first ✘ kills the mutant, so the run ends
    // there, not after the tests behind it (a ring broken on purpose can hang them until the timeout).
    const watch = (d) => {
      output += d;
      if (failedAt >= 0) return;
      const marks = output.replace(/\x1b\[[0-9;]*m/g, "").replace(/[^•✘]/g, "");
      failedAt = marks.indexOf("✘");
      if (failedAt >= 0) kill();
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", watch);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
      const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      const ok = failedAt < 0 && !timedOut && code === 0 && total > 0 && passed === total;
      const failed = /FAIL\s+"(.*)"/.exec(plain)?.[1];
      const how = failedAt >= 0 ? `test ${failedAt + 1} of the file failing (✘)` : timedOut ? `hung (killed after ${timeoutMs / 1000} s)` : failed !== undefined ? `"${failed.slice(0, 70)}"` : `exit ${code ?? signal}`;
      resolve({ ok, how, seconds: (Date.now() - started) / 1000, output: plain });
    });
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.list) {
    for (const m of MUTANTS) console.log(`${m.name.padEnd(34)} ${m.test.padEnd(28)} ${m.breaks}`);
    return 0;
  }
  const unknown = (options.only ?? []).filter((name) => !MUTANTS.some((m) => m.name === name));
  if (unknown.length > 0) fail(`no mutant named ${unknown.join(", ")} (--list names them)`);
  const mutants = MUTANTS.filter((m) => options.only === undefined || options.only.includes(m.name));
  checkSnippets(mutants);
  if (options.check) {
    console.log(`${mutants.length} mutants: every snippet is found once`);
    return 0;
  }

  const started = Date.now();
  const { dir, copy, tmp } = copyRepository();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  const rows = [];
  try {
    if (options.runtime === "node") {
      const error = build(copy, false);
      if (error) fail(`the unmutated copy does not build:\n${error}`);
    }
    if (options.baseline) {
      for (const test of [...new Set(mutants.map((m) => m.test))]) {
        const result = await runTest(copy, tmp, options.runtime, test, options.timeoutMs);
        console.log(`[${elapsed()}] baseline ${test}: ${result.ok ? "passes" : `FAILS: ${result.how}`} (${result.seconds.toFixed(1)} s)`);
        if (!result.ok) fail(`${test} fails without any mutant, so it cannot judge one:\n${result.output.slice(-3000)}`);
      }
    }
    const generated = join(copy, "src/core/core_wasm.generated.ts");
    const pristineWasm = readFileSync(generated, "utf8");
    for (const mutant of mutants) {
      const notHere = mutant.notOn?.[options.runtime];
      if (notHere !== undefined) {
        console.log(`[${elapsed()}] ${mutant.name}: not run on ${options.runtime} (${notHere})`);
        rows.push({ mutant, killed: 0, runs: 0, how: "", notHere });
        continue;
      }
      // Edits to one file apply in turn, to the text the one before left; each file is restored after.
      const originals = new Map();
      for (const { file, find, replace } of mutant.edits) {
        const path = join(copy, file);
        if (!originals.has(path)) originals.set(path, readFileSync(path, "utf8"));
        writeFileSync(path, readFileSync(path, "utf8").replace(find, () => replace));
      }
      const assembly = mutant.edits.some((e) => e.file.startsWith("assembly/"));
      try {
        const error = options.runtime === "node" || assembly ? build(copy, assembly) : undefined;
        if (error) fail(`mutant ${mutant.name} does not build (fix its replacement):\n${error}`);
        const runs = options.runs ?? mutant.runs;
        const kills = [];
        for (let run = 0; run < runs; run++) {
          const result = await runTest(copy, tmp, options.runtime, mutant.test, options.timeoutMs);
          kills.push(result);
          console.log(`[${elapsed()}] ${mutant.name} run ${run + 1}/${runs}: ${result.ok ? "SURVIVED" : `killed by ${result.how}`} (${result.seconds.toFixed(1)} s)`);
        }
        const killed = kills.filter((k) => !k.ok).length;
        rows.push({ mutant, killed, runs, how: [...new Set(kills.filter((k) => !k.ok).map((k) => k.how))].slice(0, 2).join("; ") });
      } finally {
        for (const [path, text] of originals) writeFileSync(path, text);
        if (assembly) writeFileSync(generated, pristineWasm);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(`\n### Mutants (${options.runtime}, ${new Date().toISOString().slice(0, 16)}Z, ${elapsed()})\n`);
  console.log("| mutant | breaks | test | killed | by |");
  console.log("|---|---|---|--:|---|");
  for (const { mutant, killed, runs, how, notHere } of rows) {
    const verdict = notHere !== undefined ? `n/a on ${options.runtime}` : `${killed === runs ? "" : "**"}${killed}/${runs}${killed === runs ? "" : "**"}`;
    console.log(`| ${mutant.name} | ${mutant.breaks} | ${mutant.test}.test.ts | ${verdict} | ${(notHere ?? how).replaceAll("|", "\\|")} |`);
  }
  const survivors = rows.filter((r) => r.killed < r.runs);
  console.log(survivors.length === 0 ? `\nEvery mutant killed in every run.` : `\n${survivors.length} mutant(s) survived a run: ${survivors.map((r) => r.mutant.name).join(", ")}`);
  return survivors.length === 0 ? 0 : 1;
}

process.exitCode = await main();
