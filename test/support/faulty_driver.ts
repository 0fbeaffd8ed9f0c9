// A file driver for fault injection, loaded by the flusher through open(path, { driver }). It wraps the
// runtime's real driver and is steered by files beside the log, read when the file is opened (the gate on
// every write), so a test in another thread can act on it:
//   <path>.gate   while it exists, every write waits (a stalled disk: the ring fills up)
//   <path>.sync-gate  while it exists, every fdatasync waits before it starts, having created
//                 <path>.sync-held (so a test knows a sync is under way and can check what waits for it)
//   <path>.slow   holds a number of ms every write takes (a slow disk: records pile up in the ring)
//   <path>.fail   "<write|sync> <ENOSPC|EIO|EBADF> <n>": the disk fails, as node:fs reports it
//                 ("EIO: i/o error, write", with code, errno and syscall), from then on:
//                   write: every write that would take the file past n bytes written through this handle
//                   sync:  the nth fdatasync through this handle (1 = the first) and every later one
//   <path>.tear   when it exists, the next write puts only part of its bytes in the file (cut inside a
//                 line), creates <path>.torn, and never returns: what a crash in the middle of a write
//                 leaves, for the crash test to kill the process on
//   <path>.calls  when it exists, every write and sync is appended to it as a line, synchronously, before
//                 the call returns: "write <start>-<end>" (file offsets, end exclusive), "sync <dev:ino>"
//                 (the file synced: a rotating log may sync a file it left after it opened the next); and
//                 each open of <path> as "open <dev:ino>" (so a rotating log's calls say which file they were on)
//   <path>.renamegate  while it exists, a rename of <path> (a rotation, inside the rotation lock) waits;
//                 the driver first creates <path>.renaming, so a test knows it is held there
//   <path>.gzgate while it exists, every write to a file ending in ".gz.partial" waits (compression)
//   <path>.statgate  while it exists, a stat of <path> (rotation's look at the file) is made, then waits,
//                 having created <path>.stat-held, and returns what it saw: the flusher acts on a look
//                 that other processes' writes and the clock have made stale
//   <dir>/any.calls  the same log, for every file of <dir> opened without a <path>.calls of its own (a
//                 durable flush after close() syncing a file renamed since, by whatever name it has now)
//   <dir>/publish.fail  while it exists, the writer registry entry of a log in <dir> (rotation room,
//                 writer_registry.ts) can be neither made nor renamed: EIO, after the log took its file
// A directory sync (syncDirectory) is appended as "syncdir" to every <dir>/*.calls, for the logs there.
//   <dir>/syncdir.fail  holds a code (EINVAL, EIO...): every directory sync of <dir> throws it, as node:fs
//                 would (a file system that cannot fsync a directory, or a failing disk)
// The directory operations (stat, rename, unlink, readdir, mkdir) otherwise go to the real driver.
import { type FileDriver, type FileHandle, writeFully } from "../../src/io/driver.ts";
import { defaultDriver } from "../../src/io/driver_select.ts";
import { nodeBuiltin } from "../../src/runtime/node_builtin.ts";

type Fs = typeof import("node:fs");
const fs = nodeBuiltin<Fs>("node:fs");
const pause = new Int32Array(new SharedArrayBuffer(4));

/** The errors a disk can give, with node:fs's wording and errno. */
export const DISK_ERRORS = {
  ENOSPC: { text: "no space left on device", errno: -28 },
  EIO: { text: "i/o error", errno: -5 },
  EBADF: { text: "bad file descriptor", errno: -9 },
} as const;
export type DiskErrorCode = keyof typeof DISK_ERRORS;

/** The fault, as node:fs would throw it from `syscall`. */
export function diskError(code: DiskErrorCode, syscall: "write" | "fdatasync" | "open" | "rename"): Error {
  const { text, errno } = DISK_ERRORS[code];
  return Object.assign(new Error(`${code}: ${text}, ${syscall}`), { code, errno, syscall });
}

/** <dir>/publish.fail: a writer registry entry of a log in <dir> (its rotation room) cannot be made or renamed. */
function refusePublish(path: string, syscall: "open" | "rename"): void {
  const log = /^(.*)\/\.[^/]+\.rotation\/writer\./.exec(path);
  if (log !== null && fs.existsSync(`${log[1]}/publish.fail`)) throw diskError("EIO", syscall);
}

/** The contents of a <path>.fail file. */
export function faultSpec(operation: "write" | "sync", code: DiskErrorCode, n: number): string {
  return `${operation} ${code} ${n}`;
}

function readSteering(path: string): string | undefined {
  return fs.existsSync(path) ? fs.readFileSync(path, "utf8").trim() : undefined;
}

/** Writes the first half of `bytes` (never ending on a line end), says so in `torn`, then hangs for good. */
function tear(file: FileHandle, bytes: Uint8Array, position: number | undefined, torn: string): never {
  let cut = bytes.length >> 1;
  while (cut > 1 && bytes[cut - 1] === 0x0a) cut--;
  writeFully(file, bytes.subarray(0, cut), position);
  fs.writeFileSync(torn, String(cut));
  for (;;) Atomics.wait(pause, 0, 0, 1000);
}


/** The log's path of a .gz.partial in its rotation room (`<dir>/.<name>.rotation/<rotated>.gz.partial`). */
function gzGate(path: string): string | undefined {
  const match = /^(.*)\/\.([^/]+)\.rotation\/[^/]+\.gz\.partial$/.exec(path);
  return match === null ? undefined : `${match[1]}/${match[2]}.gzgate`;
}

const real = () => defaultDriver();

export const driver: FileDriver = {
  stat(path) {
    const seen = real().stat!(path);
    if (fs.existsSync(`${path}.statgate`)) {
      fs.writeFileSync(`${path}.stat-held`, "");
      while (fs.existsSync(`${path}.statgate`)) Atomics.wait(pause, 0, 0, 5);
    }
    return seen;
  },
  rename(from, to) {
    refusePublish(from, "rename");
    if (fs.existsSync(`${from}.renamegate`)) {
      fs.writeFileSync(`${from}.renaming`, "");
      while (fs.existsSync(`${from}.renamegate`)) Atomics.wait(pause, 0, 0, 5);
    }
    real().rename!(from, to);
  },
  unlink: (path) => real().unlink!(path),
  readdir: (dir) => real().readdir!(dir),
  mkdir: (dir) => real().mkdir!(dir),
  syncDirectory(dir) {
    const failCode = readSteering(`${dir}/syncdir.fail`);
    if (failCode !== undefined) throw Object.assign(new Error(`${failCode}: directory sync refused, fsync '${dir}'`), { code: failCode, syscall: "fsync" });
    real().syncDirectory!(dir);
    for (const name of fs.readdirSync(dir)) if (name.endsWith(".calls")) fs.appendFileSync(`${dir}/${name}`, "syncdir\n");
  },
  open(path, mode) {
    refusePublish(path, "open");
    const file = defaultDriver().open(path, mode);
    const gate = gzGate(path);
    if (gate !== undefined) {
      return {
        ...file,
        write(bytes, position) {
          while (fs.existsSync(gate)) Atomics.wait(pause, 0, 0, 5);
          return file.write(bytes, position);
        },
      };
    }
    const slowMs = Number(readSteering(`${path}.slow`) ?? 0);
    const [failOperation, failCode, failAt] = (readSteering(`${path}.fail`) ?? "").split(/\s+/);
    const failWrite = failOperation === "write" ? Number(failAt) : Infinity;
    const failSync = failOperation === "sync" ? Number(failAt) : Infinity;
    const anyCalls = `${path.slice(0, path.lastIndexOf("/"))}/any.calls`;
    const calls = fs.existsSync(`${path}.calls`) ? `${path}.calls` : fs.existsSync(anyCalls) ? anyCalls : undefined;
    if (calls !== undefined && file.stat !== undefined) fs.appendFileSync(calls, `open ${file.stat().identity}\n`);
    let written = 0;
    let syncs = 0;
    const count = (n: number) => {
      written += n;
      return n;
    };
    return {
      write(bytes, position) {
        while (fs.existsSync(`${path}.gate`)) Atomics.wait(pause, 0, 0, 5);
        if (slowMs > 0) Atomics.wait(pause, 0, 0, slowMs);
        if (written + bytes.length > failWrite) throw diskError(failCode as DiskErrorCode, "write");
        if (fs.existsSync(`${path}.tear`)) tear(file, bytes, position, `${path}.torn`);
        if (calls === undefined) return count(file.write(bytes, position));
        const start = position ?? fs.statSync(path).size; // append and truncate modes write at the end
        const n = count(file.write(bytes, position));
        fs.appendFileSync(calls, `write ${start}-${start + n}\n`);
        return n;
      },
      sync() {
        if (fs.existsSync(`${path}.sync-gate`)) {
          fs.writeFileSync(`${path}.sync-held`, "");
          while (fs.existsSync(`${path}.sync-gate`)) Atomics.wait(pause, 0, 0, 5);
        }
        if (++syncs >= failSync) throw diskError(failCode as DiskErrorCode, "fdatasync");
        file.sync();
        if (calls) fs.appendFileSync(calls, file.stat === undefined ? "sync\n" : `sync ${file.stat().identity}\n`);
      },
      close: () => file.close(),
      // Reads, size and truncation go to the real file untouched (the opener reads a file's first bytes).
      read: file.read && ((into, position) => file.read!(into, position)),
      size: file.size && (() => file.size!()),
      truncate: file.truncate && ((length) => file.truncate!(length)),
      stat: file.stat && (() => file.stat!()),
    };
  },
};
