// A file driver whose files name themselves in a shape of their own ("mem:<inode>", as a custom driver
// over something other than a POSIX file system might): rotation only compares identities, but a durable
// flush after close() cannot find a file by one (src/io/sync_last_file.ts) and must fall back to `path`.
import type { FileDriver } from "../../src/io/driver.ts";
import { defaultDriver } from "../../src/io/driver_select.ts";

const real = defaultDriver();
const odd = (identity: string) => `mem:${identity.slice(identity.indexOf(":") + 1)}`;

export const driver: FileDriver = {
  ...real,
  open(path, mode) {
    const file = real.open(path, mode);
    return {
      write: (bytes, position) => file.write(bytes, position),
      sync: () => file.sync(),
      close: () => file.close(),
      size: file.size && (() => file.size!()),
      stat: file.stat && (() => {
        const stat = file.stat!();
        return { ...stat, identity: odd(stat.identity) };
      }),
    };
  },
  stat(path) {
    const stat = real.stat!(path);
    return stat && { ...stat, identity: odd(stat.identity) };
  },
};
