// Runs every test file (test/**/*.test.ts, the folders mirroring src/'s rooms) under node, deno and bun, as
// plain scripts: uvu suites give correct exit codes that way in all three (`deno test` and `bun test` do not
// run uvu suites as they are). Node runs the compiled copy in dist/.
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
      resolve({ ok: code === 0 && total > 0 && passed === total, total, passed, code, signal, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

let passed = 0;
let failed = 0;
for (const file of files) {
  for (const runtime of Object.keys(runtimes)) {
    if (only && runtime !== only) continue;
    const result = await run(runtime, file);
    passed += result.passed;
    failed += result.total - result.passed + (result.ok || result.total > result.passed ? 0 : 1);
    console.log(`${result.ok ? "ok  " : "FAIL"} ${runtime.padEnd(4)} ${file}: ${result.passed}/${result.total} tests, ${result.seconds.toFixed(1)} s`);
    if (!result.ok) console.log(result.output.replace(/^/gm, "     | "), `\n     exit code ${result.code}${result.signal ? `, signal ${result.signal}` : ""}`);
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
