// node:fs, for Node and Bun (Bun implements node:fs natively; Bun.write replaces whole files).
// writeSync on a view of the shared memory is a real pwrite with no copy in both (measured here:
// fs.writeSync(fd, view, offset, length, position) on a view of a shared WebAssembly.Memory).
// node:fs is reached through process.getBuiltinModule (synchronous, in Node >= 20.16, Deno 2 and Bun),
// so importing ringlog loads no node:* module and attach() can open files synchronously.
import type { FileDriver, FileHandle, FileStat } from "./driver.ts";

import { nodeBuiltin } from "../runtime/node_builtin.ts";

type Fs = typeof import("node:fs");
const nodeFs = () => nodeBuiltin<Fs>("node:fs");

// bigint: an inode number may pass 2^53 (XFS, btrfs), and the identity must be exact.
function fileStat(stats: import("node:fs").BigIntStats): FileStat {
  return { identity: `${stats.dev}:${stats.ino}`, size: Number(stats.size), mtimeMs: Number(stats.mtimeMs) };
}

export const driver: FileDriver = {
  open(path, mode): FileHandle {
    const fs = nodeFs();
    const flags = mode === "append" ? "a" : mode === "truncate" ? "w" : mode === "read" ? "r" : mode === "exclusive" ? "wx"
      : (mode === "readwrite" ? fs.constants.O_RDWR : fs.constants.O_WRONLY) | fs.constants.O_CREAT;
    const fd = fs.openSync(path, flags, 0o644);
    return {
      write: (bytes, position) => fs.writeSync(fd, bytes, 0, bytes.length, position ?? null),
      read: (into, position) => fs.readSync(fd, into, 0, into.length, position),
      sync: () => fs.fdatasyncSync(fd),
      close: () => fs.closeSync(fd),
      size: () => fs.fstatSync(fd).size,
      truncate: (length) => fs.ftruncateSync(fd, length),
      stat: () => fileStat(fs.fstatSync(fd, { bigint: true })),
    };
  },
  stat(path) {
    const stats = nodeFs().statSync(path, { bigint: true, throwIfNoEntry: false });
    return stats === undefined ? undefined : fileStat(stats);
  },
  rename: (from, to) => nodeFs().renameSync(from, to),
  unlink: (path) => nodeFs().unlinkSync(path),
  readdir: (dir) => nodeFs().readdirSync(dir),
  mkdir: (dir) => void nodeFs().mkdirSync(dir, { recursive: true }),
  syncDirectory(dir) {
    const fs = nodeFs();
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
};
