// A child for rotation_safety.test.ts: opens `path` rotating every 16 KiB, writes `count` records from this
// thread, then ends with process.exit(0) at once: the exit drain must put every record in the files.
import process from "node:process";
import { open } from "../../mod.ts";
import { rotationRecord } from "./rotation_records.ts";

const [path, count] = process.argv.slice(-2);
const log = await open(path, { append: false, rotate: { size: 16 * 1024, keep: 1000, compress: "gzip" } });
for (let seq = 0; seq < Number(count); seq++) log.write(rotationRecord(0, seq));
process.exit(0);
