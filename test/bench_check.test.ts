// The burst benchmark's output checker (bench/check_output.ts): it is what lets the benchmark's table say
// "events == lines, no malformed line", so it must catch torn, spliced, split and missing lines.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { checkOutputFile, classifyLine, LineChecker, verdict } from "../bench/check_output.ts";
import { tempPath } from "./support/temp.ts";

const B64 = "AbC+/9".repeat(21) + "xy"; // 128 base64 characters
const HEAD = "2026-11-22T00:26:25.357Z c666cda4-106e-4d41-b689-0ff1622087db EventNo: 1795307185357.17";
const DATA = `${HEAD} Data:${B64}`;
const SMALL = `${HEAD} Data: Small -1687370404353303`;
const MEDIUM = `${HEAD} Data: medium ${B64.slice(0, 48)}`;

test("classifyLine: the three events of a burst iteration", () => {
  assert.is(classifyLine(DATA), "data");
  assert.is(classifyLine(SMALL), "small");
  assert.is(classifyLine(MEDIUM), "medium");
});

test("classifyLine: torn, spliced and altered lines are malformed", () => {
  for (const line of [
    "",
    DATA.slice(0, 100), // torn
    DATA.slice(0, 60) + SMALL, // another record spliced in
    DATA + "x", // data one character long
    MEDIUM.slice(0, -1), // medium one short
    SMALL.replace("Small", "small"),
    SMALL.replace("c666cda4", "c666cdaZ"), // not a uuid
    SMALL.replace(".357Z", ".357"), // not ISO UTC
    SMALL.replace("1795307185357.17", "1795307185357.1234"), // i has at most 3 digits (0-199)
    DATA.replace("AbC", "Ab\uFFFD"), // invalid UTF-8 decodes to U+FFFD
  ]) {
    assert.is(classifyLine(line), undefined, JSON.stringify(line));
  }
});

test("LineChecker: lines split across pieces are joined, a last line without a newline is torn", () => {
  const text = `${DATA}\n${SMALL}\n${MEDIUM}\n${DATA.slice(0, 50)}`;
  const checker = new LineChecker();
  for (let i = 0; i < text.length; i += 37) checker.push(text.slice(i, i + 37));
  const result = checker.finish();
  assert.is(result.lines, 4);
  assert.is(result.malformed, 1);
  assert.equal(result.kinds, { data: 1, small: 1, medium: 1 });
  assert.ok(result.samples[0].includes("no newline at end of file"));
});

test("checkOutputFile + verdict: exact file passes; a lost, a duplicated or a torn line fails", () => {
  const good = `${DATA}\n${SMALL}\n${MEDIUM}\n`.repeat(1000);
  const path = tempPath("check.log");
  writeFileSync(path, good);
  assert.equal(verdict(checkOutputFile(path), 3000), { ok: true, note: "ok: 3000 events = 3000 lines" });

  writeFileSync(path, good.slice(0, good.length - MEDIUM.length - 1)); // one event lost
  assert.is(verdict(checkOutputFile(path), 3000).ok, false);

  writeFileSync(path, good + `${SMALL}\n`); // one event twice, line count off
  assert.is(verdict(checkOutputFile(path), 3000).ok, false);

  writeFileSync(path, good.replace(`${SMALL}\n${MEDIUM}\n`, `${MEDIUM}\n${MEDIUM}\n`)); // count right, kinds wrong
  const swapped = verdict(checkOutputFile(path), 3000);
  assert.is(swapped.ok, false);
  assert.ok(swapped.note.includes("kinds 1000/999/1001"), swapped.note);

  writeFileSync(path, good.replace(DATA, DATA.slice(0, 70))); // torn
  const torn = checkOutputFile(path);
  assert.is(torn.malformed, 1);
  assert.is(verdict(torn, 3000).ok, false);
});

test.run();
