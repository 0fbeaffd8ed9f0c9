// ringlog/winston: winston loggers with a RingTransport in many threads, every line once, whole, in order;
// logger.end() finishes once the file is complete; logv batches keep order and apply the transport's own
// format; failures never throw into the code that logs ("error" for a failed file, "warn" for drops).
// winston runs in Deno too through this transport, so every test runs in all three runtimes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import winston from "winston";
import { open } from "../../mod.ts";
import { RingTransport } from "../../src/integrations/winston.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { faultSpec } from "../support/faulty_driver.ts";
import { runLoggerStress } from "../support/logger_stress.ts";
import { thrown } from "../support/outcome.ts";
import { openSlowLog } from "../support/slow_log.ts";
import { tempPath } from "../support/temp.ts";

const driver = siblingModule(import.meta.url, "../support/faulty_driver").href;


const messages = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).message);

test("4 worker threads x 100,000 winston lines: every line once, valid JSON, each thread's in order", async () => {
  assert.equal(await runLoggerStress("winston", 4, 100_000), []);
});

test('logger.end(): "finish" comes once every line is in the file', async () => {
  const { path, log } = await openSlowLog("winston-end.log");
  const logger = winston.createLogger({ format: winston.format.json(), transports: [new RingTransport(log)] });
  for (let i = 0; i < 100; i++) logger.info(`line ${i}`);
  await new Promise<void>((resolve) => {
    logger.once("finish", resolve);
    logger.end();
  });
  assert.equal(messages(path), Array.from({ length: 100 }, (_, i) => `line ${i}`));
  await log.close();
});

test("logv: a corked transport's batch is written in order, each line through the transport's own format", async () => {
  const path = tempPath("winston-logv.log");
  const log = await open(path, { append: false });
  const upper = winston.format((info) => ({ ...info, message: String(info.message).toUpperCase() }))();
  const transport = new RingTransport(log, { format: winston.format.combine(upper, winston.format.json()) });
  let batches = 0;
  const logv = transport.logv.bind(transport);
  transport.logv = (writes, next) => {
    batches++;
    logv(writes, next);
  };
  const logger = winston.createLogger({ transports: [transport] });
  transport.cork();
  for (let i = 0; i < 10; i++) logger.info(`batched ${i}`);
  transport.uncork();
  await new Promise<void>((resolve) => {
    logger.once("finish", resolve);
    logger.end();
  });
  assert.is(batches, 1, "the corked lines came as one logv batch");
  assert.equal(messages(path), Array.from({ length: 10 }, (_, i) => `BATCHED ${i}`));
  await log.close();
});

test('a failed file: logging never throws; one "error" on the logger, with the code; counted', async () => {
  const path = tempPath("winston-failed.log");
  writeFileSync(`${path}.fail`, faultSpec("write", "ENOSPC", 0));
  const log = await open(path, { append: false, driver });
  const transport = new RingTransport(log);
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  const errors: Error[] = [];
  logger.on("error", (error: Error) => errors.push(error));
  logger.info("first");
  await log.flush().catch(() => {});
  for (let i = 0; i < 50; i++) assert.is(thrown(() => logger.info("after the fault")), "returned");
  assert.is(transport.stats().failed, 50);
  assert.is(errors.length, 1, "one error for the run of identical failures");
  assert.is((errors[0] as Error & { code?: string }).code, "ENOSPC");
  await log.close().catch(() => {});
});

test('a full ring with onFull "drop": logging never throws; refusals counted, one "warn"', async () => {
  const path = tempPath("winston-drop.log");
  writeFileSync(`${path}.gate`, "");
  const log = await open(path, { append: false, driver, capacity: 64 * 1024, onFull: "drop" });
  const transport = new RingTransport(log);
  const warnings: Error[] = [];
  transport.on("warn", (warning: Error) => warnings.push(warning));
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  for (let i = 0; i < 5000; i++) logger.info(`line ${i}`);
  const stats = transport.stats();
  assert.ok(stats.refused > 0);
  assert.is(stats.written + stats.refused, 5000);
  assert.is(log.stats().dropped, stats.refused);
  assert.is(warnings.length, 1);
  rmSync(`${path}.gate`);
  await log.flush();
  assert.is(messages(path).length, stats.written);
  await log.close();
});

test('close() (logger.remove): flushes, then "closed"; the log stays open', async () => {
  const { path, log } = await openSlowLog("winston-close.log");
  const transport = new RingTransport(log);
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  logger.info("before close");
  const closed = new Promise<boolean>((resolve) => transport.once("closed", () => resolve(readFileSync(path, "utf8").includes("before close"))));
  logger.remove(transport);
  assert.ok(await closed, "the line is in the file when \"closed\" comes");
  log.write("the log is still open\n");
  await log.close();
});

test("bad input: a value that is not a Log, bad options, an eol that is not a string; log/logv/close options are ignored", async () => {
  const path = tempPath("winston-bad.log");
  const log = await open(path, { append: false });
  assert.throws(() => new RingTransport(undefined as never), /ringlog: RingTransport takes a Log \(what open\(\) or attach\(\) returns\), got undefined/);
  assert.throws(() => new RingTransport(log, 3 as never), /RingTransport's options must be an object, got number/);
  assert.throws(() => new RingTransport(log, { eol: 1 as never }), /eol must be a string, got number/);
  const transport = new RingTransport(log, { log: () => {} } as never);
  winston.createLogger({ format: winston.format.json(), transports: [transport] }).info("kept");
  await log.close();
  assert.equal(messages(path), ["kept"]);
});

test.run();
