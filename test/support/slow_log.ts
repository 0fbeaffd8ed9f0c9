// A log whose every file write takes 50 ms (faulty_driver's <path>.slow), so that a flush, a dispose or an
// end that returned before the flusher wrote would be seen: the line would not be in the file yet. With
// `calls`, the driver also records its writes and syncs (driver_calls.ts reads them).
import { writeFileSync } from "node:fs";
import { open, type Log } from "../../mod.ts";
import { siblingModule } from "../../src/runtime/module_url.ts";
import { tempPath } from "./temp.ts";

const driver = siblingModule(import.meta.url, "./faulty_driver").href;

export async function openSlowLog(name: string, options: { calls?: boolean } = {}): Promise<{ path: string; log: Log }> {
  const path = tempPath(name);
  writeFileSync(`${path}.slow`, "50");
  if (options.calls === true) writeFileSync(`${path}.calls`, "");
  return { path, log: await open(path, { append: false, driver }) };
}
