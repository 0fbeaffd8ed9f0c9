// ringlog/pino: pino loggers in many threads through pinoDestination(log), every line once, whole, in
// order; flush(cb), flushSync() and fatal with durableLevel put the line in the file (and on disk) before
// they return; a full ring under onFull "drop" or a failed file never throws into the code that logs.
// pino runs in Deno too through this destination (pino's own destinations write nothing there,
// deno#26154), so every test runs in all three runtimes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import pino from "pino";
import { open } from "../../mod.ts";
import { pinoDestination } from "../../src/integrations/pino.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { assertSyncedAfter, driverCalls } from "../support/driver_calls.ts";
import { faultSpec } from "../support/faulty_driver.ts";
import { runLoggerStress } from "../support/logger_stress.ts";
import { thrown } from "../support/outcome.ts";
import { openSlowLog } from "../support/slow_log.ts";
import { tempPath } from "../support/temp.ts";

const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;


test("4 worker threads x 100,000 pino lines: every line once, valid JSON, each thread's in order", async () => {
  assert.equal(await runLoggerStress("pino", 4, 100_000), []);
});

test("logger.flush(cb) calls back once the line is in the file", async () => {
  const { path, log } = await openSlowLog("pino-flush.log");
  const logger = pino({}, pinoDestination(log));
  for (let i = 0; i < 5; i++) {
    logger.info({ i }, "flush me");
    const inFile = await new Promise<boolean>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve(readFileSync(path, "utf8").includes(`"i":${i},`)))));
    assert.ok(inFile, `line ${i} is in the file when the callback runs`);
  }
  await log.close();
});

test("destination.flushSync() returns once the line is in the file; so does fatal()", async () => {
  const { path, log } = await openSlowLog("pino-flush-sync.log");
  const destination = pinoDestination(log);
  const logger = pino({}, destination);
  logger.info("sync me");
  destination.flushSync();
  assert.match(readFileSync(path, "utf8"), '"msg":"sync me"');
  logger.fatal("the end"); // pino's fatal() calls flushSync() (lib/levels.js)
  assert.match(readFileSync(path, "utf8"), '"msg":"the end"');
  await log.close();
});

test("durableLevel 60: fatal() returns only after an fdatasync that follows the fatal line's write; info lines are not synced", async () => {
  const { path, log } = await openSlowLog("pino-durable.log", { calls: true });
  const logger = pino({}, pinoDestination(log, { durableLevel: 60 }));
  logger.info("plain");
  await new Promise((resolve) => logger.flush(resolve));
  logger.error("not fatal");
  await new Promise((resolve) => logger.flush(resolve));
  assert.not.ok(driverCalls(path).some(({ call }) => call === "sync"), "no sync below durableLevel");
  const fatal = `fatal ${crypto.randomUUID()}`;
  logger.fatal(fatal);
  assertSyncedAfter(path, fatal);
  await log.close();
});

test("without durableLevel, fatal() writes but does not sync", async () => {
  const { path, log } = await openSlowLog("pino-not-durable.log", { calls: true });
  const logger = pino({}, pinoDestination(log));
  logger.fatal("fatal, not durable");
  assert.match(readFileSync(path, "utf8"), "fatal, not durable");
  assert.not.ok(driverCalls(path).some(({ call }) => call === "sync"));
  await log.close();
});

test('a full ring with onFull "drop": logging neither throws nor blocks; refusals counted, one "error" event', async () => {
  const path = tempPath("pino-drop.log");
  writeFileSync(`${path}.gate`, ""); // the disk stalls: the 64 KiB ring fills up
  const log = await open(path, { append: false, driver, capacity: 64 * 1024, onFull: "drop" });
  const destination = pinoDestination(log);
  const errors: Error[] = [];
  destination.on("error", (error: Error) => errors.push(error));
  const logger = pino({}, destination);
  const lines = 5000; // about 400 KB: far more than the ring holds
  for (let i = 0; i < lines; i++) assert.is(thrown(() => logger.info({ i }, "dropped or not")), "returned");
  const stats = destination.stats();
  assert.ok(stats.refused > 0, "some lines were refused");
  assert.is(stats.written + stats.refused, lines);
  assert.is(stats.failed, 0);
  assert.is(log.stats().dropped, stats.refused, "the log counted the same drops");
  assert.is(errors.length, 1, "one error event for the run of drops");
  assert.match(errors[0].message, 'onFull is "drop"');
  rmSync(`${path}.gate`);
  await new Promise((resolve) => logger.flush(resolve));
  const written = readFileSync(path, "utf8").split("\n").filter(Boolean);
  assert.is(written.length, stats.written, "every line the log took is in the file");
  for (const line of written) assert.is(JSON.parse(line).msg, "dropped or not");
  await log.close();
});

test('a failed file: logging never throws; the error (with its code) is counted and emitted once; flush(cb) gets it', async () => {
  const path = tempPath("pino-failed.log");
  writeFileSync(`${path}.fail`, faultSpec("write", "EIO", 0));
  const log = await open(path, { append: false, driver });
  const destination = pinoDestination(log);
  const errors: Error[] = [];
  destination.on("error", (error: Error) => errors.push(error));
  const logger = pino({}, destination);
  logger.info("first");
  const flushed = await new Promise<Error | undefined>((resolve) => logger.flush(resolve));
  assert.is((flushed as Error & { code?: string })?.code, "EIO", "flush(cb) calls back with the file's error");
  for (let i = 0; i < 100; i++) assert.is(thrown(() => logger.info("after the fault")), "returned");
  assert.is(destination.stats().failed, 100);
  assert.is(errors.length, 1, "one error event for the run of identical failures");
  assert.is((errors[0] as Error & { code?: string }).code, "EIO");
  assert.is(thrown(() => logger.fatal("fatal after the fault")), "returned", "fatal() swallows flushSync()'s error, as pino does");
  const direct = thrown(() => destination.flushSync());
  assert.is((direct as { code?: string }).code, "EIO", "flushSync() itself throws the file's error");
  await log.close().catch(() => {});
});

test("pino.multistream: lines at each stream's level reach its log; flushSync() and end() reach the destination", async () => {
  const all = await openSlowLog("pino-multi-all.log");
  const errors = await openSlowLog("pino-multi-errors.log");
  const stream = pino.multistream([{ level: "info", stream: pinoDestination(all.log) }, { level: "error", stream: pinoDestination(errors.log) }]);
  const logger = pino({ level: "info" }, stream);
  logger.info("an info");
  logger.error("an error");
  stream.flushSync();
  assert.equal(readFileSync(all.path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).msg), ["an info", "an error"]);
  assert.equal(readFileSync(errors.path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).msg), ["an error"]);
  stream.end();
  await all.log.close();
  await errors.log.close();
});

test('end(): "finish" and "close" once the lines are in the file; lines after it are counted, never thrown', async () => {
  const { path, log } = await openSlowLog("pino-end.log");
  const destination = pinoDestination(log);
  const logger = pino({}, destination);
  logger.info("before end");
  const events: string[] = [];
  destination.on("finish", () => events.push(`finish ${readFileSync(path, "utf8").includes("before end")}`));
  destination.on("close", () => events.push("close"));
  await new Promise((resolve) => destination.end(resolve));
  assert.equal(events, ["finish true", "close"]);
  assert.is(destination.writable, false);
  destination.on("error", () => {});
  assert.is(thrown(() => logger.info("after end")), "returned");
  assert.is(destination.stats().failed, 1);
  await log.close();
  assert.not.match(readFileSync(path, "utf8"), "after end");
});

test("pino(destination) with one argument takes it as the stream (it is writable)", async () => {
  const path = tempPath("pino-one-arg.log");
  const log = await open(path, { append: false });
  pino(pinoDestination(log)).info("one argument");
  await log.close();
  assert.is(JSON.parse(readFileSync(path, "utf8")).msg, "one argument");
});

test("bad input: a value that is not a Log, bad options, a durableLevel that is not a number", async () => {
  const log = await open(tempPath("pino-bad.log"), { append: false });
  assert.throws(() => pinoDestination(undefined as never), /ringlog: pinoDestination\(\) takes a Log \(what open\(\) or attach\(\) returns\), got undefined/);
  assert.throws(() => pinoDestination({ write() {} } as never), /takes a Log .*got object/);
  assert.throws(() => pinoDestination(log, 5 as never), /options must be an object, got number/);
  assert.throws(() => pinoDestination(log, { durableLevel: "fatal" as never }), /durableLevel must be a pino level number \(60 is fatal\), got "fatal"/);
  await log.close();
});

test.run();
