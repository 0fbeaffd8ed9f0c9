// A log follower written the way shippers that follow files by inode work (Fluent Bit's tail input,
// Filebeat, Vector's file source): it finds files by a glob of the directory (`<stem>*<ext>`: the active
// file and the rotated ones, which keep the extension), tells them apart by device and inode, keeps an
// fd to each and reads it as it grows, and closes a file only once it has read it to its end after
// seeing that the file is no longer the one at `path` (it was rotated). It never reopens a file by name.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";

interface Tailed {
  fd: number;
  offset: number;
  chunks: Uint8Array[];
  closed: boolean;
}

export class TailFollower {
  readonly #path: string;
  readonly #dir: string;
  readonly #pattern: RegExp;
  readonly #files = new Map<string, Tailed>();

  constructor(path: string) {
    this.#path = path;
    this.#dir = path.slice(0, path.lastIndexOf("/"));
    const base = path.slice(this.#dir.length + 1);
    const dot = base.lastIndexOf(".");
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    this.#pattern = new RegExp(`^${escape(base.slice(0, dot))}.*${escape(base.slice(dot))}$`);
  }

  /** One look: discover new files, read every open one to its end, close the rotated ones read through. */
  poll(): void {
    for (const name of readdirSync(this.#dir).filter((n) => this.#pattern.test(n)).sort()) {
      let fd: number;
      try {
        fd = openSync(`${this.#dir}/${name}`, "r");
      } catch {
        continue; // renamed between the listing and the open: the next listing finds it
      }
      const id = identity(() => fstatSync(fd, { bigint: true }));
      if (this.#files.has(id!)) closeSync(fd);
      else this.#files.set(id!, { fd, offset: 0, chunks: [], closed: false });
    }
    // Which file is at `path` now, after the discovery (a file found above may be the active one) and
    // before the reads: a file that is not, was rotated already and is complete when read below.
    const active = identity(() => statSync(this.#path, { bigint: true }));
    for (const [id, file] of this.#files) {
      if (file.closed) continue;
      this.#readToEnd(file);
      // It was not the active file before this read began: read through, it will not grow again.
      if (id !== active) {
        closeSync(file.fd);
        file.closed = true;
      }
    }
  }

  #readToEnd(file: Tailed): void {
    for (;;) {
      const chunk = new Uint8Array(1 << 16);
      const n = readSync(file.fd, chunk, 0, chunk.length, file.offset);
      if (n === 0) return;
      file.chunks.push(chunk.subarray(0, n));
      file.offset += n;
    }
  }

  /** What was read of each file, by the name it has now, oldest first (rotated names in ls order, then `path`). */
  read(): { name: string; text: string }[] {
    const names = new Map<string, string>();
    for (const name of readdirSync(this.#dir)) {
      const id = identity(() => statSync(`${this.#dir}/${name}`, { bigint: true }));
      if (id !== undefined) names.set(id, name);
    }
    const base = this.#path.slice(this.#dir.length + 1);
    const read = [...this.#files].map(([id, file]) => ({ name: names.get(id) ?? `(gone ${id})`, text: Buffer.concat(file.chunks).toString("utf8") }));
    return read.sort((a, b) => (a.name === base ? 1 : b.name === base ? -1 : a.name < b.name ? -1 : 1));
  }

  close(): void {
    for (const file of this.#files.values()) if (!file.closed) closeSync(file.fd);
  }
}

function identity(stat: () => { dev: bigint; ino: bigint }): string | undefined {
  try {
    const { dev, ino } = stat();
    return `${dev}:${ino}`;
  } catch {
    return undefined;
  }
}
