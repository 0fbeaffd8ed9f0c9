// The runnable examples of the README's logger sections (examples/*.ts) run and write every thread's lines:
// Deno and Bun run the sources, Node the compiled copy in dist/examples/.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";

const g = globalThis as unknown as { Deno?: { execPath(): string }; process: { execPath: string } };
const compiled = !import.meta.url.endsWith(".ts");
const EXAMPLES: [name: string, lines: number][] = [["pino", 2002], ["logtape", 2001], ["winston", 2001]];

for (const [name, lines] of EXAMPLES) {
  test(`examples/${name}.ts: three threads' lines in one file`, () => {
    const script = new URL(`../../examples/${name}.${compiled ? "js" : "ts"}`, import.meta.url).pathname;
    const [command, args] = g.Deno ? [g.Deno.execPath(), ["run", "-A", script]] : [g.process.execPath, [script]];
    const child = spawnSync(command, args, { encoding: "utf8", timeout: 60_000 });
    assert.is(child.status, 0, child.stderr);
    assert.match(child.stdout, `${lines} lines in `);
  });
}

test.run();
