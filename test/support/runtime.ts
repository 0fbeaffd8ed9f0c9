// How to start a child process of the runtime running this test, on the same sibling module.
import { siblingModule } from "../../src/runtime/module_url.ts";

export function childCommand(base: string, name: string): { command: string; args: string[] } {
  const url = siblingModule(base, name);
  const script = decodeURIComponent(url.pathname);
  const g = globalThis as unknown as { Deno?: { execPath(): string }; process: { execPath: string } };
  if (g.Deno) return { command: g.Deno.execPath(), args: ["run", "-A", script] };
  return { command: g.process.execPath, args: [script] };
}
