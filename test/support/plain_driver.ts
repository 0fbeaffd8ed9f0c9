// A file driver with open() only (a sink that is no local directory): rotation must be refused with a
// clear error, since it needs stat, rename, unlink, readdir and mkdir.
import type { FileDriver } from "../../src/io/driver.ts";
import { defaultDriver } from "../../src/io/driver_select.ts";

export const driver: FileDriver = { open: (path, mode) => defaultDriver().open(path, mode) };
