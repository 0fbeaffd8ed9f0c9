// Deno's own file API: FsFile.writeSync takes views of shared memory and is ~15% cheaper per call than
// Deno's node:fs shim (100k × 200 B: 91 vs 109 ms here). Deno has no positional write, so a positional
// write is seek + write; safe because every Deno thread has its own fd table, hence its own file offset.
import { nodeBuiltin } from "../runtime/node_builtin.ts";
import type { FileDriver, FileHandle, FileStat } from "./driver.ts";

interface DenoStat {
  size: number;
  dev: number;
  ino: number | null;
  mtime: Date | null;
}
interface DenoFile {
  writeSync(bytes: Uint8Array): number;
  readSync(into: Uint8Array): number | null;
  seekSync(offset: number, whence: number): number;
  syncDataSync(): void;
  syncSync(): void;
  truncateSync(length: number): void;
  statSync(): DenoStat;
  close(): void;
}
interface DenoFs {
  openSync(path: string, options: { read?: boolean; write: boolean; create?: boolean; createNew?: boolean; append: boolean; truncate: boolean }): DenoFile;
  statSync(path: string): DenoStat;
  renameSync(from: string, to: string): void;
  removeSync(path: string): void;
  readDirSync(path: string): Iterable<{ name: string }>;
  mkdirSync(path: string, options: { recursive: boolean }): void;
  SeekMode: { Start: number };
  errors: { NotFound: new () => Error };
}

const denoFs = () => (globalThis as unknown as { Deno: DenoFs }).Deno;

function fileStat(stats: DenoStat): FileStat {
  return { identity: `${stats.dev}:${stats.ino}`, size: stats.size, mtimeMs: stats.mtime?.getTime() ?? 0 };
}

export const driver: FileDriver = {
  open(path, mode): FileHandle {
    const deno = denoFs();
    const file = mode === "read"
      ? deno.openSync(path, { read: true, write: false, create: false, append: false, truncate: false })
      : mode === "exclusive"
      ? deno.openSync(path, { write: true, createNew: true, append: false, truncate: false })
      : deno.openSync(path, { read: mode === "readwrite", write: true, create: true, append: mode === "append", truncate: mode === "truncate" });
    return {
      write(bytes, position) {
        if (position !== undefined) file.seekSync(position, deno.SeekMode.Start);
        return file.writeSync(bytes);
      },
      read(into, position) {
        file.seekSync(position, deno.SeekMode.Start);
        return file.readSync(into) ?? 0;
      },
      sync: () => file.syncDataSync(),
      close: () => file.close(),
      size: () => file.statSync().size,
      truncate: (length) => file.truncateSync(length),
      stat: () => fileStat(file.statSync()),
    };
  },
  // node:fs's existsSync in Deno asks without an exception: a stat of a missing file throws, ~3x dearer.
  exists: (path) => nodeBuiltin<{ existsSync(path: string): boolean }>("node:fs").existsSync(path),
  stat(path) {
    const deno = denoFs();
    try {
      return fileStat(deno.statSync(path));
    } catch (error) {
      if (error instanceof deno.errors.NotFound) return undefined;
      throw error;
    }
  },
  rename: (from, to) => denoFs().renameSync(from, to),
  unlink: (path) => denoFs().removeSync(path),
  readdir: (dir) => Array.from(denoFs().readDirSync(dir), (entry) => entry.name),
  mkdir: (dir) => denoFs().mkdirSync(dir, { recursive: true }),
  syncDirectory(dir) {
    const directory = denoFs().openSync(dir, { read: true, write: false, append: false, truncate: false });
    try {
      directory.syncSync();
    } finally {
      directory.close();
    }
  },
};
