// Runs every test file (test/**/*.test.ts, the folders mirroring src/'s rooms) under node, deno and bun, as
// plain scripts: uvu suites give correct exit codes that way in all three (`deno test` and `bun test` do not
// run uvu suites as they are). Node runs the compiled copy in dist/.
// A file passes only when every test it registered ran and passed: a skipped test (uvu's "Skipped:", from
// a committed test.skip or test.only) fails it. A test that cannot apply on a runtime is declared by the
// file (test/support/not_on.ts prints a marker line) and listed in the summary, never a silent pass.
// Usage: node scripts/run_tests.mjs [name-filter] [--runtime=node|deno|bun]
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules/.bin", name);
const runtimes = {
  node: (file) => [process.execPath, [join(root, "dist/test", file.replace(/\.ts$/, ".js"))]],
  deno: (file) => [bin("deno"), ["run", "-A", join(root, "test", file)]],
  bun: (file) => [bin("bun"), [join(root, "test", file)]],
};
// A hung test must fail the run, not eat CI's 90 minutes.
const TIMEOUT_MS = 5 * 60 * 1000;
// test/support/not_on.ts's NOT_ON_MARKER, at the start of a line.
const NOT_ON = /^\[does not apply\] (.+)$/gm;

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith("--runtime="))?.slice(10);
const filter = args.find((a) => !a.startsWith("--"));
const files = readdirSync(join(root, "test"), { recursive: true })
  .filter((f) => f.endsWith(".test.ts") && (!filter || f.includes(filter)))
  .sort();

function run(runtime, file) {
  const [command, argv] = runtimes[runtime](file);
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[run_tests] killed after ${TIMEOUT_MS / 1000} s\n`;
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
      const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
      const notOn = [...plain.matchAll(NOT_ON)].map((m) => m[1]);
      // 0 tests is a pass only for a file that declared why (every test of it is not for this runtime).
      const ran = total > 0 || notOn.length > 0;
      const ok = code === 0 && ran && passed === total && skipped === 0;
      resolve({ ok, total, passed, skipped, notOn, code, signal, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const declared = [];
for (const file of files) {
  for (const runtime of Object.keys(runtimes)) {
    if (only && runtime !== only) continue;
    const result = await run(runtime, file);
    passed += result.passed;
    skipped += result.skipped;
    failed += result.total - result.passed + (result.ok || result.total > result.passed ? 0 : 1);
    const name = file.replace(/\.test\.ts$/, "");
    for (const why of result.notOn) declared.push(`${name}: ${why}`);
    const notes = [result.skipped > 0 ? `${result.skipped} SKIPPED (test.skip or test.only left in)` : "", result.notOn.length > 0 ? `${result.notOn.length} declared not to apply` : ""].filter(Boolean);
    console.log(`${result.ok ? "ok  " : "FAIL"} ${runtime.padEnd(4)} ${file}: ${result.passed}/${result.total} tests${notes.length > 0 ? ` (${notes.join(", ")})` : ""}, ${result.seconds.toFixed(1)} s`);
    if (!result.ok) console.log(result.output.replace(/^/gm, "     | "), `\n     exit code ${result.code}${result.signal ? `, signal ${result.signal}` : ""}`);
  }
}
if (declared.length > 0) console.log(`\nDeclared not to apply (run elsewhere, not passed here):\n${declared.map((d) => `  ${d}`).join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped (a failure)` : ""}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
