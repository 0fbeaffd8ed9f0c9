// ringlog/logtape: LogTape with getRingSink(log) in many threads, every record once, whole, in order; the
// sink's dispose (reset(), dispose(), their Sync forms) and drain() leave every record in the file; a
// custom formatter; bad input. Every file write of the slow logs here takes 50 ms, so a dispose that
// returned before the flusher wrote would be seen.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { configure, configureSync, dispose, disposeSync, drain, getJsonLinesFormatter, getLogger, reset, resetSync } from "@logtape/logtape";
import { open } from "../../mod.ts";
import { getRingSink } from "../../src/integrations/logtape.ts";
import { runLoggerStress } from "../support/logger_stress.ts";
import { openSlowLog } from "../support/slow_log.ts";
import { tempPath } from "../support/temp.ts";

const QUIET_META = { category: ["logtape", "meta"], lowestLevel: "fatal" as const, sinks: [] };


// dispose() disposes the sinks but keeps the configuration: start each test from none.
test.before.each(() => reset());

const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean);

test("4 worker threads x 100,000 LogTape records: every line once, in the text formatter's shape, each thread's in order", async () => {
  assert.equal(await runLoggerStress("logtape", 4, 100_000), []);
});

const disposals: [string, () => Promise<void> | void][] = [
  ["await reset()", () => reset()],
  ["await dispose()", () => dispose()],
  ["resetSync() (configureSync)", () => resetSync()],
  ["disposeSync() (configureSync)", () => disposeSync()],
];
for (const [name, end] of disposals) {
  test(`${name} returns with every record in the file`, async () => {
    const { path, log } = await openSlowLog("logtape-dispose.log");
    const config = { sinks: { ring: getRingSink(log) }, loggers: [{ category: ["app"], sinks: ["ring"] }, QUIET_META] };
    if (name.includes("Sync")) configureSync(config);
    else await configure(config);
    for (let i = 0; i < 100; i++) getLogger(["app"]).info("record {i}", { i });
    await end();
    const written = lines(path);
    assert.is(written.length, 100);
    assert.match(written[99], /\[INF\] app: record 99$/);
    await log.close();
  });
}

test("drain() resolves with every record in the file, and the sink keeps taking records", async () => {
  const { path, log } = await openSlowLog("logtape-drain.log");
  await configure({ sinks: { ring: getRingSink(log) }, loggers: [{ category: ["app"], sinks: ["ring"] }, QUIET_META] });
  getLogger(["app"]).warn("first");
  await drain();
  assert.equal(lines(path).map((l) => l.replace(/^.* \[/, "[")), ["[WRN] app: first"]);
  getLogger(["app"]).error("second");
  await reset();
  assert.is(lines(path).length, 2);
  await log.close();
});

test("a custom formatter: LogTape's JSON Lines", async () => {
  const path = tempPath("logtape-json.log");
  const log = await open(path, { append: false });
  await configure({ sinks: { ring: getRingSink(log, { formatter: getJsonLinesFormatter() }) }, loggers: [{ category: ["app"], sinks: ["ring"] }, QUIET_META] });
  getLogger(["app", "db"]).info("query took {ms} ms", { ms: 12 });
  await reset();
  await log.close();
  const record = JSON.parse(readFileSync(path, "utf8"));
  assert.is(record.message, "query took 12 ms");
  assert.equal(record.properties, { ms: 12 });
  assert.is(record.logger, "app.db");
});

test("bad input: a value that is not a Log, bad options, a formatter that is not a function", async () => {
  const log = await open(tempPath("logtape-bad.log"), { append: false });
  assert.throws(() => getRingSink(null as never), /ringlog: getRingSink\(\) takes a Log \(what open\(\) or attach\(\) returns\), got null/);
  assert.throws(() => getRingSink(log, "text" as never), /getRingSink\(\)'s options must be an object, got string/);
  assert.throws(() => getRingSink(log, { formatter: "text" as never }), /formatter must be a function \(a LogTape TextFormatter\), got string/);
  await log.close();
});

test.run();
