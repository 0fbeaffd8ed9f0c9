// The one place that picks a file driver for the running runtime (or loads the user's).
import type { FileDriver } from "./driver.ts";
import { describe } from "./describe.ts";

export async function loadDriver(specifier: string | undefined): Promise<FileDriver> {
  if (specifier !== undefined) {
    const loaded = (await import(specifier)) as { driver?: FileDriver };
    if (typeof loaded.driver?.open !== "function") {
      throw new TypeError(`ringlog: the driver module ${describe(specifier)} must export \`driver\`, an object with an open(path, mode) method`);
    }
    return loaded.driver;
  }
  if ("Deno" in globalThis) return (await import("./driver_deno.ts")).driver;
  return (await import("./driver_node.ts")).driver;
}
