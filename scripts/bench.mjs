// `npm run bench`, `bun run bench` and `deno task bench` all land here, and each means its own runtime.
// package.json scripts run through a shell where "node" stays Node even under `bun run` (unless --bun), so
// the runtime that was asked for is read from npm_config_user_agent: Bun sets "bun/1.4.5 ...", deno task
// "deno/2.9.6 ...". Under Bun the benchmark runs as `bun bench/burst.ts`, under Deno as
// `deno run -A bench/burst.ts`; otherwise it is compiled to dist/ and run by Node.
// Why deno task does not run `deno run -A bench/burst.ts` itself: in this repository node_modules/.bin/deno
// (the npm "deno" package's binary) shadows deno task's own "deno", and deno task runs node_modules/.bin
// entries as JavaScript: "SyntaxError: Invalid or unexpected token" on the ELF binary.
// Usage: node scripts/bench.mjs [bench name] [its flags...]; the name is a file of bench/ (burst when left
// out): `node scripts/bench.mjs sync_policies --rounds 3` runs bench/sync_policies.ts.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const named = process.argv[2] !== undefined && !process.argv[2].startsWith("-");
// `npm run bench -- --loggers` is the logger benchmark (bench/loggers.ts), as issue 11 names it.
const loggers = !named && process.argv.includes("--loggers");
const bench = named ? process.argv[2] : loggers ? "loggers" : "burst";
const args = process.argv.slice(named ? 3 : 2).filter((a) => !loggers || a !== "--loggers");
if (!/^[a-z_]+$/.test(bench) || !existsSync(join(root, "bench", `${bench}.ts`))) {
  console.error(`bench: no benchmark bench/${bench}.ts`);
  process.exit(2);
}
const agent = process.env.npm_config_user_agent ?? "";

function run(command, argv) {
  const result = spawnSync(command, argv, { cwd: root, stdio: "inherit" });
  if (result.error) {
    console.error(`bench: could not run ${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function local(name) {
  const bin = join(root, "node_modules/.bin", name);
  return existsSync(bin) ? bin : name;
}

if (agent.startsWith("bun/")) {
  // Bun puts the path of its own binary in npm_execpath when it runs a script.
  const execPath = process.env.npm_execpath;
  const bun = execPath && /bun(\.exe)?$/.test(execPath) ? execPath : local("bun");
  run(bun, [join(root, `bench/${bench}.ts`), ...args]);
} else if (agent.startsWith("deno/")) {
  run(local("deno"), ["run", "-A", join(root, `bench/${bench}.ts`), ...args]);
} else {
  run(local("tsc"), ["-p", join(root, "tsconfig.json")]);
  run(process.execPath, [join(root, `dist/bench/${bench}.js`), ...args]);
}
