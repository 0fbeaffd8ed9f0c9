// A file driver for fault injection, loaded by the flusher through open(path, { driver }). It wraps the
// runtime's real driver and is steered by files beside the log, so a test in another thread can act on it:
//   <path>.gate        while it exists, every write waits (a stalled disk: the ring fills up)
//   <path>.fail-after  holds a byte count; writes beyond it fail with ENOSPC (a full disk)
//   <path>.slow        holds a number of ms every write takes (a slow disk: records pile up in the ring)
import type { FileDriver } from "../../src/driver.ts";
import { defaultDriver } from "../../src/driver_select.ts";
import { nodeBuiltin } from "../../src/node_builtin.ts";

type Fs = typeof import("node:fs");
const fs = nodeBuiltin<Fs>("node:fs");
const pause = new Int32Array(new SharedArrayBuffer(4));

export const driver: FileDriver = {
  open(path, mode) {
    const file = defaultDriver().open(path, mode);
    const failAfter = fs.existsSync(`${path}.fail-after`) ? Number(fs.readFileSync(`${path}.fail-after`, "utf8")) : Infinity;
    const slowMs = fs.existsSync(`${path}.slow`) ? Number(fs.readFileSync(`${path}.slow`, "utf8")) : 0;
    let written = 0;
    return {
      write(bytes, position) {
        while (fs.existsSync(`${path}.gate`)) Atomics.wait(pause, 0, 0, 5);
        if (slowMs > 0) Atomics.wait(pause, 0, 0, slowMs);
        if (written + bytes.length > failAfter) {
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        }
        const n = file.write(bytes, position);
        written += n;
        return n;
      },
      sync: () => file.sync(),
      close: () => file.close(),
    };
  },
};
