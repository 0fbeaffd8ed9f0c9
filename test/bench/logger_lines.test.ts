// The logger benchmark's output check (bench/logger_lines.ts): whole pino and LogTape JSON lines pass; a
// line with another's bytes spliced in is torn and its event lost; a repeated id is a duplicate.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { checkLoggerFile, loggerVerdict } from "../../bench/logger_lines.ts";
import { tempPath } from "../support/temp.ts";

const data = "A".repeat(128);
const created = new Date(0).toISOString();
const pinoLine = (i: number) => JSON.stringify({ level: 30, time: 0, pid: 1, hostname: "h", id: crypto.randomUUID(), created, msg: `EventNo: 0.${i} w0.${i} Data:${data}` });
const logtapeLine = (i: number) => JSON.stringify({ "@timestamp": created, level: "INFO", message: `EventNo: 0.${i} w1.${i} Data: Small ${i}`, logger: "bench", properties: { id: crypto.randomUUID(), created } });

function check(lines: string[], events: number) {
  const path = tempPath("logger-lines.log");
  writeFileSync(path, lines.map((l) => `${l}\n`).join(""));
  return checkLoggerFile(path, events);
}

test("whole pino and LogTape lines pass", () => {
  const lines = [...Array.from({ length: 50 }, (_, i) => pinoLine(i)), ...Array.from({ length: 50 }, (_, i) => logtapeLine(i))];
  const result = check(lines, 100);
  assert.equal({ ...result, samples: [] }, { events: 100, lines: 100, torn: 0, duplicated: 0, lost: 0, samples: [] });
  assert.ok(loggerVerdict(result).ok);
});

test("a spliced line is torn, and its events are lost; a repeated line is a duplicate; a missing one lost", () => {
  const lines = Array.from({ length: 10 }, (_, i) => pinoLine(i));
  const a = lines[3];
  const b = lines[4];
  const spliced = [...lines.slice(0, 3), a.slice(0, 40) + b + a.slice(40), ...lines.slice(5)];
  const torn = check(spliced, 10);
  assert.is(torn.torn, 1);
  assert.is(torn.lost, 2);
  const twice = check([...lines, lines[7]], 10);
  assert.is(twice.duplicated, 1);
  assert.is(twice.lost, 0);
  assert.not.ok(loggerVerdict(twice).ok);
  const missing = check(lines.slice(1), 10);
  assert.is(missing.lost, 1);
  assert.is(loggerVerdict(missing).note, "FAILED: 10 events, 9 lines: 1 lost, 0 torn, 0 duplicated");
});

test.run();
