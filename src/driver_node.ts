// node:fs, for Node and Bun (Bun implements node:fs natively; Bun.write replaces whole files).
// writeSync on a view of the shared memory is a real pwrite with no copy in both (ANCHORS.md §5).
import * as fs from "node:fs";
import type { FileDriver, FileHandle } from "./driver.ts";

const FLAGS = { append: "a", truncate: "w", write: fs.constants.O_WRONLY | fs.constants.O_CREAT } as const;

export const driver: FileDriver = {
  open(path, mode): FileHandle {
    const fd = fs.openSync(path, FLAGS[mode], 0o644);
    return {
      write: (bytes, position) => fs.writeSync(fd, bytes, 0, bytes.length, position ?? null),
      sync: () => fs.fdatasyncSync(fd),
      close: () => fs.closeSync(fd),
    };
  },
};
