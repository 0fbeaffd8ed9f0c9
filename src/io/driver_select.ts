// The one place that picks the file driver for the running runtime (or loads the user's).
import type { FileDriver } from "./driver.ts";
import { describe } from "../describe.ts";
import { driver as denoDriver } from "./driver_deno.ts";
import { driver as nodeDriver } from "./driver_node.ts";

/** Deno's own file API in Deno, node:fs in Node and Bun. */
export function defaultDriver(): FileDriver {
  return "Deno" in globalThis ? denoDriver : nodeDriver;
}

/** The driver exported as `driver` by the module `specifier`, or the default one. */
export async function loadDriver(specifier: string | undefined): Promise<FileDriver> {
  if (specifier === undefined) return defaultDriver();
  const loaded = (await import(specifier)) as { driver?: FileDriver };
  if (typeof loaded.driver?.open !== "function") {
    throw new TypeError(`ringlog: the driver module ${describe(specifier)} must export \`driver\`, an object with an open(path, mode) method`);
  }
  return loaded.driver;
}
